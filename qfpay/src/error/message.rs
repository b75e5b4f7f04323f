//! The errors' messages and sources: `Display`, `Error` and `From`,
//! written out rather than derived with `thiserror`, whose proc macro is
//! about a second of every user's cold build (BENCHMARKS.md, "Cold build of
//! a minimal app").

use std::fmt;

use super::{BuildError, Error, is_5xx};
use crate::notify::NotifyError;
use crate::sign::InvalidParam;
use crate::transport::TransportErrorKind;
use crate::variant_from::variant_from;

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Missing { field } => write!(
                f,
                "client configuration: `{field}` is required: call `.{field}(..)` on the builder"
            ),
            BuildError::Invalid { field, reason } => {
                write!(f, "client configuration: invalid `{field}`: {reason}")
            }
            BuildError::Variable { name, reason } => {
                write!(f, "client configuration: {name}: {reason}")
            }
            BuildError::InvalidHeader { name, reason } => {
                write!(f, "call options: header `{name}` refused: {reason}")
            }
            BuildError::HttpClient(source) => write!(
                f,
                "client configuration: the HTTP client could not be created: {source}"
            ),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::HttpClient(source) => Some(&**source),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(error) => error.fmt(f),
            Error::InvalidValue(error) => error.fmt(f),
            Error::Notification(error) => error.fmt(f),
            Error::InvalidRequest {
                path,
                field,
                reason,
            } => write!(
                f,
                "request to {path} refused before sending: invalid `{field}`: {reason}"
            ),
            Error::DuplicateParam { path, field } => write!(
                f,
                "request to {path} refused before sending: `{field}` is set on the request and also configured on the client"
            ),
            Error::Api {
                path,
                respcd,
                resperr,
                respmsg,
            } => {
                let sep = if respmsg.is_empty() { "" } else { "; " };
                write!(f, "{path}: QFPay answered respcd {respcd} ({resperr}{sep}{respmsg})")
            }
            Error::RateLimited { path, retry_after } => {
                write!(f, "{path}: rate limited by QFPay (HTTP 429)")?;
                match retry_after {
                    Some(after) => write!(f, ", retry after {} ms", after.as_millis()),
                    None => Ok(()),
                }
            }
            Error::Http {
                path,
                status,
                excerpt,
                write,
            } => write!(
                f,
                "{path}: HTTP status {status}: \"{excerpt}\"{}",
                UnknownHint::new(path, *write && is_5xx(*status))
            ),
            Error::Timeout {
                path,
                address,
                after,
                write,
            } => write!(
                f,
                "{path}: no response from {address} within {} ms{}",
                after.as_millis(),
                UnknownHint::new(path, *write)
            ),
            Error::Transport {
                path,
                address,
                kind,
                write,
                ..
            } => write!(
                f,
                "{path}: {}{}",
                Cause(*kind, address),
                UnknownHint::new(path, *write && kind.may_have_been_sent())
            ),
            Error::Decode {
                path,
                status,
                excerpt,
                write,
                source,
            } => write!(
                f,
                "{path}: cannot decode the response (HTTP {status}): {source}; body starts \"{excerpt}\"{}",
                UnknownHint::new(path, *write)
            ),
            Error::ResponseSignature {
                path,
                reason,
                write,
            } => write!(
                f,
                "{path}: the response signature (X-QF-SIGN) does not match the body: {reason}{}",
                UnknownHint::new(path, *write)
            ),
            Error::InsideAsyncRuntime => f.write_str(
                "qfpay::blocking::Client called where a tokio runtime is running; nothing was sent: use the async qfpay::Client there",
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the wrapped error's own source.
            Error::Build(error) => error.source(),
            Error::InvalidValue(error) => error.source(),
            Error::Notification(error) => error.source(),
            Error::Transport { source, .. } => source
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

variant_from!(Error {
    Build(BuildError),
    InvalidValue(InvalidParam),
    Notification(NotifyError),
});

/// `host:port` and the transport's cause, in words.
struct Cause<'a>(TransportErrorKind, &'a str);

impl fmt::Display for Cause<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(self.1, f)
    }
}

/// What to do when a write's outcome is unknown, appended to its message.
struct UnknownHint<'a> {
    path: &'a str,
    unknown: bool,
}

impl<'a> UnknownHint<'a> {
    fn new(path: &'a str, unknown: bool) -> Self {
        UnknownHint { path, unknown }
    }
}

impl fmt::Display for UnknownHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.unknown {
            return Ok(());
        }
        // Refund paths say "refund" (a refund has its own out_trade_no);
        // every other write is about a payment or an operation on one.
        let what = if self.path.contains("refund") {
            "refund"
        } else if self.path.contains("payment") || self.path.starts_with("/trade/") {
            "payment"
        } else {
            "request"
        };
        write!(
            f,
            "; the {what} may have gone through: query by out_trade_no before sending it again"
        )
    }
}
