//! Notifications (reference §22): delivered, signed, retried, stopped at SUCCESS.

mod common;

use std::time::{Duration, Instant};

use common::*;
use qfpay::{ClientKey, SignType, Signature};
use qfpay_mock::{DeliveryState, MockServer, RETRY_SCHEDULE};
use serde_json::Value;

fn check_signature(sig: &Option<String>, body: &[u8], key: &str) {
    let sig = sig.as_deref().expect("X-QF-SIGN sent");
    let expected = Signature::compute(SignType::Md5, body, &ClientKey::new(key));
    assert_eq!(sig, expected.to_string(), "upper-case MD5(body ‖ key)");
}

#[tokio::test]
async fn payment_notification_is_signed_python_style_json() {
    let rx = Receiver::start(0).await;
    let server = builder().notify_url(&rx.url).start().await.unwrap();
    let c = Caller::merchant(&server);
    let j = c
        .pay(1234, &[("goods_name", "咖啡😀"), ("pay_type", "800201")])
        .await
        .json();
    let syssn = s(&j, "syssn");
    server.pay(&syssn).unwrap();
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(n.state, DeliveryState::Delivered);
    assert_eq!(n.attempts.len(), 1);
    assert_eq!(n.attempts[0].status, Some(200));
    let got = rx.bodies();
    assert_eq!(got.len(), 1);
    let (sig, body) = &got[0];
    check_signature(sig, body, KEY);
    assert_eq!(body, n.body.as_bytes());
    let text = std::str::from_utf8(body).unwrap();
    assert!(text.is_ascii());
    assert!(
        text.starts_with(r#"{"status": "1", "pay_type": "800201", "#),
        "{text}"
    );
    assert!(
        text.contains(r#""goods_name": "\u5496\u5561\ud83d\ude00""#),
        "{text}"
    );
    let v: Value = serde_json::from_str(text).unwrap();
    for field in [
        "status",
        "notify_type",
        "pay_type",
        "sysdtm",
        "paydtm",
        "txcurrcd",
        "txdtm",
        "txamt",
        "out_trade_no",
        "syssn",
        "cancel",
        "respcd",
    ] {
        assert!(v[field].is_string(), "{field} in {text}");
    }
    assert_eq!(v["notify_type"], "payment");
    assert_eq!(v["txamt"], "1234");
    assert_eq!(v["respcd"], "0000");
    assert_eq!(v["syssn"], syssn.as_str());
    assert_eq!(v["goods_name"], "咖啡😀");
    assert!(v.get("mchid").is_none(), "mchid only for agents");
}

#[tokio::test]
async fn refund_notification_and_agent_mchid() {
    let rx = Receiver::start(0).await;
    let server = builder().notify_url(&rx.url).start().await.unwrap();
    let c = Caller::agent(&server);
    let j = c.pay_cpm(500, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let r = c.refund(&syssn, 200).await.json();
    let rsyssn = s(&r, "syssn");
    let n = server
        .wait_for_notification(&rsyssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(n.notify_type, "refund");
    assert_eq!(n.state, DeliveryState::Delivered);
    let v: Value = serde_json::from_str(&n.body).unwrap();
    assert_eq!(v["notify_type"], "refund");
    assert_eq!(v["txamt"], "200");
    assert_eq!(v["mchid"], MCHID);
    let bodies = rx.bodies();
    assert_eq!(bodies.len(), 2);
    for (sig, body) in &bodies {
        check_signature(sig, body, AGENT_KEY);
    }
}

#[tokio::test]
async fn retried_until_success_then_stopped() {
    let rx = Receiver::start(3).await; // 500, "FAIL", 500, then SUCCESS
    let server = builder()
        .notify_url(&rx.url)
        .notify_time_scale(0.0001)
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(100, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let t = Instant::now();
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(n.state, DeliveryState::Delivered, "{n:?}");
    assert_eq!(n.attempts.len(), 4);
    assert_eq!(n.attempts[0].status, Some(500));
    assert_eq!(n.attempts[1].response_body, "FAIL");
    // gaps follow the schedule, scaled: 2 min + 10 min + 10 min = 1320 s × 0.0001 = 132 ms
    assert!(
        t.elapsed() >= Duration::from_millis(130),
        "{:?}",
        t.elapsed()
    );
    // every attempt carries the same body and signature
    let bodies = rx.bodies();
    assert_eq!(bodies.len(), 4);
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.count(), 4, "no attempt after SUCCESS");
}

#[tokio::test]
async fn gives_up_after_eight_attempts() {
    assert_eq!(RETRY_SCHEDULE.len(), 7);
    let total: Duration = RETRY_SCHEDULE.iter().sum();
    assert_eq!(total, Duration::from_secs(24 * 3600 + 22 * 60));
    let rx = Receiver::start(usize::MAX).await;
    let server = builder()
        .notify_url(&rx.url)
        .notify_time_scale(0.00001)
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(100, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(n.state, DeliveryState::GaveUp);
    assert_eq!(n.attempts.len(), 8);
    assert_eq!(rx.count(), 8);
}

#[tokio::test]
async fn unreachable_receiver_is_recorded_as_errors() {
    // a port nobody listens on
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/notify", l.local_addr().unwrap());
    drop(l);
    let server = builder()
        .notify_url(&url)
        .notify_time_scale(0.0)
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let syssn = s(&c.pay_cpm(100, "1300000000").await.json(), "syssn");
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(n.state, DeliveryState::GaveUp);
    assert!(
        n.attempts
            .iter()
            .all(|a| a.status.is_none() && a.error.is_some())
    );
}

#[tokio::test]
async fn request_notify_url_is_used_when_on_loopback() {
    let configured = Receiver::start(0).await;
    let per_order = Receiver::start(0).await;
    let server = builder().notify_url(&configured.url).start().await.unwrap();
    let c = Caller::merchant(&server);
    let a = c.pay_cpm_with_notify(&per_order.url).await;
    let syssn = s(&a, "syssn");
    server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(per_order.count(), 1);
    assert_eq!(configured.count(), 0);
    // a remote per-order URL is not contacted: the configured one is used
    let a = c
        .pay_cpm_with_notify("https://merchant.example/notify")
        .await;
    let syssn = s(&a, "syssn");
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(n.url.as_deref(), Some(configured.url.as_str()));
    assert_eq!(configured.count(), 1);
}

#[tokio::test]
async fn without_url_nothing_is_sent() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let syssn = s(&c.pay_cpm(100, "1300000000").await.json(), "syssn");
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(n.state, DeliveryState::NoUrl);
    assert!(n.attempts.is_empty());
    assert!(!n.signature.is_empty());
}

#[tokio::test]
async fn shutdown_cancels_pending_retries() {
    let rx = Receiver::start(usize::MAX).await;
    let server: MockServer = builder()
        .notify_url(&rx.url)
        .notify_time_scale(1.0)
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let syssn = s(&c.pay_cpm(100, "1300000000").await.json(), "syssn");
    // the first attempt fails; the next is 2 minutes away
    let list = server
        .wait_for_notifications(Duration::from_secs(5), |l| {
            l.iter().any(|n| !n.attempts.is_empty())
        })
        .await;
    assert_eq!(list[0].syssn, syssn);
    assert_eq!(list[0].state, DeliveryState::Pending);
    let t = Instant::now();
    server.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(5));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(rx.count(), 1);
}
