//! The lenient decoders for QFPay's loosely typed JSON (reference §27.3 #1,
//! #8, #16–#18): numbers sent as strings or as numbers, lists sent as one
//! object, nested JSON sent as a string. The only home of these rules; the
//! response and notification types name them in `deserialize_with`.
//!
//! **Every value is read as its raw JSON text** (`serde_json::value::RawValue`)
//! and classified from there, never through `deserialize_any`: serde_json
//! hands a bare integer that does not fit 64 bits to a visitor as an `f64`,
//! so QFPay's `"orig_syssn": 20190722000300020081074842` would otherwise
//! become `2.019072200030002e25`. Reading the raw text needs serde_json's
//! `raw_value` feature, which only adds a type; the alternative,
//! `arbitrary_precision`, would change how every crate in the user's build
//! reads numbers. A bare number used as text keeps its exact characters; one
//! used as an integer is converted exactly or refused, never rounded.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::RespCode;

/// One JSON value, classified by its raw text.
enum Raw<'a> {
    Null,
    Bool(bool),
    /// A bare number, exactly as sent.
    Number(&'a str),
    String(String),
    /// An object or an array, as sent.
    Composite(&'a str),
}

fn raw<'de, D: Deserializer<'de>>(d: D) -> Result<Box<RawValue>, D::Error> {
    Box::<RawValue>::deserialize(d)
}

fn classify<E: serde::de::Error>(raw: &RawValue) -> Result<Raw<'_>, E> {
    let text = raw.get();
    Ok(match text.as_bytes().first() {
        // `raw` is valid JSON: a string without a backslash has no escape,
        // so its text between the quotes is the string itself.
        Some(b'"') => Raw::String(match text.get(1..text.len() - 1) {
            Some(inner) if !inner.contains('\\') => inner.to_owned(),
            _ => serde_json::from_str(text).map_err(E::custom)?,
        }),
        Some(b'{' | b'[') => Raw::Composite(text),
        Some(b't') => Raw::Bool(true),
        Some(b'f') => Raw::Bool(false),
        Some(b'n') | None => Raw::Null,
        Some(_) => Raw::Number(text),
    })
}

/// Text that may arrive as a string, a number (its exact characters), a
/// bool, `null` (→ `""`) or an object or array (→ its compact JSON text).
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = raw(d)?;
    Ok(match classify(&raw)? {
        Raw::String(s) => s,
        Raw::Number(n) => n.to_owned(),
        Raw::Bool(b) => b.to_string(),
        Raw::Null => String::new(),
        // Printed back compactly (keys sorted), as it always was.
        Raw::Composite(json) => serde_json::from_str::<serde_json::Value>(json)
            .map_err(D::Error::custom)?
            .to_string(),
    })
}

/// [`text`] as a type, for the envelope and other places that decode a
/// value outside a `deserialize_with` field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(d).map(Text)
    }
}

/// Optional text: absent, `null` or `""` gives `None`.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = text(d)?;
    Ok(if text.is_empty() { None } else { Some(text) })
}

/// An optional [`Syssn`](super::Syssn): absent, `null` or empty gives `None`.
pub(crate) fn opt_syssn<'de, D: Deserializer<'de>>(d: D) -> Result<Option<super::Syssn>, D::Error> {
    let text = text(d)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    // `Syssn` reads JSON; a `Value` is a JSON deserializer.
    super::Syssn::deserialize(serde_json::Value::String(text))
        .map(Some)
        .map_err(D::Error::custom)
}

/// `YYYY-MM-DD hh:mm:ss` as an optional [`TradeTime`](super::TradeTime):
/// absent, `null`, empty or any other text gives `None` — a response or a
/// notification is never refused for its time stamp.
pub(crate) fn opt_trade_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<super::TradeTime>, D::Error> {
    let text = text(d)?;
    Ok(super::TradeTime::parse(text.trim()).ok())
}

const NON_NEGATIVE: &str = "a non-negative integer as a number or a string";

/// A non-negative integer sent as a JSON number or a decimal string (`10`,
/// `"10"`, `10.0`, `1e3`; `""` → 0). A number that is not a whole number or
/// does not fit 64 bits is refused, never rounded.
pub(crate) fn u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_u64_lenient(d).map(Option::unwrap_or_default)
}

