//! Where requests go: the three current Hong Kong hosts, or any base URL.

use std::fmt;

use crate::error::BuildError;

/// A QFPay environment (reference §2.1).
///
/// | variant | base URL | use |
/// |---|---|---|
/// | [`Sandbox`](Environment::Sandbox) | `https://openapi-int.qfapi.com` | credit-card simulation only (test cards), recurring APIs |
/// | [`LiveTest`](Environment::LiveTest) | `https://test-openapi-hk.qfapi.com` | real wallets, test accounts, no settlement — refund the same day |
/// | [`Production`](Environment::Production) | `https://openapi-hk.qfapi.com` | live; the only host for the statement download |
/// | [`Custom`](Environment::Custom) | any `http(s)://` base URL | the mock server, other regions (reference §2.2) |
///
/// ```
/// use qfpay::Environment;
/// assert_eq!(Environment::Production.base_url(), "https://openapi-hk.qfapi.com");
/// let mock = Environment::Custom("http://127.0.0.1:8080".into());
/// assert_eq!(mock.base_url(), "http://127.0.0.1:8080");
/// assert_eq!("live-test".parse::<Environment>().unwrap(), Environment::LiveTest);
/// ```
///
/// There is no default: a client is always built for an environment named
/// by its code or its configuration, never quietly for a test host.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://openapi-int.qfapi.com` — card simulation only.
    Sandbox,
    /// `https://test-openapi-hk.qfapi.com` — live testing.
    LiveTest,
    /// `https://openapi-hk.qfapi.com` — production.
    Production,
    /// Any base URL (`http://` or `https://`, no query or fragment); a
    /// trailing `/` is ignored.
    Custom(String),
}

impl Environment {
    /// The base URL requests are sent below (no trailing `/`).
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Sandbox => "https://openapi-int.qfapi.com",
            Environment::LiveTest => "https://test-openapi-hk.qfapi.com",
            Environment::Production => "https://openapi-hk.qfapi.com",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// `host:port` of the base URL (the scheme's default port when none is
    /// written), for error messages.
    pub(crate) fn address(&self) -> String {
        let url = self.base_url();
        let (rest, default_port) = match url.strip_prefix("https://") {
            Some(rest) => (rest, 443),
            None => (url.strip_prefix("http://").unwrap_or(url), 80),
        };
        let authority = rest.split('/').next().unwrap_or(rest);
        // Credentials in a URL (`user:pass@host`) stay out of messages.
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let has_port = match host_port.rsplit_once(':') {
            // `[::1]` has colons but no port; `[::1]:8080` has one.
            Some((host, port)) => {
                !port.is_empty()
                    && port.bytes().all(|b| b.is_ascii_digit())
                    && (!host.starts_with('[') || host.ends_with(']'))
            }
            None => false,
        };
        if has_port {
            host_port.to_owned()
        } else {
            format!("{host_port}:{default_port}")
        }
    }

    /// Checks a custom base URL; the named hosts are always valid.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        let Environment::Custom(url) = self else {
            return Ok(());
        };
        let invalid = |reason: &'static str| BuildError::Invalid {
            field: "environment",
            reason: reason.into(),
        };
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| invalid("a custom base URL must start with `http://` or `https://`"))?;
        if rest.trim_end_matches('/').is_empty() {
            return Err(invalid("a custom base URL needs a host"));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "a custom base URL must not contain whitespace or control characters",
            ));
        }
        if url.contains(['?', '#']) {
            return Err(invalid(
                "a custom base URL must not have a query or fragment",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Sandbox => f.write_str("sandbox"),
            Environment::LiveTest => f.write_str("live-test"),
            Environment::Production => f.write_str("production"),
            Environment::Custom(url) => f.write_str(url),
        }
    }
}

/// Parses `sandbox`, `live-test` (or `livetest`, `test`), `production` (or
/// `prod`), or an `http(s)://` base URL as [`Environment::Custom`].
impl std::str::FromStr for Environment {
    type Err = BuildError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let env = match lower.as_str() {
            "sandbox" => Environment::Sandbox,
            "live-test" | "livetest" | "live_test" | "test" => Environment::LiveTest,
            "production" | "prod" => Environment::Production,
            _ if lower.starts_with("http://") || lower.starts_with("https://") => {
                Environment::Custom(s.trim().to_owned())
            }
            _ => {
                return Err(BuildError::Invalid {
                    field: "environment",
                    reason:
                        "expected `sandbox`, `live-test`, `production` or an http(s):// base URL"
                            .into(),
                });
            }
        };
        env.validate()?;
        Ok(env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_has_host_and_port() {
        assert_eq!(
            Environment::Production.address(),
            "openapi-hk.qfapi.com:443"
        );
        let custom = |u: &str| Environment::Custom(u.into()).address();
        assert_eq!(custom("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(custom("http://localhost/api"), "localhost:80");
        assert_eq!(
            custom("https://user:secret@host.example"),
            "host.example:443"
        );
        assert_eq!(custom("http://[::1]"), "[::1]:80");
        assert_eq!(custom("http://[::1]:9000"), "[::1]:9000");
    }

    #[test]
    fn custom_urls_are_checked() {
        assert!(
            Environment::Custom("http://127.0.0.1:1/".into())
                .validate()
                .is_ok()
        );
        assert_eq!(
            Environment::Custom("http://127.0.0.1:1/".into()).base_url(),
            "http://127.0.0.1:1"
        );
        for bad in ["ftp://x", "http://", "http://a b", "https://x/?a=1", "x"] {
            assert!(Environment::Custom(bad.into()).validate().is_err(), "{bad}");
        }
        assert!("nowhere".parse::<Environment>().is_err());
        assert_eq!(
            "https://openapi-sg.qfapi.com"
                .parse::<Environment>()
                .unwrap(),
            Environment::Custom("https://openapi-sg.qfapi.com".into())
        );
    }
}
