//! Fault injection: what the network and QFPay's front end can do to a reply.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A transport-level misbehaviour applied to one reply.
///
/// "Not processed" faults answer before the request reaches the QFPay
/// logic (no order is created); "processed" faults let the request take
/// effect and then spoil the reply — the case where a client cannot know
/// whether its payment went through and must query.
///
/// In JSON (control endpoint `POST /__mock/faults`) a fault is an object
/// tagged by `kind`, e.g. `{"kind": "status", "status": 503}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// Processed; the reply is held back for `ms` milliseconds.
    Latency {
        /// Delay in milliseconds.
        ms: u64,
    },
    /// Not processed; HTTP 429 `Too Many Requests` with a `Retry-After`
    /// header (seconds) when given. The body is plain text (QFPay does not
    /// document it).
    TooManyRequests {
        /// `Retry-After` in seconds.
        retry_after_secs: Option<u64>,
    },
    /// Not processed; this HTTP status (e.g. 500, 502, 503) with a short
    /// plain-text body.
    Status {
        /// The status code (100–999; anything else answers 500).
        status: u16,
    },
    /// Processed (the payment or refund is made); then this HTTP status
    /// with a short plain-text body — a gateway failing after QFPay committed.
    StatusAfterProcessing {
        /// The status code (100–999; anything else answers 500).
        status: u16,
    },
    /// Not processed; the connection is closed without any response.
    DropConnection,
    /// Processed; then the connection is closed without any response.
    DropAfterProcessing,
    /// Processed; the JSON body is cut in half (a complete HTTP response
    /// whose body is not valid JSON).
    TruncatedJson,
    /// Not processed; HTTP 200 with an HTML page (as a proxy or captive
    /// portal would answer).
    NonJson,
    /// Processed; the reply's `X-QF-SIGN` header does not match its body.
    WrongSignature,
}

impl Fault {
    /// [`Fault::Latency`] from a `Duration`.
    pub fn latency(delay: Duration) -> Self {
        Fault::Latency {
            ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Whether the request is handled before the fault spoils the reply.
    pub fn is_processed(&self) -> bool {
        matches!(
            self,
            Fault::Latency { .. }
                | Fault::StatusAfterProcessing { .. }
                | Fault::DropAfterProcessing
                | Fault::TruncatedJson
                | Fault::WrongSignature
        )
    }

    pub(crate) fn label(&self) -> String {
        match self {
            Fault::Latency { ms } => format!("latency {ms} ms"),
            Fault::TooManyRequests { .. } => "429".into(),
            Fault::Status { status } => format!("status {status}"),
            Fault::StatusAfterProcessing { status } => format!("status {status} after processing"),
            Fault::DropConnection => "drop_connection".into(),
            Fault::DropAfterProcessing => "drop_after_processing".into(),
            Fault::TruncatedJson => "truncated_json".into(),
            Fault::NonJson => "non_json".into(),
            Fault::WrongSignature => "wrong_signature".into(),
        }
    }
}

fn one() -> Option<u32> {
    Some(1)
}

/// Which requests a [`Fault`] applies to: a path (or every QFPay path) and
/// a count (or every matching request until removed).
///
/// ```
/// use qfpay_mock::{Fault, FaultRule};
/// let rule = FaultRule::new(Fault::Status { status: 503 })
///     .on_path("/trade/v1/payment")
///     .times(2);
/// let forever = FaultRule::new(Fault::WrongSignature).always();
/// # let _ = (rule, forever);
/// ```
///
/// JSON: `{"fault": {...}, "path": "/trade/v1/payment", "times": 2}`;
/// `path` absent means every path, `times` absent means 1 and `null` means
/// until removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The fault.
    pub fault: Fault,
    /// Only requests to this exact path; `None`: every QFPay path.
    #[serde(default)]
    pub path: Option<String>,
    /// How many requests it still applies to; `None`: until removed.
    #[serde(default = "one")]
    pub times: Option<u32>,
}

impl FaultRule {
    /// `fault` for the next request on any path.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            path: None,
            times: Some(1),
        }
    }

    /// Only for requests to `path` (exact match, e.g. `/trade/v1/refund`).
    pub fn on_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// For the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// For every matching request until removed.
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule::new(fault)
    }
}

/// Identifies an injected rule, to remove it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FaultId(pub u64);

#[derive(Default)]
pub(crate) struct Faults {
    next: u64,
    rules: Vec<(FaultId, FaultRule)>,
}

impl Faults {
    pub fn add(&mut self, rule: FaultRule) -> FaultId {
        self.next += 1;
        let id = FaultId(self.next);
        if rule.times != Some(0) {
            self.rules.push((id, rule));
        }
        id
    }

    pub fn remove(&mut self, id: FaultId) -> bool {
        let before = self.rules.len();
        self.rules.retain(|(i, _)| *i != id);
        self.rules.len() != before
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> Vec<(FaultId, FaultRule)> {
        self.rules.clone()
    }

    /// The fault for a request to `path`, consuming one use of the first
    /// matching rule.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let pos = self
            .rules
            .iter()
            .position(|(_, r)| r.path.as_deref().is_none_or(|p| p == path))?;
        let (_, rule) = &mut self.rules[pos];
        let fault = rule.fault.clone();
        if let Some(n) = &mut rule.times {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.rules.remove(pos);
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_paths() {
        let mut f = Faults::default();
        f.add(FaultRule::new(Fault::NonJson).on_path("/a").times(2));
        f.add(FaultRule::new(Fault::WrongSignature).always());
        assert_eq!(f.take("/b"), Some(Fault::WrongSignature));
        assert_eq!(f.take("/a"), Some(Fault::NonJson));
        assert_eq!(f.take("/a"), Some(Fault::NonJson));
        assert_eq!(f.take("/a"), Some(Fault::WrongSignature));
        f.clear();
        assert_eq!(f.take("/a"), None);
    }

    #[test]
    fn json_shape() {
        let r: FaultRule =
            serde_json::from_str(r#"{"fault": {"kind": "status", "status": 503}, "path": "/x"}"#)
                .unwrap();
        assert_eq!(r.times, Some(1));
        assert_eq!(r.fault, Fault::Status { status: 503 });
        let r: FaultRule = serde_json::from_str(
            r#"{"fault": {"kind": "too_many_requests", "retry_after_secs": 2}, "times": null}"#,
        )
        .unwrap();
        assert_eq!(r.times, None);
        let r: FaultRule =
            serde_json::from_str(r#"{"fault": {"kind": "drop_connection"}}"#).unwrap();
        assert_eq!(r.fault, Fault::DropConnection);
        let r: FaultRule = serde_json::from_str(
            r#"{"fault": {"kind": "status_after_processing", "status": 502}}"#,
        )
        .unwrap();
        assert_eq!(r.fault, Fault::StatusAfterProcessing { status: 502 });
        assert!(r.fault.is_processed());
    }
}
