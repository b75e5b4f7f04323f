//! Bad input everywhere it enters: every length-limited field type, amounts
//! of 0 and past 11 digits, invalid `txdtm`, headers with CR/LF, an `mchid`
//! with separators, a path that could split the request line. Each is
//! refused with an error naming the field, and nothing reaches the wire.

mod robust_common;

use std::time::Duration;

use qfpay::api::{AddNote, CpmPayment, ExpiredTime, Note, Payment, Refund, TradeDate};
use qfpay::transport::mock::RecordingTransport;
use qfpay::types::{
    Amount, AuthCode, Currency, GoodsName, MchId, NotifyUrl, OutTradeNo, PayType, ReturnUrl,
    SubOpenid, Syssn, TradeTime, Udid,
};
use qfpay::{
    BuildError, Client, ClientKey, Endpoint, Environment, Error, InvalidParam, Method, RawParams,
    RawRequest,
};
use robust_common::*;

fn recording() -> (Client, RecordingTransport) {
    let transport = RecordingTransport::new();
    let client = Client::builder()
        .app_code(APP)
        .client_key(ClientKey::new(KEY))
        .environment(Environment::Custom("http://qfpay.test".into()))
        .timeout(Duration::from_secs(2))
        .transport(transport.clone())
        .build()
        .unwrap();
    (client, transport)
}

/// `result` is an `InvalidParam` naming `field`.
#[track_caller]
fn names<T: std::fmt::Debug>(result: Result<T, InvalidParam>, field: &str) {
    match result {
        Err(e) => {
            assert_eq!(e.name, field, "{e}");
            assert!(e.to_string().contains(field), "{e}");
        }
        Ok(v) => panic!("{v:?} was accepted; expected a refusal naming `{field}`"),
    }
}

/// Sends `request` and expects a refusal naming `field` with nothing sent.
async fn refused<E: Endpoint>(
    client: &Client,
    transport: &RecordingTransport,
    request: &E,
    field: &str,
) {
    let Err(error) = within(5, client.call(request)).await else {
        panic!("a request with a bad `{field}` was accepted");
    };
    match &error {
        Error::InvalidRequest { field: f, path, .. } => {
            assert_eq!(*f, field, "{error}");
            assert_eq!(path, request.spec().path);
        }
        other => panic!("expected InvalidRequest for `{field}`, got {other:?}"),
    }
    assert!(error.to_string().contains(field), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(
        transport.request_count(),
        0,
        "something was sent for a refused request"
    );
}

macro_rules! bounded {
    ($($t:ty => $field:literal, $max:literal, $ok:literal;)*) => {$(
        assert_eq!(<$t>::FIELD, $field);
        assert_eq!(<$t>::MAX_CHARS, $max);
        // The limit is in characters, not bytes: `測` is three bytes.
        let at_limit = format!("{}{}", $ok, "測".repeat($max - $ok.chars().count()));
        assert!(<$t>::new(at_limit.clone()).is_ok(), "{} at its limit", $field);
        names(<$t>::new(format!("{at_limit}x")), $field);
        names(<$t>::new(""), $field);
        for control in ["\r\n", "\n", "\r", "\0", "\t", "\u{7f}", "\u{85}"] {
            names(<$t>::new(format!("{}{control}x", $ok)), $field);
        }
        // The same rules through `FromStr` / `TryFrom`.
        names(format!("{at_limit}x").parse::<$t>(), $field);
        names(<$t>::try_from(""), $field);
    )*};
}

#[test]
fn every_length_limited_type_refuses_too_long_empty_and_control_characters() {
    bounded! {
        OutTradeNo => "out_trade_no", 128, "O";
        Syssn => "syssn", 40, "2";
        AuthCode => "auth_code", 128, "1";
        GoodsName => "goods_name", 64, "g";
        Udid => "udid", 40, "u";
        SubOpenid => "sub_openid", 128, "o";
        NotifyUrl => "notify_url", 255, "https://m.example/n?";
        ReturnUrl => "return_url", 512, "https://m.example/r?";
    }
    // `mchid`: 16 ASCII letters, digits, `_`, `-`.
    assert!(MchId::new("Ab-_0123456789xY").is_ok());
    names(MchId::new("Ab-_0123456789xYz"), "mchid");
    names(MchId::new(""), "mchid");
    // `note`: 200 characters.
    assert!(Note::new("測".repeat(200)).is_ok());
    names(Note::new("測".repeat(201)), "note");
    names(Note::new(""), "note");
    names(Note::new("a\r\nb"), "note");
    // URLs must be absolute http(s).
    for bad in [
        "ftp://m.example/n",
        "//m.example/n",
        "m.example/n",
        "javascript:alert(1)",
    ] {
        names(NotifyUrl::new(bad), "notify_url");
        names(ReturnUrl::new(bad), "return_url");
    }
    // Ranges and dates.
    for minutes in [0, 4, 121, 256, u32::MAX] {
        names(ExpiredTime::minutes(minutes), "expired_time");
    }
    for bad in [
        "2024-02-30",
        "2024-13-01",
        "2024-1-01",
        "2024-01-01 00:00:00",
        "",
        "２０２４-01-01",
    ] {
        names(TradeDate::parse(bad), "trade_date");
    }
}

#[test]
fn an_mchid_with_separators_is_refused() {
    for bad in [
        "ab&c", "a=b", "a b", "a,b", "a;b", "a/b", "a?b", "a#b", "a%26b", "a+b", "a\r\nb", "a\tb",
        "測試", "a\"b", "a'b", " ab", "ab ",
    ] {
        names(MchId::new(bad), "mchid");
        let error = Client::builder()
            .app_code(APP)
            .client_key(KEY)
            .mchid(bad)
            .environment(Environment::Custom("http://127.0.0.1:9".into()))
            .build()
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Build(BuildError::Invalid { field: "mchid", .. })
            ),
            "{bad:?}: {error:?}"
        );
        assert!(error.to_string().contains("mchid"), "{error}");
    }
}