/// An optional integer sent as a number, a string, `""` or `null` (→ `None`).
pub(crate) fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let raw = raw(d)?;
    match classify(&raw)? {
        Raw::Null => Ok(None),
        Raw::Number(n) => exact_u64(n).map(Some).ok_or_else(|| {
            D::Error::custom(format_args!(
                "{n} is not a whole number from 0 to {}, expected {NON_NEGATIVE}",
                u64::MAX
            ))
        }),
        Raw::String(s) if s.trim().is_empty() => Ok(None),
        Raw::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::invalid_value(serde::de::Unexpected::Str(&s), &NON_NEGATIVE)),
        Raw::Bool(b) => Err(D::Error::invalid_type(
            serde::de::Unexpected::Bool(b),
            &NON_NEGATIVE,
        )),
        Raw::Composite(_) => Err(D::Error::invalid_type(
            serde::de::Unexpected::Map,
            &NON_NEGATIVE,
        )),
    }
}

/// The exact value of a JSON number as a `u64`: `None` when it is negative
/// (other than zero), has a fractional part or does not fit.
fn exact_u64(number: &str) -> Option<u64> {
    let (negative, unsigned) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i64>().ok()?),
        None => (unsigned, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Some(0);
    }
    if negative {
        return None;
    }
    // value = significant × 10^scale
    let scale = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    if scale < 0 {
        let cut = usize::try_from(-scale).ok()?;
        let keep = significant.len().checked_sub(cut)?;
        let (whole, fraction) = significant.split_at(keep);
        if !fraction.bytes().all(|b| b == b'0') || whole.is_empty() {
            return None;
        }
        whole.parse().ok()
    } else {
        let power = 10u64.checked_pow(u32::try_from(scale).ok()?)?;
        significant.parse::<u64>().ok()?.checked_mul(power)
    }
}

/// A code of a QFPay code table (`respcd`, `pay_type`, …) as sent.
pub(crate) enum Code {
    /// Sent as a string, or as an integer that is not a plain `u64` (its text).
    Text(String),
    /// Sent as a plain non-negative integer.
    Integer(u64),
}

/// A code sent as a string or an integer; any other JSON is refused.
pub(crate) fn code<'de, D: Deserializer<'de>>(d: D, what: &'static str) -> Result<Code, D::Error> {
    let raw = raw(d)?;
    match classify(&raw)? {
        Raw::String(s) => Ok(Code::Text(s)),
        Raw::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => Ok(n
            .parse()
            .map_or_else(|_| Code::Text(n.to_owned()), Code::Integer)),
        // Any other integer (negative, beyond 64 bits) as its text; a
        // fraction or an exponent is no code.
        Raw::Number(n) if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
            Ok(Code::Text(n.to_owned()))
        }
        Raw::Number(_) => Err(D::Error::invalid_type(
            serde::de::Unexpected::Other("a number that is not an integer"),
            &what,
        )),
        Raw::Bool(b) => Err(D::Error::invalid_type(
            serde::de::Unexpected::Bool(b),
            &what,
        )),
        Raw::Null => Err(D::Error::invalid_type(serde::de::Unexpected::Unit, &what)),
        Raw::Composite(_) => Err(D::Error::invalid_type(serde::de::Unexpected::Map, &what)),
    }
}

/// A list that may arrive as an array, a single object, `null` or be absent.
/// Elements that do not decode are an error (they are the payload).
pub(crate) fn vec_or_one<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let raw = raw(d)?;
    let json = raw.get();
    let one = || serde_json::from_str(json).map(|item| vec![item]);
    match classify::<D::Error>(&raw)? {
        Raw::Null => Ok(Vec::new()),
        // An empty string or an empty object stands for "no data".
        Raw::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        Raw::Composite(_) if json.starts_with('[') => serde_json::from_str(json),
        Raw::Composite(_) if json[1..json.len() - 1].trim().is_empty() => Ok(Vec::new()),
        _ => one(),
    }
    .map_err(D::Error::custom)
}

