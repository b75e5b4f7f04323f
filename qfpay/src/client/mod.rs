//! The async client: signs and sends any [`Endpoint`], decodes the answer.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tracing::Instrument;
use tracing::field::Empty;

use crate::endpoint::{Endpoint, EndpointSpec, Method};
use crate::error::{Error, excerpt};
use crate::param::PairSink;
use crate::raw::RawParams;
use crate::response::DecodeResponse;
use crate::sign::{ClientKey, EncodeError, SignBuffer, SignType, Signature, canonical_string};
use crate::transport::{
    HeaderMap, HeaderName, HeaderValue, HttpRequest, HttpResponse, Transport, TransportError,
};
use crate::types::{MchId, RespCode};

mod builder;
mod environment;
mod from_env;
mod poll;
mod retry;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use environment::Environment;
pub use from_env::{
    APP_CODE_VAR, BASE_URL_VAR, CLIENT_KEY_FILE_VAR, CLIENT_KEY_VAR, ENV_VAR, MCHID_VAR,
};
pub use poll::{PaymentOutcome, PaymentRef, PollPolicy};
pub use retry::RetryPolicy;

/// The form body's content type (reference §3).
const FORM_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/x-www-form-urlencoded; charset=UTF-8");

// Request header names, made at compile time (`HeaderName`s are lower case;
// HTTP/1 sends them so whatever case they are written in).
const X_QF_APPCODE: HeaderName = HeaderName::from_static("x-qf-appcode");
const X_QF_SIGN: HeaderName = HeaderName::from_static("x-qf-sign");
const X_QF_SIGNTYPE: HeaderName = HeaderName::from_static("x-qf-signtype");

/// An async QFPay client: signs and sends any [`Endpoint`] and decodes the
/// typed response.
///
/// Cheap to clone (an `Arc`), `Send + Sync`; every clone shares one
/// connection pool. Its `Debug` never shows the client key.
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
/// when its outcome is unknown (timeout), query it by `out_trade_no`.
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
}

struct Inner {
    app_code: String,
    /// `app_code` as a header value, made once (cloning it is a reference count).
    app_code_header: HeaderValue,
    key: ClientKey,
    mchid: Option<MchId>,
    environment: Environment,
    base_url: String,
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
            .field("mchid", &i.mchid)
            .field("environment", &i.environment)
            .field("sign_type", &i.sign_type)
            .field("timeout", &i.timeout)
            .field("user_agent", &i.user_agent)
            .field("retry", &i.retry)
            .field("verify_response_signatures", &i.verify_response_signatures)
            .finish_non_exhaustive()
    }
}

/// What encoding a request produced: everything needed to send it, owned,
/// so the returned future does not borrow the request.
struct Prepared {
    path: String,
    method: Method,
    http: HttpRequest,
    idempotent: bool,
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

    /// The configured `mchid`, if any.
    pub fn mchid(&self) -> Option<&MchId> {
        self.inner.mchid.as_ref()
    }

    /// The app code.
    pub fn app_code(&self) -> &str {
        &self.inner.app_code
    }

    /// The sign type used for requests.
    pub fn sign_type(&self) -> SignType {
        self.inner.sign_type
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
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
    ///     Err(e) if e.is_retryable() => { /* outcome unknown: query by out_trade_no */ }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn call<E: Endpoint>(
        &self,
        request: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> + Send + 'static {
        let client = self.clone();
        let span = tracing::info_span!(
            "qfpay.call",
            path = %request.spec().path,
            method = request.spec().method.as_str(),
            params = %ParamNames(request),
            attempt = Empty,
            status = Empty,
            respcd = Empty,
            duration_ms = Empty,
        );
        let prepared = self.prepare(request);
        async move {
            let prepared = prepared?;
            client.execute::<E::Response>(prepared).await
        }
        .instrument(span)
    }

