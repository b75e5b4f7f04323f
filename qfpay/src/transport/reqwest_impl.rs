//! The default transport: one `reqwest` connection pool, rustls for TLS.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use crate::endpoint::Method;

/// The default [`Transport`]: a `reqwest` client (rustls, no OpenSSL) with
/// one connection pool, shared by every clone of the [`Client`](crate::Client).
///
/// Redirects are not followed (QFPay's API never redirects; a 3xx becomes an
/// [`Error::Http`](crate::Error::Http)). Build your own `reqwest::Client`
/// (with [`qfpay::reqwest`](crate::reqwest), the version this crate uses) and
/// wrap it with [`ReqwestTransport::from_client`] to set a proxy explicitly,
/// add root certificates or change any other `reqwest` setting.
///
/// It starts no timer per request: the [`Client`](crate::Client) bounds every
/// attempt with [`HttpRequest::timeout`] around [`Transport::send`] (see
/// [the module docs](super#timeouts)); only the connect phase is bounded here,
/// by the `reqwest` client's connect timeout.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    urls: Arc<UrlCache>,
}

impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// Parsed URLs of the requests sent so far, so that the same endpoint's URL
/// (base URL + path) is not parsed again on every call: parsing one costs
/// more than anything else the client does to a request. Only URLs without a
/// query string are kept (a GET's query holds parameter values), and at most
/// [`UrlCache::MAX`] of them — one per endpoint in practice.
#[derive(Default)]
struct UrlCache {
    entries: Mutex<Vec<(Box<str>, reqwest::Url)>>,
}

impl UrlCache {
    const MAX: usize = 32;

    /// `url` parsed, from the cache when it is there; `None` when it does not
    /// parse (the caller then lets `reqwest` report the error as it does).
    fn parse(&self, url: &str) -> Option<reqwest::Url> {
        let cacheable = !url.contains('?');
        if cacheable {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, parsed)) = entries.iter().find(|(text, _)| &**text == url) {
                return Some(parsed.clone());
            }
        }
        let parsed = reqwest::Url::parse(url).ok()?;
        if cacheable {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if entries.len() < Self::MAX && !entries.iter().any(|(text, _)| &**text == url) {
                entries.push((url.into(), parsed.clone()));
            }
        }
        Some(parsed)
    }
}

impl ReqwestTransport {
    /// A transport with the given `User-Agent` and connect timeout.
    ///
    /// TLS is rustls with the crypto provider the crate's features choose
    /// (crate docs, "Features"); with `rustls-ring`, ring is installed as
    /// the process's default rustls provider unless one was installed
    /// before. Proxies are taken from `HTTPS_PROXY`, `HTTP_PROXY`,
    /// `ALL_PROXY` and `NO_PROXY` (or their lower-case forms), as `reqwest`
    /// does.
    ///
    /// Fails when `reqwest` cannot create its client (TLS roots, …).
    pub fn new(user_agent: &str, connect_timeout: Duration) -> Result<Self, reqwest::Error> {
        #[cfg(feature = "rustls-ring")]
        {
            // reqwest without a built-in provider uses the process default;
            // an `Err` means the application installed one first: keep it.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self::from_client(client))
    }

    /// Wraps an existing `reqwest::Client` (its settings are used as they are;
    /// the [`Client`](crate::Client) still bounds each attempt with its timeout).
    ///
    /// ```
    /// use qfpay::reqwest;
    /// use qfpay::transport::ReqwestTransport;
    ///
    /// # fn main() -> Result<(), reqwest::Error> {
    /// let http = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let transport = ReqwestTransport::from_client(http);
    /// # let _ = transport;
    /// # Ok(()) }
    /// ```
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            urls: Arc::default(),
        }
    }
}

fn map_error(error: reqwest::Error) -> TransportError {
    // The URL of a GET carries parameter values; keep it out of errors and logs.
    let error = error.without_url();
    let kind = classify(&error, error.is_connect(), error.is_timeout());
    TransportError::new(kind, error)
}

