//! Issue 18's property, shared by `tests/responses_exact.rs` and the
//! `responses` fuzz target: a bare JSON number placed in any field of a
//! response type comes back as exactly that text (text and code fields), as
//! exactly that integer (integer fields), or as an error naming the field
//! (an integer field given a number that is not a whole `u64`); a code
//! field refuses a fraction or an exponent, as it always did. Never as a
//! rounded value.
//!
//! Which fields exist and how each reads is found by decoding probes, not
//! listed here: every key the type writes back is tried, plus one it does
//! not know (kept in `extra`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A field no type models: it goes to `extra`.
const UNKNOWN: &str = "field_not_modelled";

/// How a field reads, found by probing it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Any JSON as text (`true` reads as `"true"`); also `extra`.
    Text,
    /// A code table: strings and integers.
    Code,
    /// A non-negative integer.
    Integer,
    /// A date-time: anything else reads as `None`.
    Time,
    /// A payload (JSON value, object, list, bool): not a text path.
    Other,
}

/// The fields of `T` as written back from `base`, each as raw JSON.
fn written<T: DeserializeOwned + Serialize>(
    body: &str,
) -> Result<BTreeMap<String, Box<RawValue>>, String> {
    let value: T = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&value).map_err(|e| e.to_string())?;
    serde_json::from_str(&json).map_err(|e| e.to_string())
}

fn with(base: &str, key: &str, json: &str) -> String {
    let mut map: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(base).expect("base is an object");
    map.insert(
        key.to_owned(),
        RawValue::from_string(json.to_owned()).expect("valid JSON"),
    );
    serde_json::to_string(&map).expect("serialises")
}

fn written_as<T: DeserializeOwned + Serialize>(
    base: &str,
    key: &str,
    json: &str,
) -> Result<Option<String>, String> {
    Ok(written::<T>(&with(base, key, json))?
        .get(key)
        .map(|raw| raw.get().to_owned()))
}