    /// Encodes, signs and builds the HTTP request; nothing is sent.
    fn prepare<E: Endpoint + ?Sized>(&self, request: &E) -> Result<Prepared, Error> {
        let inner = &*self.inner;
        let spec = request.spec();
        check_spec(&spec)?;
        let path = spec.path;
        let method = spec.method;
        let extra = if spec.sends_mchid {
            inner.mchid.as_ref().map(|m| ("mchid", m.as_str()))
        } else {
            None
        };
        let sign_type = spec.sign_type_for(inner.sign_type);
        let mut buf = SignBuffer::new();
        let signature = buf
            .encode_signed(request, extra, &inner.key, sign_type)
            .map_err(|e| encode_error(path, e))?;

        // The only per-call header allocation is the signature's hex; the
        // names are static and the other values shared.
        let signature =
            HeaderValue::try_from(signature.to_string()).map_err(|_| Error::InvalidRequest {
                path: path.to_owned(),
                field: "X-QF-SIGN",
                reason: "the signature is not a valid header value".into(),
            })?;
        let mut headers = HeaderMap::with_capacity(5);
        headers.insert(X_QF_APPCODE, inner.app_code_header.clone());
        headers.insert(X_QF_SIGN, signature);
        if let Some(value) = sign_type.header_value() {
            headers.insert(X_QF_SIGNTYPE, HeaderValue::from_static(value));
        }
        headers.insert(http::header::USER_AGENT, inner.user_agent_header.clone());

        let mut url = String::with_capacity(inner.base_url.len() + path.len() + 1);
        url.push_str(&inner.base_url);
        url.push_str(path);
        let body = match method {
            Method::Get => {
                if !buf.body().is_empty() {
                    url.push('?');
                    url.push_str(buf.body());
                }
                Vec::new()
            }
            Method::Post => {
                headers.insert(http::header::CONTENT_TYPE, FORM_CONTENT_TYPE);
                buf.take_body().into_bytes()
            }
        };
        Ok(Prepared {
            path: path.to_owned(),
            method,
            http: HttpRequest {
                method,
                url,
                headers,
                body,
                timeout: inner.timeout,
            },
            idempotent: spec.idempotent,
        })
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
            path, method, http, ..
        } = prepared;
        let mut attempt = 1;
        let result = loop {
            span.record("attempt", attempt);
            if attempt >= max_attempts {
                // The last (for a payment, the only) attempt takes the
                // request itself: no copy of headers and body.
                break self.attempt::<R>(&path, http).await;
            }
            // The decoded value leaves the loop at once, so only `Error`
            // (which is `Send`) lives across the back-off sleep.
            let error = match self.attempt::<R>(&path, http.clone()).await {
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
                error = error_kind(&error),
                status = error.status(),
                "qfpay: retrying an idempotent request",
            );
            drop(error);
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
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
                    error = error_kind(error),
                    status = error.status(),
                    respcd = error.respcd().map(RespCode::as_str),
                    "qfpay call failed"
                );
            }
        }
        result
    }

    /// One exchange: send, enforce the timeout, decode.
    ///
    /// The only timer of the attempt: it bounds the transport's whole future
    /// (connect, send, the last body byte), whatever the transport.
    async fn attempt<R: DecodeResponse>(&self, path: &str, http: HttpRequest) -> Result<R, Error> {
        let inner = &*self.inner;
        let sent = tokio::time::timeout(inner.timeout, inner.transport.send(http)).await;
        let response = match sent {
            Err(_) | Ok(Err(TransportError::Timeout)) => {
                return Err(Error::Timeout {
                    path: path.to_owned(),
                    after: inner.timeout,
                });
            }
            Ok(Err(source)) => {
                return Err(Error::Transport {
                    path: path.to_owned(),
                    source,
                });
            }
            Ok(Ok(response)) => response,
        };
        tracing::Span::current().record("status", response.status);
        self.decode(path, response)
    }

    /// Turns a response into the typed value or a typed error.
    fn decode<R: DecodeResponse>(&self, path: &str, response: HttpResponse) -> Result<R, Error> {
        let status = response.status;
        if status == 429 {
            return Err(Error::RateLimited {
                path: path.to_owned(),
                retry_after: response
                    .header("Retry-After")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            });
        }
        if !response.is_success() {
            return Err(Error::Http {
                path: path.to_owned(),
                status,
                excerpt: excerpt(&response.body),
            });
        }
        if self.inner.verify_response_signatures {
            self.verify_response_signature(path, &response)?;
        }
        let decode_error = |source: serde_json::Error| Error::Decode {
            path: path.to_owned(),
            status,
            excerpt: excerpt(&response.body),
            source,
        };
        let body = response.body.as_slice();
        if body.trim_ascii_start().starts_with(b"{") {
            // One pass in the common case: the typed response is decoded while
            // its top-level `respcd` is read; `Some` only when that code is
            // success or pending and the envelope unambiguous.
            if let Some((value, respcd)) = R::__decode_accepted(body) {
                tracing::Span::current().record("respcd", respcd.as_str());
                return Ok(value);
            }
            // Anything else (a failure code, no `respcd`, a body the type
            // refuses, …) goes the careful way: the lenient envelope first,
            // so a failure code is an `Error::Api` even when the body does not
            // fit the response type.
            let envelope: LenientEnvelope = serde_json::from_slice(body).map_err(decode_error)?;
            if let Some(respcd) = envelope.respcd {
                tracing::Span::current().record("respcd", respcd.as_str());
                if !(respcd.is_success() || respcd.is_pending()) {
                    return Err(Error::Api {
                        path: path.to_owned(),
                        respcd,
                        resperr: envelope.resperr,
                        respmsg: envelope.respmsg,
                    });
                }
            }
        }
        R::decode(body).map_err(decode_error)
    }

    /// Best-effort check of `X-QF-SIGN` on a response (see
    /// [`ClientBuilder::verify_response_signatures`]).
    fn verify_response_signature(&self, path: &str, response: &HttpResponse) -> Result<(), Error> {
        // Lossy, so that a value that is not ASCII is a mismatch, not absent.
        let Some(claimed) = response.header_lossy("X-QF-SIGN") else {
            return Ok(());
        };
        let claimed = claimed.trim();
        if claimed.is_empty() {
            return Ok(());
        }
        let fail = |reason: &'static str| Error::ResponseSignature {
            path: path.to_owned(),
            reason: reason.into(),
        };
        let claimed = Signature::from_hex(claimed)
            .map_err(|_| fail("X-QF-SIGN is not the hex of an MD5 or SHA-256 digest"))?;
        let sign_type = claimed.sign_type();
        if let Some(declared) = response.header_lossy("X-QF-SIGNTYPE") {
            match SignType::from_header(Some(&declared)) {
                Some(t) if t == sign_type => {}
                Some(_) => {
                    return Err(fail("X-QF-SIGNTYPE disagrees with the length of X-QF-SIGN"));
                }
                None => return Err(fail("X-QF-SIGNTYPE names an unknown algorithm")),
            }
        }
        let key = &self.inner.key;
        if Signature::compute(sign_type, &response.body, key) == claimed {
            return Ok(());
        }
        if let Some(canonical) = response_fields_canonical(&response.body)
            && Signature::compute(sign_type, canonical.as_bytes(), key) == claimed
        {
            return Ok(());
        }
        Err(fail(
            "it matches neither the raw body nor the sorted response fields signed with the client key",
        ))
    }
}

