//! Response decoding: the trait an endpoint's response type implements, the
//! envelope every QFPay reply carries, and the raw `extra` fields.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod extra;
pub(crate) mod fields;
pub(crate) mod object;
mod shared_fields;

pub use extra::Extra;
pub(crate) use object::qf_object;
pub(crate) use shared_fields::shared_fields;

use crate::types::RespCode;
use crate::types::de::Text;

/// How a response type is made from the HTTP body.
///
/// Every `serde::Deserialize` type implements it by decoding JSON; binary
/// responses (the statement download) implement it by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a QFPay response type",
    label = "this type does not implement `serde::Deserialize`",
    note = "derive `serde::Deserialize` for it (QFPay responses are JSON), or leave `response` out to get `qfpay::JsonResponse`"
)]
pub trait DecodeResponse: Sized {
    /// Decodes a successful response body.
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error>;

    /// The client's decoding: the value and, when the body is a JSON object
    /// with a top-level `respcd`, its envelope — which the client turns into
    /// [`Error::Api`](crate::Error::Api) for a failure code. For `Deserialize`
    /// types both come from one parse of the body; the default (types that
    /// decode by hand, such as binary downloads) reads the envelope of a body
    /// that looks like a JSON object first.
    #[doc(hidden)]
    fn __decode_with_envelope(body: &[u8]) -> Result<(Self, Option<Envelope>), serde_json::Error> {
        let envelope = if is_object(body) {
            read_envelope(body).ok().flatten()
        } else {
            None
        };
        Ok((Self::decode(body)?, envelope))
    }
}

impl<T: DeserializeOwned> DecodeResponse for T {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }

    fn __decode_with_envelope(body: &[u8]) -> Result<(Self, Option<Envelope>), serde_json::Error> {
        if is_object(body) {
            object::decode_with_envelope(body)
        } else {
            Ok((Self::decode(body)?, None))
        }
    }
}

fn is_object(body: &[u8]) -> bool {
    body.trim_ascii_start().starts_with(b"{")
}

/// The envelope of a JSON object body, tolerant of any other content;
/// `None` when it has no `respcd`. The client's reading of a reply that does
/// not fit its response type, and of a body that should not be JSON at all.
///
/// Read from the object's raw entries, not through a derived struct: a key
/// given twice (the last one counts, as in a `serde_json::Map`) must not hide
/// a failure code, and each value keeps its exact text.
pub(crate) fn read_envelope(body: &[u8]) -> Result<Option<Envelope>, serde_json::Error> {
    let entries: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_slice(body)?;
    let Some(respcd) = entries.get("respcd") else {
        return Ok(None);
    };
    let Some(respcd) = serde_json::from_str::<Option<RespCode>>(respcd.get())? else {
        return Ok(None);
    };
    let text = |name: &str| match entries.get(name) {
        Some(raw) => serde_json::from_str::<Text>(raw.get()).map(|t| t.0),
        None => Ok(String::new()),
    };
    Ok(Some(Envelope {
        respcd,
        resperr: text("resperr")?,
        respmsg: text("respmsg")?,
    }))
}

/// The fields every QFPay JSON reply carries (reference §6), declared
/// once: each response type has them as its `envelope`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Envelope {
    /// Result code; `"0000"` is success.
    pub respcd: RespCode,
    /// Result description, English or Chinese; never branch on it. Kept as
    /// text (a number keeps its exact characters, an object is its JSON).
    #[serde(default, deserialize_with = "crate::types::de::text")]
    pub resperr: String,
    /// Supplementary message, often empty; text as `resperr` is.
    #[serde(default, deserialize_with = "crate::types::de::text")]
    pub respmsg: String,
}

impl Envelope {
    /// An envelope with `respcd` and empty messages.
    pub fn new(respcd: RespCode) -> Self {
        Envelope {
            respcd,
            resperr: String::new(),
            respmsg: String::new(),
        }
    }
}

qf_object! {
    reply
    /// A response whose shape the SDK does not model: the envelope, and
    /// every other field as raw JSON in `extra`.
    ///
    /// The response type of endpoints declared without `response = ...`.
    pub struct JsonResponse {}
}

impl JsonResponse {
    /// A field other than the envelope's, parsed (see [`Extra::value`];
    /// [`Extra::text`] and [`Extra::get`] keep its exact text).
    pub fn get(&self, name: &str) -> Option<serde_json::Value> {
        self.extra.value(name)
    }
}
