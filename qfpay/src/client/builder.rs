//! [`ClientBuilder`]: checks the configuration once, before anything is sent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::environment::Environment;
use super::retry::RetryPolicy;
use super::{Client, Inner};
use crate::error::{BuildError, Error};
use crate::sign::{ClientKey, SignType};
use crate::transport::{HeaderValue, ReqwestTransport, Transport};
use crate::types::MchId;

/// The default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest connect timeout the default transport uses.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("qfpay-rust/", env!("CARGO_PKG_VERSION"));

/// `ClientKey::from("...")` — same as [`ClientKey::new`].
impl From<&str> for ClientKey {
    fn from(key: &str) -> Self {
        ClientKey::new(key)
    }
}

/// `ClientKey::from(String)` — same as [`ClientKey::new`].
impl From<String> for ClientKey {
    fn from(key: String) -> Self {
        ClientKey::new(key)
    }
}

/// Configures a [`Client`]; made by [`Client::builder`].
///
/// `app_code`, `client_key` and `environment` are required (the environment
/// is never guessed: a production service must not quietly talk to a test
/// host); everything else has a default:
///
/// | setting | default |
/// |---|---|
/// | [`mchid`](Self::mchid) | none — `mchid` is never sent |
/// | [`sign_type`](Self::sign_type) | [`SignType::Sha256`] (sent with `X-QF-SIGNTYPE: SHA256`) |
/// | [`timeout`](Self::timeout) | 30 s per attempt |
/// | [`user_agent`](Self::user_agent) | `qfpay-rust/<version>` |
/// | [`retry_policy`](Self::retry_policy) | [`RetryPolicy::default`] (3 attempts, reads only) |
/// | [`verify_response_signatures`](Self::verify_response_signatures) | off |
/// | [`transport`](Self::transport) | [`ReqwestTransport`] |
#[must_use = "call `.build()` to get a client"]
pub struct ClientBuilder {
    app_code: Option<String>,
    client_key: Option<ClientKey>,
    mchid: Option<String>,
    environment: Option<Environment>,
    sign_type: SignType,
    timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    verify_response_signatures: bool,
    transport: Option<Arc<dyn Transport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_code", &self.app_code)
            .field(
                "client_key",
                &self.client_key.as_ref().map(|_| "<redacted>"),
            )
            .field("mchid", &self.mchid)
            .field("environment", &self.environment)
            .field("sign_type", &self.sign_type)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field(
                "verify_response_signatures",
                &self.verify_response_signatures,
            )
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            app_code: None,
            client_key: None,
            mchid: None,
            environment: None,
            sign_type: SignType::Sha256,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            retry: RetryPolicy::default(),
            verify_response_signatures: false,
            transport: None,
        }
    }
}

impl ClientBuilder {
    /// The app code (`X-QF-APPCODE`). Required.
    pub fn app_code(mut self, app_code: impl Into<String>) -> Self {
        self.app_code = Some(app_code.into());
        self
    }

    /// The client key used for signing. Required; never sent, logged or shown.
    ///
    /// Accepts a [`ClientKey`], a `String` or a `&str` (anything
    /// `Into<ClientKey>`). Prefer building the [`ClientKey`] yourself straight
    /// from where the secret is stored, so no plain `String` copy lingers.
    pub fn client_key(mut self, key: impl Into<ClientKey>) -> Self {
        self.client_key = Some(key.into());
        self
    }

    /// The `mchid` given to agents and multi-store merchants (reference §4).
    ///
    /// When set it is sent and signed with every request except the two the
    /// reference forbids it on (`/trade/v1/add_note`,
    /// `/download/v1/trade_bill`); when not set it is never sent. Checked
    /// with [`MchId::new`] at [`build`](Self::build). Accepts a `&str`,
    /// `String` or [`MchId`].
    pub fn mchid(mut self, mchid: impl AsRef<str>) -> Self {
        self.mchid = Some(mchid.as_ref().to_owned());
        self
    }

    /// Where requests go. Required.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// MD5 or SHA-256 (default, recommended by the reference).
    pub fn sign_type(mut self, sign_type: SignType) -> Self {
        self.sign_type = sign_type;
        self
    }

