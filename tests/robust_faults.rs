//! Fault injection against `qfpay-mock` for every error path of the client.
//!
//! Each case gives the documented typed error or the documented recovery —
//! reads are retried, a payment is sent exactly once and its outcome is
//! learnt by querying its `out_trade_no` — and never a panic or a hang
//! (every call runs under a timeout).

mod robust_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use qfpay::types::OutTradeNo;
use qfpay::{Client, Error, PaymentReport, PaymentState, PollPolicy};
use qfpay_mock::{Fault, FaultRule, MockServer, OrderStatus, OrderType, SeedOrder};
use robust_common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAY: &str = "/trade/v1/payment";
const QUERY: &str = "/trade/v1/query";

fn fast_poll() -> PollPolicy {
    PollPolicy::new(Duration::from_millis(20), Duration::from_millis(100))
}

/// The documented recovery after a payment's outcome is unknown: poll the
/// query by `out_trade_no`. Returns the outcome.
async fn recover(client: &Client, out_trade_no: &OutTradeNo) -> PaymentReport {
    within(
        20,
        client.wait_for_payment_with(out_trade_no.clone(), Duration::from_secs(10), fast_poll()),
    )
    .await
    .expect("the query recovers")
}

/// Exactly one payment request reached the server, carrying `out_trade_no`;
/// no other payment (with another order number) was sent.
fn sent_once(server: &MockServer, out_trade_no: &OutTradeNo) {
    let payments = received(server, PAY);
    assert_eq!(
        payments.len(),
        1,
        "the payment must be sent exactly once: {payments:#?}"
    );
    assert_eq!(
        param(&payments[0], "out_trade_no").as_deref(),
        Some(out_trade_no.as_str())
    );
    let orders: Vec<_> = server
        .orders()
        .into_iter()
        .filter(|o| o.order_type == OrderType::Payment)
        .collect();
    assert!(
        orders.len() <= 1,
        "more than one payment was created: {orders:#?}"
    );
    assert!(
        orders
            .iter()
            .all(|o| o.out_trade_no == out_trade_no.as_str())
    );
}

/// A payment the mock has: paid, with this order number.
fn paid(server: &MockServer, out_trade_no: &OutTradeNo) {
    let order = server
        .order(out_trade_no.as_str())
        .expect("the payment was processed");
    assert_eq!(order.status, OrderStatus::Succeeded, "{order:#?}");
}

#[tokio::test]
async fn a_server_slower_than_the_timeout() {
    let server = mock().await;
    let client = client(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    // A payment: a typed timeout, sent once; the order was processed, so the
    // query by out_trade_no finds it paid.
    server.inject(FaultRule::new(Fault::latency(Duration::from_millis(1500))).on_path(PAY));
    let order = otn();
    let started = Instant::now();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Timeout { path, after, write: true, .. } if path == PAY && *after == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "the timeout did not fire"
    );
    assert!(recover(&client, &order).await.state.is_paid());
    sent_once(&server, &order);
    paid(&server, &order);

    // A query: timed out once, retried, answered.
    server.inject(FaultRule::new(Fault::latency(Duration::from_millis(1500))).on_path(QUERY));
    server.clear_requests();
    let response = within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 1);
    assert_eq!(received(&server, QUERY).len(), 2);
}

#[tokio::test]
async fn a_connection_dropped_before_processing() {
    let server = mock().await;
    let client = client(&server).build().unwrap();

    server.inject(FaultRule::new(Fault::DropConnection).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport { path, .. } if path == PAY),
        "{error:?}"
    );
    // The client cannot tell it was not processed: unknown, query first.
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    sent_once(&server, &order);
    // Not processed: the query says there is no such payment.
    let outcome = within(
        10,
        client.wait_for_payment_with(order.clone(), Duration::from_millis(200), fast_poll()),
    )
    .await
    .unwrap();
    assert_eq!(outcome.state, PaymentState::NotFound);
    assert!(server.order(order.as_str()).is_none());

    // A query whose connection drops is retried.
    server.inject(
        FaultRule::new(Fault::DropConnection)
            .on_path(QUERY)
            .times(2),
    );
    server.clear_requests();
    within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap();
    assert_eq!(received(&server, QUERY).len(), 3);
}

/// The connection pool must not hide a dropped connection by re-sending the
/// payment on a fresh one (hyper retries requests it thinks were never sent).
#[tokio::test]
async fn a_connection_dropped_after_processing_on_a_pooled_connection() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    // Warm the pool: the payment goes over a reused keep-alive connection.
    within(10, client.call(&query_by_otn(&otn())))
        .await
        .unwrap();

    server.inject(FaultRule::new(Fault::DropAfterProcessing).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 250)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport { path, .. } if path == PAY),
        "{error:?}"
    );
    sent_once(&server, &order);
    paid(&server, &order);
    let outcome = recover(&client, &order).await;
    assert!(outcome.state.is_paid(), "{outcome:?}");
    assert_eq!(
        outcome
            .record
            .as_ref()
            .and_then(|r| r.txamt)
            .map(|a| a.minor_units()),
        Some(250)
    );
    sent_once(&server, &order);
}