/// The envelope, tolerant of a missing `respcd` (a JSON response that has
/// none is handed to the response type as it is).
#[derive(Deserialize)]
struct LenientEnvelope {
    #[serde(default)]
    respcd: Option<RespCode>,
    #[serde(default, deserialize_with = "crate::types::de::text_or_json")]
    resperr: String,
    #[serde(default, deserialize_with = "crate::types::de::text_or_json")]
    respmsg: String,
}

/// The second response-signature variant: the canonical string of the
/// fields of `data` (or of the top level without a `data` object), `null`s
/// left out, other values as their text (strings) or JSON.
fn response_fields_canonical(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let fields = match object.get("data") {
        Some(serde_json::Value::Object(data)) => data,
        _ => object,
    };
    let pairs = fields.iter().filter_map(|(k, v)| match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some((k.as_str(), s.clone())),
        other => Some((k.as_str(), other.to_string())),
    });
    Some(canonical_string(&RawParams::from_pairs(pairs)))
}

/// Refuses a path that cannot be sent, and a method the catalogue does not
/// give that path (a `RawRequest` by hand, or a user's own endpoint).
fn check_spec(spec: &EndpointSpec<'_>) -> Result<(), Error> {
    let path = spec.path;
    let invalid = |reason: String| Error::InvalidRequest {
        path: path.to_owned(),
        field: "path",
        reason: reason.into(),
    };
    if let Some(known) = crate::api::lookup(path)
        && !known.accepts(spec.method)
    {
        return Err(Error::InvalidRequest {
            path: path.to_owned(),
            field: "method",
            reason: format!(
                "QFPay takes `{path}` by {}, not {}",
                known.method.as_str(),
                spec.method.as_str()
            )
            .into(),
        });
    }
    if !path.starts_with('/') {
        return Err(invalid("must start with `/`".to_owned()));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    {
        return Err(invalid(
            "must not contain whitespace, control characters, `?` or `#`".to_owned(),
        ));
    }
    Ok(())
}

fn encode_error(path: &str, error: EncodeError) -> Error {
    match error {
        EncodeError::Rejected(invalid) => Error::InvalidRequest {
            path: path.to_owned(),
            field: invalid.name,
            reason: invalid.reason,
        },
        EncodeError::Duplicate(dup) => Error::DuplicateParam {
            path: path.to_owned(),
            field: dup.name,
        },
    }
}

/// A short, secret-free name of an error's kind, for logs.
fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Build(_) => "build",
        Error::InvalidRequest { .. } => "invalid_request",
        Error::DuplicateParam { .. } => "duplicate_param",
        Error::Api { .. } => "api",
        Error::RateLimited { .. } => "rate_limited",
        Error::Http { .. } => "http",
        Error::Timeout { .. } => "timeout",
        Error::Transport { .. } => "transport",
        Error::Decode { .. } => "decode",
        Error::ResponseSignature { .. } => "response_signature",
    }
}

