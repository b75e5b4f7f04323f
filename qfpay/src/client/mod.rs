//! The async client: signs and sends any [`Endpoint`], decodes the answer.

//!
//! A call is three named steps: [`prepare`](Client::prepare) (encode, sign,
//! build the HTTP request — `prepare.rs`), [`send`](Client::send) (one
//! exchange under the timeout, transport failures typed — here) and
//! [`decode`](Client::decode) (status, envelope, typed value — `decode.rs`);
//! [`execute`](Client::execute) repeats send + decode for reads only.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;
use tracing::field::Empty;

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::response::DecodeResponse;
use crate::sign::{ClientKey, SignType};
use crate::transport::{HeaderValue, HttpRequest, HttpResponse, Transport, TransportError};
use crate::types::{MchId, RespCode};

mod builder;
mod cpm;
mod decode;
mod environment;
mod from_env;
mod options;
mod poll;
mod prepare;
mod retry;
mod trace;
mod transactions;

use prepare::Prepared;
use trace::ParamNames;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use cpm::{CancelWith, CpmPolicy};
pub use environment::Environment;
pub use from_env::{
    APP_CODE_VAR, BASE_URL_VAR, CLIENT_KEY_FILE_VAR, CLIENT_KEY_VAR, ENV_VAR, MCHID_VAR,
};
pub use options::CallOptions;
pub use poll::{PaymentRef, PaymentReport, PollPolicy, RefundReport};
pub use retry::RetryPolicy;
pub use transactions::{MAX_PAGE_SIZE, RespcdFamily, TransactionFilter, Transactions};

/// An async QFPay client: signs and sends any [`Endpoint`] and decodes the
/// typed response.
///
/// Cheap to clone (an `Arc`), `Send + Sync`; every clone shares one
/// connection pool. Its `Debug` never shows the client key.
/// [`with_options`](Self::with_options) and [`for_mchid`](Self::for_mchid)
/// make a view with a per-call timeout, extra headers or another `mchid`
/// (see [`CallOptions`]), sharing the pool as well.
///
/// # Responses
///
/// [`call`](Self::call) returns `Ok` when `respcd` is `0000` **or pending**
/// (`1143`, `1145`, `1298`; reference §6): a pending payment is not a
/// failure, so it comes back as `Ok` with the response's `respcd` telling
/// the state, and [`wait_for_payment`](Self::wait_for_payment) polls it to
/// its end. Any other `respcd` is an [`Error::Api`].
///
/// # Retries
///
/// Only idempotent reads (the query endpoints, the statement download) are
/// retried — on HTTP 429, 5xx, timeouts and connection errors, per the
/// [`RetryPolicy`]. A payment, refund, reversal or close is sent exactly once;
/// when its outcome is unknown ([`Error::is_outcome_unknown`]: a timeout, a
/// connection lost after sending, a 5xx, an unreadable reply) query it by
/// `out_trade_no` — never send it again.
///
/// ```no_run
/// use qfpay::{Client, Environment, Method, RawParams, RawRequest, SignType};
///
/// # async fn run() -> Result<(), qfpay::Error> {
/// let client = Client::builder()
///     .app_code("A6A49A6xxxxxxxxxxxxxxxxDFE94EA9")
///     .client_key(qfpay::ClientKey::new(std::env::var("QFPAY_KEY").unwrap_or_default()))
///     .mchid("ZaMVg12345")
///     .environment(Environment::LiveTest)
///     .sign_type(SignType::Sha256)
///     .timeout(std::time::Duration::from_secs(15))
///     .build()?;
///
/// let query = RawRequest::new(
///     Method::Post,
///     "/trade/v1/query",
///     RawParams::from_pairs([("out_trade_no", "ORDER0001")]),
/// );
/// let response = client.call(&query).await?;
/// println!("{}", response.envelope.respcd);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The per-call options of a view ([`Client::with_options`]).
    options: Option<Arc<CallOptions>>,
}

