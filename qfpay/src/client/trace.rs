//! What a call tells `tracing`: the span's identifiers (never a secret or
//! another parameter value) and one event per attempt.

use std::fmt;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::param::PairSink;

/// Records the request's `out_trade_no` and `syssn` on the call's span: the
/// identifiers a merchant searches logs by. No other value is recorded.
/// Returns whether a `syssn` was among them.
pub(super) fn record_ids<E: Endpoint + ?Sized>(span: &tracing::Span, request: &E) -> bool {
    struct Ids<'s> {
        span: &'s tracing::Span,
        syssn: bool,
    }
    impl PairSink for Ids<'_> {
        fn pair(&mut self, name: &str, value: &str) {
            if !value.is_empty() && matches!(name, "out_trade_no" | "syssn") {
                self.syssn |= name == "syssn";
                self.span.record(name, value);
            }
        }
    }
    let mut ids = Ids { span, syssn: false };
    request.write_params(&mut ids);
    ids.syssn
}

/// Records the `syssn` QFPay gave a write (a payment's, a refund's) on the
/// current span. Only asked for when tracing is on and the request had none,
/// so the extra parse costs nothing otherwise; a reply without one is left alone.
pub(super) fn record_reply_syssn(body: &[u8]) {
    if let Some(syssn) = reply_syssn(body) {
        tracing::Span::current().record("syssn", syssn.as_str());
    }
}

/// A reply's `syssn`, with its exact digits also when QFPay sends a number
/// too long for an `f64`.
fn reply_syssn(body: &[u8]) -> Option<crate::types::Syssn> {
    #[derive(serde::Deserialize)]
    struct Reply {
        #[serde(default, deserialize_with = "crate::types::de::opt_syssn")]
        syssn: Option<crate::types::Syssn>,
    }
    serde_json::from_slice::<Reply>(body).ok()?.syssn
}

/// One event per attempt: its number, the HTTP status when one came back,
/// how long it took and, when it failed, the kind of error.
pub(super) fn attempt_done(
    number: u32,
    status: Option<u16>,
    took: Duration,
    error: Option<&Error>,
) {
    tracing::debug!(
        attempt = number,
        status = status.or_else(|| error.and_then(Error::status)),
        duration_ms = millis(took),
        error = error.map(Error::kind_name),
        "qfpay attempt"
    );
}

/// A duration in whole milliseconds, for a trace field.
pub(super) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Displays the wire names a request sends (never the values), comma-separated.
pub(super) struct ParamNames<'a, E: ?Sized>(pub &'a E);

impl<E: Endpoint + ?Sized> fmt::Display for ParamNames<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Names<'f, 'g> {
            f: &'f mut fmt::Formatter<'g>,
            first: bool,
            result: fmt::Result,
        }
        impl PairSink for Names<'_, '_> {
            fn pair(&mut self, name: &str, value: &str) {
                if value.is_empty() || self.result.is_err() {
                    return;
                }
                if !self.first {
                    self.result = self.f.write_str(",");
                }
                self.first = false;
                if self.result.is_ok() {
                    self.result = self.f.write_str(name);
                }
            }
        }
        let mut names = Names {
            f,
            first: true,
            result: Ok(()),
        };
        self.0.write_params(&mut names);
        names.result
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reply_syssn_keeps_its_digits_as_a_string_or_a_long_number() {
        let syssn = |body: &str| super::reply_syssn(body.as_bytes()).map(|s| s.as_str().to_owned());
        let digits = "20200615000200020000641807";
        assert_eq!(
            syssn(&format!(r#"{{"syssn":{digits}}}"#)).as_deref(),
            Some(digits)
        );
        assert_eq!(
            syssn(&format!(r#"{{"syssn":"{digits}"}}"#)).as_deref(),
            Some(digits)
        );
        assert_eq!(syssn(r#"{"syssn":""}"#), None);
        assert_eq!(syssn(r#"{"respcd":"0000"}"#), None);
    }
}
