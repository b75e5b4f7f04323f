//! Payment Element intents (§18), customers / products / subscriptions
//! (§19) and customs (§20): requests and example responses.

mod api_common;

use api_common::*;
use qfpay::Method;
use qfpay::api::*;
use qfpay::types::*;

#[test]
fn payment_intent() {
    let r = CreatePaymentIntent::builder()
        .txamt(Amount::new(123))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::VisaMastercardOnline)
        .out_trade_no(OutTradeNo::new("501871840").unwrap())
        .return_url(ReturnUrl::new("https://m.example/ok").unwrap())
        .failed_url("https://m.example/fail")
        .notify_url(NotifyUrl::new("https://m.example/n").unwrap())
        .build();
    assert_eq!(
        meta(&r),
        (
            "/payment_element/v1/create_payment_intent",
            Method::Post,
            true
        )
    );
    assert_eq!(
        qfpay::canonical_string(&r),
        "failed_url=https://m.example/fail&notify_url=https://m.example/n&out_trade_no=501871840\
         &pay_type=802801&return_url=https://m.example/ok&txamt=123&txcurrcd=HKD"
    );
    assert_signature_matches(&r);
    let resp: PaymentIntentResponse = serde_json::from_str(
        r#"{
  "respcd": "0000",
  "txamt": "123",
  "txcurrcd": "123",
  "sysdtm": "2022-11-14 16:15:16",
  "out_trade_no": "501871840",
  "payment_intent": "38aec7cef8564f309ea2265a454b8ca5",
  "intent_expiry": "2022-11-15 12:34:34"
}"#,
    )
    .unwrap();
    assert_eq!(resp.payment_intent, "38aec7cef8564f309ea2265a454b8ca5");
    assert_eq!(
        resp.intent_expiry,
        Some(TradeTime::parse("2022-11-15 12:34:34").unwrap())
    );
    // The docs' placeholder currency is kept, not rejected.
    assert_eq!(resp.txcurrcd, Some(Currency::Other("123".into())));
    assert_eq!(resp.txamt, Some(Amount::new(123)));
    assert_eq!(resp.envelope.resperr, "");
}

#[test]
fn token_intent() {
    let r = CreateTokenIntent::builder()
        .customer_id("cust_1")
        .token_reason("subscription")
        .token_reference("ref-1")
        .token_expiry("2026-01-01")
        .build();
    assert_eq!(
        meta(&r),
        (
            "/payment_element/v1/create_token_intent",
            Method::Post,
            true
        )
    );
    assert_eq!(
        qfpay::canonical_string(&r),
        "customer_id=cust_1&token_expiry=2026-01-01&token_reason=subscription&token_reference=ref-1"
    );
    let resp: TokenIntentResponse = serde_json::from_str(
        r#"{"respcd": "0000", "sysdtm": "2022-11-14 16:15:16", "token_intent": "38aec7cef8564f309ea2265a454b8ca5", "intent_expiry": "2022-11-15 12:34:34"}"#,
    )
    .unwrap();
    assert_eq!(resp.token_intent, "38aec7cef8564f309ea2265a454b8ca5");
}

#[test]
fn customers() {
    let mut address = BillingAddress::default();
    address.address1 = Some("1 Queen's Road".into());
    address.city = Some("Hong Kong".into());
    address.country_code = Some("HK".into());
    let c = CreateCustomer::builder()
        .name("Peter")
        .phone("+852 1234")
        .billing_address(Json::new(address.clone()).unwrap())
        .build();
    assert_eq!(meta(&c), ("/customer/v1/create", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&c),
        r#"billing_address={"address1":"1 Queen's Road","city":"Hong Kong","country_code":"HK"}&name=Peter&phone=+852 1234"#
    );
    assert_signature_matches(&c);

    let u = UpdateCustomer::builder()
        .customer_id("cust_1")
        .email("p@x.hk")
        .build();
    assert_eq!(meta(&u), ("/customer/v1/update", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&u),
        "customer_id=cust_1&email=p@x.hk"
    );
    let q = QueryCustomers::builder()
        .name("Peter")
        .page(1)
        .page_size(100)
        .build();
    assert_eq!(meta(&q), ("/customer/v1/query", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&q),
        "name=Peter&page=1&page_size=100"
    );
    let d = DeleteCustomer::builder().customer_id("cust_1").build();
    assert_eq!(meta(&d), ("/customer/v1/delete", Method::Post, true));
    assert_eq!(qfpay::canonical_string(&d), "customer_id=cust_1");

    let r: DataResponse<CustomerResult> = serde_json::from_str(
        r#"{"respcd":"0000","resperr":"success","respmsg":"","data":{"customer_id":"cust_aaf6"}}"#,
    )
    .unwrap();
    assert_eq!(r.data.unwrap().customer_id, "cust_aaf6");
    let r: DataResponse<CustomerResult> = serde_json::from_str(
        r#"{"respcd":"0000","data":{"customer_id":"cust_aaf6","rowAffected":1}}"#,
    )
    .unwrap();
    assert_eq!(r.data.unwrap().row_affected, Some(1));
    let r: DataResponse<CustomerResult> = serde_json::from_str(
        r#"{"respcd":"0000","data":{"customer_id":"cust_aaf6","rowDeleted":"1"}}"#,
    )
    .unwrap();
    assert_eq!(r.data.unwrap().row_deleted, Some(1));

    // billing_address as an object or as a JSON string (§27.1 #32).
    let r: ListResponse<Customer> = serde_json::from_str(
        r#"{"respcd":"0000","data":[
            {"customer_id":"cust_1","name":"Peter","phone":"","email":"p@x.hk","billing_address":{"city":"Hong Kong"}},
            {"customer_id":"cust_2","name":"Mary","phone":"1","email":"","billing_address":"{\"city\":\"Kowloon\"}"}
        ],"page":1,"page_size":"10"}"#,
    )
    .unwrap();
    assert_eq!(r.data.len(), 2);
    assert_eq!(
        r.data[0].billing_address().unwrap().city.as_deref(),
        Some("Hong Kong")
    );
    assert_eq!(
        r.data[1].billing_address().unwrap().city.as_deref(),
        Some("Kowloon")
    );
    assert_eq!((r.page, r.page_size), (Some(1), Some(10)));
}

