//! The mock clock: advanced from Rust or over HTTP, it expires unpaid
//! orders and fires notification retries without real waiting.

mod common;

use std::time::Duration;

use common::*;
use qfpay::Client;
use qfpay::api::{ExpiredTime, Payment, Query};
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay_mock::{DeliveryState, OrderStatus};
use serde_json::Value;

async fn json(r: reqwest::Response) -> Value {
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

fn mpm(expired_time: Option<u32>) -> Payment {
    let mut p = Payment::builder()
        .pay_type(PayType::WechatMpm)
        .txamt(Amount::new(800))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::generate())
        .txdtm(TradeTime::now())
        .build();
    p.expired_time = expired_time.map(|m| ExpiredTime::minutes(m).unwrap());
    p
}

async fn respcd(client: &Client, syssn: &qfpay::types::Syssn) -> String {
    let q = client.call(&Query::by_syssn(syssn.clone())).await.unwrap();
    q.find_syssn(syssn.as_str())
        .map(|r| r.respcd.as_str().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn unpaid_orders_expire_after_their_expired_time_or_the_default_30_minutes() {
    let server = server().await;
    let client = typed_client(&server);
    let default = client.call(&mpm(None)).await.unwrap().syssn.unwrap();
    let short = client.call(&mpm(Some(5))).await.unwrap().syssn.unwrap();
    let paid = client.call(&mpm(Some(5))).await.unwrap().syssn.unwrap();
    server.pay(paid.as_str()).unwrap();
    assert_eq!(respcd(&client, &short).await, "1143");

    server.advance(Duration::from_secs(4 * 60));
    assert_eq!(respcd(&client, &short).await, "1143", "4 of 5 minutes");
    server.advance(Duration::from_secs(2 * 60));
    // 1181: order expired (reference §23.1).
    assert_eq!(respcd(&client, &short).await, "1181");
    assert_eq!(respcd(&client, &default).await, "1143", "6 of 30 minutes");
    assert!(
        server.pay(short.as_str()).is_err(),
        "an expired order cannot be paid"
    );
    assert_eq!(
        respcd(&client, &paid).await,
        "0000",
        "paid orders never expire"
    );

    server.advance(Duration::from_secs(25 * 60));
    assert_eq!(respcd(&client, &default).await, "1181");
    assert_eq!(
        server.order(default.as_str()).unwrap().status,
        OrderStatus::Expired
    );

    // "Let it expire" at once, whatever its time left.
    let now = client.call(&mpm(Some(120))).await.unwrap().syssn.unwrap();
    assert_eq!(
        server.expire(now.as_str()).unwrap().status,
        OrderStatus::Expired
    );
    assert_eq!(respcd(&client, &now).await, "1181");
    assert!(
        server.expire(paid.as_str()).is_err(),
        "a paid order does not expire"
    );
}

#[tokio::test]
async fn a_notification_retry_fires_when_the_clock_passes_its_gap() {
    // The receiver refuses the first attempt; QFPay's real schedule (2 min
    // before the second attempt) is kept: only the clock makes it due.
    let rx = Receiver::start(1).await;
    let server = builder().notify_time_scale(1.0).start().await.unwrap();
    let c = Caller::merchant(&server);
    let payment = c.pay_cpm_with_notify(&rx.url).await;
    let syssn = s(&payment, "syssn");
    let list = server
        .wait_for_notifications(Duration::from_secs(5), |l| {
            l.iter().any(|n| n.syssn == syssn && n.attempts.len() == 1)
        })
        .await;
    assert_eq!(list[0].state, DeliveryState::Pending);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.count(), 1, "no retry before its time");

    server.advance(Duration::from_secs(2 * 60));
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .expect("delivered after the advance");
    assert_eq!(n.state, DeliveryState::Delivered);
    assert_eq!(n.attempts.len(), 2);
    assert_eq!(rx.count(), 2);
    // Attempt times are on the mock clock: two minutes apart, at least.
    let at = |i: usize| {
        TradeTime::parse(&n.attempts[i].at)
            .unwrap()
            .to_primitive()
            .unwrap()
    };
    assert!(
        at(1) - at(0) >= time::Duration::minutes(2),
        "{:?}",
        n.attempts
    );
}

#[tokio::test]
async fn the_http_clock_endpoint_takes_seconds_in_the_form_body_or_the_query_string() {
    let server = server().await;
    let http = reqwest::Client::new();
    let get = |http: reqwest::Client, url: String| async move {
        let r = http.get(url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        json(r).await
    };
    let start = get(http.clone(), server.url("/__mock/clock")).await;
    assert_eq!(start["offset_seconds"], 0);

    let r = http
        .post(server.url("/__mock/clock/advance"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("seconds=3600")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["offset_seconds"], 3600);

    let r = http
        .post(server.url("/__mock/clock/advance?seconds=60"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = json(r).await;
    assert_eq!(after["offset_seconds"], 3660);
    let t = |v: &Value| {
        TradeTime::parse(v["now"].as_str().unwrap())
            .unwrap()
            .to_primitive()
            .unwrap()
    };
    assert!(t(&after) - t(&start) >= time::Duration::seconds(3660));
    assert_eq!(
        server.now().as_str()[..13],
        after["now"].as_str().unwrap()[..13]
    );

    let r = http
        .post(server.url("/__mock/clock/advance"))
        .body("seconds=soon")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