/// Displays the wire names a request sends (never the values), comma-separated.
struct ParamNames<'a, E: ?Sized>(&'a E);

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
    use super::*;

    #[test]
    fn canonical_response_fields() {
        let body = br#"{"respcd":"0000","data":{"b":"2","a":1,"c":"","d":null,"e":{"x":1}}}"#;
        assert_eq!(
            response_fields_canonical(body).as_deref(),
            Some(r#"a=1&b=2&e={"x":1}"#)
        );
        let body = br#"{"respcd":"0000","resperr":"ok"}"#;
        assert_eq!(
            response_fields_canonical(body).as_deref(),
            Some("respcd=0000&resperr=ok")
        );
        assert_eq!(response_fields_canonical(b"PK\x03\x04"), None);
    }

    #[test]
    fn paths_are_checked() {
        let post = |path| EndpointSpec::new(path, Method::Post);
        assert!(check_spec(&post("/trade/v1/query")).is_ok());
        assert!(check_spec(&post("/not/in/the/catalogue")).is_ok());
        for bad in ["trade", "/a b", "/a?b=1", "/a\n"] {
            assert!(matches!(
                check_spec(&post(bad)),
                Err(Error::InvalidRequest { field: "path", .. })
            ));
        }
    }

    /// A method the catalogue does not give a path is refused before sending.
    #[test]
    fn catalogue_methods_are_checked() {
        let wrong = EndpointSpec::new("/download/v1/trade_bill", Method::Post);
        match check_spec(&wrong) {
            Err(Error::InvalidRequest {
                field: "method",
                reason,
                ..
            }) => {
                assert!(reason.contains("by GET, not POST"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let right = EndpointSpec::new("/download/v1/trade_bill", Method::Get);
        assert!(check_spec(&right).is_ok());
    }
}