struct Inner {
    app_code: String,
    /// `app_code` as a header value, made once (cloning it is a reference count).
    app_code_header: HeaderValue,
    key: ClientKey,
    mchid: Option<MchId>,
    environment: Environment,
    base_url: String,
    /// `host:port` of `base_url`, named by transport errors.
    address: String,
    sign_type: SignType,
    timeout: Duration,
    user_agent: String,
    /// `user_agent` as a header value, made once.
    user_agent_header: HeaderValue,
    retry: RetryPolicy,
    verify_response_signatures: bool,
    transport: Arc<dyn Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("app_code", &i.app_code)
            .field("client_key", &"<redacted>")
            .field("mchid", &self.mchid())
            .field("environment", &i.environment)
            .field("sign_type", &i.sign_type)
            .field("timeout", &self.timeout())
            .field("user_agent", &i.user_agent)
            .field("retry", &i.retry)
            .field("verify_response_signatures", &i.verify_response_signatures)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The configured environment.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The base URL requests go to (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The `mchid` calls are made for, if any: this view's
    /// ([`CallOptions::mchid`]) or else the configured one.
    pub fn mchid(&self) -> Option<&MchId> {
        self.call_options()
            .and_then(|o| o.mchid.as_ref())
            .or(self.inner.mchid.as_ref())
    }

    /// The app code.
    pub fn app_code(&self) -> &str {
        &self.inner.app_code
    }

    /// The sign type used for requests.
    pub fn sign_type(&self) -> SignType {
        self.inner.sign_type
    }

    /// The per-attempt timeout: this view's ([`CallOptions::timeout`]) or
    /// else the configured one.
    pub fn timeout(&self) -> Duration {
        self.call_options()
            .and_then(|o| o.timeout)
            .unwrap_or(self.inner.timeout)
    }

    /// Signs and sends `request`, and decodes the typed response.
    ///
    /// The request is encoded once — the client's `mchid` merged in at its
    /// sorted place when the endpoint accepts one — and refused before
    /// anything is sent if a field breaks a documented limit
    /// ([`Error::InvalidRequest`]) or sets `mchid` while the client has one
    /// ([`Error::DuplicateParam`]). POST sends the pairs as an
    /// `application/x-www-form-urlencoded; charset=UTF-8` body, GET as the
    /// query string; headers are `X-QF-APPCODE`, `X-QF-SIGN` (upper-case hex)
    /// and, for SHA-256, `X-QF-SIGNTYPE: SHA256`.
    ///
    /// `Ok` for `respcd` `0000` and for the pending codes `1143`/`1145`/`1298`
    /// (check the response's `respcd`); see [`Client`] for errors and retries.
    /// The returned future does not borrow `request`.
    ///
    /// ```no_run
    /// use qfpay::{Client, Environment, Method, RawParams, RawRequest};
    ///
    /// # async fn run(client: Client) -> Result<(), qfpay::Error> {
    /// let refund = RawRequest::new(
    ///     Method::Post,
    ///     "/trade/v1/refund",
    ///     RawParams::from_pairs([
    ///         ("syssn", "20191227000200020061752831"),
    ///         ("out_trade_no", "REFUND0001"),
    ///         ("txamt", "10"),
    ///         ("txdtm", "2019-12-27 10:39:39"),
    ///     ]),
    /// );
    /// match client.call(&refund).await {
    ///     Ok(response) if response.envelope.respcd.is_pending() => { /* query it later */ }
    ///     Ok(response) => println!("refunded as {:?}", response.get("syssn")),
    ///     Err(qfpay::Error::Api { respcd, .. }) => println!("refused: {respcd}"),
    ///     Err(e) if e.is_outcome_unknown() => { /* may have gone through: query by out_trade_no */ }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn call<E: Endpoint>(
        &self,
        request: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> + Send + 'static {
        let client = self.clone();
        let spec = request.spec();
        // Fields recorded once each (a subscriber may append every record):
        // per-attempt facts go to one event per attempt instead.
        let span = tracing::info_span!(
            "qfpay.call",
            path = %spec.path,
            method = spec.method.as_str(),
            params = %ParamNames(request),
            out_trade_no = Empty,
            syssn = Empty,
            mchid = Empty,
            attempts = Empty,
            respcd = Empty,
            duration_ms = Empty,
        );
        let mut reply_syssn = false;
        if !span.is_disabled() {
            reply_syssn = !trace::record_ids(&span, request);
            if spec.sends_mchid
                && let Some(mchid) = self.mchid()
            {
                span.record("mchid", mchid.as_str());
            }
        }
        let prepared = self.prepare(request).map(|mut p| {
            // Writes only: a payment's or refund's own serial number.
            p.reply_syssn = reply_syssn && !p.idempotent;
            p
        });
        async move {
            let prepared = prepared?;
            client.execute::<E::Response>(prepared).await
        }
        .instrument(span)
    }

