//! The scenario table of the README.

mod common;

use std::time::{Duration, Instant};

use common::*;
use qfpay_mock::OrderStatus;

#[tokio::test]
async fn cpm_pending_is_paid_on_the_nth_query() {
    let server = server().await;
    let c = Caller::merchant(&server);
    for (code, respcd, n) in [
        ("MOCK-PENDING", "1143", 2),
        ("MOCK-PROCESSING-3", "1145", 3),
        ("mock-confirm-later-1", "1298", 1),
    ] {
        let j = c.pay_cpm(100, code).await.json();
        assert_eq!(j["respcd"], respcd, "{code}: {j}");
        let syssn = s(&j, "syssn");
        for i in 1..n {
            let q = c.query(&[("syssn", &syssn)]).await;
            assert_eq!(q["data"][0]["respcd"], respcd, "{code}: query {i}");
        }
        let q = c.query(&[("syssn", &syssn)]).await;
        assert_eq!(q["data"][0]["respcd"], "0000", "{code}: query {n}");
        assert!(server.order(&syssn).unwrap().status.is_success());
    }
}

#[tokio::test]
async fn amount_1143_pends_for_cpm_and_mpm() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let cpm = c.pay_cpm(1143, "1300000000").await.json();
    assert_eq!(cpm["respcd"], "1143");
    let mpm = c.pay(1143, &[]).await.json();
    assert_eq!(mpm["respcd"], "0000", "MPM creation succeeds");
    for j in [cpm, mpm] {
        let syssn = s(&j, "syssn");
        assert_eq!(
            c.query(&[("syssn", &syssn)]).await["data"][0]["respcd"],
            "1143"
        );
        assert_eq!(
            c.query(&[("syssn", &syssn)]).await["data"][0]["respcd"],
            "0000"
        );
    }
}

#[tokio::test]
async fn never_paid_stays_pending_until_paid() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(100, "MOCK-NEVER-PAID").await.json();
    let syssn = s(&j, "syssn");
    for _ in 0..5 {
        assert_eq!(
            c.query(&[("syssn", &syssn)]).await["data"][0]["respcd"],
            "1143"
        );
    }
    assert!(server.pay(&syssn).unwrap().status.is_success());
}

#[tokio::test]
async fn failures_by_auth_code_and_amount() {
    let server = server().await;
    let c = Caller::merchant(&server);
    for (code, respcd) in [
        ("MOCK-INSUFFICIENT", "1201"),
        ("MOCK-EXPIRED", "1202"),
        ("MOCK-INVALID", "2005"),
        ("MOCK-DECLINED", "1205"),
        ("MOCK-BANK-BUSY", "1297"),
    ] {
        let j = c.pay_cpm(100, code).await.json();
        assert_eq!(j["respcd"], respcd, "{code}");
        let syssn = s(&j, "syssn");
        assert_eq!(
            c.query(&[("syssn", &syssn)]).await["data"][0]["respcd"],
            respcd
        );
        assert_eq!(
            server.order(&syssn).unwrap().status,
            OrderStatus::Failed {
                respcd: respcd.into()
            }
        );
    }
    for amount in [1181u64, 1201, 1202, 1205, 1297, 2005] {
        let j = c.pay_cpm(amount, "1300000000").await.json();
        assert_eq!(j["respcd"], amount.to_string().as_str());
        // MPM: created, then the customer's payment fails
        let j = c.pay(amount, &[]).await.json();
        assert_eq!(j["respcd"], "0000");
        let order = server.pay(&s(&j, "syssn")).unwrap();
        assert_eq!(
            order.status,
            OrderStatus::Failed {
                respcd: amount.to_string()
            }
        );
    }
    // no failure is ever notified
    assert!(server.notifications().iter().all(|n| {
        server
            .order(&n.syssn)
            .is_some_and(|o| o.status.is_success())
    }));
}

#[tokio::test]
async fn slow_replies() {
    let server = builder()
        .slow_reply(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let t = Instant::now();
    let j = c.pay_cpm(100, "MOCK-SLOW-400").await.json();
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(j["respcd"], "0000");
    let t = Instant::now();
    let j = c.pay(1295, &[]).await.json();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(j["respcd"], "0000");
}

#[tokio::test]
async fn scenarios_can_be_turned_off() {
    let server = builder().scenarios(false).start().await.unwrap();
    let c = Caller::merchant(&server);
    assert_eq!(c.pay_cpm(1201, "MOCK-PENDING").await.respcd(), "0000");
}

#[tokio::test]
async fn auto_paid_orders_are_notified() {
    let rx = Receiver::start(0).await;
    let server = builder().notify_url(&rx.url).start().await.unwrap();
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(100, "MOCK-PENDING-1").await.json();
    let syssn = s(&j, "syssn");
    assert!(server.notifications().is_empty());
    c.query(&[("syssn", &syssn)]).await;
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(n.state, qfpay_mock::DeliveryState::Delivered);
}
