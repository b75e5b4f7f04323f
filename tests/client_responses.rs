//! How the client reads answers: success, pending, API errors, bodies that
//! are not JSON, binary bodies, and response-signature verification.

mod client_common;

use client_common::{Canned, KEY, Server};
use md5::Md5;
use qfpay::types::RespCode;
use qfpay::{Error, JsonResponse, Method, RawParams, RawRequest};
use sha2::{Digest, Sha256};

fn payment() -> RawRequest {
    RawRequest::new(
        Method::Post,
        "/trade/v1/payment",
        RawParams::from_pairs([
            ("txamt", "100"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800008"),
            ("auth_code", "134510000000000000"),
            ("out_trade_no", "ORDER0001"),
            ("txdtm", "2025-01-02 03:04:05"),
        ]),
    )
}

#[tokio::test]
async fn pending_codes_are_ok_with_their_respcd() {
    let server = Server::start().await;
    for code in ["1143", "1145", "1298"] {
        server.push(Canned::json(&format!(
            r#"{{"respcd":"{code}","resperr":"交易处理中","respmsg":"","syssn":"20191227000200020061752831","txamt":"100"}}"#
        )));
    }
    let client = server.client().build().unwrap();
    for code in ["1143", "1145", "1298"] {
        let response: JsonResponse = client.call(&payment()).await.unwrap();
        assert_eq!(response.envelope.respcd.as_str(), code);
        assert!(response.envelope.respcd.is_pending());
    }
}

#[tokio::test]
async fn other_codes_are_api_errors_naming_path_and_code() {
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"respcd":"1269","resperr":"当天未结算金额不足","respmsg":"insufficient"}"#,
    ));
    server.push(Canned::json(
        r#"{"respcd":"9999","resperr":"new code","respmsg":""}"#,
    ));
    let client = server.client().build().unwrap();
    let error = client.call(&payment()).await.unwrap_err();
    match &error {
        Error::Api {
            path,
            respcd,
            resperr,
            respmsg,
        } => {
            assert_eq!(path, "/trade/v1/payment");
            assert_eq!(*respcd, RespCode::InsufficientUnsettledAmount);
            assert_eq!(resperr, "当天未结算金额不足");
            assert_eq!(respmsg, "insufficient");
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("/trade/v1/payment") && text.contains("1269"),
        "{text}"
    );
    assert!(!error.is_retryable());
    assert_eq!(error.respcd(), Some(&RespCode::InsufficientUnsettledAmount));

    // An unknown code is kept verbatim.
    let error = client.call(&payment()).await.unwrap_err();
    assert_eq!(error.respcd().map(RespCode::as_str), Some("9999"));
}

