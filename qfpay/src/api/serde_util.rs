//! Lenient deserialisers shared by the response types of the catalogue.
//!
//! QFPay's JSON is loose (reference §27.3 #1, #8, #16–#18): numbers arrive as
//! strings or numbers, arrays as single objects, nested JSON as strings. A
//! payment that succeeded must never become a decode error because of an
//! odd field, so these helpers accept every shape the reference shows.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};

use crate::types::RespCode;

/// A list that may arrive as an array, a single object, `null` or be absent.
/// Elements that do not decode are an error (they are the payload).
pub(crate) fn vec_or_one<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| serde_json::from_value(item).map_err(D::Error::custom))
            .collect(),
        // An empty string or an empty object stands for "no data".
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        serde_json::Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        one => serde_json::from_value(one)
            .map(|item| vec![item])
            .map_err(D::Error::custom),
    }
}

/// An optional object that may arrive as an object, as a JSON string holding
/// the object (reference §27.1 #32), as `null`, `""` or be absent.
pub(crate) fn opt_object_or_json_string<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(None),
        // A string holding JSON is parsed; any other string is offered to
        // `T` as a string (a `serde_json::Value` payload keeps it).
        serde_json::Value::String(s) => match serde_json::from_str(&s) {
            Ok(value) => Ok(Some(value)),
            Err(error) => serde_json::from_value(serde_json::Value::String(s))
                .map(Some)
                .map_err(|_| D::Error::custom(error)),
        },
        other => serde_json::from_value(other)
            .map(Some)
            .map_err(D::Error::custom),
    }
}

/// A JSON value that may arrive stringified: a string holding JSON is parsed,
/// any other string is kept as a string, `null`/absent give `None`.
pub(crate) fn opt_json_value<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.trim().is_empty() => None,
        serde_json::Value::String(s) => {
            Some(serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s)))
        }
        other => Some(other),
    })
}

/// The `respcd` of a record that lacks one: an empty `Other` code.
pub(crate) fn missing_code() -> RespCode {
    RespCode::Other(String::new())
}
