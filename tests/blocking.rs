//! `qfpay::blocking::Client` (feature `blocking`) against the mock, from
//! plain threads with no runtime of their own: the same calls, the same
//! outcome reports, the same errors as the async client; and a typed error,
//! not a panic, when it is used where a runtime is running.

mod robust_common;

use std::time::Duration;

use qfpay::types::{MchId, TradeTime};
use qfpay::{Error, PaymentState, TransactionFilter, blocking};
use qfpay_mock::{Fault, FaultRule, MockServer};
use robust_common::*;

/// The mock on a runtime of its own (the test thread has none).
fn mock_on_its_own_runtime() -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(mock());
    (runtime, server)
}

fn blocking_client(server: &MockServer) -> blocking::Client {
    blocking::Client::new(client(server).build().unwrap()).unwrap()
}

#[test]
fn calls_and_outcome_helpers_block_to_the_same_results() {
    let (_runtime, server) = mock_on_its_own_runtime();
    let client = blocking_client(&server);

    let order = otn();
    let paid = client.call(&cpm(&order, 1200)).unwrap();
    assert!(paid.is_accepted(), "{paid:?}");
    let found = client.call(&query_by_otn(&order)).unwrap();
    assert_eq!(found.data.len(), 1);

    let second = otn();
    let report = client.pay(&cpm(&second, 300)).unwrap();
    assert_eq!(report.state, PaymentState::Paid, "{report:?}");
    let waited = client
        .wait_for_payment(second.clone(), Duration::from_secs(5))
        .unwrap();
    assert_eq!(waited.state, PaymentState::Paid);
    let cpm_report = client.pay_cpm(&cpm(&otn(), 100)).unwrap();
    assert_eq!(cpm_report.state, PaymentState::Paid);

    // The listing is an iterator over the same pages.
    // Two days either side of now, whatever the mock's clock zone.
    let day = |offset: i64| {
        let d = (time::OffsetDateTime::now_utc() + time::Duration::days(offset)).date();
        let text = format!(
            "{:04}-{:02}-{:02} 00:00:00",
            d.year(),
            u8::from(d.month()),
            d.day()
        );
        TradeTime::parse(&text).unwrap()
    };
    let records: Vec<_> = client
        .transactions(TransactionFilter::new(day(-2), day(2)))
        .collect::<Result<_, _>>()
        .unwrap();
    for o in [&order, &second] {
        assert!(
            records.iter().any(|r| r.out_trade_no.as_ref() == Some(o)),
            "{o} missing from {records:?}"
        );
    }

    // One client, several threads.
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                let o = otn();
                assert!(client.call(&cpm(&o, 50)).unwrap().is_accepted());
            });
        }
    });
}

#[test]
fn errors_are_the_async_clients() {
    let (runtime, server) = mock_on_its_own_runtime();
    let client = blocking_client(&server);
    server.inject(
        FaultRule::new(Fault::Status { status: 503 })
            .on_path("/trade/v1/payment")
            .times(1),
    );
    let error = client.call(&cpm(&otn(), 100)).unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());

    // A per-call view works here too: the mock refuses an mchid this plain
    // merchant does not have, with an API error.
    let view = client.for_mchid(MchId::new("NotMine001").unwrap());
    assert_eq!(view.mchid().map(MchId::as_str), Some("NotMine001"));
    let error = view.call(&query_by_otn(&otn())).unwrap_err();
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    drop(runtime);
}

#[test]
fn inside_a_runtime_it_refuses_instead_of_panicking() {
    let (runtime, server) = mock_on_its_own_runtime();
    let client = blocking_client(&server);
    let before = server.requests().len();
    let (in_task, in_blocking) = runtime.block_on(async {
        let c = client.clone();
        let in_task = tokio::spawn(async move { c.call(&query_by_otn(&otn())) })
            .await
            .unwrap();
        let c = client.clone();
        let in_blocking = tokio::task::spawn_blocking(move || c.call(&query_by_otn(&otn())))
            .await
            .unwrap();
        (in_task, in_blocking)
    });
    for result in [in_task, in_blocking] {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::InsideAsyncRuntime), "{error:?}");
        assert!(error.to_string().contains("async qfpay::Client"), "{error}");
        assert!(!error.is_outcome_unknown() && !error.is_retryable());
    }
    assert_eq!(server.requests().len(), before, "nothing was sent");

    // The last clone dropped inside a task: no panic.
    runtime.block_on(async move {
        tokio::spawn(async move { drop(client) }).await.unwrap();
    });
}

/// `as_async` on a runtime of the caller's, after blocking calls have
/// pooled a connection: the connection is driven by the blocking client's
/// own runtime between its calls, so the async call does not wait on it
/// until it times out (and then call a payment that was never sent
/// "outcome unknown").
#[test]
fn as_async_on_another_runtime_after_blocking_calls() {
    let (_runtime, server) = mock_on_its_own_runtime();
    let client = blocking::Client::new(
        client(&server)
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap(),
    )
    .unwrap();
    let first = otn();
    assert!(client.call(&cpm(&first, 100)).unwrap().is_accepted());

    let theirs = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let order = otn();
    let started = std::time::Instant::now();
    let paid = theirs.block_on(client.as_async().call(&cpm(&order, 200)));
    assert!(paid.as_ref().is_ok_and(|p| p.is_accepted()), "{paid:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let found = theirs.block_on(client.as_async().call(&query_by_otn(&order)));
    assert_eq!(found.map(|f| f.data.len()).ok(), Some(1));
}
