//! Per-call options against the mock: a view made with `with_options` /
//! `for_mchid` sends its `mchid` (signed: the mock verifies it) and its extra
//! headers, its timeout fires, it works through the outcome helpers, and an
//! endpoint that never takes `mchid` is refused before anything is sent.

mod robust_common;

use std::time::{Duration, Instant};

use qfpay::api::{AddNote, Note};
use qfpay::types::MchId;
use qfpay::{BuildError, CallOptions, Client, ClientKey, Environment, Error, PaymentState};
use qfpay_mock::{App, Fault, FaultRule, MockServer};
use robust_common::*;

const AGENT: &str = "AGENT000000000000000000000000002";
const AGENT_KEY: &str = "AGENTKEY-options-5d1c9e";
const SHOP_A: &str = "ShopA00001";
const SHOP_B: &str = "ShopB00002";

async fn agent_mock() -> MockServer {
    MockServer::builder()
        .add_app(App::new(AGENT, AGENT_KEY).mchid(SHOP_A).mchid(SHOP_B))
        .notify_time_scale(0.0)
        .start()
        .await
        .unwrap()
}

fn agent(server: &MockServer) -> Client {
    Client::builder()
        .app_code(AGENT)
        .client_key(ClientKey::new(AGENT_KEY))
        .mchid(SHOP_A)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn shop_b() -> MchId {
    MchId::new(SHOP_B).unwrap()
}

#[tokio::test]
async fn a_per_call_mchid_is_sent_signed_and_acts_for_that_merchant() {
    let server = agent_mock().await;
    let agent = agent(&server);
    let b = agent.for_mchid(shop_b());
    assert_eq!(b.mchid().map(MchId::as_str), Some(SHOP_B));
    assert_eq!(agent.mchid().map(MchId::as_str), Some(SHOP_A));

    let order = otn();
    let paid = within(10, b.call(&cpm(&order, 700))).await.unwrap();
    assert!(paid.is_accepted(), "{paid:?}");
    let sent = received(&server, "/trade/v1/payment");
    assert_eq!(param(&sent[0], "mchid").as_deref(), Some(SHOP_B));

    // Orders are kept per merchant: shop B finds it, shop A does not.
    let found = within(10, b.call(&query_by_otn(&order))).await.unwrap();
    assert_eq!(found.data.len(), 1, "{found:?}");
    let other = within(10, agent.call(&query_by_otn(&order))).await.unwrap();
    assert!(other.data.is_empty(), "{other:?}");

    // A signature over another mchid than the one sent would be refused:
    // the mock checked it with its own code and accepted, so it was signed.
    let queries = received(&server, "/trade/v1/query");
    assert_eq!(param(&queries[0], "mchid").as_deref(), Some(SHOP_B));
    assert_eq!(param(&queries[1], "mchid").as_deref(), Some(SHOP_A));
}

#[tokio::test]
async fn the_outcome_helpers_go_through_the_view() {
    let server = agent_mock().await;
    let b = agent(&server).for_mchid(shop_b());
    let order = otn();
    let report = within(10, b.pay(&cpm(&order, 300))).await.unwrap();
    assert_eq!(report.state, PaymentState::Paid, "{report:?}");
    let waited = within(
        10,
        b.wait_for_payment(order.clone(), Duration::from_secs(5)),
    )
    .await
    .unwrap();
    assert_eq!(waited.state, PaymentState::Paid, "{waited:?}");
    let all = server.requests();
    assert!(all.len() >= 2);
    for r in all {
        let mchid = param(&r, "mchid").or_else(|| {
            form_urlencoded::parse(r.query.clone().unwrap_or_default().as_bytes())
                .find(|(n, _)| n == "mchid")
                .map(|(_, v)| v.into_owned())
        });
        assert_eq!(mchid.as_deref(), Some(SHOP_B), "{r:?}");
    }
}

#[tokio::test]
async fn extra_headers_go_on_the_wire_and_only_through_the_view() {
    let server = agent_mock().await;
    let agent = agent(&server);
    let tagged = agent.with_options(
        CallOptions::new()
            .header("X-Request-Id", "req-42")
            .unwrap()
            .header("X-Tenant", "north")
            .unwrap(),
    );
    within(10, tagged.call(&query_by_otn(&otn())))
        .await
        .unwrap();
    within(10, agent.call(&query_by_otn(&otn()))).await.unwrap();
    let sent = received(&server, "/trade/v1/query");
    assert_eq!(sent[0].header("x-request-id"), Some("req-42"));
    assert_eq!(sent[0].header("X-Tenant"), Some("north"));
    assert!(sent[0].header("x-qf-sign").is_some());
    assert_eq!(sent[1].header("x-request-id"), None);

    // A header the client writes itself, or one that cannot be sent, is a typed error.
    for (name, value) in [
        ("X-QF-SIGN", "00"),
        ("User-Agent", "me"),
        ("X-Ok", "a\r\nb"),
    ] {
        assert!(
            matches!(
                CallOptions::new().header(name, value),
                Err(BuildError::InvalidHeader { .. })
            ),
            "{name}"
        );
    }
    // The error names the header but never shows the value.
    let e = CallOptions::new()
        .header("X-QF-SIGN", "SECRETVALUE")
        .unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(
        shown.contains("X-QF-SIGN") && !shown.contains("SECRETVALUE"),
        "{shown}"
    );
    // And the options' Debug does not show header values either.
    let debug = format!("{tagged:?}");
    assert!(
        debug.contains("x-request-id") && !debug.contains("req-42"),
        "{debug}"
    );
}

#[tokio::test]
async fn a_per_call_timeout_fires_and_is_named() {
    let server = agent_mock().await;
    let agent = agent(&server);
    server.inject(
        FaultRule::new(Fault::latency(Duration::from_millis(1500)))
            .on_path("/trade/v1/query")
            .always(),
    );
    let quick = agent.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(150))
            .unwrap(),
    );
    assert_eq!(quick.timeout(), Duration::from_millis(150));
    assert_eq!(agent.timeout(), Duration::from_secs(5));
    let quick = quick.with_options(CallOptions::new()); // options stack; the timeout stays
    let started = Instant::now();
    let error = within(10, quick.call(&query_by_otn(&otn())))
        .await
        .unwrap_err();
    // Three attempts (a read is retried) of 150 ms each, not 1.5 s each.
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
    match error {
        Error::Timeout { after, .. } => assert_eq!(after, Duration::from_millis(150)),
        other => panic!("{other:?}"),
    }
    // The client itself keeps its own timeout and gets the slow answer.
    within(10, agent.call(&query_by_otn(&otn()))).await.unwrap();

    assert!(
        CallOptions::new().timeout(Duration::ZERO).is_err(),
        "a zero timeout is refused"
    );
}

#[tokio::test]
async fn an_endpoint_that_never_takes_mchid_is_refused_through_a_mchid_view() {
    let server = agent_mock().await;
    let agent = agent(&server);
    let note = AddNote::builder()
        .code(AGENT)
        .syssn(qfpay::types::Syssn::new("20240210000300020000000042").unwrap())
        .note(Note::new("hello").unwrap())
        .build();
    let error = within(10, agent.for_mchid(shop_b()).call(&note))
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest { field, path, .. } => {
            assert_eq!((*field, path.as_str()), ("mchid", "/trade/v1/add_note"));
        }
        other => panic!("{other:?}"),
    }
    assert!(received(&server, "/trade/v1/add_note").is_empty());

    // A view with other options only, and the client itself, send it
    // without mchid as before.
    let tagged = agent.with_options(CallOptions::new().header("X-Request-Id", "n").unwrap());
    let _ = within(10, tagged.call(&note)).await;
    let sent = received(&server, "/trade/v1/add_note");
    assert_eq!(sent.len(), 1);
    assert_eq!(param(&sent[0], "mchid"), None);
}
