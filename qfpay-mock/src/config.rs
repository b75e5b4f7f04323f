//! Credentials the mock accepts.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// One set of credentials: an app code, its client key and the `mchid`s
/// (merchants) it may act for.
///
/// * No `mchid` (a plain merchant): requests must **not** carry `mchid`,
///   not even empty (reference §4).
/// * One or more `mchid`s (an agent or a multi-store merchant): every
///   request must carry one of them, except to the endpoints whose
///   description in `qfpay::api::CATALOGUE` says `sends_mchid: false`
///   (`add_note`, `trade_bill`), which never may.
///
/// Orders, and the uniqueness of `out_trade_no`, are kept per merchant:
/// `(app code, mchid)`.
#[derive(Clone)]
pub struct App {
    pub(crate) code: String,
    /// Kept out of `Debug`, zeroed on drop.
    pub(crate) key: SecretString,
    pub(crate) mchids: Vec<String>,
    pub(crate) notify_url: Option<String>,
}

impl App {
    /// Credentials without `mchid`.
    pub fn new(app_code: impl Into<String>, client_key: impl Into<String>) -> Self {
        App {
            code: app_code.into(),
            key: SecretString::from(client_key.into()),
            mchids: Vec::new(),
            notify_url: None,
        }
    }

    /// Adds a merchant id this app acts for (call several times for an agent
    /// with several merchants).
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchids.push(mchid.into());
        self
    }

    /// The notification URL registered for this app (QFPay registers one per
    /// app code). Overrides the server-wide [`crate::MockServerBuilder::notify_url`].
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }

    /// The app code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The merchant ids.
    pub fn mchids(&self) -> &[String] {
        &self.mchids
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.code.is_empty() {
            return Err("an app code must not be empty".into());
        }
        if self.key.expose_secret().is_empty() {
            return Err(format!("the client key of app `{}` is empty", self.code));
        }
        if self.mchids.iter().any(String::is_empty) {
            return Err(format!("an mchid of app `{}` is empty", self.code));
        }
        if let Some(url) = &self.notify_url {
            check_url(url)?;
        }
        Ok(())
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("code", &self.code)
            .field("key", &format_args!("<redacted>"))
            .field("mchids", &self.mchids)
            .field("notify_url", &self.notify_url)
            .finish()
    }
}

pub(crate) fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(format!("notify URL `{url}` is not an http(s) URL"))
    }
}

/// Whether `url`'s host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
pub(crate) fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls() {
        assert!(is_loopback_url("http://127.0.0.1:8080/n"));
        assert!(is_loopback_url("http://127.8.0.1/n"));
        assert!(is_loopback_url("http://localhost/n"));
        assert!(is_loopback_url("https://[::1]:9/x"));
        assert!(is_loopback_url("http://u:p@127.0.0.1/x"));
        assert!(!is_loopback_url("http://127.0.0.1.example.com/x"));
        assert!(!is_loopback_url("https://merchant.example/notify"));
        assert!(!is_loopback_url("ftp://127.0.0.1/"));
        assert!(!is_loopback_url("http://10.0.0.1/"));
    }
}
