//! Pre-authorisation (reference §15) through the SDK's typed client: a hold
//! is captured once within its amount, released once, refused otherwise,
//! and each step is notified.

mod common;

use std::time::Duration;

use common::*;
use qfpay::Client;
use qfpay::api::{AuthTrade, Payment, Query, Refund, Unfreeze};
use qfpay::types::{Amount, Currency, NotifyUrl, OutTradeNo, PayType, Syssn, TradeTime};
use qfpay_mock::{DeliveryState, MockServer};

/// An Alipay pre-auth freeze of `amount`, authorised by the customer.
async fn hold(
    server: &MockServer,
    client: &Client,
    amount: u64,
    rx: &Receiver,
) -> (Syssn, OutTradeNo) {
    let otn = OutTradeNo::generate();
    let freeze = Payment::builder()
        .pay_type(PayType::AlipayPreAuth801808)
        .txamt(Amount::new(amount))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(otn.clone())
        .txdtm(TradeTime::now())
        .notify_url(NotifyUrl::new(rx.url.clone()).unwrap())
        .build();
    let created = client.call(&freeze).await.expect("freeze created");
    let syssn = created.syssn.expect("syssn");
    server.pay(syssn.as_str()).expect("the customer authorises");
    (syssn, otn)
}

fn capture(syssn: &Syssn, amount: u64) -> AuthTrade {
    AuthTrade::builder()
        .syssn(syssn.clone())
        .txamt(Amount::new(amount))
        .build()
}

fn release(syssn: &Syssn, otn: &OutTradeNo, amount: u64) -> Unfreeze {
    Unfreeze::builder()
        .syssn(syssn.clone())
        .out_trade_no(otn.clone())
        .txamt(Amount::new(amount))
        .txdtm(TradeTime::now())
        .build()
}

#[tokio::test]
async fn hold_capture_once_within_the_amount_then_release_the_rest_with_notification() {
    let rx = Receiver::start(0).await;
    let server = server().await;
    let client = typed_client(&server);
    let (syssn, otn) = hold(&server, &client, 1000, &rx).await;

    // The hold itself is not refundable: the capture is (§15.1).
    let refund = Refund::builder()
        .syssn(syssn.clone())
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(100))
        .txdtm(TradeTime::now())
        .build();
    assert_eq!(respcd_of(client.call(&refund).await.unwrap_err()), "1155");

    // More than is held: 1266 (amount wrong).
    assert_eq!(
        respcd_of(client.call(&capture(&syssn, 1001)).await.unwrap_err()),
        "1266"
    );
    // A partial capture: its own syssn, the hold's as orig_syssn.
    let captured = client.call(&capture(&syssn, 600)).await.expect("capture");
    let csyssn = captured.syssn.clone().expect("capture syssn");
    assert_ne!(csyssn, syssn);
    assert_eq!(captured.orig_syssn.as_ref(), Some(&syssn));
    assert_eq!(captured.txamt, Some(Amount::new(600)));
    // Captured once: a second capture is refused (1260, already paid).
    assert_eq!(
        respcd_of(client.call(&capture(&syssn, 100)).await.unwrap_err()),
        "1260"
    );
    // The capture is a paid payment, visible by query and refundable.
    let q = client.call(&Query::by_syssn(csyssn.clone())).await.unwrap();
    assert_eq!(
        q.find_syssn(csyssn.as_str()).unwrap().respcd.as_str(),
        "0000"
    );
    let refund = Refund::builder()
        .syssn(csyssn.clone())
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(600))
        .txdtm(TradeTime::now())
        .build();
    client.call(&refund).await.expect("the capture refunds");

    // Release: only the uncaptured 400, against the original order number.
    assert_eq!(
        respcd_of(client.call(&release(&syssn, &otn, 1000)).await.unwrap_err()),
        "1266"
    );
    assert_eq!(
        respcd_of(
            client
                .call(&release(&syssn, &OutTradeNo::generate(), 400))
                .await
                .unwrap_err()
        ),
        "1267"
    );
    let released = client
        .call(&release(&syssn, &otn, 400))
        .await
        .expect("release");
    let rsyssn = released.syssn.clone().expect("release syssn");
    assert_eq!(released.orig_syssn.as_ref(), Some(&syssn));
    // Once; and nothing is captured from a released hold.
    assert_eq!(
        respcd_of(client.call(&release(&syssn, &otn, 400)).await.unwrap_err()),
        "1136"
    );
    assert_eq!(
        respcd_of(client.call(&capture(&syssn, 1)).await.unwrap_err()),
        "1136"
    );

    // Notifications: the freeze (payment), the capture (payment), the
    // refund, the release (unfreeze) — every one delivered.
    let list = server
        .wait_for_notifications(Duration::from_secs(5), |l| {
            l.len() == 4 && l.iter().all(|n| n.state == DeliveryState::Delivered)
        })
        .await;
    let kinds: Vec<_> = list
        .iter()
        .map(|n| (n.notify_type.as_str(), n.syssn.clone()))
        .collect();
    assert!(
        kinds.contains(&("payment", csyssn.as_str().to_owned())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("unfreeze", rsyssn.as_str().to_owned())),
        "{kinds:?}"
    );
    let unfreeze = list.iter().find(|n| n.notify_type == "unfreeze").unwrap();
    let event = qfpay::notify::Notification::from_json(unfreeze.body.as_bytes()).unwrap();
    assert_eq!(event.notify_type(), Some("unfreeze"));
    let body: serde_json::Value = serde_json::from_str(&unfreeze.body).unwrap();
    assert_eq!(body["txamt"], "400");
    assert_eq!(body["out_trade_no"], otn.as_str());
    assert_eq!(rx.count(), 4);
}

#[tokio::test]
async fn a_hold_not_yet_authorised_or_unknown_is_refused() {
    let server = server().await;
    let client = typed_client(&server);
    let freeze = Payment::builder()
        .pay_type(PayType::AlipayPreAuth801808)
        .txamt(Amount::new(500))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::generate())
        .txdtm(TradeTime::now())
        .build();
    let syssn = client.call(&freeze).await.unwrap().syssn.unwrap();
    assert_eq!(
        respcd_of(client.call(&capture(&syssn, 100)).await.unwrap_err()),
        "1261"
    );
    let unknown = Syssn::new("20250101000200020000009999").unwrap();
    assert_eq!(
        respcd_of(client.call(&capture(&unknown, 100)).await.unwrap_err()),
        "1268"
    );
    // An ordinary payment is no pre-authorisation.
    let paid = server
        .seed_order(qfpay_mock::SeedOrder::paid(
            "20250101000200020000000042",
            800,
        ))
        .unwrap();
    let paid = Syssn::new(paid.syssn).unwrap();
    assert_eq!(
        respcd_of(client.call(&capture(&paid, 100)).await.unwrap_err()),
        "1136"
    );
}