#[test]
fn headers_with_cr_lf_are_refused_at_build() {
    let build = |app_code: &str, user_agent: Option<&str>, base: &str| {
        let transport = RecordingTransport::new();
        let mut builder = Client::builder()
            .app_code(app_code)
            .client_key(KEY)
            .environment(Environment::Custom(base.into()))
            .transport(transport.clone());
        if let Some(ua) = user_agent {
            builder = builder.user_agent(ua);
        }
        let result = builder.build();
        assert_eq!(transport.request_count(), 0);
        result
    };
    for bad in [
        "APP\r\nX-Injected: 1",
        "APP\nX-Injected: 1",
        "APP\r",
        "APP\0",
        "APP CODE",
        "APP:1",
        "",
        "應用",
    ] {
        let error = build(bad, None, "http://qfpay.test").unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Build(BuildError::Invalid {
                    field: "app_code",
                    ..
                })
            ),
            "{bad:?}: {error:?}"
        );
    }
    for bad in [
        "agent\r\nX-Injected: 1",
        "agent\n",
        "",
        "agent\u{7f}",
        "agent\u{e9}",
    ] {
        let error = build(APP, Some(bad), "http://qfpay.test").unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Build(BuildError::Invalid {
                    field: "user_agent",
                    ..
                })
            ),
            "{bad:?}: {error:?}"
        );
    }
    for bad in [
        "http://qfpay.test\r\nX-Injected: 1",
        "http://qfpay .test",
        "http://qfpay.test/\n",
    ] {
        let error = build(APP, None, bad).unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Build(BuildError::Invalid {
                    field: "environment",
                    ..
                })
            ),
            "{bad:?}: {error:?}"
        );
    }
    // A key that is empty is refused too (it could never sign).
    let error = Client::builder()
        .app_code(APP)
        .client_key("")
        .build()
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Build(BuildError::Invalid {
            field: "client_key",
            ..
        })
    ));
}

#[tokio::test]
async fn a_path_that_could_split_the_request_line_is_refused() {
    let (client, transport) = recording();
    for bad in [
        "/trade/v1/query HTTP/1.1\r\nX-Injected: 1\r\n",
        "/trade/v1/query\n",
        "/trade/v1/query?mchid=x",
        "/trade/v1/query#x",
        "trade/v1/query",
        "",
    ] {
        let request = RawRequest::new(Method::Post, bad, RawParams::from_pairs([("syssn", "1")]));
        refused(&client, &transport, &request, "path").await;
    }
}

#[test]
fn invalid_txdtm_is_refused_naming_the_field() {
    for bad in [
        "",
        "2019-12-25",
        "2019-12-25 14:21",
        "2019-12-25T14:21:28",
        "2019-12-25 14:21:28Z",
        "2019-12-25 14:21:28.000",
        "2019-12-25 14:21:28+08:00",
        "2019/12/25 14:21:28",
        "2019-12-25  14:21:28",
        " 2019-12-25 14:21:28",
        "2019-12-25 14:21:28 ",
        "2019-12-25\t14:21:28",
        "2019-12-25\r\n14:21:2",
        "2019-13-25 14:21:28",
        "2019-00-25 14:21:28",
        "2019-02-29 14:21:28",
        "2019-04-31 14:21:28",
        "2019-12-00 14:21:28",
        "2019-12-25 24:00:00",
        "2019-12-25 23:60:00",
        "2019-12-25 23:59:60",
        "-019-12-25 14:21:28",
        "+019-12-25 14:21:28",
        "２０19-12-25 14:21:28",
        "1577254888",
    ] {
        names(TradeTime::parse(bad), "txdtm");
        names(TradeTime::parse_field(bad, "start_time"), "start_time");
        let json = serde_json::to_string(bad).unwrap();
        let error = serde_json::from_str::<TradeTime>(&json).unwrap_err();
        assert!(error.to_string().contains("txdtm"), "{bad:?}: {error}");
    }
    assert!(TradeTime::parse("2020-02-29 23:59:59").is_ok());
}