    /// How long one attempt may take, from sending to the last body byte;
    /// default 30 s. Must not be zero.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header; default `qfpay-rust/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How idempotent reads are retried; see [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Verify `X-QF-SIGN` on responses that carry one (off by default).
    ///
    /// Best effort, because the reference (§5.3) does not settle how QFPay
    /// signs responses. A response passes when its signature equals either
    ///
    /// 1. `hash(raw_body_bytes ‖ client_key)` — the scheme QFPay uses for
    ///    notifications (§22.3), or
    /// 2. `hash(k1=v1&k2=v2… ‖ client_key)` over the fields of the response's
    ///    `data` object (or, without one, over the top-level fields), sorted
    ///    by name, strings raw, other values as compact JSON, empty values left
    ///    out — the newer published site's description.
    ///
    /// The hash is MD5 or SHA-256 by the signature's length. A response
    /// without `X-QF-SIGN` always passes; a mismatch fails the call with
    /// [`Error::ResponseSignature`].
    pub fn verify_response_signatures(mut self, verify: bool) -> Self {
        self.verify_response_signatures = verify;
        self
    }

    /// Replaces the HTTP transport (for tests:
    /// [`RecordingTransport`](crate::transport::mock::RecordingTransport)).
    ///
    /// With a custom transport, [`user_agent`](Self::user_agent) is still sent
    /// as a header but no `reqwest` client is created.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the configuration and creates the client.
    ///
    /// Fails with [`Error::Build`] when the app code or key is missing or
    /// empty, when the key starts or ends with whitespace, when the app code,
    /// `mchid` or user agent contains characters that cannot be sent (control
    /// characters, separators), when the custom base URL is not an
    /// `http(s)://` URL, or when the timeout is zero.
    pub fn build(self) -> Result<Client, Error> {
        let app_code = self
            .app_code
            .ok_or(BuildError::Missing { field: "app_code" })?;
        check_app_code(&app_code)?;
        let key = self.client_key.ok_or(BuildError::Missing {
            field: "client_key",
        })?;
        if key.is_empty() {
            return Err(BuildError::Invalid {
                field: "client_key",
                reason: "must not be empty".into(),
            }
            .into());
        }
        // A pasted key's space or a file's newline would be signed, and QFPay
        // would answer every request 1108 with nothing to say why.
        if key.bytes().first().is_some_and(u8::is_ascii_whitespace)
            || key.bytes().last().is_some_and(u8::is_ascii_whitespace)
        {
            return Err(BuildError::Invalid {
                field: "client_key",
                reason: "starts or ends with whitespace (a pasted space or a file's newline?); \
                         QFPay's keys have none"
                    .into(),
            }
            .into());
        }
        let mchid = self
            .mchid
            .map(|m| {
                MchId::new(m).map_err(|e| BuildError::Invalid {
                    field: "mchid",
                    reason: e.reason,
                })
            })
            .transpose()?;
        let environment = self.environment.ok_or(BuildError::Missing {
            field: "environment",
        })?;
        environment.validate()?;
        if self.timeout.is_zero() {
            return Err(BuildError::Invalid {
                field: "timeout",
                reason: "must be longer than zero".into(),
            }
            .into());
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned());
        if user_agent.is_empty() || !user_agent.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(BuildError::Invalid {
                field: "user_agent",
                reason: "must be non-empty printable ASCII".into(),
            }
            .into());
        }
        // Made once: every request sends these values as they are.
        let header_value = |field: &'static str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| BuildError::Invalid {
                field,
                reason: "cannot be sent as an HTTP header value".into(),
            })
        };
        let app_code_header = header_value("app_code", &app_code)?;
        let user_agent_header = header_value("user_agent", &user_agent)?;
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::new(&user_agent, self.timeout.min(MAX_CONNECT_TIMEOUT))
                    .map_err(|e| BuildError::HttpClient(Box::new(e)))?,
            ),
        };
        let base_url = environment.base_url().to_owned();
        let address = environment.address();
        Ok(Client {
            inner: Arc::new(Inner {
                app_code,
                app_code_header,
                key,
                mchid,
                environment,
                base_url,
                address,
                sign_type: self.sign_type,
                timeout: self.timeout,
                user_agent,
                user_agent_header,
                retry: self.retry,
                verify_response_signatures: self.verify_response_signatures,
                transport,
            }),
            options: None,
        })
    }
}

/// App codes are 32 hex characters in every example; allow the usual id
/// alphabet and refuse anything that could break a header or a log line.
fn check_app_code(app_code: &str) -> Result<(), BuildError> {
    let invalid = |reason: &'static str| BuildError::Invalid {
        field: "app_code",
        reason: reason.into(),
    };
    if app_code.is_empty() {
        return Err(invalid("must not be empty"));
    }
    if app_code.len() > 64 {
        return Err(invalid("is longer than 64 characters"));
    }
    if !app_code
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        return Err(invalid(
            "may contain only ASCII letters, digits, `_`, `-` and `.` (no spaces, separators or control characters)",
        ));
    }
    Ok(())
}
