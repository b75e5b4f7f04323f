//! The error type of [`Client`](crate::Client): every failure of building a
//! client or making a call, typed, with the request path and the offending
//! field or code in its message.
//!
//! No variant ever holds the client key, the signature input or request
//! parameter values; response excerpts are the first ~200 characters of what
//! QFPay (or whatever answered) sent back.
//!
//! Two questions decide what a merchant does next, and each has a method:
//! [`Error::is_outcome_unknown`] — *may this write have taken effect?* (then
//! query, never send again) — and [`Error::is_retryable`] — *may the same
//! request simply be sent again?*

use std::borrow::Cow;
use std::time::Duration;

use crate::notify::NotifyError;
use crate::sign::InvalidParam;
use crate::transport::{BoxError, TransportErrorKind};
use crate::types::RespCode;

mod message;

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) (or a
/// [`CallOptions`](crate::CallOptions) setter) refused the configuration.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// A required setting was not given (`app_code`, `client_key`,
    /// `environment`).
    Missing {
        /// The builder method / setting name.
        field: &'static str,
    },
    /// A setting has a value that cannot be sent.
    Invalid {
        /// The builder method / setting name (`app_code`, `mchid`, `environment`, …).
        field: &'static str,
        /// Why it was refused. Never contains the client key.
        reason: Cow<'static, str>,
    },
    /// An environment variable read by
    /// [`Client::from_env`](crate::Client::from_env) is missing or malformed.
    Variable {
        /// The variable, e.g. `QFPAY_APP_CODE`.
        name: &'static str,
        /// What is wrong with it. Never contains the key.
        reason: Cow<'static, str>,
    },
    /// An extra header given to [`CallOptions::header`](crate::CallOptions::header)
    /// cannot be sent, or is one the client writes itself.
    InvalidHeader {
        /// The header name as given (escaped). The value is never shown.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The HTTP client could not be created (TLS roots, …).
    HttpClient(Box<dyn std::error::Error + Send + Sync>),
}

/// Everything that can go wrong building a [`Client`](crate::Client) or
/// making a call.
///
/// Each message names the request path and, where there is one, the field or
/// `respcd` at fault. For a write (payment, refund, reversal, close, …)
/// [`Error::is_outcome_unknown`] says whether it may have reached QFPay —
/// then its message ends with what to do: query by `out_trade_no`, never
/// send it again. [`Error::is_retryable`] is never `true` for such an error.
///
/// ```
/// use qfpay::Error;
/// use qfpay::types::RespCode;
///
/// let e = Error::Api {
///     path: "/trade/v1/refund".into(),
///     respcd: RespCode::from_code("1269"),
///     resperr: "insufficient".into(),
///     respmsg: String::new(),
/// };
/// assert!(e.to_string().contains("/trade/v1/refund"));
/// assert!(e.to_string().contains("1269"));
/// assert!(!e.is_retryable());
/// assert!(!e.is_outcome_unknown());
/// ```
///
/// Domain values refused by their constructor and refused notifications
/// convert into it, so `?` works in a function returning `qfpay::Error`:
///
/// ```
/// use qfpay::types::OutTradeNo;
///
/// fn order_number(id: &str) -> Result<OutTradeNo, qfpay::Error> {
///     Ok(OutTradeNo::new(id)?)
/// }
/// assert!(order_number("ORDER-1").is_ok());
/// assert!(order_number("").is_err());
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built.
    Build(BuildError),

    /// A value was refused by its type's constructor (for example
    /// [`OutTradeNo::new`](crate::types::OutTradeNo::new)); nothing was sent.
    InvalidValue(InvalidParam),

    /// A notification was refused (see [`NotifyError`]).
    Notification(NotifyError),

    /// A request field breaks a documented limit; nothing was sent.
    InvalidRequest {
        /// Request path.
        path: String,
        /// Wire name of the field (or `path` for a malformed path).
        field: &'static str,
        /// Why it was refused.
        reason: Cow<'static, str>,
    },

    /// The request sets a parameter the client also adds (`mchid`); nothing was sent.
    ///
    /// Either leave `mchid` off the request or build the client without one.
    DuplicateParam {
        /// Request path.
        path: String,
        /// Wire name of the parameter.
        field: &'static str,
    },

    /// QFPay answered with a `respcd` that is neither success nor pending.
    ///
    /// `resperr` and `respmsg` are for people (English or Chinese); branch on
    /// `respcd` only.
    Api {
        /// Request path.
        path: String,
        /// The result code.
        respcd: RespCode,
        /// Result description.
        resperr: String,
        /// Supplementary message (often empty).
        respmsg: String,
    },

    /// HTTP 429: the merchant's rate limit (100/s, 400/min) was hit; the
    /// request was not processed. Retryable.
    RateLimited {
        /// Request path.
        path: String,
        /// The `Retry-After` header, when it was a number of seconds.
        retry_after: Option<Duration>,
    },

    /// Any other non-2xx HTTP status. A 5xx on a read is retryable; on a
    /// write the outcome is unknown.
    Http {
        /// Request path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The first ~200 characters of the body.
        excerpt: String,
        /// Whether the request was a write (not idempotent).
        write: bool,
    },

    /// No response within the client's timeout. A read is retryable; a
    /// write may have been processed: its outcome is unknown.
    Timeout {
        /// Request path.
        path: String,
        /// The server's `host:port`.
        address: String,
        /// The timeout that elapsed.
        after: Duration,
        /// Whether the request was a write (not idempotent).
        write: bool,
    },

    /// No response: the connection failed or broke. `kind` names the cause;
    /// [`TransportErrorKind::may_have_been_sent`] tells whether a write's
    /// outcome is unknown.
    Transport {
        /// Request path.
        path: String,
        /// The server's `host:port`.
        address: String,
        /// What happened.
        kind: TransportErrorKind,
        /// Whether the request was a write (not idempotent).
        write: bool,
        /// The transport's underlying error (details; the cause is in the message).
        source: Option<BoxError>,
    },

    /// The body could not be decoded into the endpoint's response type (not
    /// JSON, or a field of the wrong shape). On a write the outcome is unknown.
    Decode {
        /// Request path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The first ~200 characters of the body, decoded lossily.
        excerpt: String,
        /// Whether the request was a write (not idempotent).
        write: bool,
        /// The decoder's error (it names the field and position).
        source: serde_json::Error,
    },

    /// Response-signature verification is on and the response's `X-QF-SIGN`
    /// does not match its body: the reply cannot be trusted, so on a write
    /// the outcome is unknown.
    ResponseSignature {
        /// Request path.
        path: String,
        /// What did not match (never the key or the expected signature).
        reason: Cow<'static, str>,
        /// Whether the request was a write (not idempotent).
        write: bool,
    },

    /// A `qfpay::blocking::Client` method (feature `blocking`) was called
    /// on a thread where a tokio runtime is current — an async task or
    /// `spawn_blocking` — where blocking would stall that runtime. Nothing
    /// was sent: use the async [`Client`](crate::Client) there.
    InsideAsyncRuntime,
}

