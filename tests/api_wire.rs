//! Every catalogue endpoint through the real client against a loopback
//! server: method, path, headers, body / query bytes (with the client's
//! `mchid` merged in, or absent where the reference forbids it), the
//! signature recomputed independently from what the server received, and
//! the typed decoding of a reference example response.

mod client_common;

use client_common::{APP_CODE, Canned, KEY, MCHID, Server, expected_signature};
use qfpay::api::*;
use qfpay::sign::SignBuffer;
use qfpay::types::*;
use qfpay::{Client, Error, SignType, StaticEndpoint};

/// Sends `request`, checks the wire form against an independent
/// recomputation, and returns the decoded response.
async fn exchange<E>(
    server: &Server,
    client: &Client,
    request: &E,
    canned: Canned,
    mchid: Option<&str>,
) -> E::Response
where
    E: StaticEndpoint,
    E::Response: Send + 'static,
{
    let before = server.count();
    server.push(canned);
    let response = client.call(request).await.expect("call succeeds");
    let received = server.received();
    assert_eq!(received.len(), before + 1);
    let got = received.last().unwrap();

    // What the client must have sent: the endpoint's pairs with `mchid`
    // merged in when configured and accepted.
    let extra = mchid.filter(|_| E::SPEC.sends_mchid).map(|m| ("mchid", m));
    let mut buf = SignBuffer::new();
    buf.encode(request, extra).unwrap();

    assert_eq!(got.method, E::SPEC.method.as_str(), "{}", E::SPEC.path);
    assert_eq!(got.path, E::SPEC.path);
    let wire = String::from_utf8(got.params_bytes()).unwrap();
    assert_eq!(wire, buf.body(), "{}", E::SPEC.path);
    match E::SPEC.method {
        qfpay::Method::Get => assert!(got.body.is_empty()),
        qfpay::Method::Post => assert!(got.query.is_none()),
    }
    assert_eq!(
        got.param("mchid").as_deref(),
        if E::SPEC.sends_mchid { mchid } else { None },
        "{}",
        E::SPEC.path
    );
    assert_eq!(got.header("X-QF-APPCODE"), Some(APP_CODE));
    // The client signs with SHA-256 unless the endpoint insists on a hash
    // (get_weixin_openid: MD5 only, and then no X-QF-SIGNTYPE header).
    let sign_type = E::SPEC.sign_type.unwrap_or(SignType::Sha256);
    assert_eq!(
        got.header("X-QF-SIGNTYPE"),
        sign_type.header_value(),
        "{}",
        E::SPEC.path
    );
    assert_eq!(
        got.header("X-QF-SIGN"),
        Some(expected_signature(got, KEY, sign_type).as_str()),
        "{}",
        E::SPEC.path
    );
    assert!(!wire.contains(KEY));
    response
}

fn t(s: &str) -> TradeTime {
    TradeTime::parse(s).unwrap()
}

fn syssn(s: &str) -> Syssn {
    Syssn::new(s).unwrap()
}

fn hkd() -> Currency {
    Currency::from_code("HKD")
}