fn refund(minor: u64) -> Refund {
    Refund::builder()
        .syssn(Syssn::new("20191227000200020061752831").unwrap())
        .out_trade_no(otn())
        .txamt(Amount::new(minor))
        .txdtm(TradeTime::now())
        .build()
}

#[tokio::test]
async fn amounts_of_zero_and_past_eleven_digits_are_refused_before_sending() {
    let (client, transport) = recording();
    for minor in [0, 100_000_000_000, 999_999_999_999, u64::MAX] {
        refused(&client, &transport, &cpm(&otn(), minor), "txamt").await;
        refused(&client, &transport, &refund(minor), "txamt").await;
    }
    // The largest 11-digit amount goes out.
    transport.push_json(r#"{"respcd":"0000","resperr":"ok","respmsg":""}"#);
    within(5, client.call(&refund(99_999_999_999)))
        .await
        .unwrap();
    assert_eq!(transport.request_count(), 1);
    // Parsing text refuses what does not fit, too.
    assert!("99999999999999999999".parse::<Amount>().is_err());
    assert!("-1".parse::<Amount>().is_err());
    assert!("1.5".parse::<Amount>().is_err());
    assert!(serde_json::from_str::<Amount>("-1").is_err());
    assert!(serde_json::from_str::<Amount>("1.5").is_err());
    assert!(serde_json::from_str::<Amount>("1e30").is_err());
}

#[tokio::test]
async fn a_pay_type_for_another_flow_is_refused_before_sending() {
    let (client, transport) = recording();
    let cpm_with_mpm_type = CpmPayment::builder()
        .pay_type(PayType::from_code("800101"))
        .auth_code(AuthCode::new("134857901234588557").unwrap())
        .txamt(Amount::new(100))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(otn())
        .txdtm(TradeTime::now())
        .build();
    refused(&client, &transport, &cpm_with_mpm_type, "pay_type").await;
    let general_with_cpm_type = Payment::builder()
        .pay_type(PayType::from_code("800108"))
        .txamt(Amount::new(100))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(otn())
        .txdtm(TradeTime::now())
        .build();
    refused(&client, &transport, &general_with_cpm_type, "pay_type").await;
}

/// Text read from JSON (a queued job, a database row) skips `new`'s checks;
/// it must still not go out over the documented limits.
#[tokio::test]
async fn values_read_from_json_are_checked_again_before_sending() {
    let (client, transport) = recording();
    let long: OutTradeNo = serde_json::from_str(&format!("\"{}\"", "x".repeat(129))).unwrap();
    refused(&client, &transport, &cpm(&long, 100), "out_trade_no").await;
    let crlf: OutTradeNo = serde_json::from_str(r#""A\r\nB""#).unwrap();
    refused(&client, &transport, &cpm(&crlf, 100), "out_trade_no").await;
    let empty_syssn: Syssn = serde_json::from_str(r#""""#).unwrap();
    let note = AddNote::builder()
        .code(APP.to_owned())
        .syssn(empty_syssn)
        .note(Note::new("n").unwrap())
        .build();
    refused(&client, &transport, &note, "syssn").await;
    let zero: Amount = serde_json::from_str(r#""0""#).unwrap();
    refused(&client, &transport, &refund(zero.minor_units()), "txamt").await;
}

#[tokio::test]
async fn an_mchid_on_the_request_and_the_client_is_refused_before_sending() {
    let transport = RecordingTransport::new();
    let client = Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .mchid("ZaMVg12345")
        .environment(Environment::Custom("http://qfpay.test".into()))
        .transport(transport.clone())
        .build()
        .unwrap();
    let request = RawRequest::new(
        Method::Post,
        "/trade/v1/query",
        RawParams::from_pairs([("mchid", "Other1"), ("syssn", "1")]),
    );
    let error = within(5, client.call(&request)).await.unwrap_err();
    assert!(
        matches!(error, Error::DuplicateParam { field: "mchid", .. }),
        "{error:?}"
    );
    assert_eq!(transport.request_count(), 0);
}

/// Against the mock: nothing refused by the client ever arrives.
#[tokio::test]
async fn the_mock_receives_nothing_that_was_refused() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    let long: OutTradeNo = serde_json::from_str(&format!("\"{}\"", "x".repeat(129))).unwrap();
    for request in [cpm(&otn(), 0), cpm(&otn(), u64::MAX), cpm(&long, 100)] {
        let error = within(5, client.call(&request)).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    }
    let split = RawRequest::new(
        Method::Get,
        "/download/v1/trade_bill\r\nX: 1",
        RawParams::default(),
    );
    assert!(matches!(
        within(5, client.call(&split)).await,
        Err(Error::InvalidRequest { field: "path", .. })
    ));
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

/// Raw values are never validated, but they can never break out of the body
/// or the query string either: CR, LF, `&` and `=` are percent-encoded.
#[tokio::test]
async fn raw_values_cannot_inject_into_the_wire_form() {
    let (client, transport) = recording();
    transport.push_json(r#"{"respcd":"0000"}"#);
    transport.push_json(r#"{"respcd":"0000"}"#);
    let evil = "1\r\nX-Injected: 1&mchid=M=2 ";
    for method in [Method::Post, Method::Get] {
        let request = RawRequest::new(
            method,
            "/trade/v1/close",
            RawParams::from_pairs([("syssn", evil)]),
        );
        within(5, client.call(&request)).await.unwrap();
    }
    let sent = transport.take_requests();
    let post = String::from_utf8(sent[0].body.clone()).unwrap();
    assert_eq!(post, "syssn=1%0D%0AX-Injected%3A+1%26mchid%3DM%3D2+");
    assert_eq!(sent[1].query(), Some(post.as_str()));
    for request in &sent {
        assert!(!request.url.contains(['\r', '\n', ' ']));
        assert!(
            request
                .headers
                .iter()
                .all(|(n, v)| !n.as_str().contains(['\r', '\n'])
                    && !v.as_bytes().iter().any(|b| matches!(b, b'\r' | b'\n')))
        );
    }
}

/// Notifications: a body that is not UTF-8 (or not JSON) is refused after
/// the signature check as `InvalidJson` (400); an oversized one before
/// anything is hashed (413), also when only its `Content-Length` announces
/// it; a signature header with CR/LF or non-ASCII bytes is malformed (401).
#[test]
fn bad_notifications_are_refused() {
    use axum::http::{HeaderMap, HeaderValue, header};
    use qfpay::notify::{self, NotifyError};
    use qfpay::{SignType, Signature};

    let key = ClientKey::new(KEY);
    let sign = |body: &[u8]| Signature::compute(SignType::Md5, body, &key).to_hex_upper();
    for body in [
        &b"\xff\xfe\x00"[..],
        b"{\"syssn\": \"\xc3\x28\", \"notify_type\": \"payment\"}",
        b"{\"syssn\": \"\xed\xa0\x80\"}",
        b"\xef\xbb\xbf{\"notify_type\": \"payment\"}\xff",
        b"",
    ] {
        let error = notify::verify(body, Some(&sign(body)), &key).unwrap_err();
        assert!(
            matches!(error, NotifyError::InvalidJson { .. }),
            "{body:?}: {error:?}"
        );
        assert!(error.is_authentic());
        assert_eq!(error.http_status(), 400);
        // Forged, the same bytes never get as far as the parser.
        let forged = notify::verify(body, Some(&sign(b"other")), &key).unwrap_err();
        assert!(matches!(forged, NotifyError::BadSignature), "{forged:?}");
    }

    let big = vec![b' '; notify::MAX_BODY + 1];
    let error = notify::verify(&big, Some(&sign(&big)), &key).unwrap_err();
    assert!(
        matches!(error, NotifyError::TooLarge { len, max } if len == notify::MAX_BODY + 1 && max == notify::MAX_BODY),
        "{error:?}"
    );
    assert_eq!(error.http_status(), 413);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(10_000_000u64));
    headers.insert("x-qf-sign", HeaderValue::from_str(&sign(b"{}")).unwrap());
    let error = notify::http::verify_request(&headers, b"{}", &key).unwrap_err();
    assert!(matches!(error, NotifyError::TooLarge { .. }), "{error:?}");

    let body = br#"{"notify_type": "payment"}"#;
    for bad in [
        format!("{}\r\nX-Injected: 1", sign(body)),
        format!("{}\n", &sign(body)[..31]),
        "\r\n".to_owned(),
    ] {
        let error = notify::verify(body, Some(&bad), &key).unwrap_err();
        assert!(
            matches!(
                error,
                NotifyError::MalformedSignature(_) | NotifyError::MissingSignature
            ),
            "{bad:?}: {error:?}"
        );
        assert_eq!(error.http_status(), 401);
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-qf-sign",
        HeaderValue::from_bytes(b"\xe6\xb8\xac").unwrap(),
    );
    let error = notify::http::verify_request(&headers, body, &key).unwrap_err();
    assert!(
        matches!(error, NotifyError::MalformedSignature(_)),
        "{error:?}"
    );
    assert!(matches!(
        notify::verify(body, Some(&sign(body)), &ClientKey::new("")),
        Err(NotifyError::EmptyKey)
    ));
}