#[test]
fn products() {
    let p = CreateProduct::builder()
        .name("Gold plan")
        .product_type(ProductType::Recurring)
        .description("monthly")
        .txamt(Amount::new(300))
        .txcurrcd(Currency::from_code("HKD"))
        .interval(BillingInterval::Monthly)
        .interval_count(1)
        .usage_type(UsageType::Licensed)
        .build();
    assert_eq!(meta(&p), ("/product/v1/create", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&p),
        "description=monthly&interval=monthly&interval_count=1&name=Gold plan&txamt=300&txcurrcd=HKD&type=recurring&usage_type=licensed"
    );
    assert_signature_matches(&p);
    let o = CreateProduct::one_time("Box", Amount::new(5), Currency::from_code("HKD"));
    assert_eq!(
        qfpay::canonical_string(&o),
        "name=Box&txamt=5&txcurrcd=HKD&type=onetime"
    );

    let u = UpdateProduct::builder()
        .product_id("prod_1")
        .name("New")
        .build();
    assert_eq!(meta(&u), ("/product/v1/update", Method::Post, true));
    assert_eq!(qfpay::canonical_string(&u), "name=New&product_id=prod_1");
    let q = QueryProducts::builder()
        .txcurrcd(Currency::from_code("HKD"))
        .interval(BillingInterval::Yearly)
        .build();
    assert_eq!(meta(&q), ("/product/v1/query", Method::Post, true));
    assert_eq!(qfpay::canonical_string(&q), "interval=yearly&txcurrcd=HKD");
    let d = DeleteProduct::builder().product_id("prod_1").build();
    assert_eq!(meta(&d), ("/product/v1/delete", Method::Post, true));
    assert_eq!(qfpay::canonical_string(&d), "product_id=prod_1");

    let r: ListResponse<Product> = serde_json::from_str(
        r#"{"respcd":"0000","data":[{"product_id":"prod_54c3","name":"Gold","type":"recurring","description":"",
            "txamt":300,"txcurrcd":"HKD","interval":"monthly","interval_count":"1","usage_type":"licensed"}]}"#,
    )
    .unwrap();
    let p = &r.data[0];
    assert_eq!(p.product_type, Some(ProductType::Recurring));
    assert_eq!(p.txamt, Some(Amount::new(300)));
    assert_eq!(p.interval, Some(BillingInterval::Monthly));
    assert_eq!(p.interval_count, Some(1));
    let r: DataResponse<ProductResult> =
        serde_json::from_str(r#"{"respcd":"0000","data":{"product_id":"prod_1","rowDeleted":1}}"#)
            .unwrap();
    assert_eq!(r.data.unwrap().row_deleted, Some(1));
}