fn kind<T: DeserializeOwned + Serialize>(base: &str, key: &str) -> Kind {
    let probe = |json: &str| written_as::<T>(base, key, json).ok().flatten();
    if key == UNKNOWN || probe("true").as_deref() == Some(r#""true""#) {
        Kind::Text
    } else if probe(r#""2020-01-02 03:04:05""#).as_deref() == Some(r#""2020-01-02 03:04:05""#)
        && probe(r#""x""#).as_deref() == Some("null")
    {
        Kind::Time
    } else if probe(r#""abc""#).as_deref() == Some(r#""abc""#)
        && probe("7").is_some()
        && probe("true").is_none()
    {
        Kind::Code
    } else if probe(r#""12""#).as_deref() == Some("12") && probe("true").is_none() {
        Kind::Integer
    } else {
        Kind::Other
    }
}

/// The exact value of a JSON integer literal written with a fraction or an
/// exponent, when it is a whole number that fits a `u64`.
fn exact_integer(literal: &str) -> Option<u64> {
    let (mantissa, exponent) = match literal.find(['e', 'E']) {
        Some(at) => (&literal[..at], literal[at + 1..].parse::<i32>().ok()?),
        None => (literal, 0),
    };
    if let Some(magnitude) = mantissa.strip_prefix('-') {
        return magnitude
            .bytes()
            .all(|b| b == b'0' || b == b'.')
            .then_some(0);
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let mut scale = exponent - i32::try_from(frac.len()).ok()?;
    while scale < 0 {
        // Dropping a zero, or past the last digit of a zero, keeps the value.
        if digits.pop().is_some_and(|d| d != b'0') {
            return None;
        }
        scale += 1;
    }
    digits.extend(std::iter::repeat_n(
        b'0',
        usize::try_from(scale).ok()?.min(40),
    ));
    let text = String::from_utf8(digits).ok()?;
    let text = text.trim_start_matches('0');
    if text.is_empty() {
        Some(0)
    } else {
        text.parse().ok()
    }
}

/// Checks `literal` (a JSON number) in every field of `T`, decoded on top of
/// `base` (a JSON object the type accepts). `Err` says which field broke
/// the property and how.
/// `Ok` counts the fields checked (all but payloads).
pub fn check<T: DeserializeOwned + Serialize>(base: &str, literal: &str) -> Result<usize, String> {
    let fields = written::<T>(base).map_err(|e| format!("the base does not decode: {e}"))?;
    let integer_literal = literal.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    // `Envelope` alone keeps no unknown field.
    let keeps_unknown = written_as::<T>(base, UNKNOWN, r#""x""#).is_ok_and(|out| out.is_some());
    let unknown = keeps_unknown.then_some(UNKNOWN);
    let mut checked = 0;
    for key in fields.keys().map(String::as_str).chain(unknown) {
        let kind = kind::<T>(base, key);
        checked += usize::from(kind != Kind::Other);
        let got = written_as::<T>(base, key, literal);
        let fail = |what: &str| Err(format!("`{key}` ({kind:?}) with {literal}: {what}"));
        match (kind, got) {
            (Kind::Other, _) => {}
            (Kind::Text, Ok(Some(out))) => {
                let text: String = if out.starts_with('"') {
                    serde_json::from_str(&out).map_err(|e| e.to_string())?
                } else {
                    out.clone()
                };
                if text != literal {
                    return fail(&format!("came back as {out}"));
                }
            }
            (Kind::Code, Ok(Some(out))) if integer_literal => {
                let Ok(text) = serde_json::from_str::<String>(&out) else {
                    return fail(&format!("came back as {out}"));
                };
                // A documented code matched by value (`0` is `0000`) is the
                // one exception to "as sent".
                let same_value = text.bytes().all(|b| b.is_ascii_digit())
                    && text.trim_start_matches('0') == literal.trim_start_matches('0');
                if text != literal && !same_value {
                    return fail(&format!("came back as {out}"));
                }
            }
            // A fraction or an exponent is no code: refused, as always.
            (Kind::Code, Err(_)) if !integer_literal => {}
            (Kind::Integer, Ok(Some(out))) => {
                if exact_integer(literal).map(|v| v.to_string()).as_deref() != Some(out.as_str()) {
                    return fail(&format!("came back as {out}"));
                }
            }
            (Kind::Integer, Err(error)) => {
                if exact_integer(literal).is_some() {
                    return fail(&format!("refused a whole number: {error}"));
                }
                if !error.contains(&format!("`{key}`")) {
                    return fail(&format!("refused without naming the field: {error}"));
                }
            }
            (Kind::Time, Ok(Some(out))) if out == "null" => {}
            (_, other) => return fail(&format!("gave {other:?}")),
        }
    }
    Ok(checked)
}

/// Runs [`check`] on every response type of the catalogue (and the
/// notification events), each on a base body it accepts.
/// `Ok` counts the fields checked.
pub fn check_all(literal: &str) -> Result<usize, String> {
    use qfpay::api::*;
    use qfpay::notify::*;
    const REPLY: &str = r#"{"respcd":"0000"}"#;
    const TRADE: &str = r#"{"syssn":"1","out_trade_no":"o","txamt":"1","txcurrcd":"HKD","pay_type":"800101","respcd":"0000","cancel":"0"}"#;
    let mut checked = 0;
    macro_rules! all {
        ($($ty:ty: $base:expr;)*) => {$(
            checked += check::<$ty>($base, literal).map_err(|e| format!("{}: {e}", stringify!($ty)))?;
        )*};
    }
    all! {
        qfpay::Envelope: REPLY;
        qfpay::JsonResponse: REPLY;
        PaymentResponse: REPLY;
        QueryResponse: REPLY;
        TradeRecord: "{}";
        RefundResponse: REPLY;
        ReversalResponse: REPLY;
        AddNoteResponse: REPLY;
        AddNoteData: "{}";
        PreAuthResponse: REPLY;
        WeixinOpenidResponse: REPLY;
        PaymentIntentResponse: REPLY;
        TokenIntentResponse: REPLY;
        CustomsResponse: REPLY;
        CustomsQueryResponse: REPLY;
        CustomsDeclaration: "{}";
        DataResponse<serde_json::Value>: REPLY;
        ListResponse<serde_json::Value>: REPLY;
        CustomerResult: "{}";
        Customer: "{}";
        ProductResult: "{}";
        Product: "{}";
        SubscriptionResult: "{}";
        Subscription: "{}";
        BillingOrder: "{}";
        BillingAddress: "{}";
        WechatJsapiParams: "{}";
        WechatAppParams: "{}";
        AlipayServiceWindowParams: "{}";
        AlipayAppParams: "{}";
        CardParams: "{}";
        ThreeDsChallenge: "{}";
        PaymentNotification: TRADE;
        RefundNotification: TRADE;
        PreAuthNotification: TRADE;
        PaymentTokenNotification: r#"{"tokenid":"tk","event":"NEW"}"#;
        SubscriptionNotification: r#"{"subscription_id":"s","state":"ACTIVE"}"#;
        SubscriptionPaymentNotification: r#"{"subscription_id":"s","subscription_order_id":"o","txamt":"1","txcurrcd":"HKD"}"#;
    }
    Ok(checked)
}
