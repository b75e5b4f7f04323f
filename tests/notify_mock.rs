//! End to end with `qfpay-mock`: the mock pays an order and POSTs QFPay's
//! notification (Python-style JSON, `X-QF-SIGN`) to an axum receiver using
//! `VerifiedNotification`; retries until `200 SUCCESS`.

mod notify_common;

use std::time::Duration;

use notify_common::Receiver;
use qfpay::api::{Payment, Refund};
use qfpay::notify::Notification;
use qfpay::types::{Amount, Currency, GoodsName, OutTradeNo, PayType, Syssn, TradeTime};
use qfpay::{Client, Environment};
use qfpay_mock::{DeliveryState, MockServer};

const APP: &str = "NOTIFYTEST0000000000000000000APP";
const KEY: &str = "NOTIFY-TEST-KEY-00000000000000000";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// Creates an MPM payment (unpaid until `server.pay`) and returns its syssn.
async fn create_payment(client: &Client, amount: u64) -> (Syssn, OutTradeNo) {
    let out_trade_no = OutTradeNo::generate();
    let payment = Payment::builder()
        .pay_type(PayType::WechatMpm)
        .txamt(Amount::new(amount))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(out_trade_no.clone())
        .txdtm(TradeTime::now())
        .goods_name(GoodsName::new("咖啡😀").unwrap())
        .build();
    let created = client.call(&payment).await.expect("payment created");
    (created.syssn.expect("syssn"), out_trade_no)
}

#[tokio::test]
async fn the_mock_s_payment_and_refund_notifications_verify() {
    let rx = Receiver::start(KEY, 0).await;
    let server = MockServer::builder()
        .app(APP, KEY, None)
        .notify_url(&rx.url)
        .notify_time_scale(0.001)
        .start()
        .await
        .unwrap();
    let client = client(&server);
    let (syssn, out_trade_no) = create_payment(&client, 1234).await;
    assert_eq!(rx.calls(), 0, "nothing is notified before payment");

    server.pay(syssn.as_str()).unwrap();
    let n = server
        .wait_for_notification(syssn.as_str(), Duration::from_secs(10))
        .await
        .expect("delivered");
    assert_eq!(n.state, DeliveryState::Delivered, "{n:?}");
    assert_eq!(n.attempts.len(), 1);
    assert_eq!(n.attempts[0].status, Some(200));
    assert_eq!(n.attempts[0].response_body, "SUCCESS");
    // The mock wrote Python-style escapes; the receiver verified those bytes.
    assert!(n.body.contains(r#"\u5496\u5561\ud83d\ude00"#), "{}", n.body);

    let seen = rx.seen();
    assert_eq!(seen.len(), 1);
    let Notification::Payment(p) = &seen[0] else {
        panic!("{seen:?}")
    };
    assert_eq!(p.syssn, syssn);
    assert_eq!(p.out_trade_no, out_trade_no);
    assert_eq!(p.txamt, Amount::new(1234));
    assert_eq!(p.txcurrcd, Currency::from_code("HKD"));
    assert_eq!(p.pay_type, PayType::WechatMpm);
    assert_eq!(p.goods_name, "咖啡😀");
    assert!(p.is_success());
    assert!(p.cancel.is_not_cancelled());
    assert!(p.sysdtm.is_some() && p.paydtm.is_some() && p.txdtm.is_some());
    assert_eq!(
        seen[0].dedup_key(),
        Some((syssn.as_str().to_owned(), "payment".to_owned()))
    );

    let refund = Refund::builder()
        .syssn(syssn.clone())
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(234))
        .txdtm(TradeTime::now())
        .build();
    let refunded = client.call(&refund).await.expect("refund");
    let refund_syssn = refunded.syssn.expect("refund syssn");
    let n = server
        .wait_for_notification(refund_syssn.as_str(), Duration::from_secs(10))
        .await
        .expect("delivered");
    assert_eq!(n.state, DeliveryState::Delivered, "{n:?}");
    let seen = rx.seen();
    assert_eq!(seen.len(), 2);
    let Notification::Refund(r) = &seen[1] else {
        panic!("{seen:?}")
    };
    assert_eq!(r.syssn, refund_syssn);
    assert_eq!(r.txamt, Amount::new(234));
    assert_ne!(seen[0].dedup_key(), seen[1].dedup_key());
    server.shutdown().await;
}

#[tokio::test]
async fn retried_until_success_then_stopped() {
    // The receiver's handler fails twice (500), then answers SUCCESS.
    let rx = Receiver::start(KEY, 2).await;
    let server = MockServer::builder()
        .app(APP, KEY, None)
        .notify_url(&rx.url)
        .notify_time_scale(0.001) // 2 min → 120 ms, 10 min → 600 ms
        .start()
        .await
        .unwrap();
    let client = client(&server);
    let (syssn, _) = create_payment(&client, 500).await;
    server.pay(syssn.as_str()).unwrap();
    let n = server
        .wait_for_notification(syssn.as_str(), Duration::from_secs(20))
        .await
        .expect("delivered");
    assert_eq!(n.state, DeliveryState::Delivered, "{n:?}");
    let statuses: Vec<_> = n.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)], "{n:?}");
    assert_eq!(n.attempts[2].response_body, "SUCCESS");

    // The same event three times: what deduplication is for.
    let seen = rx.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|e| e == &seen[0]));
    let keys: std::collections::HashSet<_> = seen.iter().map(Notification::dedup_key).collect();
    assert_eq!(keys.len(), 1);

    // Nothing after SUCCESS (the next gap would be 60 min × 0.001 = 3.6 s;
    // a wrongly scheduled attempt would come after 0.6 s).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(rx.calls(), 3);
    let after = server.notifications();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].attempts.len(), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn a_receiver_with_the_wrong_key_refuses_every_attempt() {
    let rx = Receiver::start("NOT-THE-KEY", 0).await;
    let server = MockServer::builder()
        .app(APP, KEY, None)
        .notify_url(&rx.url)
        .notify_time_scale(0.00001) // the whole ~24 h schedule in ~0.9 s
        .start()
        .await
        .unwrap();
    let client = client(&server);
    let (syssn, _) = create_payment(&client, 700).await;
    server.pay(syssn.as_str()).unwrap();
    let n = server
        .wait_for_notification(syssn.as_str(), Duration::from_secs(30))
        .await
        .expect("finished");
    assert_eq!(n.state, DeliveryState::GaveUp, "{n:?}");
    assert_eq!(n.attempts.len(), 8);
    assert!(n.attempts.iter().all(|a| a.status == Some(401)), "{n:?}");
    assert_eq!(rx.calls(), 0, "the handler never saw a forged notification");
    server.shutdown().await;
}
