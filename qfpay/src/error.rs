//! The error type of [`Client`](crate::Client): every failure of building a
//! client or making a call, typed, with the request path and the offending
//! field or code in its message.
//!
//! No variant ever holds the client key, the signature input or request
//! parameter values; response excerpts are the first ~200 characters of what
//! QFPay (or whatever answered) sent back.

use std::borrow::Cow;
use std::time::Duration;

use crate::transport::TransportError;
use crate::types::RespCode;

/// How many characters of a response body an error keeps.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The first [`EXCERPT_CHARS`] characters of `body`, decoded lossily, with
/// control characters (other than space) shown as `\u{..}` so a binary body
/// cannot garble a log line.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Decode at most a little more than needed: 4 bytes per char at worst.
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(EXCERPT_CHARS.min(text.len()) + 16);
    let mut chars = text.chars();
    for c in chars.by_ref().take(EXCERPT_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() || head.len() < body.len() {
        out.push('…');
    }
    out
}

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) refused the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required setting was not given (`app_code`, `client_key`,
    /// `environment`).
    #[error("client configuration: `{field}` is required: call `.{field}(..)` on the builder")]
    Missing {
        /// The builder method / setting name.
        field: &'static str,
    },
    /// A setting has a value that cannot be sent.
    #[error("client configuration: invalid `{field}`: {reason}")]
    Invalid {
        /// The builder method / setting name (`app_code`, `mchid`, `environment`, …).
        field: &'static str,
        /// Why it was refused. Never contains the client key.
        reason: Cow<'static, str>,
    },
    /// An environment variable read by
    /// [`Client::from_env`](crate::Client::from_env) is missing or malformed.
    #[error("client configuration: {name}: {reason}")]
    Variable {
        /// The variable, e.g. `QFPAY_APP_CODE`.
        name: &'static str,
        /// What is wrong with it. Never contains the key.
        reason: Cow<'static, str>,
    },
    /// The HTTP client could not be created (TLS roots, …).
    #[error("client configuration: the HTTP client could not be created: {0}")]
    HttpClient(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Everything that can go wrong building a [`Client`](crate::Client) or
/// making a call.
///
/// Each message names the request path and, where there is one, the field or
/// `respcd` at fault. [`Error::is_retryable`] tells transient failures apart.
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
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),

    /// A request field breaks a documented limit; nothing was sent.
    #[error("request to {path} refused before sending: invalid `{field}`: {reason}")]
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
    #[error(
        "request to {path} refused before sending: `{field}` is set on the request and also configured on the client"
    )]
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
    #[error("{path}: QFPay answered respcd {respcd} ({resperr}{}{respmsg})", if respmsg.is_empty() { "" } else { "; " })]
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

    /// HTTP 429: the merchant's rate limit (100/s, 400/min) was hit. Retryable.
    #[error("{path}: rate limited by QFPay (HTTP 429){}", match retry_after { Some(d) => format!(", retry after {} ms", d.as_millis()), None => String::new() })]
    RateLimited {
        /// Request path.
        path: String,
        /// The `Retry-After` header, when it was a number of seconds.
        retry_after: Option<Duration>,
    },

    /// Any other non-2xx HTTP status. 5xx is retryable.
    #[error("{path}: HTTP status {status}: {excerpt:?}")]
    Http {
        /// Request path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The first ~200 characters of the body.
        excerpt: String,
    },

    /// No response within the client's timeout. Retryable — but for a payment
    /// or refund, query before sending anything again (the request may have
    /// been processed).
    #[error("{path}: no response within {} ms", after.as_millis())]
    Timeout {
        /// Request path.
        path: String,
        /// The timeout that elapsed.
        after: Duration,
    },

    /// The connection failed or broke. Retryable with the same caveat as
    /// [`Error::Timeout`].
    #[error("{path}: transport error: {source}")]
    Transport {
        /// Request path.
        path: String,
        /// What the transport reported.
        #[source]
        source: TransportError,
    },

    /// The body could not be decoded into the endpoint's response type (not
    /// JSON, or a field of the wrong shape).
    #[error(
        "{path}: cannot decode the response (HTTP {status}): {source}; body starts {excerpt:?}"
    )]
    Decode {
        /// Request path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The first ~200 characters of the body, decoded lossily.
        excerpt: String,
        /// The decoder's error (it names the field and position).
        #[source]
        source: serde_json::Error,
    },

    /// Response-signature verification is on and the response's `X-QF-SIGN`
    /// does not match its body.
    #[error("{path}: the response signature (X-QF-SIGN) does not match the body: {reason}")]
    ResponseSignature {
        /// Request path.
        path: String,
        /// What did not match (never the key or the expected signature).
        reason: Cow<'static, str>,
    },
}

impl Error {
    /// Whether the failure is transient: rate limiting, a 5xx status, a
    /// timeout or a connection error.
    ///
    /// The client retries these by itself only for idempotent reads (queries,
    /// the statement download). For a payment, refund, reversal or close a
    /// transient error leaves the outcome unknown: query the transaction
    /// (by `out_trade_no`) instead of sending it again.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Http { status, .. } => (500..=599).contains(status),
            _ => false,
        }
    }

    /// The request path the error is about, when it is about a request.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Build(_) => None,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_escapes_controls() {
        assert_eq!(excerpt(b"abc"), "abc");
        let long = "x".repeat(500);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"a\r\nb"), "a\\r\\nb");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
