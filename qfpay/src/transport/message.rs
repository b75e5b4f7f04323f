//! The request and response a [`Transport`] moves, and the trait itself.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use http::{HeaderMap, HeaderName, HeaderValue};

use super::TransportError;
use crate::endpoint::Method;

/// A boxed, `Send` future, as returned by [`Transport::send`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one finished HTTP request and returns the whole response.
///
/// Implementations must be `Send + Sync`: a client (and its transport) is
/// shared between tasks. The client enforces [`HttpRequest::timeout`] around
/// the returned future (see [the module docs](super#timeouts)), so an
/// implementation need not start a timer of its own.
///
/// ```
/// use qfpay::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
///
/// /// A transport that answers every request with the same JSON.
/// struct Canned;
///
/// impl Transport for Canned {
///     fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
///         Box::pin(async { Ok(HttpResponse::json(200, r#"{"respcd":"0000"}"#)) })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the full response body.
    ///
    /// Report a failure with the [`TransportErrorKind`](super::TransportErrorKind) that names its
    /// cause (a timeout as [`TransportErrorKind::Timeout`](super::TransportErrorKind::Timeout), a refused
    /// connection as [`TransportErrorKind::Refused`](super::TransportErrorKind::Refused), …): the client decides
    /// from it whether a payment can have gone through. A non-2xx status is
    /// a normal [`HttpResponse`], not an error.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// A request as it goes on the wire.
///
/// Carries the `X-QF-SIGN` signature but never the client key. Its `Debug`
/// shows the body, which holds the request's parameter values — the client
/// itself never logs it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: Method,
    /// Absolute URL; for a GET it includes the query string.
    pub url: String,
    /// Header names and values (iterated in the order the client set them).
    pub headers: HeaderMap,
    /// The body (empty for a GET).
    pub body: Vec<u8>,
    /// How long the whole exchange may take.
    pub timeout: Duration,
}

impl HttpRequest {
    /// The first header called `name` (ASCII case-insensitive), if its value
    /// is visible ASCII (every header the client sets is).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path of [`url`](Self::url), without scheme, host and query.
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let path_and_query = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        path_and_query
            .split_once('?')
            .map_or(path_and_query, |(p, _)| p)
    }

    /// The query string of [`url`](Self::url) (after `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.url.split_once('?').map(|(_, q)| q)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A complete response.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: HeaderMap,
    /// The full body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status`, no headers and `body`.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// A JSON response (`Content-Type: application/json`).
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status, body).with_header("Content-Type", "application/json")
    }

    /// Adds a header (after any of the same name).
    ///
    /// A name that is not a valid HTTP header name, or a value with control
    /// characters, is left out: no transport could have received it.
    pub fn with_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_ref().as_bytes()),
            HeaderValue::from_str(value.as_ref()),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// The first header called `name` (ASCII case-insensitive), if its value
    /// is visible ASCII; see [`header_lossy`](Self::header_lossy) for any value.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The first header called `name` (ASCII case-insensitive), bytes that
    /// are not UTF-8 decoded lossily.
    pub fn header_lossy(&self, name: &str) -> Option<Cow<'_, str>> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()))
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..=299).contains(&self.status)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &excerpt(&self.body))
            .finish()
    }
}

fn find_header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    // `HeaderMap::get` with a `&str` matches case-insensitively.
    headers.get(name).and_then(|v| v.to_str().ok())
}

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

    #[test]
    fn request_path_and_query() {
        let r = HttpRequest {
            method: Method::Get,
            url: "http://127.0.0.1:80/download/v1/trade_bill?trade_date=2024-01-01".into(),
            headers: HeaderMap::from_iter([(
                HeaderName::from_static("x-qf-sign"),
                HeaderValue::from_static("AB"),
            )]),
            body: Vec::new(),
            timeout: Duration::from_secs(1),
        };
        assert_eq!(r.path(), "/download/v1/trade_bill");
        assert_eq!(r.query(), Some("trade_date=2024-01-01"));
        assert_eq!(r.header("x-qf-sign"), Some("AB"));
        assert_eq!(r.header("X-QF-SIGN"), Some("AB"));
    }

    #[test]
    fn response_headers() {
        let r = HttpResponse::json(200, "{}")
            .with_header("Retry-After", "3")
            .with_header("X-Bad", "a\nb")
            .with_header("bad name", "1");
        assert_eq!(r.header("retry-after"), Some("3"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("x-bad"), None);
        assert_eq!(r.headers.len(), 2);
        let mut r = r;
        r.headers.insert(
            "x-qf-sign",
            HeaderValue::from_bytes(b"\xffAB").expect("obs-text is allowed"),
        );
        assert_eq!(r.header("X-QF-SIGN"), None);
        assert_eq!(r.header_lossy("X-QF-SIGN").as_deref(), Some("\u{fffd}AB"));
    }
}