#[tokio::test]
async fn trade_endpoints_on_the_wire() {
    let server = Server::start().await;
    let client = server.client().mchid(MCHID).build().unwrap();
    let m = Some(MCHID);

    let cpm = Payment::cpm()
        .pay_type(PayType::WechatCpm)
        .auth_code(AuthCode::new("134857901234588557").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(OutTradeNo::new("Native201907221520536a25477909").unwrap())
        .txdtm(t("2019-07-22 15:20:54"))
        .goods_name(GoodsName::new("測試 a&b=c").unwrap())
        .build();
    let r = exchange(
        &server,
        &client,
        &cpm,
        Canned::json(
            r#"{"pay_type":"800108","sysdtm":"2019-07-22 15:20:54","txamt":10,"resperr":"交易成功","respmsg":"OK","syssn":"20190722000300020081074842","respcd":"0000"}"#,
        ),
        m,
    )
    .await;
    assert_eq!(r.txamt, Some(Amount::new(10)));
    assert_eq!(r.envelope.resperr, "交易成功");

    // A pending payment is Ok, with the pending code on the response.
    let r = exchange(
        &server,
        &client,
        &cpm,
        Canned::json(r#"{"respcd":"1143","resperr":"","respmsg":""}"#),
        m,
    )
    .await;
    assert!(r.is_pending());

    let mpm = Payment::builder()
        .pay_type(PayType::AlipayMpm)
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(OutTradeNo::new("01234567890123").unwrap())
        .txdtm(t("2019-12-25 14:21:28"))
        .build();
    let r = exchange(
        &server,
        &client,
        &mpm,
        Canned::json(r#"{"respcd":"0000","qrcode":"https://qr.alipay.com/bax01781r3pu4fjaqazt4091","txamt":"10"}"#),
        m,
    )
    .await;
    assert_eq!(
        r.qrcode.as_deref(),
        Some("https://qr.alipay.com/bax01781r3pu4fjaqazt4091")
    );

    let jsapi = Payment::wechat_jsapi()
        .sub_openid(SubOpenid::new("oo3Lss8d0hLOuyTuSJMVwLTk68JE").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(OutTradeNo::new("J1").unwrap())
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    let r = exchange(
        &server,
        &client,
        &jsapi,
        Canned::json(
            r#"{"respcd":"0000","pay_params":{"appId":"wx1","timeStamp":"1593746074","nonceStr":"n","package":"prepay_id=wx03","signType":"MD5","paySign":"B0AE"}}"#,
        ),
        m,
    )
    .await;
    assert!(matches!(r.pay_params, Some(PayParams::WechatJsapi(_))));

    let h5 = Payment::wechat_h5()
        .extend_info(
            Json::new(H5ExtendInfo::new(
                "https://qfpay.global/h5/pay",
                "qfpay",
                "192.168.1.10",
            ))
            .unwrap(),
        )
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(OutTradeNo::new("H1").unwrap())
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    exchange(
        &server,
        &client,
        &h5,
        Canned::json(r#"{"respcd":"0000","pay_url":"https://wx.tenpay.com/x"}"#),
        m,
    )
    .await;

    let query = Query::by_syssns([
        syssn("20191227000200020061752831"),
        syssn("20191227000300020061652643"),
    ]);
    let r = exchange(
        &server,
        &client,
        &query,
        Canned::json(
            r#"{"respmsg":"","resperr":"请求成功","respcd":"0000","data":[{"syssn":"20191227000200020061752831","cancel":"0","txamt":"10","respcd":"0000"}],"page":"1","page_size":"10"}"#,
        ),
        m,
    )
    .await;
    assert_eq!(r.data[0].cancel, Some(CancelState::NotCancelled));

    let refund = Refund::builder()
        .syssn(syssn("20191227000200020061752831"))
        .out_trade_no(OutTradeNo::new("RGNOEIVU9JZLNP9GGYXWXCW7OEMI720F").unwrap())
        .txamt(Amount::new(10))
        .txdtm(t("2019-12-27 11:10:38"))
        .build();
    let r = exchange(
        &server,
        &client,
        &refund,
        Canned::json(r#"{"orig_syssn":"20191227000200020061752831","syssn":"20191227000300020061652643","respcd":"0000","txamt":"10"}"#),
        m,
    )
    .await;
    assert_eq!(r.orig_syssn.unwrap().as_str(), "20191227000200020061752831");

    let reversal = Reversal::by_syssn(
        syssn("20200305066100020000977813"),
        Amount::new(2500),
        t("2020-03-05 16:50:30"),
    );
    exchange(
        &server,
        &client,
        &reversal,
        Canned::json(r#"{"respcd":"0000","surcharge_fee":"0"}"#),
        m,
    )
    .await;
    let close = Close::by_out_trade_no(
        OutTradeNo::new("O1").unwrap(),
        Amount::new(1),
        t("2020-03-05 16:50:30"),
    );
    exchange(
        &server,
        &client,
        &close,
        Canned::json(r#"{"respcd":"0000"}"#),
        m,
    )
    .await;

    let capture = AuthTrade::builder()
        .syssn(syssn("20240226180500020000014079"))
        .txamt(Amount::new(500))
        .build();
    let r = exchange(
        &server,
        &client,
        &capture,
        Canned::json(r#"{"respcd":"0000","respmsg":"Capture received","out_trade_no":"","syssn":"20240226180500020000014116"}"#),
        m,
    )
    .await;
    assert_eq!(r.envelope.respmsg, "Capture received");
    let unfreeze = Unfreeze::builder()
        .syssn(syssn("20240226180500020000014079"))
        .out_trade_no(OutTradeNo::new("P1").unwrap())
        .txamt(Amount::new(100))
        .txdtm(t("2024-02-26 15:04:11"))
        .build();
    exchange(
        &server,
        &client,
        &unfreeze,
        Canned::json(r#"{"respcd":"0000","respmsg":"Void received"}"#),
        m,
    )
    .await;

    let openid = GetWeixinOpenid::new("011QipnO1yMIla1VJdoO1FUrnO1Qipnv");
    let r = exchange(
        &server,
        &client,
        &openid,
        Canned::json(r#"{"resperr": "", "respcd": "0000", "respmsg": "", "openid": "oo3Lss8d0hLOuyTuSJMVwLTk68JE"}"#),
        m,
    )
    .await;
    assert_eq!(r.openid, "oo3Lss8d0hLOuyTuSJMVwLTk68JE");
    assert_eq!(GetWeixinOpenid::SPEC.sign_type, Some(SignType::Md5));
    assert_eq!(
        server.received().last().unwrap().header("X-QF-SIGNTYPE"),
        None
    );
}

#[tokio::test]
async fn add_note_and_trade_bill_never_carry_mchid() {
    let server = Server::start().await;
    let client = server.client().mchid(MCHID).build().unwrap();

    let note = AddNote::builder()
        .code(APP_CODE)
        .syssn(syssn("20190722000200020081075691"))
        .note(Note::new("add_note").unwrap())
        .build();
    let r = exchange(
        &server,
        &client,
        &note,
        Canned::json(r#"{"resperr": "Success", "respcd": "0000", "respmsg": "", "data": {"syssn": "20190722000200020081084545"}}"#),
        Some(MCHID),
    )
    .await;
    assert_eq!(r.syssn().unwrap().as_str(), "20190722000200020081084545");

    let bill = DownloadTradeBill::builder()
        .trade_date(TradeDate::parse("2017-10-17").unwrap())
        .build();
    let zip: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary\xff\x00";
    let r = exchange(&server, &client, &bill, Canned::bytes(zip), Some(MCHID)).await;
    assert_eq!(r.bytes(), zip);
    let got = server.received().pop().unwrap();
    assert_eq!(got.query.as_deref(), Some("trade_date=2017-10-17"));

    // A JSON refusal instead of the file is an API error.
    server.push(Canned::json(
        r#"{"respcd":"1104","resperr":"param error","respmsg":""}"#,
    ));
    match client.call(&bill).await {
        Err(Error::Api { respcd, .. }) => assert_eq!(respcd, RespCode::RequestParameterError),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn element_recurring_and_customs_on_the_wire() {
    let server = Server::start().await;
    // No mchid configured: none is sent anywhere.
    let client = server.client().build().unwrap();

    let intent = CreatePaymentIntent::builder()
        .txamt(Amount::new(123))
        .pay_type(PayType::VisaMastercardOnline)
        .out_trade_no(OutTradeNo::new("501871840").unwrap())
        .build();
    let r = exchange(
        &server,
        &client,
        &intent,
        Canned::json(r#"{"respcd":"0000","payment_intent":"38aec7cef8564f309ea2265a454b8ca5","intent_expiry":"2022-11-15 12:34:34"}"#),
        None,
    )
    .await;
    assert_eq!(r.payment_intent, "38aec7cef8564f309ea2265a454b8ca5");
    let token = CreateTokenIntent::builder().customer_id("cust_1").build();
    exchange(
        &server,
        &client,
        &token,
        Canned::json(r#"{"respcd":"0000","token_intent":"t"}"#),
        None,
    )
    .await;

    let mut address = BillingAddress::default();
    address.city = Some("Hong Kong".into());
    let customer = CreateCustomer::builder()
        .name("Peter")
        .billing_address(Json::new(address).unwrap())
        .build();
    let r = exchange(
        &server,
        &client,
        &customer,
        Canned::json(r#"{"respcd":"0000","data":{"customer_id":"cust_1"}}"#),
        None,
    )
    .await;
    assert_eq!(r.data.unwrap().customer_id, "cust_1");
    exchange(
        &server,
        &client,
        &UpdateCustomer::builder()
            .customer_id("cust_1")
            .name("P")
            .build(),
        Canned::json(r#"{"respcd":"0000","data":{"customer_id":"cust_1","rowAffected":1}}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &QueryCustomers::builder().page(1).build(),
        Canned::json(r#"{"respcd":"0000","data":[]}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &DeleteCustomer::builder().customer_id("cust_1").build(),
        Canned::json(r#"{"respcd":"0000","data":{"customer_id":"cust_1","rowDeleted":1}}"#),
        None,
    )
    .await;

    let product =
        CreateProduct::recurring("Gold", Amount::new(300), hkd(), BillingInterval::Monthly, 1);
    exchange(
        &server,
        &client,
        &product,
        Canned::json(r#"{"respcd":"0000","data":{"product_id":"prod_1"}}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &UpdateProduct::builder()
            .product_id("prod_1")
            .name("G")
            .build(),
        Canned::json(r#"{"respcd":"0000","data":{"product_id":"prod_1","rowAffected":1}}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &QueryProducts::builder().build(),
        Canned::json(r#"{"respcd":"0000","data":[{"product_id":"prod_1","txamt":"300"}]}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &DeleteProduct::builder().product_id("prod_1").build(),
        Canned::json(r#"{"respcd":"0000","data":{"product_id":"prod_1","rowDeleted":1}}"#),
        None,
    )
    .await;

    let sub = CreateSubscription::builder()
        .customer_id("cust_1")
        .token_id("tk_1")
        .products(Json::new(vec![SubscriptionItem::new("prod_1", 1)]).unwrap())
        .build();
    let r = exchange(
        &server,
        &client,
        &sub,
        Canned::json(r#"{"respcd":"0000","data":{"subscription_id":"sub_1","state":"ACTIVE"}}"#),
        None,
    )
    .await;
    assert_eq!(r.data.unwrap().state, Some(SubscriptionState::Active));
    exchange(
        &server,
        &client,
        &UpdateSubscription::builder()
            .subscription_id("sub_1")
            .total_billing_cycles(3)
            .build(),
        Canned::json(r#"{"respcd":"0000"}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &QuerySubscriptions::builder()
            .subscription_id("sub_1")
            .build(),
        Canned::json(
            r#"{"respcd":"0000","data":[{"subscription_id":"sub_1","completed_iteration":1}]}"#,
        ),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &CancelSubscription::builder()
            .subscription_id("sub_1")
            .build(),
        Canned::json(r#"{"respcd":"0000"}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &ChargeSubscription::builder()
            .subscription_id("sub_1")
            .build(),
        Canned::json(r#"{"respcd":"0000"}"#),
        None,
    )
    .await;
    exchange(&server, &client, &ListBillingOrders::builder().subscription_id("sub_1").build(), Canned::json(r#"{"respcd":"0000","data":[{"subscription_order_id":"sub_ord_1_0001","trigger_by":"auto","sequence_no":1}]}"#), None).await;

    let s = syssn("20191126000300020081234567");
    exchange(
        &server,
        &client,
        &CustomsDeclare::weixin(s.clone(), "SHANGHAI_ZS", "110084111"),
        Canned::json(r#"{"respcd":"0000","syssn":"20191126000300020081234567"}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &CustomsQuery::builder().trade_type(CustomsTradeType::Weixin).customs("SHANGHAI_ZS").syssn(s.clone()).build(),
        Canned::json(r#"{"respcd":"0000","data":[{"resperr": "", "errmsg": null, "sub_order_no": "1", "verify_department": "OTHERS", "verify_department_trade_id": "42"}]}"#),
        None,
    )
    .await;
    exchange(
        &server,
        &client,
        &CustomsRedeclare::builder()
            .trade_type(CustomsTradeType::Weixin)
            .customs("SHANGHAI_ZS")
            .syssn(s)
            .mch_customs_no("110084111")
            .build(),
        Canned::json(r#"{"respcd":"0000"}"#),
        None,
    )
    .await;
}

#[tokio::test]
async fn a_payment_of_a_dedicated_pay_type_is_refused_before_sending() {
    let server = Server::start().await;
    let client = server.client().build().unwrap();
    let p = Payment::builder()
        .pay_type(PayType::WechatCpm)
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(OutTradeNo::new("O1").unwrap())
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    match client.call(&p).await {
        Err(Error::InvalidRequest { field, .. }) => assert_eq!(field, "pay_type"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
}
