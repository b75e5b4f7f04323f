//! Per-call options: a timeout, extra headers and the `mchid` to act for,
//! applied through a cheap view of a client ([`Client::with_options`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Client;
use crate::error::BuildError;
use crate::transport::{HeaderMap, HeaderName, HeaderValue};
use crate::types::MchId;

/// Headers the client writes itself: signing, the body's type, the user
/// agent and the ones HTTP/1 framing owns. An extra header may not replace them.
const RESERVED_HEADERS: [&str; 8] = [
    "x-qf-appcode",
    "x-qf-sign",
    "x-qf-signtype",
    "content-type",
    "content-length",
    "transfer-encoding",
    "host",
    "user-agent",
];

/// Options for the calls made through one view of a [`Client`]: a timeout,
/// extra HTTP headers and the `mchid` (sub-merchant) to act for.
///
/// Apply them with [`Client::with_options`] (or [`Client::for_mchid`]): the
/// view is another `Client` sharing the same configuration and connection
/// pool, so every path of the client — [`call`](Client::call),
/// [`pay`](Client::pay), the wait helpers, [`transactions`](Client::transactions)
/// — honours them.
///
/// * **Timeout** replaces the client's per-attempt timeout.
/// * **Headers** are sent as given, after the client's own; the values never
///   appear in `Debug` or traces (they may be tokens). A header the client
///   writes itself (`X-QF-*`, `Content-Type`, `User-Agent`, …) is refused.
/// * **`mchid`** replaces the client's `mchid` and is sent and signed like it.
///   An endpoint the reference forbids `mchid` on (`add_note`, `trade_bill`)
///   is refused with [`Error::InvalidRequest`](crate::Error::InvalidRequest)
///   (field `mchid`) through such a view rather than sent as the agent itself.
///
/// ```
/// use std::time::Duration;
/// use qfpay::CallOptions;
/// use qfpay::types::MchId;
///
/// # fn main() -> Result<(), qfpay::Error> {
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(3))?
///     .header("X-Request-Id", "7f3a")?
///     .mchid(MchId::new("ZaMVg12345")?);
/// assert!(CallOptions::new().header("X-QF-SIGN", "00").is_err());
/// assert!(CallOptions::new().timeout(Duration::ZERO).is_err());
/// # let _ = options;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) mchid: Option<MchId>,
    pub(super) headers: HeaderMap,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: the values may be credentials.
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("mchid", &self.mchid)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl CallOptions {
    /// No options: calls behave as the client is configured.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The per-attempt timeout for these calls (a zero duration is refused).
    pub fn timeout(mut self, timeout: Duration) -> Result<Self, BuildError> {
        if timeout.is_zero() {
            return Err(BuildError::Invalid {
                field: "timeout",
                reason: "a per-call timeout must be longer than zero".into(),
            });
        }
        self.timeout = Some(timeout);
        Ok(self)
    }

    /// The merchant to act for (an agent's sub-merchant), sent and signed
    /// instead of the client's `mchid`.
    pub fn mchid(mut self, mchid: MchId) -> Self {
        self.mchid = Some(mchid);
        self
    }

    /// Adds a header to every request (a second value for the same name is
    /// sent as a second header line).
    ///
    /// Refused with [`BuildError::InvalidHeader`] when the name or value
    /// cannot be sent, or the name is one the client writes itself.
    pub fn header(
        mut self,
        name: impl AsRef<str>,
        value: impl AsRef<str>,
    ) -> Result<Self, BuildError> {
        let name = name.as_ref();
        let invalid = |reason: &'static str| BuildError::InvalidHeader {
            name: name.escape_debug().to_string(),
            reason,
        };
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("not a valid HTTP header name"))?;
        if RESERVED_HEADERS.contains(&header.as_str()) {
            return Err(invalid("the client writes this header itself"));
        }
        let value = HeaderValue::from_str(value.as_ref())
            .map_err(|_| invalid("the value cannot be sent in an HTTP header"))?;
        self.headers.append(header, value);
        Ok(self)
    }

    /// `later` on top of these: its timeout and `mchid` win, its headers are added.
    fn merged(&self, later: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        for (name, value) in &later.headers {
            headers.append(name.clone(), value.clone());
        }
        CallOptions {
            timeout: later.timeout.or(self.timeout),
            mchid: later.mchid.or_else(|| self.mchid.clone()),
            headers,
        }
    }
}

impl Client {
    /// A view of this client whose calls use `options` (on top of this
    /// view's own, if it is one): same credentials, same connection pool,
    /// no new HTTP client. Cheap; keep it or make one per call.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use qfpay::{CallOptions, Client};
    /// use qfpay::api::Query;
    /// use qfpay::types::{MchId, OutTradeNo};
    ///
    /// # async fn run(agent: Client) -> Result<(), qfpay::Error> {
    /// let shop = agent.with_options(
    ///     CallOptions::new()
    ///         .mchid(MchId::new("ZaMVg12345")?)
    ///         .timeout(Duration::from_secs(5))?
    ///         .header("X-Request-Id", "order-42")?,
    /// );
    /// let order = OutTradeNo::new("ORDER-42")?;
    /// let found = shop.call(&Query::by_out_trade_no(order)).await?;
    /// # let _ = found;
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let options = match &self.options {
            Some(mine) => mine.merged(options),
            None => options,
        };
        Client {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    /// A view of this client acting for `mchid` (an agent's sub-merchant):
    /// shorthand for [`with_options`](Self::with_options) with
    /// [`CallOptions::mchid`].
    pub fn for_mchid(&self, mchid: MchId) -> Client {
        self.with_options(CallOptions::new().mchid(mchid))
    }

    /// The options of this view, if it is one.
    pub(super) fn call_options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked() {
        for (name, value) in [
            ("X-QF-SIGN", "0"),
            ("x-qf-appcode", "A"),
            ("Content-Type", "text/plain"),
            ("bad name", "v"),
            ("", "v"),
            ("X-Ok", "line\nbreak"),
        ] {
            match CallOptions::new().header(name, value) {
                Err(BuildError::InvalidHeader { name: shown, .. }) => {
                    assert_eq!(shown, name.escape_debug().to_string());
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let ok = CallOptions::new()
            .header("X-Trace", "a")
            .and_then(|o| o.header("x-trace", "b"))
            .unwrap();
        assert_eq!(ok.headers.get_all("x-trace").iter().count(), 2);
        let debug = format!("{ok:?}");
        assert!(
            debug.contains("x-trace") && !debug.contains("\"a\""),
            "{debug}"
        );
    }

    #[test]
    fn later_options_win_and_headers_add_up() {
        let first = CallOptions::new()
            .timeout(Duration::from_secs(1))
            .unwrap()
            .mchid(MchId::new("AAA").unwrap())
            .header("X-A", "1")
            .unwrap();
        let later = CallOptions::new().header("X-B", "2").unwrap();
        let merged = first.merged(later);
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.mchid.as_ref().map(MchId::as_str), Some("AAA"));
        assert_eq!(merged.headers.len(), 2);
        let again = merged.merged(CallOptions::new().mchid(MchId::new("BBB").unwrap()));
        assert_eq!(again.mchid.as_ref().map(MchId::as_str), Some("BBB"));
    }
}
