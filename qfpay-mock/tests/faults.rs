//! Fault injection, per request count and per path.

mod common;

use std::time::{Duration, Instant};

use common::*;
use qfpay::{ClientKey, SignType, Signature};
use qfpay_mock::{Fault, FaultRule};

/// A caller whose connections are never reused, so a dropped connection is
/// seen as such (and not retried on a pooled one).
fn fresh(server: &qfpay_mock::MockServer) -> Caller {
    let mut c = Caller::merchant(server);
    c.http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    c
}

async fn raw_pay(c: &Caller, otn: &str) -> Result<reqwest::Response, reqwest::Error> {
    let p = c.params(&[
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800101"),
        ("out_trade_no", otn),
        ("txdtm", &now()),
    ]);
    c.http
        .post(format!("{}/trade/v1/payment", c.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", c.sign(&p))
        .body(qfpay::form_body(&p))
        .send()
        .await
}

#[tokio::test]
async fn status_faults_are_not_processed() {
    let server = server().await;
    let c = fresh(&server);
    server.inject(Fault::TooManyRequests {
        retry_after_secs: Some(3),
    });
    let otn1 = otn();
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert!(server.order(&otn1).is_none());

    server.inject(Fault::Status { status: 503 });
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(server.order(&otn1).is_none());

    server.inject(Fault::NonJson);
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("<html>"));
    assert!(server.order(&otn1).is_none());

    // the fault was used up: the same request now goes through
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(server.order(&otn1).is_some());
    let recorded: Vec<_> = server.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        recorded,
        vec![
            Some("429".into()),
            Some("status 503".into()),
            Some("non_json".into()),
            None
        ]
    );
}

#[tokio::test]
async fn dropped_connections() {
    let server = server().await;
    let c = fresh(&server);
    server.inject(Fault::DropConnection);
    let otn1 = otn();
    let e = raw_pay(&c, &otn1).await.unwrap_err();
    assert!(!e.is_status() && !e.is_timeout(), "{e:?}");
    assert!(server.order(&otn1).is_none(), "not processed");

    server.inject(Fault::DropAfterProcessing);
    let otn2 = otn();
    assert!(raw_pay(&c, &otn2).await.is_err());
    // the payment exists: the client must query by out_trade_no to learn it
    let q = c.query(&[("out_trade_no", &otn2)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn spoiled_bodies_and_signatures() {
    let server = server().await;
    let c = fresh(&server);
    server.inject(Fault::TruncatedJson);
    let otn1 = otn();
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.bytes().await.unwrap();
    assert!(!body.is_empty());
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    assert!(server.order(&otn1).is_some(), "processed");

    server.inject(Fault::WrongSignature);
    let otn2 = otn();
    let r = raw_pay(&c, &otn2).await.unwrap();
    let sig = r.headers()["x-qf-sign"].to_str().unwrap().to_owned();
    let body = r.bytes().await.unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()["respcd"],
        "0000"
    );
    assert!(!Signature::compute(SignType::Md5, &body, &ClientKey::new(KEY)).matches_hex(&sig));
    // without the fault the signature matches
    let r = raw_pay(&c, &otn()).await.unwrap();
    let sig = r.headers()["x-qf-sign"].to_str().unwrap().to_owned();
    let body = r.bytes().await.unwrap();
    assert!(Signature::compute(SignType::Md5, &body, &ClientKey::new(KEY)).matches_hex(&sig));
}

#[tokio::test]
async fn latency_is_processed_and_delayed() {
    let server = server().await;
    let c = fresh(&server);
    server.inject(Fault::latency(Duration::from_millis(300)));
    let otn1 = otn();
    let t = Instant::now();
    let r = raw_pay(&c, &otn1).await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status(), 200);
    // a client timeout: the order exists anyway
    server.inject(Fault::latency(Duration::from_secs(2)));
    let mut quick = c.clone();
    quick.http = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let otn2 = otn();
    let e = raw_pay(&quick, &otn2).await.unwrap_err();
    assert!(e.is_timeout());
    assert!(server.order(&otn2).is_some());
}

#[tokio::test]
async fn rules_by_path_count_and_until_removed() {
    let server = server().await;
    let c = fresh(&server);
    let syssn = s(&c.pay_cpm(1000, "1300000000").await.json(), "syssn");
    server.inject(
        FaultRule::new(Fault::Status { status: 500 })
            .on_path("/trade/v1/refund")
            .times(2),
    );
    // other paths are untouched
    assert_eq!(c.pay(100, &[]).await.status, 200);
    assert_eq!(c.refund(&syssn, 10).await.status, 500);
    assert_eq!(c.refund(&syssn, 10).await.status, 500);
    assert_eq!(c.refund(&syssn, 10).await.respcd(), "0000");

    let id = server.inject(FaultRule::new(Fault::Status { status: 502 }).always());
    for _ in 0..3 {
        assert_eq!(c.pay(100, &[]).await.status, 502);
    }
    assert!(server.remove_fault(id));
    assert_eq!(c.pay(100, &[]).await.status, 200);
    // control paths are never faulted
    server.inject(FaultRule::new(Fault::DropConnection).always());
    let r = c
        .http
        .get(server.url("/__mock/orders"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    server.clear_faults();
    assert_eq!(c.pay(100, &[]).await.status, 200);
}

#[tokio::test]
async fn faults_over_http_control() {
    let server = server().await;
    let c = fresh(&server);
    let r = c
        .http
        .post(server.url("/__mock/faults"))
        .header("Content-Type", "application/json")
        .body(r#"{"fault": {"kind": "too_many_requests", "retry_after_secs": 1}, "path": "/trade/v1/payment", "times": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let listed: serde_json::Value = serde_json::from_slice(
        &c.http
            .get(server.url("/__mock/faults"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(c.pay(100, &[]).await.status, 429);
    assert_eq!(c.pay(100, &[]).await.status, 200);
    let r = c
        .http
        .post(server.url("/__mock/faults"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