#[test]
fn subscriptions() {
    // The create example of §19.3, sent as form fields with `products` as JSON.
    let s = CreateSubscription::builder()
        .customer_id("cust_aaf6aae94982c54c9cae5ba32")
        .token_id("tk_a99892fdd3417d168a18bb")
        .products(
            Json::new(vec![SubscriptionItem::new(
                "prod_54c37729a54b236e09ec74f",
                1,
            )])
            .unwrap(),
        )
        .total_billing_cycles(2)
        .start_time(TradeTime::parse_field("2020-05-14 12:32:56", "start_time").unwrap())
        .build();
    assert_eq!(meta(&s), ("/subscription/v1/create", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&s),
        r#"customer_id=cust_aaf6aae94982c54c9cae5ba32&products=[{"product_id":"prod_54c37729a54b236e09ec74f","quantity":1}]&start_time=2020-05-14 12:32:56&token_id=tk_a99892fdd3417d168a18bb&total_billing_cycles=2"#
    );
    assert_signature_matches(&s);
    let r: DataResponse<SubscriptionResult> = serde_json::from_str(
        r#"{"respcd":"0000","data":{"subscription_id":"sub_1","state":"INCOMPLETE"}}"#,
    )
    .unwrap();
    let data = r.data.unwrap();
    assert_eq!(data.state, Some(SubscriptionState::Incomplete));

    let u = UpdateSubscription::builder()
        .subscription_id("sub_1")
        .token_id("tk_2")
        .products(
            Json::new(vec![SubscriptionItem {
                product_id: "prod_2".into(),
                quantity: None,
            }])
            .unwrap(),
        )
        .build();
    assert_eq!(meta(&u), ("/subscription/v1/update", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&u),
        r#"products=[{"product_id":"prod_2"}]&subscription_id=sub_1&token_id=tk_2"#
    );

    // Both spellings of the id filter can be sent (§27.1 #29).
    let q = QuerySubscriptions::builder()
        .subscription_id("sub_1")
        .subscritpion_id("sub_1")
        .state(SubscriptionState::Active)
        .page(1)
        .build();
    assert_eq!(meta(&q), ("/subscription/v1/query", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&q),
        "page=1&state=ACTIVE&subscription_id=sub_1&subscritpion_id=sub_1"
    );

    let c = CancelSubscription::builder()
        .subscription_id("sub_1")
        .build();
    assert_eq!(meta(&c), ("/subscription/v1/cancel", Method::Post, true));
    assert_eq!(qfpay::canonical_string(&c), "subscription_id=sub_1");
    let c = ChargeSubscription::builder()
        .subscription_id("sub_1")
        .subscription_order_id("sub_ord_1_0001")
        .build();
    assert_eq!(meta(&c), ("/subscription/v1/charge", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&c),
        "subscription_id=sub_1&subscription_order_id=sub_ord_1_0001"
    );
    let l = ListBillingOrders::builder()
        .subscription_id("sub_1")
        .page_size(50)
        .build();
    assert_eq!(
        meta(&l),
        ("/subscription/billing_order/v1/list", Method::Post, true)
    );
    assert_eq!(
        qfpay::canonical_string(&l),
        "page_size=50&subscription_id=sub_1"
    );
}