    /// Sends with retries (idempotent reads only) and decodes.
    async fn execute<R: DecodeResponse>(&self, prepared: Prepared) -> Result<R, Error> {
        let span = tracing::Span::current();
        let started = Instant::now();
        let policy = self.inner.retry;
        let max_attempts = if prepared.idempotent {
            policy.max_attempts.max(1)
        } else {
            1
        };
        let Prepared {
            path,
            method,
            http,
            idempotent,
            reply_syssn,
        } = prepared;
        let write = !idempotent;
        let mut attempt = 1;
        let result = loop {
            if attempt >= max_attempts {
                // The last (for a payment, the only) attempt takes the
                // request itself: no copy of headers and body.
                break self
                    .attempt::<R>(&path, write, reply_syssn, attempt, http)
                    .await;
            }
            // The decoded value leaves the loop at once, so only `Error`
            // (which is `Send`) lives across the back-off sleep.
            let error = match self
                .attempt::<R>(&path, write, reply_syssn, attempt, http.clone())
                .await
            {
                Ok(value) => break Ok(value),
                Err(error) => error,
            };
            if !error.is_retryable() {
                break Err(error);
            }
            let retry_after = match &error {
                Error::RateLimited { retry_after, .. } => *retry_after,
                _ => None,
            };
            let Some(delay) = policy.delay(attempt, retry_after) else {
                break Err(error);
            };
            tracing::warn!(
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = error.kind_name(),
                status = error.status(),
                "qfpay: retrying an idempotent request",
            );
            drop(error);
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        let duration_ms = trace::millis(started.elapsed());
        span.record("attempts", attempt);
        span.record("duration_ms", duration_ms);
        match &result {
            Ok(_) => tracing::debug!(
                path = %path,
                method = method.as_str(),
                attempts = attempt,
                duration_ms,
                "qfpay call succeeded"
            ),
            Err(error) => {
                if let Error::Api { respcd, .. } = error {
                    span.record("respcd", respcd.as_str());
                }
                tracing::debug!(
                    path = %path,
                    method = method.as_str(),
                    attempts = attempt,
                    duration_ms,
                    error = error.kind_name(),
                    status = error.status(),
                    respcd = error.respcd().map(RespCode::as_str),
                    outcome_unknown = error.is_outcome_unknown(),
                    "qfpay call failed"
                );
            }
        }
        result
    }

    /// One exchange: [`send`](Self::send), then [`decode`](Self::decode),
    /// and one event telling how attempt `number` went. `reply_syssn`: trace
    /// the `syssn` of a successful reply.
    async fn attempt<R: DecodeResponse>(
        &self,
        path: &str,
        write: bool,
        reply_syssn: bool,
        number: u32,
        http: HttpRequest,
    ) -> Result<R, Error> {
        let started = Instant::now();
        let (status, result) = match self.send(path, write, http).await {
            Ok(response) => {
                // Only a 2xx is decoded, and its result is final: recorded once.
                if reply_syssn && response.is_success() {
                    trace::record_reply_syssn(&response.body);
                }
                (Some(response.status), self.decode(path, write, response))
            }
            Err(error) => (None, Err(error)),
        };
        trace::attempt_done(number, status, started.elapsed(), result.as_ref().err());
        result
    }

    /// Sends one request under the timeout; a failure becomes a typed error
    /// that names its cause and the server's `host:port`.
    ///
    /// The only timer of the attempt: it bounds the transport's whole future
    /// (connect, send, the last body byte), whatever the transport.
    async fn send(
        &self,
        path: &str,
        write: bool,
        http: HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let inner = &*self.inner;
        let after = self.timeout();
        let timed_out = || Error::Timeout {
            path: path.to_owned(),
            address: inner.address.clone(),
            after,
            write,
        };
        match tokio::time::timeout(after, inner.transport.send(http)).await {
            Ok(Ok(response)) => Ok(response),
            Err(_) => Err(timed_out()),
            Ok(Err(error)) if error.kind() == crate::transport::TransportErrorKind::Timeout => {
                Err(timed_out())
            }
            Ok(Err(error)) => Err(transport_error(path, &inner.address, write, error)),
        }
    }
}

/// [`Error::Transport`] from what the transport reported.
fn transport_error(path: &str, address: &str, write: bool, error: TransportError) -> Error {
    Error::Transport {
        path: path.to_owned(),
        address: address.to_owned(),
        kind: error.kind(),
        write,
        source: error.into_source(),
    }
}
