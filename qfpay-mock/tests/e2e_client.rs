//! End to end: the SDK's `qfpay::Client` against the mock.

mod common;

use std::time::Duration;

use common::*;
use qfpay::api::{AddNote, Close, Note, Payment, Query, Refund, Reversal};
use qfpay::types::{
    Amount, AuthCode, Currency, GoodsName, NotifyUrl, OutTradeNo, PayType, Syssn, TradeTime,
};
use qfpay::{Client, Environment, Error, PaymentState, PollPolicy, RetryPolicy, SignType};
use qfpay_mock::{DeliveryState, Fault, FaultRule, MockServer, OrderStatus};

fn client(server: &MockServer, sign_type: SignType) -> Client {
    Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .sign_type(sign_type)
        .verify_response_signatures(true)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

fn agent(server: &MockServer) -> Client {
    Client::builder()
        .app_code(AGENT_APP)
        .client_key(AGENT_KEY)
        .mchid(MCHID)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .verify_response_signatures(true)
        .build()
        .expect("client builds")
}

fn fast_poll() -> PollPolicy {
    PollPolicy::new(Duration::from_millis(10), Duration::from_millis(20))
}

fn mpm(amount: u64) -> Payment {
    Payment::builder()
        .pay_type(PayType::WechatMpm)
        .txamt(Amount::new(amount))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::generate())
        .txdtm(TradeTime::now())
        .goods_name(GoodsName::new("咖啡").unwrap())
        .build()
}

fn cpm(amount: u64, auth_code: &str) -> qfpay::api::CpmPayment {
    Payment::cpm()
        .pay_type(PayType::WechatCpm)
        .auth_code(AuthCode::new(auth_code).unwrap())
        .txamt(Amount::new(amount))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::generate())
        .txdtm(TradeTime::now())
        .build()
}

fn refund(syssn: &Syssn, amount: u64) -> Refund {
    Refund::builder()
        .syssn(syssn.clone())
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(amount))
        .txdtm(TradeTime::now())
        .build()
}

#[tokio::test]
async fn mpm_pay_notify_query_refund_note() {
    let rx = Receiver::start(0).await;
    let server = builder().start().await.unwrap();
    for sign_type in [SignType::Sha256, SignType::Md5] {
        let client = client(&server, sign_type);
        let mut payment = mpm(1500);
        payment.notify_url = Some(NotifyUrl::new(rx.url.clone()).unwrap());
        let created = client.call(&payment).await.expect("payment created");
        assert!(created.qrcode.is_some());
        let syssn = created.syssn.clone().expect("syssn");
        assert_eq!(created.txamt, Some(Amount::new(1500)));

        let outcome = client
            .wait_for_payment_with(syssn.clone(), Duration::from_millis(50), fast_poll())
            .await
            .unwrap();
        assert!(
            matches!(outcome.state, PaymentState::Pending { .. }),
            "{outcome:?}"
        );

        server.pay(syssn.as_str()).unwrap();
        let n = server
            .wait_for_notification(syssn.as_str(), Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(n.state, DeliveryState::Delivered);

        let report = client
            .wait_for_payment_with(syssn.clone(), Duration::from_secs(5), fast_poll())
            .await
            .unwrap();
        assert_eq!(report.state, PaymentState::Paid);
        assert_eq!(report.syssn.as_ref(), Some(&syssn));
        let r = client.call(&refund(&syssn, 500)).await.expect("refund");
        assert_eq!(r.orig_syssn.as_ref(), Some(&syssn));
        let q = client.call(&Query::by_syssn(syssn.clone())).await.unwrap();
        let rec = q.find_syssn(syssn.as_str()).unwrap();
        assert_eq!(rec.cancel.as_ref().map(|c| c.as_str()), Some("5"));
        let note = AddNote::builder()
            .code(APP)
            .syssn(syssn.clone())
            .note(Note::new("table 4").unwrap())
            .build();
        let added = client.call(&note).await.expect("note");
        assert_eq!(added.syssn(), Some(&syssn));
        assert_eq!(
            server.order(syssn.as_str()).unwrap().note.as_deref(),
            Some("table 4")
        );
    }
    // payment + refund notifications for both runs, all verified by the receiver's caller
    assert_eq!(rx.count(), 4);
}

#[tokio::test]
async fn cpm_pending_scenario_resolves_by_polling() {
    let server = server().await;
    let client = client(&server, SignType::Sha256);
    let r = client
        .call(&cpm(100, "MOCK-PENDING-3"))
        .await
        .expect("pending is not an error");
    assert!(r.is_pending());
    let syssn = r.syssn.unwrap();
    let report = client
        .wait_for_payment_with(syssn, Duration::from_secs(5), fast_poll())
        .await
        .unwrap();
    assert_eq!(report.state, PaymentState::Paid);
    let r = client
        .call(&cpm(100, "MOCK-INSUFFICIENT"))
        .await
        .unwrap_err();
    assert_eq!(r.respcd().map(|c| c.as_str()), Some("1201"), "{r}");
}

#[tokio::test]
async fn api_errors_carry_the_respcd() {
    let server = server().await;
    let c = client(&server, SignType::Sha256);
    let paid = c.call(&cpm(1000, "1300000000")).await.unwrap();
    let syssn = paid.syssn.unwrap();
    let e = c.call(&refund(&syssn, 1001)).await.unwrap_err();
    assert_eq!(e.respcd().map(|c| c.as_str()), Some("1272"));
    // a paid order cannot be reversed
    let rev = Reversal::by_syssn(syssn.clone(), Amount::new(1000), TradeTime::now());
    let e = c.call(&rev).await.unwrap_err();
    assert_eq!(e.respcd().map(|c| c.as_str()), Some("1260"));
    // an unpaid one can be closed
    let created = c.call(&mpm(300)).await.unwrap();
    let close = Close::by_syssn(
        created.syssn.clone().unwrap(),
        Amount::new(300),
        TradeTime::now(),
    );
    c.call(&close).await.expect("closed");
    assert_eq!(
        server
            .order(created.syssn.unwrap().as_str())
            .unwrap()
            .status,
        OrderStatus::Closed
    );
    // the wrong key: a signature error
    let wrong = Client::builder()
        .app_code(APP)
        .client_key("WRONGKEY")
        .environment(Environment::Custom(server.base_url().to_owned()))
        .build()
        .unwrap();
    let e = wrong.call(&mpm(100)).await.unwrap_err();
    assert_eq!(e.respcd().map(|c| c.as_str()), Some("1108"), "{e}");
}

#[tokio::test]
async fn agent_client_sends_its_mchid() {
    let server = server().await;
    let a = agent(&server);
    let r = a.call(&mpm(100)).await.expect("agent payment");
    let order = server.order(r.syssn.unwrap().as_str()).unwrap();
    assert_eq!(order.mchid.as_deref(), Some(MCHID));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.params().get("mchid") == Some(MCHID))
    );
    // a plain merchant client against an agent app: refused
    let no_mchid = Client::builder()
        .app_code(AGENT_APP)
        .client_key(AGENT_KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .build()
        .unwrap();
    let e = no_mchid.call(&mpm(100)).await.unwrap_err();
    assert_eq!(e.respcd().map(|c| c.as_str()), Some("1104"));
}