/// The cause of a `reqwest` failure, read from its error chain: `reqwest`
/// says whether it happened while connecting and whether it was a timeout;
/// the I/O error at the bottom (or hyper's and rustls' messages) say which.
fn classify(
    error: &(dyn std::error::Error + 'static),
    connecting: bool,
    timed_out: bool,
) -> TransportErrorKind {
    let mut io_kind = None;
    let mut text = String::new();
    let mut link = Some(error);
    while let Some(e) = link {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            io_kind = Some(io.kind());
        }
        text.push_str(&e.to_string().to_ascii_lowercase());
        text.push('\n');
        link = e.source();
    }
    use std::io::ErrorKind as Io;
    match (connecting, timed_out) {
        (true, true) => return TransportErrorKind::ConnectTimeout,
        (false, true) => return TransportErrorKind::Timeout,
        _ => {}
    }
    if text.contains("dns error") || text.contains("failed to lookup address") {
        return TransportErrorKind::Dns;
    }
    match io_kind {
        Some(Io::ConnectionRefused) => return TransportErrorKind::Refused,
        Some(Io::TimedOut) if connecting => return TransportErrorKind::ConnectTimeout,
        Some(Io::TimedOut) => return TransportErrorKind::Timeout,
        // tokio-rustls reports every TLS failure as `InvalidData`.
        Some(Io::InvalidData) if connecting => return TransportErrorKind::Tls,
        Some(Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof)
            if !connecting =>
        {
            return TransportErrorKind::Reset;
        }
        _ => {}
    }
    if [
        "certificate",
        "tls",
        "handshake",
        "alert",
        "corrupt message",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        return TransportErrorKind::Tls;
    }
    if connecting {
        TransportErrorKind::Connect
    } else if text.contains("connection closed")
        || text.contains("incomplete message")
        || text.contains("connection reset")
    {
        TransportErrorKind::Reset
    } else {
        TransportErrorKind::Other
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let HttpRequest {
                method,
                url,
                headers,
                body,
                // Enforced by the client around this future: one timer per
                // attempt, not two.
                timeout: _,
            } = request;
            let method = match method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            };
            let builder = match self.urls.parse(&url) {
                Some(parsed) => self.client.request(method.clone(), parsed),
                // Malformed: reqwest reports it, as it always has.
                None => self.client.request(method.clone(), url.as_str()),
            };
            let mut outgoing = builder.build().map_err(map_error)?;
            if method == reqwest::Method::POST {
                *outgoing.body_mut() = Some(body.into());
            }
            // Names and values were validated when they were built: handed
            // over as they are, not parsed again.
            *outgoing.headers_mut() = headers;
            let mut response = self.client.execute(outgoing).await.map_err(map_error)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            // `Vec::from` takes over the buffer when the bytes are not shared.
            let body = Vec::from(response.bytes().await.map_err(map_error)?);
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{TransportErrorKind as K, UrlCache, classify};

    /// Without a provider installed, reqwest built with `rustls-no-provider`
    /// panics when it creates its client: the ring backend installs one.
    #[cfg(feature = "rustls-ring")]
    #[test]
    fn the_ring_backend_installs_its_provider() {
        let transport = super::ReqwestTransport::new("t", std::time::Duration::from_secs(1));
        assert!(transport.is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    /// An error with a message and an optional cause, like the layers of a
    /// `reqwest` error.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<dyn std::error::Error + 'static>>);
    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref()
        }
    }

    fn over(io: std::io::Error) -> Layer {
        Layer(
            "error sending request",
            Some(Box::new(Layer(
                "client error (Connect)",
                Some(Box::new(io)),
            ))),
        )
    }

    #[test]
    fn causes_are_read_from_the_chain() {
        use std::io::{Error, ErrorKind};
        let refused = over(Error::from(ErrorKind::ConnectionRefused));
        assert_eq!(classify(&refused, true, false), K::Refused);
        let dns = Layer(
            "error sending request",
            Some(Box::new(Layer("dns error", None))),
        );
        assert_eq!(classify(&dns, true, false), K::Dns);
        let tls = over(Error::new(
            ErrorKind::InvalidData,
            "invalid peer certificate: UnknownIssuer",
        ));
        assert_eq!(classify(&tls, true, false), K::Tls);
        let reset = over(Error::from(ErrorKind::ConnectionReset));
        assert_eq!(classify(&reset, false, false), K::Reset);
        let closed = Layer(
            "error sending request",
            Some(Box::new(Layer(
                "connection closed before message completed",
                None,
            ))),
        );
        assert_eq!(classify(&closed, false, false), K::Reset);
        assert_eq!(classify(&refused, true, true), K::ConnectTimeout);
        assert_eq!(classify(&Layer("x", None), false, true), K::Timeout);
        assert_eq!(classify(&Layer("x", None), true, false), K::Connect);
        assert_eq!(classify(&Layer("x", None), false, false), K::Other);
    }

    #[test]
    fn url_cache_keeps_paths_not_queries() {
        let cache = UrlCache::default();
        let url = "http://127.0.0.1:8080/trade/v1/payment";
        assert_eq!(cache.parse(url).map(String::from).as_deref(), Some(url));
        assert_eq!(cache.parse(url).map(String::from).as_deref(), Some(url));
        let get = "http://127.0.0.1:8080/download/v1/trade_bill?trade_date=2024-01-01";
        assert_eq!(cache.parse(get).map(String::from).as_deref(), Some(get));
        assert!(cache.parse("not a url").is_none());
        let entries = cache.entries.lock().expect("not poisoned");
        assert_eq!(entries.len(), 1);
        assert_eq!(&*entries[0].0, url);
    }
}