/// An optional object that may arrive as an object, as a JSON string holding
/// the object (reference §27.1 #32), as `null`, `""` or be absent.
pub(crate) fn opt_object_or_json_string<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let raw = raw(d)?;
    match classify::<D::Error>(&raw)? {
        Raw::Null => Ok(None),
        Raw::String(s) if s.trim().is_empty() => Ok(None),
        // A string holding JSON is parsed; any other string is offered to
        // `T` as a string (a `serde_json::Value` payload keeps it).
        Raw::String(s) => match serde_json::from_str(&s) {
            Ok(value) => Ok(Some(value)),
            Err(error) => serde_json::from_str(raw.get())
                .map(Some)
                .map_err(|_| D::Error::custom(error)),
        },
        _ => serde_json::from_str(raw.get())
            .map(Some)
            .map_err(D::Error::custom),
    }
}

/// A JSON value that may arrive stringified: a string holding JSON is parsed,
/// any other string is kept as a string, `null`/absent give `None`.
pub(crate) fn opt_json_value<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    let raw = raw(d)?;
    Ok(match classify::<D::Error>(&raw)? {
        Raw::Null => None,
        Raw::String(s) if s.trim().is_empty() => None,
        Raw::String(s) => Some(serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s))),
        _ => Some(serde_json::from_str(raw.get()).map_err(D::Error::custom)?),
    })
}

/// The `respcd` of a record that lacks one: an empty `Other` code.
pub(crate) fn missing_code() -> RespCode {
    RespCode::Other(String::new())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::u64_lenient")]
        a: u64,
        #[serde(default, deserialize_with = "super::opt_u64_lenient")]
        b: Option<u64>,
        #[serde(default, deserialize_with = "super::text")]
        c: String,
    }

    #[test]
    fn numbers_strings_and_objects() {
        let t: T = serde_json::from_str(r#"{"a":"10","b":"","c":{"x":1}}"#).unwrap();
        assert_eq!((t.a, t.b, t.c.as_str()), (10, None, r#"{"x":1}"#));
        let t: T = serde_json::from_str(r#"{"a":10,"b":7,"c":null}"#).unwrap();
        assert_eq!((t.a, t.b, t.c.as_str()), (10, Some(7), ""));
        assert!(serde_json::from_str::<T>(r#"{"a":"x"}"#).is_err());
    }

    /// Every JSON kind reads as it did through `serde_json::Value`; bare
    /// numbers keep their exact characters.
    #[test]
    fn text_of_every_json_kind() {
        for (json, expected) in [
            (r#""text""#, "text"),
            (r#""""#, ""),
            (r#""\u00e9\n""#, "é\n"),
            ("0", "0"),
            ("-12", "-12"),
            ("18446744073709551615", "18446744073709551615"),
            ("20190722000300020081074842", "20190722000300020081074842"),
            ("1.5", "1.5"),
            ("1.50", "1.50"),
            ("1e21", "1e21"),
            ("-0.0", "-0.0"),
            ("true", "true"),
            ("false", "false"),
            ("null", ""),
            (
                r#"{"y":[1,"a",null], "x":1}"#,
                r#"{"x":1,"y":[1,"a",null]}"#,
            ),
            (r#"[1,{"b":2}]"#, r#"[1,{"b":2}]"#),
            ("[]", "[]"),
            ("{}", "{}"),
        ] {
            let body = format!(r#"{{"a":1,"c":{json}}}"#);
            assert_eq!(
                serde_json::from_str::<T>(&body).unwrap().c,
                expected,
                "{json}"
            );
        }
        assert!(serde_json::from_str::<T>(r#"{"a":-1}"#).is_err());
    }

    #[test]
    fn integers_are_exact_or_refused() {
        for (json, expected) in [
            ("10", Some(10)),
            ("10.0", Some(10)),
            ("1e3", Some(1000)),
            ("1.5e1", Some(15)),
            ("-0", Some(0)),
            ("0e999", Some(0)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("20190722000300020081074842", None),
            ("1.5", None),
            ("-1", None),
            ("1e20", None),
            ("12345678901234567.5", None),
        ] {
            assert_eq!(super::exact_u64(json), expected, "{json}");
        }
        let error = serde_json::from_str::<T>(r#"{"a":18446744073709551616}"#)
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("18446744073709551616"),
            "{error}"
        );
    }
}
