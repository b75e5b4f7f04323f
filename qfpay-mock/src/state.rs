//! The state one running server shares between its connections, its
//! handlers and its notification tasks. A leaf: it names the parts of the
//! state, and the modules that act on it (`api`, `control`, `notify`,
//! `operations`, the connection pipeline) all import it, never each other
//! through it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::{App, is_loopback_url};
use crate::fault::{Fault, Faults};
use crate::notification::Notification;
use crate::record::{RecordedRequest, RequestSeq};
use crate::refusal::Refusal;
use crate::store::Store;

/// Locks a mutex, recovering from poisoning (a panicking test thread must
/// not wedge the server).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The settings fixed when the server starts.
pub(crate) struct Config {
    pub apps: Vec<App>,
    pub scenarios: bool,
    pub notify_time_scale: f64,
    pub slow_reply: Duration,
    pub allow_remote_notify: bool,
    pub max_recorded: usize,
    pub max_body: usize,
    pub accept_connect: bool,
    /// Time-range listings newest first (see the builder).
    pub newest_first: bool,
}

pub(crate) struct Shared {
    pub config: Config,
    pub base_url: String,
    pub default_notify_url: Mutex<Option<String>>,
    pub store: Mutex<Store>,
    /// The mock clock every time-dependent part reads.
    pub clock: Clock,
    pub faults: Mutex<Faults>,
    pub requests: Mutex<VecDeque<RecordedRequest>>,
    pub request_seq: AtomicU64,
    pub notifications: Mutex<Vec<Notification>>,
    /// Woken whenever a notification changes.
    pub changed: tokio::sync::Notify,
    pub http: reqwest::Client,
    pub runtime: tokio::runtime::Handle,
    pub shutdown: watch::Receiver<bool>,
    /// The state file, if the state is kept in one (see `persist`).
    #[cfg(feature = "state")]
    pub journal: Option<crate::journal::Journal>,
    /// Created at the first `CONNECT` (see `tunnel`).
    #[cfg(feature = "proxy")]
    pub tls: std::sync::OnceLock<Result<tokio_rustls::TlsAcceptor, String>>,
}

impl Shared {
    /// The URL a notification of `app` goes to: the order's `notify_url`
    /// (loopback only, unless remote URLs are allowed), else the app's, else
    /// the server's.
    pub fn notify_url_for(&self, app: &App, order_url: Option<&str>) -> Option<String> {
        if let Some(u) = order_url
            && (self.config.allow_remote_notify || is_loopback_url(u))
        {
            return Some(u.to_owned());
        }
        app.notify_url
            .clone()
            .or_else(|| lock(&self.default_notify_url).clone())
    }

    /// The configured app with this code.
    pub fn app(&self, code: &str) -> Option<&App> {
        self.config.apps.iter().find(|a| a.code == code)
    }

    /// Keeps a received request for [`crate::MockServer::requests`], dropping
    /// the oldest beyond the configured maximum; its sequence number, unless
    /// recording is off.
    pub fn record(
        &self,
        parts: &axum::http::request::Parts,
        body: &[u8],
        fault: Option<&Fault>,
    ) -> Option<RequestSeq> {
        if self.config.max_recorded == 0 {
            return None;
        }
        let seq = self.request_seq.fetch_add(1, Ordering::Relaxed) + 1;
        let rec = RecordedRequest {
            seq,
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(body).into_owned(),
            fault: fault.map(Fault::label),
            refusal: None,
        };
        let mut list = lock(&self.requests);
        while list.len() >= self.config.max_recorded {
            list.pop_front();
        }
        list.push_back(rec);
        Some(RequestSeq(seq))
    }

    /// Attaches why request `seq` was refused to its record (if it is still
    /// kept). Requests recorded after it are few, so the search from the
    /// newest end is short.
    pub fn refuse(&self, seq: Option<RequestSeq>, refusal: Refusal) {
        let Some(RequestSeq(seq)) = seq else { return };
        let mut list = lock(&self.requests);
        if let Some(rec) = list.iter_mut().rev().find(|r| r.seq == seq) {
            rec.refusal = Some(refusal);
        }
    }
}
