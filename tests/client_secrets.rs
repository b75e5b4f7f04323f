//! The client key never shows: not in `Debug` of the client or builder, not in
//! any error, not in the tracing output of a call — and neither do request
//! parameter values (other than the `out_trade_no` / `syssn` identifiers the
//! call's span carries), extra header values or the signature input.

mod client_common;
mod trace_capture;

use std::time::Duration;

use client_common::{Canned, KEY, Server};
use qfpay::transport::mock::RecordingTransport;
use qfpay::transport::{HttpResponse, TransportError, TransportErrorKind};
use qfpay::{Client, ClientKey, Environment, Error, Method, RawParams, RawRequest, RetryPolicy};

const SECRET_VALUE: &str = "DEVICE-VALUE-7f3a";
const ORDER: &str = "ORDER-7f3a";
const HEADER_TOKEN: &str = "HEADER-TOKEN-51ab";

fn query() -> RawRequest {
    RawRequest::new(
        Method::Post,
        "/trade/v1/query",
        RawParams::from_pairs([
            ("out_trade_no", ORDER),
            ("page_size", "10"),
            ("udid", SECRET_VALUE),
        ]),
    )
}

/// Tests of this binary run one at a time: a call made on another thread
/// while the traced test installs its scoped subscriber can cache a
/// callsite's interest as "never", and the trace would miss the call.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn assert_no_secret(text: &str, what: &str) {
    assert!(!text.contains(KEY), "{what} shows the key: {text}");
    assert!(
        !text.contains(&KEY[..12]),
        "{what} shows part of the key: {text}"
    );
}

#[tokio::test]
async fn a_traced_call_logs_path_names_and_code_but_no_secret() {
    let _serial = SERIAL.lock().await;
    let (trace, _guard) = trace_capture::Trace::start();

    let server = Server::start().await;
    server.push(Canned::status(503, "busy"));
    server.push(Canned::json(
        r#"{"respcd":"0000","resperr":"ok","respmsg":"","data":[]}"#,
    ));
    server.push(Canned::json(
        r#"{"respcd":"1108","resperr":"sign error","respmsg":""}"#,
    ));
    let client = server
        .client()
        .mchid("ZaMVg12345")
        .verify_response_signatures(true)
        .build()
        .unwrap()
        .with_options(
            qfpay::CallOptions::new()
                .header("X-Api-Token", HEADER_TOKEN)
                .unwrap(),
        );
    client.call(&query()).await.unwrap();
    client.call(&query()).await.unwrap_err();

    let log = trace.text();
    assert!(log.contains("qfpay.call"), "{log}");
    assert!(log.contains("/trade/v1/query"), "{log}");
    assert!(
        log.contains("out_trade_no,page_size,udid"),
        "param names: {log}"
    );
    assert!(log.contains(&format!("out_trade_no=\"{ORDER}\"")), "{log}");
    assert!(log.contains("mchid=\"ZaMVg12345\""), "{log}");
    assert!(log.contains("status=503"), "{log}");
    assert!(log.contains("attempts=2"), "{log}");
    assert!(
        log.contains("respcd=\"1108\"") || log.contains("respcd=1108"),
        "{log}"
    );
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("duration_ms"), "{log}");
    assert_no_secret(&log, "the trace");
    assert!(
        !log.contains(SECRET_VALUE),
        "the trace shows a parameter value: {log}"
    );
    assert!(
        !log.contains(HEADER_TOKEN),
        "the trace shows a header value: {log}"
    );
    assert!(server.received()[0].header("x-api-token") == Some(HEADER_TOKEN));
    let sign = server.received()[0].header("x-qf-sign").unwrap().to_owned();
    assert!(!log.contains(&sign), "the trace shows the signature");
}

#[test]
fn debug_of_client_and_builder_hides_the_key() {
    let _serial = SERIAL.blocking_lock();
    let builder = Client::builder()
        .app_code("APP")
        .client_key(ClientKey::new(KEY))
        .environment(Environment::Custom("http://127.0.0.1:9".into()));
    assert_no_secret(&format!("{builder:?}"), "builder Debug");
    let client = builder.build().unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert_no_secret(&debug, "client Debug");
    assert_no_secret(&format!("{:?}", ClientKey::new(KEY)), "ClientKey Debug");
}

/// Produces every kind of error and checks `Display`, `Debug` and the source chain.
#[tokio::test]
async fn no_error_shows_the_key() {
    let _serial = SERIAL.lock().await;
    let mut errors: Vec<Error> = Vec::new();
    errors.push(Client::builder().client_key(KEY).build().unwrap_err());
    errors.push(
        Client::builder()
            .app_code("A")
            .client_key(KEY)
            .mchid("x\ny")
            .build()
            .unwrap_err(),
    );

    let transport = RecordingTransport::new();
    let client = Client::builder()
        .app_code("APP")
        .client_key(KEY)
        .mchid("ZaMVg12345")
        .environment(Environment::Custom("http://qfpay.test".into()))
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .verify_response_signatures(true)
        .transport(transport.clone())
        .build()
        .unwrap();
    let bad_path = RawRequest::new(Method::Post, "trade", RawParams::default());
    errors.push(client.call(&bad_path).await.unwrap_err());
    let dup = RawRequest::new(
        Method::Post,
        "/trade/v1/query",
        RawParams::from_pairs([("mchid", "X")]),
    );
    errors.push(client.call(&dup).await.unwrap_err());

    transport.push_json(r#"{"respcd":"1108","resperr":"sign","respmsg":""}"#);
    transport.push_response(HttpResponse::new(429, ""));
    transport.push_response(HttpResponse::new(500, "oops"));
    transport.push_hang();
    transport.push_error(TransportError::new(TransportErrorKind::Refused, "refused"));
    transport.push_json("not json");
    transport.push_response(
        HttpResponse::json(200, r#"{"respcd":"0000"}"#).with_header("X-QF-SIGN", "00"),
    );
    for _ in 0..7 {
        errors.push(client.call(&query()).await.unwrap_err());
    }

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Build(_) => "build",
            Error::InvalidRequest { .. } => "invalid",
            Error::DuplicateParam { .. } => "duplicate",
            Error::Api { .. } => "api",
            Error::RateLimited { .. } => "rate",
            Error::Http { .. } => "http",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Decode { .. } => "decode",
            Error::ResponseSignature { .. } => "signature",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "build",
            "build",
            "invalid",
            "duplicate",
            "api",
            "rate",
            "http",
            "timeout",
            "transport",
            "decode",
            "signature"
        ]
    );
    for error in &errors {
        let mut text = format!("{error} {error:?}");
        let mut source = std::error::Error::source(error);
        while let Some(s) = source {
            text.push_str(&format!(" {s} {s:?}"));
            source = s.source();
        }
        assert_no_secret(&text, "an error");
        assert!(
            !text.contains(SECRET_VALUE),
            "an error shows a parameter value: {text}"
        );
        if let Some(path) = error.path() {
            assert!(error.to_string().contains(path), "{error}");
        }
    }
}
