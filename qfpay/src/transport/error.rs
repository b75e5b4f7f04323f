//! What a transport reports when no response came back: the cause, once.

use std::fmt;

use super::BoxError;

/// Why no response came back, as far as the transport can tell.
///
/// The kind says whether the request can have reached QFPay
/// ([`may_have_been_sent`](Self::may_have_been_sent)): a DNS failure, a
/// refused connection or a failed TLS handshake happen before a byte of the
/// request is written, so a payment that failed that way was certainly not
/// made; a timeout or a connection closed mid-exchange leave it unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The host name could not be resolved.
    Dns,
    /// The server refused the connection (nothing listens on the port).
    Refused,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Connecting took longer than the connect timeout.
    ConnectTimeout,
    /// The connection could not be established for another reason.
    Connect,
    /// No complete response within the timeout (the request may have been sent).
    Timeout,
    /// The connection was reset or closed before the whole response arrived.
    Reset,
    /// Anything else (the request may have been sent).
    Other,
}

impl TransportErrorKind {
    /// `false` when the failure happened before the request could be written
    /// (DNS, refused, TLS, connecting); `true` when the server may have
    /// received and processed it.
    pub fn may_have_been_sent(self) -> bool {
        !matches!(
            self,
            Self::Dns | Self::Refused | Self::Tls | Self::ConnectTimeout | Self::Connect
        )
    }

    /// The cause in a few words, about `address` (`host:port`).
    pub(crate) fn describe(self, address: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns => write!(f, "DNS lookup failed for {address}"),
            Self::Refused => write!(f, "connection refused by {address}"),
            Self::Tls => write!(f, "TLS handshake with {address} failed"),
            Self::ConnectTimeout => write!(f, "connecting to {address} timed out"),
            Self::Connect => write!(f, "could not connect to {address}"),
            Self::Timeout => write!(f, "no response from {address} in time"),
            Self::Reset => write!(
                f,
                "connection to {address} closed before the response was complete"
            ),
            Self::Other => write!(f, "transport failure talking to {address}"),
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dns => "DNS lookup failed",
            Self::Refused => "connection refused",
            Self::Tls => "TLS handshake failed",
            Self::ConnectTimeout => "connect timed out",
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::Reset => "connection closed before the response was complete",
            Self::Other => "transport failure",
        })
    }
}

/// Why a transport could not deliver a response: a [`TransportErrorKind`]
/// and, when there is one, the underlying error.
///
/// Its `Display` is the kind alone; the underlying error is its
/// [`source`](std::error::Error::source), so a report that walks the chain
/// names the cause once and then the details.
///
/// ```
/// use qfpay::transport::{TransportError, TransportErrorKind};
///
/// let e = TransportError::new(TransportErrorKind::Refused, "tcp connect error");
/// assert_eq!(e.to_string(), "connection refused");
/// assert!(!e.kind().may_have_been_sent());
/// assert!(TransportError::timeout().kind().may_have_been_sent());
/// ```
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

impl TransportError {
    /// A failure of `kind` caused by `source`.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        TransportError {
            kind,
            source: Some(source.into()),
        }
    }

    /// A failure of `kind` with nothing more to say.
    pub fn from_kind(kind: TransportErrorKind) -> Self {
        TransportError { kind, source: None }
    }

    /// No complete response in time ([`TransportErrorKind::Timeout`]).
    pub fn timeout() -> Self {
        Self::from_kind(TransportErrorKind::Timeout)
    }

    /// A [`TransportErrorKind::Other`] failure from a message.
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Other, message.into())
    }

    /// What happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The underlying error, if any.
    pub fn into_source(self) -> Option<BoxError> {
        self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