#[tokio::test]
async fn transport_faults_map_to_typed_errors() {
    let server = server().await;
    let c = Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .verify_response_signatures(true)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    server.inject(Fault::TooManyRequests {
        retry_after_secs: Some(2),
    });
    match c.call(&mpm(100)).await.unwrap_err() {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(2)))
        }
        e => panic!("{e:?}"),
    }
    server.inject(Fault::Status { status: 503 });
    let e = c.call(&mpm(100)).await.unwrap_err();
    assert!(matches!(e, Error::Http { status: 503, .. }), "{e:?}");
    // A 5xx on a payment: the outcome is unknown, so not retryable.
    assert!(e.is_outcome_unknown() && !e.is_retryable(), "{e:?}");
    server.inject(Fault::WrongSignature);
    let e = c.call(&mpm(100)).await.unwrap_err();
    assert!(matches!(e, Error::ResponseSignature { .. }), "{e:?}");
    // the truncated body keeps the signature of the whole one: with
    // verification on, that mismatch may be reported first
    server.inject(Fault::TruncatedJson);
    let e = c.call(&mpm(100)).await.unwrap_err();
    assert!(
        matches!(e, Error::Decode { .. } | Error::ResponseSignature { .. }),
        "{e:?}"
    );
    server.inject(Fault::NonJson);
    let e = c.call(&mpm(100)).await.unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    server.inject(Fault::latency(Duration::from_secs(2)));
    let e = c.call(&mpm(100)).await.unwrap_err();
    assert!(e.is_outcome_unknown() && !e.is_retryable(), "{e:?}");
    server.inject(Fault::DropAfterProcessing);
    let mut payment = mpm(100);
    let otn = OutTradeNo::generate();
    payment.out_trade_no = otn.clone();
    let e = c.call(&payment).await.unwrap_err();
    assert!(e.is_outcome_unknown() && !e.is_retryable(), "{e:?}");
    // the outcome is unknown to the client; a query by out_trade_no finds it
    let q = c.call(&Query::by_out_trade_no(otn.clone())).await.unwrap();
    assert_eq!(q.find_out_trade_no(otn.as_str()).count(), 1);
}

#[tokio::test]
async fn idempotent_queries_are_retried_through_5xx() {
    let server = server().await;
    let c = client(&server, SignType::Sha256);
    let paid = c.call(&cpm(100, "1300000000")).await.unwrap();
    server.inject(
        FaultRule::new(Fault::Status { status: 502 })
            .on_path("/trade/v1/query")
            .times(2),
    );
    let q = c
        .call(&Query::by_syssn(paid.syssn.clone().unwrap()))
        .await
        .expect("third attempt succeeds");
    assert_eq!(q.data.len(), 1);
    let faults: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/trade/v1/query")
        .map(|r| r.fault)
        .collect();
    assert_eq!(
        faults,
        vec![Some("status 502".into()), Some("status 502".into()), None]
    );
}