fn is_5xx(status: u16) -> bool {
    (500..=599).contains(&status)
}

impl Error {
    /// Whether a write (payment, refund, reversal, close, …) may have
    /// reached QFPay and taken effect although no usable answer came back:
    /// a timeout, a connection that broke after the request could have been
    /// written, a 5xx status, or a reply that could not be decoded or
    /// verified.
    ///
    /// Then **do not send it again**: query by `out_trade_no` (the payment
    /// or refund, if made, is found under it) — or let
    /// [`Client::wait_for_payment`](crate::Client::wait_for_payment) do it. Always
    /// `false` for reads and for failures that happen before anything is
    /// sent (DNS, refused connection, TLS handshake).
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Error::Timeout { write, .. }
            | Error::Decode { write, .. }
            | Error::ResponseSignature { write, .. } => *write,
            Error::Transport { write, kind, .. } => *write && kind.may_have_been_sent(),
            Error::Http { write, status, .. } => *write && is_5xx(*status),
            _ => false,
        }
    }

    /// Whether the same request may simply be sent again: rate limiting
    /// (429), or a 5xx, timeout or connection error **on a read**, or a
    /// connection that failed before anything was sent.
    ///
    /// Never `true` when [`is_outcome_unknown`](Self::is_outcome_unknown)
    /// is: a payment that may have gone through is queried, not re-sent.
    /// The client retries reads by itself (see [`RetryPolicy`](crate::RetryPolicy)).
    pub fn is_retryable(&self) -> bool {
        if self.is_outcome_unknown() {
            return false;
        }
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Http { status, .. } => is_5xx(*status),
            _ => false,
        }
    }

    /// The request path the error is about, when it is about a request.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Build(_)
            | Error::InvalidValue(_)
            | Error::Notification(_)
            | Error::InsideAsyncRuntime => None,
            Error::InvalidRequest { path, .. }
            | Error::DuplicateParam { path, .. }
            | Error::Api { path, .. }
            | Error::RateLimited { path, .. }
            | Error::Http { path, .. }
            | Error::Timeout { path, .. }
            | Error::Transport { path, .. }
            | Error::Decode { path, .. }
            | Error::ResponseSignature { path, .. } => Some(path),
        }
    }

    /// The `respcd` of an [`Error::Api`].
    pub fn respcd(&self) -> Option<&RespCode> {
        match self {
            Error::Api { respcd, .. } => Some(respcd),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::RateLimited { .. } => Some(429),
            Error::Http { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short, secret-free name of the error's kind, for logs and traces.
    #[cfg(feature = "client")]
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Error::Build(_) => "build",
            Error::InvalidValue(_) => "invalid_value",
            Error::Notification(_) => "notification",
            Error::InvalidRequest { .. } => "invalid_request",
            Error::DuplicateParam { .. } => "duplicate_param",
            Error::Api { .. } => "api",
            Error::RateLimited { .. } => "rate_limited",
            Error::Http { .. } => "http",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Decode { .. } => "decode",
            Error::ResponseSignature { .. } => "response_signature",
            Error::InsideAsyncRuntime => "inside_async_runtime",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(write: bool) -> Error {
        Error::Timeout {
            path: "/trade/v1/payment".into(),
            address: "127.0.0.1:9".into(),
            after: Duration::from_secs(1),
            write,
        }
    }

    #[test]
    fn a_write_that_timed_out_is_unknown_and_not_retryable() {
        let e = timeout(true);
        assert!(e.is_outcome_unknown());
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "/trade/v1/payment: no response from 127.0.0.1:9 within 1000 ms; the payment may \
             have gone through: query by out_trade_no before sending it again"
        );
        let read = timeout(false);
        assert!(!read.is_outcome_unknown());
        assert!(read.is_retryable());
        assert!(!read.to_string().contains("gone through"));
    }

    #[test]
    fn transport_errors_name_the_cause_once() {
        let e = Error::Transport {
            path: "/trade/v1/payment".into(),
            address: "127.0.0.1:9".into(),
            kind: TransportErrorKind::Refused,
            write: true,
            source: Some("tcp connect error".into()),
        };
        assert_eq!(
            e.to_string(),
            "/trade/v1/payment: connection refused by 127.0.0.1:9"
        );
        // Refused before anything was sent: known not made, safe to send again.
        assert!(!e.is_outcome_unknown());
        assert!(e.is_retryable());
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("tcp connect error"));

        let reset = Error::Transport {
            path: "/trade/v1/refund".into(),
            address: "example.com:443".into(),
            kind: TransportErrorKind::Reset,
            write: true,
            source: None,
        };
        assert!(reset.is_outcome_unknown());
        assert!(!reset.is_retryable());
        assert!(
            reset.to_string().ends_with(
                "the refund may have gone through: query by out_trade_no before sending it again"
            ),
            "{reset}"
        );
    }

    #[test]
    fn a_5xx_is_unknown_only_on_a_write() {
        let http = |status, write| Error::Http {
            path: "/trade/v1/payment".into(),
            status,
            excerpt: String::new(),
            write,
        };
        assert!(http(502, true).is_outcome_unknown());
        assert!(!http(502, true).is_retryable());
        assert!(http(502, false).is_retryable());
        assert!(!http(404, true).is_outcome_unknown());
        assert!(!http(404, true).is_retryable());
    }

    #[test]
    fn domain_errors_convert() {
        fn parse(id: &str) -> Result<crate::types::OutTradeNo, Error> {
            Ok(crate::types::OutTradeNo::new(id)?)
        }
        let e = parse("").unwrap_err();
        assert!(
            matches!(e, Error::InvalidValue(ref p) if p.name == "out_trade_no"),
            "{e:?}"
        );
        let n: Error = NotifyError::BadSignature.into();
        assert!(matches!(n, Error::Notification(NotifyError::BadSignature)));
    }

    #[test]
    #[cfg(feature = "client")]
    fn excerpts_are_quoted_once_not_escaped_again() {
        let excerpt = crate::transport::excerpt(b"<h1>Bad \"gateway\"</h1>\n");
        let http = Error::Http {
            path: "/trade/v1/query".into(),
            status: 502,
            excerpt: excerpt.clone(),
            write: false,
        };
        assert_eq!(
            http.to_string(),
            r#"/trade/v1/query: HTTP status 502: "<h1>Bad "gateway"</h1>\n""#
        );
        let source = serde_json::from_str::<serde_json::Value>("<").unwrap_err();
        let decode = Error::Decode {
            path: "/trade/v1/query".into(),
            status: 200,
            excerpt,
            write: false,
            source,
        };
        let text = decode.to_string();
        assert!(
            text.ends_with(r#"; body starts "<h1>Bad "gateway"</h1>\n""#),
            "{text}"
        );
    }
}