#[tokio::test]
async fn a_non_json_body_is_a_decode_error_with_status_and_excerpt() {
    let server = Server::start().await;
    let html = format!(
        "<html><body>{}</body></html>",
        "gateway says hello ".repeat(30)
    );
    server.push(Canned::status(200, &html));
    let client = server.client().build().unwrap();
    let error = client.call(&payment()).await.unwrap_err();
    match &error {
        Error::Decode {
            path,
            status,
            excerpt,
            ..
        } => {
            assert_eq!(path, "/trade/v1/payment");
            assert_eq!(*status, 200);
            assert!(
                excerpt.starts_with("<html><body>gateway says hello"),
                "{excerpt}"
            );
            assert!(
                excerpt.chars().count() <= 201,
                "{}",
                excerpt.chars().count()
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(error.to_string().contains("/trade/v1/payment"));
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn a_field_of_the_wrong_shape_is_a_decode_error() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Strict {
        respcd: RespCode,
        txamt: u64,
    }
    #[qfpay::qf_endpoint(path = "/trade/v1/payment", method = "POST", response = Strict)]
    struct Pay {
        txamt: qfpay::types::Amount,
    }
    let server = Server::start().await;
    server.push(Canned::json(r#"{"respcd":"0000","txamt":"not a number"}"#));
    let client = server.client().build().unwrap();
    let request = Pay::builder().txamt(qfpay::types::Amount::new(5)).build();
    let error = client.call(&request).await.unwrap_err();
    match &error {
        Error::Decode { source, status, .. } => {
            assert_eq!(*status, 200);
            assert!(source.to_string().contains("u64") || source.to_string().contains("string"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn http_errors_keep_status_and_excerpt() {
    let server = Server::start().await;
    server.push(Canned::status(404, "not here"));
    server.push(Canned::status(429, "slow down").header("Retry-After", "7"));
    let client = server.client().build().unwrap();
    let error = client.call(&payment()).await.unwrap_err();
    assert!(
        matches!(&error, Error::Http { status: 404, excerpt, .. } if excerpt == "not here"),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    let error = client.call(&payment()).await.unwrap_err();
    assert!(
        matches!(&error, Error::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 7),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(429));
}

fn md5_upper(bytes: &[u8]) -> String {
    hex::encode_upper(Md5::digest(bytes))
}

#[tokio::test]
async fn response_signatures_are_checked_when_asked() {
    let body = r#"{"respcd":"0000","resperr":"ok","respmsg":"","data":{"syssn":"1","txamt":"10"}}"#;
    let raw_body_md5 = md5_upper(format!("{body}{KEY}").as_bytes());
    let raw_body_sha = hex::encode(Sha256::digest(format!("{body}{KEY}").as_bytes()));
    let fields_md5 = md5_upper(format!("syssn=1&txamt=10{KEY}").as_bytes());
    let wrong = md5_upper(format!("{body}WRONGKEY").as_bytes());

    let server = Server::start().await;
    server.push(Canned::json(body).header("X-QF-SIGN", &raw_body_md5));
    server.push(
        Canned::json(body)
            .header("X-QF-SIGN", &raw_body_sha)
            .header("X-QF-SIGNTYPE", "SHA256"),
    );
    server.push(Canned::json(body).header("X-QF-SIGN", &fields_md5));
    server.push(Canned::json(body)); // no header: never fails
    server.push(Canned::json(body).header("X-QF-SIGN", &wrong));
    server.push(Canned::json(body).header("X-QF-SIGN", "nothex"));
    server.push(Canned::json(body).header("X-QF-SIGN", &wrong)); // verification off
    let client = server
        .client()
        .verify_response_signatures(true)
        .build()
        .unwrap();

    for _ in 0..4 {
        client.call(&payment()).await.unwrap();
    }
    for _ in 0..2 {
        let error = client.call(&payment()).await.unwrap_err();
        assert!(
            matches!(&error, Error::ResponseSignature { path, .. } if path == "/trade/v1/payment"),
            "{error:?}"
        );
        assert!(!error.to_string().contains(KEY));
    }
    let lenient = server.client().build().unwrap();
    lenient.call(&payment()).await.unwrap();
}

#[tokio::test]
async fn a_binary_body_goes_straight_to_the_response_type() {
    struct Zip(Vec<u8>);
    impl qfpay::DecodeResponse for Zip {
        fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
            Ok(Zip(body.to_vec()))
        }
    }
    struct Bill;
    impl qfpay::WriteParams for Bill {
        const PARAM_NAMES: &'static [&'static str] = &["trade_date"];
        fn write_params<S: qfpay::PairSink + ?Sized>(&self, out: &mut S) {
            out.pair("trade_date", "2024-01-31");
        }
    }
    impl qfpay::Endpoint for Bill {
        type Response = Zip;
        fn spec(&self) -> qfpay::EndpointSpec<'_> {
            qfpay::EndpointSpec::new("/download/v1/trade_bill", Method::Get).with_mchid(false)
        }
    }
    let server = Server::start().await;
    server.push(Canned::bytes(&[0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]));
    // An error on the same endpoint comes back as JSON and is an API error.
    server.push(Canned::json(
        r#"{"respcd":"1104","resperr":"bad date","respmsg":""}"#,
    ));
    let client = server.client().build().unwrap();
    assert_eq!(
        client.call(&Bill).await.unwrap().0,
        [0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]
    );
    let error = client.call(&Bill).await.err().unwrap();
    assert_eq!(error.respcd().map(RespCode::as_str), Some("1104"));
}
