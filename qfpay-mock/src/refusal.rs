//! Why the mock refused a request, kept with the recorded request so that a
//! developer sees what to fix ([`crate::MockServer::requests`], the
//! dashboard at `/__mock/`).

use serde::Serialize;

/// Why a request was refused before any endpoint acted on it: an unknown
/// path or method, or a failed check of reference §5.1 (signature) or §4
/// (`mchid`).
///
/// The client key never appears here: `signed_string` is the string the
/// mock hashed **without** the key that follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Refusal {
    /// The `respcd` answered: `1108` (signature), `1103` (format, unknown
    /// path or method), `1104` (`mchid` rule).
    pub respcd: String,
    /// The explanation answered in `resperr`.
    pub reason: String,
    /// The string the mock signed — the sorted parameters, `name=value`
    /// joined by `&`, empty values left out — without the client key that
    /// is appended to it. `None` when the request was refused before the
    /// app and hash were known.
    pub signed_string: Option<String>,
    /// The signature the mock expected (upper-case hex of the
    /// `signed_string` plus the key), when it could compute one.
    pub expected_signature: Option<String>,
    /// The `X-QF-SIGN` header received, if any.
    pub received_signature: Option<String>,
    /// The `mchid` rule (reference §4) the request broke, if that is why.
    pub mchid_rule: Option<String>,
}

impl Refusal {
    /// A refusal with only a code and a reason.
    pub(crate) fn new(respcd: &str, reason: impl Into<String>) -> Self {
        Refusal {
            respcd: respcd.to_owned(),
            reason: reason.into(),
            signed_string: None,
            expected_signature: None,
            received_signature: None,
            mchid_rule: None,
        }
    }
}
