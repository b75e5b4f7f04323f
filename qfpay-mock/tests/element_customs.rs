//! Payment Element intents become payments when the mock's customer pays
//! them (§18); customs declarations are stored, queried and re-declared
//! (§20). Through the SDK's typed client.

mod common;

use std::time::Duration;

use common::*;
use qfpay::api::{CreatePaymentIntent, CustomsDeclare, CustomsQuery, CustomsRedeclare, Query};
use qfpay::types::{
    Amount, Currency, CustomsActionType, CustomsTradeType, NotifyUrl, OutTradeNo, PayType, Syssn,
};
use qfpay_mock::{DeliveryState, MockError, OrderStatus, SeedOrder};

#[tokio::test]
async fn a_payment_intent_paid_by_the_customer_is_a_paid_payment() {
    let rx = Receiver::start(0).await;
    let server = server().await;
    let client = typed_client(&server);
    let otn = OutTradeNo::generate();
    let intent = CreatePaymentIntent::builder()
        .txamt(Amount::new(2500))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::from_code("802801"))
        .out_trade_no(otn.clone())
        .notify_url(NotifyUrl::new(rx.url.clone()).unwrap())
        .build();
    let created = client.call(&intent).await.expect("intent");
    assert_eq!(created.payment_intent.len(), 32);
    assert!(created.intent_expiry.is_some());
    // Its order number is taken: a second intent with it is refused.
    assert_eq!(respcd_of(client.call(&intent).await.unwrap_err()), "2011");
    // Nothing to find before the customer pays.
    let q = client
        .call(&Query::by_out_trade_no(otn.clone()))
        .await
        .unwrap();
    assert!(q.data.is_empty());

    let paid = server
        .pay(&created.payment_intent)
        .expect("the customer pays");
    assert_eq!(paid.status, OrderStatus::Succeeded);
    assert_eq!((paid.txamt, paid.pay_type.as_str()), (2500, "802801"));
    let q = client
        .call(&Query::by_out_trade_no(otn.clone()))
        .await
        .unwrap();
    let rec = q.data.first().expect("the payment");
    assert_eq!(rec.respcd.as_str(), "0000");
    assert_eq!(
        rec.syssn.as_ref().map(Syssn::as_str),
        Some(paid.syssn.as_str())
    );
    let n = server
        .wait_for_notification(&paid.syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(
        (n.notify_type.as_str(), n.state),
        ("payment", DeliveryState::Delivered)
    );
    assert_eq!(rx.count(), 1);
    // Paid once.
    assert!(matches!(
        server.pay(&created.payment_intent),
        Err(MockError::Intent(_))
    ));
    assert!(matches!(
        server.pay(otn.as_str()),
        Err(MockError::NotPayable { .. })
    ));
}

#[tokio::test]
async fn an_unused_intent_expires_after_a_day_on_the_mock_clock() {
    let server = server().await;
    let client = typed_client(&server);
    let intent = CreatePaymentIntent::builder()
        .txamt(Amount::new(100))
        .pay_type(PayType::from_code("802801"))
        .out_trade_no(OutTradeNo::generate())
        .build();
    let id = client.call(&intent).await.unwrap().payment_intent;
    server.advance(Duration::from_secs(24 * 3600 + 1));
    let e = server.pay(&id).unwrap_err();
    assert!(e.to_string().contains("expired"), "{e}");
}

fn declaration(syssn: &Syssn, action: Option<CustomsActionType>) -> CustomsDeclare {
    let mut d = CustomsDeclare::weixin(syssn.clone(), "SHANGHAI_ZS", "110084111");
    d.action_type = action;
    d
}

fn query(syssn: &Syssn) -> CustomsQuery {
    CustomsQuery::builder()
        .trade_type(CustomsTradeType::Weixin)
        .customs("SHANGHAI_ZS")
        .syssn(syssn.clone())
        .build()
}

fn redeclare(syssn: &Syssn, mch_customs_no: &str) -> CustomsRedeclare {
    CustomsRedeclare::builder()
        .trade_type(CustomsTradeType::Weixin)
        .customs("SHANGHAI_ZS")
        .syssn(syssn.clone())
        .mch_customs_no(mch_customs_no)
        .build()
}

#[tokio::test]
async fn customs_declarations_are_stored_queried_and_redeclared() {
    let server = server().await;
    let client = typed_client(&server);
    let paid = server
        .seed_order(SeedOrder::paid("20250301000200020000000777", 5000).currency("CNY"))
        .unwrap();
    let syssn = Syssn::new(paid.syssn.clone()).unwrap();

    // Nothing declared yet: query finds nothing (1268).
    assert_eq!(
        respcd_of(client.call(&query(&syssn)).await.unwrap_err()),
        "1268"
    );
    let r = client
        .call(&declaration(&syssn, None))
        .await
        .expect("declared");
    assert_eq!(r.syssn.as_ref(), Some(&syssn));
    assert_eq!(r.verify_department, "OTHERS");
    let q = client.call(&query(&syssn)).await.unwrap();
    assert_eq!(q.data.len(), 1);
    assert_eq!(q.data[0].verify_department_trade_id, paid.chnlsn);

    // Declared again: only as a modification.
    let again = declaration(&syssn, Some(CustomsActionType::Add));
    assert_eq!(respcd_of(client.call(&again).await.unwrap_err()), "1102");
    let modify = declaration(&syssn, Some(CustomsActionType::Modify));
    client.call(&modify).await.expect("modified");
    assert_eq!(client.call(&query(&syssn)).await.unwrap().data.len(), 1);

    // Re-pushed: counted; with another registration number refused (1267).
    client
        .call(&redeclare(&syssn, "110084111"))
        .await
        .expect("redeclared");
    let q = client.call(&query(&syssn)).await.unwrap();
    assert_eq!(q.data[0].extra.text("redeclared").as_deref(), Some("1"));
    assert_eq!(
        respcd_of(client.call(&redeclare(&syssn, "999")).await.unwrap_err()),
        "1267"
    );

    // A split order is a declaration of its own.
    let mut split = declaration(&syssn, None);
    split.sub_order_no = Some("SUB-1".into());
    split.order_fee = Some(3000);
    split.product_fee = Some(2500);
    split.transport_fee = Some(500);
    client.call(&split).await.expect("sub-order declared");
    assert_eq!(client.call(&query(&syssn)).await.unwrap().data.len(), 2);
    split.sub_order_no = Some("SUB-2".into());
    split.transport_fee = Some(400);
    assert_eq!(respcd_of(client.call(&split).await.unwrap_err()), "1104");

    // Unknown or unpaid payments cannot be declared.
    let unknown = Syssn::new("20250301000200020000000999").unwrap();
    assert_eq!(
        respcd_of(client.call(&declaration(&unknown, None)).await.unwrap_err()),
        "1268"
    );
    // Redeclaring what was never declared: 1268.
    let other = server
        .seed_order(SeedOrder::paid("20250301000200020000000778", 100))
        .unwrap();
    let other = Syssn::new(other.syssn).unwrap();
    assert_eq!(
        respcd_of(
            client
                .call(&redeclare(&other, "110084111"))
                .await
                .unwrap_err()
        ),
        "1268"
    );
}
