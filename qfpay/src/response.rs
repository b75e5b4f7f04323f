//! Response decoding: the envelope every QFPay reply carries, and the trait
//! an endpoint's response type implements.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::types::RespCode;

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
}

impl<T: DeserializeOwned> DecodeResponse for T {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}

/// The fields every QFPay JSON response carries (reference §6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Result code; `"0000"` is success.
    pub respcd: RespCode,
    /// Result description, English or Chinese; never branch on it.
    #[serde(default)]
    pub resperr: String,
    /// Supplementary message, often empty. Kept as text; an object (ECR) is
    /// rendered as JSON text.
    #[serde(default, deserialize_with = "crate::types::de::text_or_json")]
    pub respmsg: String,
}

/// A response whose shape the SDK does not model: the envelope plus every
/// other field as JSON.
///
/// The response type of endpoints declared without `response = ...`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonResponse {
    /// `respcd`, `resperr`, `respmsg`.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// All other fields, as received.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl JsonResponse {
    /// A field other than the envelope's.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields.get(name)
    }
}