/// What the loopback server does with the n-th connection.
#[derive(Clone, Copy)]
enum Conn {
    /// Sends the headers and half of the promised body, then resets.
    ResetMidBody,
    /// Answers a complete, valid query response.
    Answer,
}

/// A raw HTTP/1.1 server on loopback that follows `script` connection by
/// connection (the last entry repeats), counting requests.
async fn raw_server(script: Vec<Conn>) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let action = script[n.min(script.len() - 1)];
            tokio::spawn(async move {
                // Read the request head and its body.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(read) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..read]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                match action {
                    Conn::ResetMidBody => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"respcd\":\"0000\",\"resperr\":\"succ")
                            .await;
                        let _ = stream.flush().await;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        // SO_LINGER 0: close with RST instead of FIN. (The
                        // deprecation is about a non-zero linger blocking
                        // on drop; zero never blocks.)
                        #[allow(deprecated)]
                        let _ = stream.set_linger(Some(Duration::ZERO));
                        drop(stream);
                    }
                    Conn::Answer => {
                        let body = br#"{"respcd":"0000","resperr":"ok","respmsg":"","page":"1","page_size":"10","data":[]}"#;
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        let _ = stream.write_all(body).await;
                        let _ = stream.shutdown().await;
                    }
                }
            });
        }
    });
    (base, count)
}

#[tokio::test]
async fn a_connection_reset_mid_response() {
    // A payment: the body never completes — a transport error (not a decode
    // error of half a body), sent once.
    let (base, count) = raw_server(vec![Conn::ResetMidBody]).await;
    let client = client_for(&base).build().unwrap();
    let error = within(10, client.call(&cpm(&otn(), 100)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport { path, .. } if path == PAY),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "a payment must be sent exactly once"
    );

    // A query: retried after the reset, answered.
    let (base, count) = raw_server(vec![Conn::ResetMidBody, Conn::Answer]).await;
    let client = client_for(&base).build().unwrap();
    let response = within(10, client.call(&query_by_otn(&otn())))
        .await
        .unwrap();
    assert!(response.envelope.respcd.is_accepted());
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn rate_limiting_with_and_without_retry_after() {
    let server = mock().await;
    let client = client(&server).build().unwrap();

    // A payment is not retried and not processed.
    server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: Some(1),
        })
        .on_path(PAY),
    );
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::RateLimited { path, retry_after } if path == PAY && *retry_after == Some(Duration::from_secs(1))),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(429));
    sent_once(&server, &order);
    assert!(server.order(order.as_str()).is_none());

    // A query waits out `Retry-After: 1`, then succeeds.
    server.clear_requests();
    server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: Some(1),
        })
        .on_path(QUERY),
    );
    let started = Instant::now();
    within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(received(&server, QUERY).len(), 2);

    // Without `Retry-After`: the client's own back-off.
    server.clear_requests();
    server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: None,
        })
        .on_path(QUERY),
    );
    let started = Instant::now();
    within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(received(&server, QUERY).len(), 2);

    // Rate limited on every attempt: the typed error after exactly
    // `max_attempts` requests.
    server.clear_requests();
    let id = server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: None,
        })
        .on_path(QUERY)
        .always(),
    );
    let error = within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        received(&server, QUERY).len(),
        fast_retries().max_attempts as usize
    );
    server.remove_fault(id);

    // A `Retry-After` longer than the policy allows is returned at once.
    server.clear_requests();
    server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: Some(60),
        })
        .on_path(QUERY),
    );
    let started = Instant::now();
    let error = within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(received(&server, QUERY).len(), 1);
}

#[tokio::test]
async fn server_errors_500_502_503() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    for status in [500u16, 502, 503] {
        // A payment: the typed HTTP error with its status, not processed, not re-sent.
        server.clear_requests();
        server.inject(FaultRule::new(Fault::Status { status }).on_path(PAY));
        let order = otn();
        let error = within(10, client.call(&cpm(&order, 100)))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Http { path, status: s, .. } if path == PAY && *s == status),
            "{error:?}"
        );
        // A 5xx on a payment: the client cannot know it was not processed.
        assert!(error.is_outcome_unknown());
        assert!(!error.is_retryable());
        assert!(error.to_string().contains(&status.to_string()), "{error}");
        sent_once(&server, &order);
        assert!(server.order(order.as_str()).is_none());

        // A query: retried until answered.
        server.clear_requests();
        server.inject(
            FaultRule::new(Fault::Status { status })
                .on_path(QUERY)
                .times(2),
        );
        within(10, client.call(&query_by_otn(&order)))
            .await
            .unwrap();
        assert_eq!(received(&server, QUERY).len(), 3);
    }
    // Failing on every attempt: the last status, after `max_attempts`.
    server.clear_requests();
    server.inject(
        FaultRule::new(Fault::Status { status: 503 })
            .on_path(QUERY)
            .always(),
    );
    let error = within(10, client.call(&query_by_otn(&otn())))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(
        received(&server, QUERY).len(),
        fast_retries().max_attempts as usize
    );
}

