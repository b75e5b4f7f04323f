//! JSON-valued form fields (`extend_info`, `chnl_ext`, `billing_address`, …).

use std::fmt;

use serde::Serialize;

use crate::param::{PairSink, ParamValue};

/// A value sent as a JSON string inside one form field.
///
/// Serialised once, at construction: the exact same text is signed and sent
/// (reference §27.3 #9).
///
/// ```
/// use qfpay::types::Json;
/// let info = Json::new(serde_json::json!({"user_truename": "小林"})).unwrap();
/// assert_eq!(info.as_str(), r#"{"user_truename":"小林"}"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Json<T> {
    value: T,
    text: String,
}

impl<T: Serialize> Json<T> {
    /// Serialises `value` (compact, UTF-8).
    pub fn new(value: T) -> Result<Self, serde_json::Error> {
        let text = serde_json::to_string(&value)?;
        Ok(Json { value, text })
    }
}

impl<T> Json<T> {
    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The JSON text that is signed and sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, dropping its text.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> fmt::Debug for Json<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Json({})", self.text)
    }
}

impl<T> ParamValue for Json<T> {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, &self.text);
    }
}
