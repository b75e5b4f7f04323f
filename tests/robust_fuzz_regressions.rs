//! Every input the fuzz targets (`fuzz/`, see FUZZING.md) found, kept as a
//! regression test.

use qfpay::DecodeResponse;
use qfpay::api::{DownloadTradeBill, PayParams, PaymentResponse, TradeBill, TradeDate};
use qfpay::transport::HttpResponse;
use qfpay::transport::mock::RecordingTransport;
use qfpay::{Client, Environment, Error};

/// The CLI's argument parsers, compiled from their source (the CLI is a
/// binary without a library target).
#[allow(dead_code)]
#[path = "../qfpay-cli/src/args.rs"]
mod cli_args;

/// `cli_args` crash-653616e6…: `--timeout 1e-300` is more than zero seconds
/// but rounds to a zero `Duration`, which the client then refuses; the
/// parser now refuses it itself.
#[test]
fn a_timeout_that_rounds_to_zero_is_refused_by_the_cli_parser() {
    for tiny in ["1e-300", "0.0000000001", "4e-10"] {
        assert!(cli_args::parse_timeout(tiny).is_err(), "{tiny}");
    }
    assert_eq!(
        cli_args::parse_timeout("1e-9"),
        Ok(std::time::Duration::from_nanos(1))
    );
    for bad in ["inf", "NaN", "-1", "0", "1e400", ""] {
        assert!(cli_args::parse_timeout(bad).is_err(), "{bad}");
    }
}

/// `responses` crash-a97397fc…: a 193-digit number in an untyped field
/// (`pay_params` kept raw) is read as a float; written and read again it may
/// move by one ULP, because serde_json (without `float_roundtrip`) does not
/// round every long mantissa exactly. Decoding must not fail or panic, and
/// the value stays within that last bit.
#[test]
fn a_long_number_in_an_untyped_field_survives_within_one_ulp() {
    let digits = "1".repeat(193);
    let first = PayParams::decode(digits.as_bytes()).unwrap();
    let again = PayParams::decode(&serde_json::to_vec(&first).unwrap()).unwrap();
    let as_f64 = |p: &PayParams| match p {
        PayParams::Raw(serde_json::Value::Number(n)) => n.as_f64().unwrap(),
        other => panic!("{other:?}"),
    };
    let (a, b) = (as_f64(&first), as_f64(&again));
    assert!(((a - b) / a).abs() < 1e-15, "{a} vs {b}");

    // The same number inside a payment response, in `pay_params` and as an
    // unknown field: `extra` keeps the field's exact text (issue 18).
    let body = format!(r#"{{"respcd":"0000","pay_params":{digits},"x":{digits}}}"#);
    let r = PaymentResponse::decode(body.as_bytes()).unwrap();
    assert!(r.envelope.respcd.is_accepted());
    let again = PaymentResponse::decode(&serde_json::to_vec(&r).unwrap()).unwrap();
    assert_eq!(r.extra.text("x").as_deref(), Some(digits.as_str()));
    assert_eq!(again.extra.text("x").as_deref(), Some(digits.as_str()));
    // Amounts are integers and never go through a float.
    let r = PaymentResponse::decode(br#"{"respcd":"0000","txamt":"99999999999"}"#).unwrap();
    assert_eq!(r.txamt.map(|a| a.minor_units()), Some(99_999_999_999));
}

/// `client_response` crash-26ebdeda…: a failure reply that gives a key twice
/// (`{"respcd":"8475","resperr":"…","resperr":"…"}`) to the statement
/// download was taken for the file, because the envelope reader refused the
/// repeated key and so never saw the code. The code is read now: the call is
/// `Error::Api` with it, and `TradeBill::decode` refuses the body.
#[tokio::test(flavor = "current_thread")]
async fn a_failure_code_beside_a_repeated_key_is_still_an_api_error() {
    let body = r#"{"respcd":"8475","resperr":"pendi75","resperr":"pendingng"}"#;
    assert!(TradeBill::decode(body.as_bytes()).is_err());

    let transport = RecordingTransport::new();
    transport.push_response(HttpResponse::json(200, body));
    let client = Client::builder()
        .app_code("APPCODE0001")
        .client_key("TESTKEY0123456789")
        .environment(Environment::Custom("http://qfpay.test".into()))
        .transport(transport.clone())
        .build()
        .unwrap();
    let bill = DownloadTradeBill::builder()
        .trade_date(TradeDate::parse("2024-01-01").unwrap())
        .build();
    match client.call(&bill).await {
        Err(Error::Api {
            respcd, resperr, ..
        }) => {
            assert_eq!(respcd.as_str(), "8475");
            assert_eq!(resperr, "pendingng");
        }
        other => panic!("{other:?}"),
    }
}