#[tokio::test]
async fn truncated_json() {
    let server = mock().await;
    let client = client(&server).build().unwrap();

    // Processed, then the reply is cut: a decode error (HTTP 200, with an
    // excerpt); the query by out_trade_no finds the payment paid.
    server.inject(FaultRule::new(Fault::TruncatedJson).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            path,
            status,
            excerpt,
            ..
        } => {
            assert_eq!(path, PAY);
            assert_eq!(*status, 200);
            assert!(excerpt.starts_with('{'), "{excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    sent_once(&server, &order);
    paid(&server, &order);
    assert!(recover(&client, &order).await.state.is_paid());

    // A truncated query answer is a decode error too, and is not re-sent
    // (the server answered; asking again would not change the bytes).
    server.clear_requests();
    server.inject(FaultRule::new(Fault::TruncatedJson).on_path(QUERY));
    let error = within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(received(&server, QUERY).len(), 1);
}

#[tokio::test]
async fn an_html_error_page() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    server.inject(FaultRule::new(Fault::NonJson).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            path,
            status,
            excerpt,
            ..
        } => {
            assert_eq!(path, PAY);
            assert_eq!(*status, 200);
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.to_string().contains(PAY));
    sent_once(&server, &order);
    assert!(
        server.order(order.as_str()).is_none(),
        "an HTML page means not processed"
    );
}

#[tokio::test]
async fn a_wrong_response_signature_with_verification_on() {
    let server = mock().await;
    let client = client(&server)
        .verify_response_signatures(true)
        .build()
        .unwrap();

    // The mock signs its replies: verification passes normally.
    let first = otn();
    within(10, client.call(&cpm(&first, 100))).await.unwrap();

    server.inject(FaultRule::new(Fault::WrongSignature).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 100)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::ResponseSignature { path, .. } if path == PAY),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    assert!(!error.to_string().contains(KEY));
    // Processed all the same: learn the outcome by querying.
    paid(&server, &order);
    assert!(recover(&client, &order).await.state.is_paid());
    assert_eq!(received(&server, PAY).len(), 2);

    // A query with a wrong signature is refused too (and not retried).
    server.clear_requests();
    server.inject(FaultRule::new(Fault::WrongSignature).on_path(QUERY));
    let error = within(10, client.call(&query_by_otn(&order)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseSignature { .. }),
        "{error:?}"
    );
    assert_eq!(received(&server, QUERY).len(), 1);

    // With verification off, the same reply is accepted.
    let lax = client_for(server.base_url()).build().unwrap();
    server.inject(FaultRule::new(Fault::WrongSignature).on_path(QUERY));
    within(10, lax.call(&query_by_otn(&order))).await.unwrap();
}

/// The mock goes away after a payment and comes back on the same address
/// (with the order, as QFPay would still have it): the payment is never
/// re-sent, the query is retried through the outage and finds it.
#[tokio::test]
async fn the_server_restarting_between_a_payment_and_its_query() {
    let server = mock().await;
    let addr = server.addr();
    let client = client(&server)
        .retry_policy(qfpay::RetryPolicy::new(
            50,
            Duration::from_millis(20),
            Duration::from_millis(100),
        ))
        .build()
        .unwrap();

    // The payment is processed, but its reply is lost as the server goes down.
    server.inject(FaultRule::new(Fault::DropAfterProcessing).on_path(PAY));
    let order = otn();
    let error = within(10, client.call(&cpm(&order, 320)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let before = server
        .order(order.as_str())
        .expect("processed before the restart");
    sent_once(&server, &order);
    within(10, server.shutdown()).await;

    // Query while the server is down; it comes back 300 ms later.
    let query_client = client.clone();
    let query_order = order.clone();
    let query = tokio::spawn(async move {
        query_client
            .wait_for_payment_with(query_order, Duration::from_secs(10), fast_poll())
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!query.is_finished(), "the query must ride out the outage");
    let restarted = mock_builder()
        .addr(addr)
        .seed(SeedOrder::paid(before.syssn.clone(), before.txamt).out_trade_no(order.as_str()))
        .start()
        .await
        .expect("the mock restarts on the same address");

    let outcome = within(20, query)
        .await
        .unwrap()
        .expect("the query recovers");
    assert!(outcome.state.is_paid(), "{outcome:?}");
    assert_eq!(
        outcome
            .record
            .as_ref()
            .and_then(|r| r.syssn.as_ref())
            .map(|s| s.as_str().to_owned()),
        Some(before.syssn.clone())
    );
    // After the restart only queries arrived: no second payment, with this
    // order number or any other.
    assert!(received(&restarted, PAY).is_empty());
    assert!(!received(&restarted, QUERY).is_empty());
    let payments: Vec<_> = restarted
        .orders()
        .into_iter()
        .filter(|o| o.order_type == OrderType::Payment)
        .collect();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].out_trade_no, order.as_str());
}