#[test]
fn subscription_query_example_of_the_docs() {
    let r: ListResponse<Subscription> = serde_json::from_str(
        r#"{
  "resperr": "success", "respcd": "0000", "respmsg": "success",
  "data": [{
    "total_billing_cycles": 3, "last_billing_time": "2024-11-21T11:12:06Z", "is_available": 1,
    "userid": 2510351, "last_billing_status": "SUCCESS", "state": "ACTIVE",
    "products": [{"product_id": "prod_8efecd0bd******b9aa1ec5ec01", "quantity": 1}],
    "retry_attempts": 0, "completed_iteration": 1, "token_id": "tk_9ac510017*******69b614e8f7ee",
    "subscription_id": "sub_e120378de*******da066f690da75",
    "customer_id": "cust_5ba1539f*******c9bda11d12c854e36", "next_billing_time": "2024-11-21T11:13:06Z"
  }]
}"#,
    )
    .unwrap();
    let s = &r.data[0];
    assert_eq!(s.total_billing_cycles, Some(3));
    assert_eq!(s.completed_billing_iteration, Some(1));
    assert_eq!(s.state, Some(SubscriptionState::Active));
    assert_eq!(s.userid, "2510351");
    assert_eq!(s.next_billing_time, "2024-11-21T11:13:06Z");
    assert_eq!(s.last_billing_time, "2024-11-21T11:12:06Z");
    assert_eq!(
        s.products,
        vec![SubscriptionItem::new("prod_8efecd0bd******b9aa1ec5ec01", 1)]
    );
    assert_eq!((s.is_available, s.retry_attempts), (Some(1), Some(0)));
    assert_eq!(s.last_billing_status, "SUCCESS");
    assert!(s.extra.is_empty(), "{:?}", s.extra);
    // The table's key name is read too; unlimited cycles are null.
    let r: ListResponse<Subscription> = serde_json::from_str(
        r#"{"respcd":"0000","data":[{"subscription_id":"s","completed_billing_iteration":"4","total_billing_cycles":null}]}"#,
    )
    .unwrap();
    assert_eq!(r.data[0].completed_billing_iteration, Some(4));
    assert_eq!(r.data[0].total_billing_cycles, None);

    let r: ListResponse<BillingOrder> = serde_json::from_str(
        r#"{"respcd":"0000","data":[{"subscription_order_id":"sub_ord_a360f06exxxxxxx4c3a_0001","subscription_id":"sub_a360f06exxxxxxx4c3a","trigger_by":"manual","sequence_no":1}]}"#,
    )
    .unwrap();
    assert_eq!(r.data[0].trigger_by, Some(TriggerBy::Manual));
    assert_eq!(r.data[0].sequence_no, Some(1));

    let r: DataResponse<serde_json::Value> =
        serde_json::from_str(r#"{"respcd":"0000","resperr":"success","respmsg":""}"#).unwrap();
    assert_eq!(r.data, None);
    let r: DataResponse<serde_json::Value> =
        serde_json::from_str(r#"{"respcd":"0000","data":"cancelled"}"#).unwrap();
    assert_eq!(r.data, Some(serde_json::json!("cancelled")));
    let r: DataResponse<SubscriptionResult> =
        serde_json::from_str(r#"{"respcd":"0000","data":"{\"subscription_id\":\"sub_1\"}"}"#)
            .unwrap();
    assert_eq!(r.data.unwrap().subscription_id, "sub_1");
}

#[test]
fn customs() {
    let s = Syssn::new("20191126000300020081234567").unwrap();
    let d = CustomsDeclare::weixin(s.clone(), "SHANGHAI_ZS", "110084111");
    assert_eq!(meta(&d), ("/custom/v1/declare", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&d),
        "customs=SHANGHAI_ZS&fee_type=CNY&mch_customs_no=110084111&syssn=20191126000300020081234567&trade_type=weixin"
    );
    assert_signature_matches(&d);
    let d = CustomsDeclare::alipay(
        s.clone(),
        "SHANGHAI_ZS",
        "110084111",
        "jwyhanguo_card",
        "ORD1",
        "2.00",
    );
    assert_eq!(
        qfpay::canonical_string(&d),
        "amount=2.00&customs=SHANGHAI_ZS&mch_customs_name=jwyhanguo_card&mch_customs_no=110084111\
         &out_request_no=ORD1&syssn=20191126000300020081234567&trade_type=alipay"
    );
    let d = CustomsDeclare::builder()
        .trade_type(CustomsTradeType::Weixin)
        .syssn(s.clone())
        .customs("SHANGHAI_ZS")
        .mch_customs_no("110084111")
        .action_type(CustomsActionType::Modify)
        .fee_type(Currency::from_code("CNY"))
        .sub_order_no("15752730835729139712")
        .order_fee(1000)
        .product_fee(1000)
        .transport_fee(0)
        .build();
    assert_eq!(
        qfpay::canonical_string(&d),
        "action_type=MODIFY&customs=SHANGHAI_ZS&fee_type=CNY&mch_customs_no=110084111&order_fee=1000\
         &product_fee=1000&sub_order_no=15752730835729139712&syssn=20191126000300020081234567\
         &trade_type=weixin&transport_fee=0"
    );

    let q = CustomsQuery::builder()
        .trade_type(CustomsTradeType::Weixin)
        .customs("SHANGHAI_ZS")
        .syssn(s.clone())
        .build();
    assert_eq!(meta(&q), ("/custom/v1/query", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&q),
        "customs=SHANGHAI_ZS&syssn=20191126000300020081234567&trade_type=weixin"
    );
    let r = CustomsRedeclare::builder()
        .trade_type(CustomsTradeType::Alipay)
        .customs("SHANGHAI_ZS")
        .syssn(s)
        .mch_customs_no("110084111")
        .sub_order_no("1")
        .build();
    assert_eq!(meta(&r), ("/custom/v1/redeclare", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&r),
        "customs=SHANGHAI_ZS&mch_customs_no=110084111&sub_order_no=1&syssn=20191126000300020081234567&trade_type=alipay"
    );

    let resp: CustomsQueryResponse = serde_json::from_str(
        r#"{"respcd":"0000","resperr":"","respmsg":"","syssn":"20191126000300020081234567","data":
        [{"resperr": "", "errmsg": null, "sub_order_no": "15752730835729139712", "verify_department": "OTHERS", "verify_department_trade_id": "4200000459201911265585026208"}]}"#,
    )
    .unwrap();
    let entry = &resp.data[0];
    assert_eq!(entry.errmsg, "");
    assert_eq!(entry.verify_department, "OTHERS");
    assert_eq!(
        entry.verify_department_trade_id,
        "4200000459201911265585026208"
    );
    let resp: CustomsResponse = serde_json::from_str(
        r#"{"respcd":"1145","syssn":"1","verify_department":"","verify_department_trade_id":""}"#,
    )
    .unwrap();
    assert!(resp.envelope.respcd.is_pending());
}
