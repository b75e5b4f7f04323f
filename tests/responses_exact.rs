//! Issue 18: a bare JSON number in any field of any response type comes back
//! as exactly that text, that integer, or an error naming the field — never
//! through a float (see `exact_common`).

mod exact_common;

use proptest::prelude::*;

/// QFPay's own example (`/trade/v1/authtrade`): a 26-digit `orig_syssn` as
/// a bare number.
#[test]
fn the_authtrade_example_keeps_every_digit() {
    let body = br#"{"respcd":"0000","resperr":"success","respmsg":"","syssn":"20190722000300020081074843","orig_syssn":20190722000300020081074842,"txamt":10}"#;
    for decoded in [
        <qfpay::api::PreAuthResponse as qfpay::DecodeResponse>::decode(body)
            .map(|r| r.orig_syssn.map(|s| s.to_string())),
        <qfpay::api::PaymentResponse as qfpay::DecodeResponse>::decode(body)
            .map(|r| r.orig_syssn.map(|s| s.to_string())),
        <qfpay::api::RefundResponse as qfpay::DecodeResponse>::decode(body)
            .map(|r| r.orig_syssn.map(|s| s.to_string())),
    ] {
        assert_eq!(
            decoded.unwrap().as_deref(),
            Some("20190722000300020081074842")
        );
    }
}

#[test]
fn an_amount_that_does_not_fit_is_an_error_naming_the_field() {
    for txamt in ["18446744073709551616", "1e20", "10.5", "-1"] {
        let body = format!(r#"{{"respcd":"0000","txamt":{txamt}}}"#);
        let error = serde_json::from_str::<qfpay::api::PaymentResponse>(&body).unwrap_err();
        assert!(error.to_string().contains("`txamt`"), "{error}");
    }
    let r: qfpay::api::PaymentResponse =
        serde_json::from_str(r#"{"respcd":"0000","txamt":18446744073709551615}"#).unwrap();
    assert_eq!(r.txamt.map(|a| a.minor_units()), Some(u64::MAX));
}

#[test]
fn edge_literals() {
    for literal in [
        "0",
        "-0",
        "7",
        "20190722000300020081074842",
        "1234567890123456789012345678901234567890",
        "-1234567890123456789012345678901234567890",
        "1.5",
        "1.50",
        "1e21",
        "1E+3",
        "-2.5e-7",
        "10.0",
    ] {
        let checked = exact_common::check_all(literal).unwrap_or_else(|e| panic!("{e}"));
        // Every text, code, integer and time field of the 38 types, and `extra`.
        assert!(checked > 300, "only {checked} fields checked");
    }
    let payment = exact_common::check::<qfpay::api::PaymentResponse>(r#"{"respcd":"0000"}"#, "1")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(payment >= 20, "{payment}");
}

/// A JSON number: an integer of 1 to 40 digits, maybe negative, maybe with a
/// fraction and/or an exponent.
fn literal() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,39}"],
        prop::option::of("[0-9]{1,6}"),
        prop::option::of((
            "[eE]",
            prop_oneof![Just(""), Just("+"), Just("-")],
            "[0-9]{1,3}",
        )),
    )
        .prop_map(|(negative, int, fraction, exponent)| {
            let mut out = String::new();
            if negative {
                out.push('-');
            }
            out.push_str(&int);
            if let Some(fraction) = fraction {
                out.push('.');
                out.push_str(&fraction);
            }
            if let Some((e, sign, digits)) = exponent {
                out.push_str(&format!("{e}{sign}{digits}"));
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_number_in_every_field_comes_back_exactly(literal in literal()) {
        if let Err(e) = exact_common::check_all(&literal) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn plain_integers_of_1_to_40_digits(literal in "-?[1-9][0-9]{0,39}") {
        if let Err(e) = exact_common::check_all(&literal) {
            prop_assert!(false, "{}", e);
        }
    }
}
