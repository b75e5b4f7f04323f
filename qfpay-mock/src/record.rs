//! Requests the mock received, for inspection by tests.

use qfpay::RawParams;
use serde::Serialize;

use crate::params::source;
use crate::refusal::Refusal;

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
    /// Why the mock refused the request (unknown path or method, signature,
    /// `mchid` rule); `None` when it was not refused.
    pub refusal: Option<Refusal>,
}

/// The sequence number of the request being served, put in the request's
/// extensions when it is recorded, so that a handler that refuses it can
/// attach the reason ([`crate::state::Shared::refuse`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RequestSeq(pub u64);

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
