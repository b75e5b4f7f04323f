//! Retries only where safe, and timeouts.

mod client_common;

use std::time::{Duration, Instant};

use client_common::{Canned, OK_QUERY_EMPTY, Server};
use qfpay::transport::mock::RecordingTransport;
use qfpay::transport::{TransportError, TransportErrorKind};
use qfpay::{Client, Environment, Error, Method, RawParams, RawRequest, RetryPolicy};

fn query() -> RawRequest {
    RawRequest::new(
        Method::Post,
        "/trade/v1/query",
        RawParams::from_pairs([("out_trade_no", "ORDER0001")]),
    )
}

fn payment() -> RawRequest {
    RawRequest::new(
        Method::Post,
        "/trade/v1/payment",
        RawParams::from_pairs([("txamt", "100"), ("out_trade_no", "ORDER0001")]),
    )
}

#[tokio::test]
async fn query_is_retried_after_429_and_5xx() {
    let server = Server::start().await;
    server.push(Canned::status(429, ""));
    server.push(Canned::status(503, "busy"));
    server.push(Canned::json(OK_QUERY_EMPTY));
    let client = server.client().build().unwrap();
    let response = client.call(&query()).await.unwrap();
    assert!(response.envelope.respcd.is_accepted());
    let received = server.received();
    assert_eq!(received.len(), 3);
    // The same signed bytes each time.
    assert!(received.windows(2).all(|w| w[0].body == w[1].body
        && w[0].header("x-qf-sign") == w[1].header("x-qf-sign")));
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = Server::start().await;
    for _ in 0..5 {
        server.push(Canned::status(500, "down"));
    }
    let client = server.client().build().unwrap();
    let error = client.call(&query()).await.unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 500, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(server.count(), 3);

    let server = Server::start().await;
    server.push(Canned::status(500, "down"));
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.call(&query()).await.unwrap_err();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn payment_is_never_resent() {
    // 429: refused unprocessed, the caller may send it again later;
    // 502: it may have gone through, the caller must query first.
    for (canned, unknown) in [
        (Canned::status(429, ""), false),
        (Canned::status(502, "bad gateway"), true),
    ] {
        let server = Server::start().await;
        server.push(canned);
        server.push(Canned::json(r#"{"respcd":"0000"}"#));
        let client = server.client().build().unwrap();
        let error = client.call(&payment()).await.unwrap_err();
        assert_eq!(error.is_outcome_unknown(), unknown, "{error:?}");
        assert_eq!(error.is_retryable(), !unknown, "{error:?}");
        assert_eq!(server.count(), 1, "a payment must be sent exactly once");
    }
}

#[tokio::test]
async fn a_retry_after_longer_than_max_delay_is_not_waited_for() {
    let server = Server::start().await;
    server.push(Canned::status(429, "").header("Retry-After", "3600"));
    server.push(Canned::json(OK_QUERY_EMPTY));
    let client = server.client().build().unwrap();
    let started = Instant::now();
    let error = client.call(&query()).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = Server::start().await;
    server.push(Canned::json(r#"{"respcd":"0000"}"#).delayed(Duration::from_secs(2)));
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.call(&payment()).await.unwrap_err();
    assert!(
        matches!(&error, Error::Timeout { path, after, write: true, .. } if path == "/trade/v1/payment" && *after == Duration::from_millis(200)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    // A payment that timed out may have gone through: query, never re-send.
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    assert!(
        error.to_string().ends_with(
            "the payment may have gone through: query by out_trade_no before sending it again"
        ),
        "{error}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_slow_query_is_retried_after_timeouts() {
    let server = Server::start().await;
    server.push(Canned::json(OK_QUERY_EMPTY).delayed(Duration::from_secs(2)));
    server.push(Canned::json(OK_QUERY_EMPTY));
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.call(&query()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind and drop to get a port nothing listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .app_code("APP")
        .client_key("KEY")
        .environment(Environment::Custom(format!("http://127.0.0.1:{port}")))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.call(&payment()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Refused,
                ..
            }
        ),
        "{error:?}"
    );
    // Refused before a byte was sent: the payment was certainly not made.
    assert!(!error.is_outcome_unknown());
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        format!("/trade/v1/payment: connection refused by 127.0.0.1:{port}")
    );
    // The cause is named once: no level of the source chain repeats it.
    let mut source = std::error::Error::source(&error);
    while let Some(e) = source {
        assert!(
            !e.to_string().contains("connection refused by"),
            "repeated in the chain: {e}"
        );
        source = e.source();
    }
}

#[tokio::test]
async fn the_recording_transport_replays_and_records() {
    let transport = RecordingTransport::new();
    transport.push_error(TransportError::new(TransportErrorKind::Refused, "refused"));
    transport.push_hang();
    transport.push_json(OK_QUERY_EMPTY);
    let client = Client::builder()
        .app_code("APP")
        .client_key("KEY")
        .mchid("M1")
        .environment(Environment::Custom("http://qfpay.test/".into()))
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::new(
            3,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .transport(transport.clone())
        .build()
        .unwrap();
    client.call(&query()).await.unwrap();
    let sent = transport.take_requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].url, "http://qfpay.test/trade/v1/query");
    assert_eq!(sent[0].body, b"mchid=M1&out_trade_no=ORDER0001");
    assert_eq!(sent[0].header("X-QF-APPCODE"), Some("APP"));
    assert_eq!(transport.pending_replies(), 0);

    // Nothing queued: a transport error, not a hang.
    let error = client.call(&payment()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn a_tls_failure_is_named_with_host_and_port() {
    // A plain-HTTP server on loopback, reached with `https://`: the TLS
    // handshake fails before the request is written.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    let client = Client::builder()
        .app_code("APP")
        .client_key("KEY")
        .environment(Environment::Custom(format!("https://127.0.0.1:{port}")))
        .build()
        .unwrap();
    let error = client.call(&payment()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Tls,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("/trade/v1/payment: TLS handshake with 127.0.0.1:{port} failed")
    );
    assert!(!error.is_outcome_unknown());
}
