//! Requests the mock received, for inspection by tests.

use qfpay::RawParams;
use serde::Serialize;

use crate::params::source;

/// One request received on a QFPay path (control paths under `/__mock/` are
/// not recorded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Sequence number, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path, without the query string.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Headers in the order received (names lower-case; non-text values lossily decoded).
    pub headers: Vec<(String, String)>,
    /// The body (lossily decoded as UTF-8).
    pub body: String,
    /// The fault injected into this request's reply, if any.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parameters: the decoded query string for GET, else the form body
    /// (or the query string when the body is empty).
    pub fn params(&self) -> RawParams {
        let query = self.query.as_deref().unwrap_or("");
        let is_get = self.method.eq_ignore_ascii_case("GET");
        RawParams::from_form(source(is_get, query, self.body.as_bytes()))
    }
}
