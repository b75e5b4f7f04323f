//! [`Extra`]: the fields of a reply that its type does not model.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// The fields of a response or notification that its type does not model,
/// each kept as the exact JSON text QFPay sent, by name.
///
/// Raw text rather than `serde_json::Value`: a `Value` holds a bare integer
/// beyond 64 bits as a float, so an identifier such as
/// `20190722000300020081074842` would read back as `2.019072200030002e25`.
///
/// ```
/// let r: qfpay::api::RefundResponse = serde_json::from_str(
///     r#"{"respcd":"0000","batch_no":20190722000300020081074842,"flags":{"a":[1,2]}}"#,
/// ).unwrap();
/// assert_eq!(r.extra.text("batch_no").as_deref(), Some("20190722000300020081074842"));
/// assert_eq!(r.extra.value("flags"), Some(serde_json::json!({"a": [1, 2]})));
/// assert_eq!(r.extra.get("flags").map(|raw| raw.get()), Some(r#"{"a":[1,2]}"#));
/// ```
#[derive(Clone, Default)]
pub struct Extra(BTreeMap<String, Box<RawValue>>);

impl Extra {
    /// The raw JSON of field `name`.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.0.get(name).map(|raw| &**raw)
    }

    /// Field `name` as text: a string unescaped, `null` as `""`, anything
    /// else (a number with its exact characters, an object) as its JSON.
    pub fn text(&self, name: &str) -> Option<String> {
        crate::types::de::text(self.get(name)?).ok()
    }

    /// Field `name` parsed as a [`serde_json::Value`] (a number beyond what
    /// a float holds exactly loses digits there; [`text`](Self::text) keeps them).
    pub fn value(&self, name: &str) -> Option<serde_json::Value> {
        serde_json::from_str(self.get(name)?.get()).ok()
    }

    /// Whether field `name` was sent.
    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Sets field `name` to `raw`, returning the value it replaces.
    pub fn insert(&mut self, name: impl Into<String>, raw: Box<RawValue>) -> Option<Box<RawValue>> {
        self.0.insert(name.into(), raw)
    }

    /// Removes field `name`.
    pub fn remove(&mut self, name: &str) -> Option<Box<RawValue>> {
        self.0.remove(name)
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields, by name in byte order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(name, raw)| (name.as_str(), &**raw))
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// The JSON text, unquoted.
        struct Json<'a>(&'a str);
        impl fmt::Debug for Json<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        f.debug_map()
            .entries(self.iter().map(|(name, raw)| (name, Json(raw.get()))))
            .finish()
    }
}

/// Equal when the same fields carry the same JSON text.
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| a.0 == b.0 && a.1.get() == b.1.get())
    }
}

impl Eq for Extra {}

/// A map of the raw values: serde_json writes each one's text unchanged.
impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(d).map(Extra)
    }
}
