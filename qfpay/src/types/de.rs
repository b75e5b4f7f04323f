//! Lenient deserialisers for QFPay's loosely typed JSON (reference §27.3 #1, #8).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A non-negative integer sent as a JSON number or a decimal string (`10`, `"10"`, `""` → 0).
pub(crate) fn u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer as a number or a string")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            if v >= 0.0 && v.fract() == 0.0 && v < 1.8e19 {
                Ok(v as u64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(0);
            }
            t.parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
    d.deserialize_any(V)
}

/// An optional integer sent as a number, a string, `""` or `null` (→ `None`).
pub fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an optional integer as a number or a string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v >= 0.0 && v.fract() == 0.0 && v < 1.8e19 {
                Ok(Some(v as u64))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
    d.deserialize_option(V)
}

/// Text that may arrive as a string, a number, a bool, `null` (→ `""`) or an
/// object or array (→ its JSON text).
///
/// Strings — nearly every value — are taken as they come; only an object or
/// an array goes through `serde_json::Value` to be printed back as JSON.
/// Numbers and bools print as `serde_json` prints them.
pub fn text_or_json<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};

    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("text, a number, a bool, null, an object or an array")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(serde_json::Value::from(v).to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<String, D2::Error> {
            text_or_json(d)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
            serde_json::Value::deserialize(MapAccessDeserializer::new(map)).map(|v| v.to_string())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
            serde_json::Value::deserialize(SeqAccessDeserializer::new(seq)).map(|v| v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// Optional text: absent, `null` or `""` gives `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = text_or_json(d)?;
    Ok(if text.is_empty() { None } else { Some(text) })
}

/// `YYYY-MM-DD hh:mm:ss` as an optional [`TradeTime`](crate::types::TradeTime):
/// absent, `null`, empty or any other text gives `None` — a response or a
/// notification is never refused for its time stamp.
pub fn opt_trade_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::types::TradeTime>, D::Error> {
    let text = text_or_json(d)?;
    Ok(crate::types::TradeTime::parse(text.trim()).ok())
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
        #[serde(default, deserialize_with = "super::text_or_json")]
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

    /// Every JSON kind prints as it did through `serde_json::Value`, also
    /// behind `#[serde(flatten)]` (which buffers the value first).
    #[test]
    fn text_of_every_json_kind_matches_value() {
        #[derive(Deserialize)]
        struct Flat {
            #[serde(default, deserialize_with = "super::text_or_json")]
            c: String,
            #[serde(flatten)]
            _rest: serde_json::Map<String, serde_json::Value>,
        }
        for json in [
            r#""text""#,
            r#""""#,
            r#""\u00e9\n""#,
            "0",
            "-12",
            "18446744073709551615",
            "1.5",
            "1e21",
            "-0.0",
            "true",
            "false",
            "null",
            r#"{"x":1,"y":[1,"a",null]}"#,
            r#"[1,{"b":2}]"#,
            "[]",
            "{}",
        ] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let expected = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let body = format!(r#"{{"a":1,"c":{json}}}"#);
            assert_eq!(
                serde_json::from_str::<T>(&body).unwrap().c,
                expected,
                "{json}"
            );
            assert_eq!(
                serde_json::from_str::<Flat>(&body).unwrap().c,
                expected,
                "{json}"
            );
        }
        assert!(serde_json::from_str::<T>(r#"{"a":-1}"#).is_err());
    }
}
