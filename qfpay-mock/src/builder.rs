//! [`MockServerBuilder`]: the server's settings, checked and turned into a
//! running [`MockServer`].

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::accept::accept_loop;
use crate::clock::Clock;
use crate::config::{App, check_url};
use crate::error::MockError;
use crate::fault::Faults;
use crate::history::{self, History};
use crate::server::MockServer;
use crate::state::{Config, Shared, lock};
use crate::store::{SeedOrder, Store};
use crate::{api, control, notify, operations, persist};

// Here rather than with the server's other calls, so that `server` does
// not import `builder`, which imports `server`.
impl MockServer {
    /// A builder.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }
}

/// Configures and starts a [`MockServer`].
#[derive(Debug)]
#[must_use]
pub struct MockServerBuilder {
    apps: Vec<App>,
    addr: SocketAddr,
    notify_url: Option<String>,
    notify_time_scale: f64,
    scenarios: bool,
    slow_reply: Duration,
    allow_remote_notify: bool,
    max_recorded_requests: usize,
    seeds: Vec<SeedOrder>,
    accept_connect: bool,
    history: Option<History>,
    newest_first: bool,
    #[cfg(feature = "state")]
    state_file: Option<std::path::PathBuf>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            apps: Vec::new(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            notify_url: None,
            notify_time_scale: 1.0,
            scenarios: true,
            slow_reply: Duration::from_secs(2),
            allow_remote_notify: false,
            max_recorded_requests: 10_000,
            seeds: Vec::new(),
            accept_connect: true,
            history: None,
            newest_first: false,
            #[cfg(feature = "state")]
            state_file: None,
        }
    }
}

impl MockServerBuilder {
    /// Accepts `app_code` signed with `client_key`; `mchid` for an agent
    /// app (requests must then carry it), `None` for a plain merchant
    /// (requests must not). See [`App`] for several merchants per app.
    pub fn app(
        self,
        app_code: impl Into<String>,
        client_key: impl Into<String>,
        mchid: Option<&str>,
    ) -> Self {
        let mut app = App::new(app_code, client_key);
        if let Some(m) = mchid {
            app = app.mchid(m);
        }
        self.add_app(app)
    }

    /// Accepts another set of credentials.
    pub fn add_app(mut self, app: App) -> Self {
        self.apps.push(app);
        self
    }

    /// Where to listen; default `127.0.0.1:0` (a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Default notification URL, for apps without their own.
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }

    /// Multiplies the notification retry schedule (reference §22.1): `1.0`
    /// is QFPay's (2 min … 15 h), `0.001` turns 2 min into 120 ms, `0.0`
    /// retries at once. Negative or non-finite values are treated as `1.0`.
    pub fn notify_time_scale(mut self, scale: f64) -> Self {
        self.notify_time_scale = if scale.is_finite() && scale >= 0.0 {
            scale
        } else {
            1.0
        };
        self
    }

    /// Turns the scenario triggers (README) on or off; default on.
    pub fn scenarios(mut self, on: bool) -> Self {
        self.scenarios = on;
        self
    }

    /// The delay of the "slow reply" amount scenario (`txamt` 1295); default 2 s.
    pub fn slow_reply(mut self, delay: Duration) -> Self {
        self.slow_reply = delay;
        self
    }

    /// Honour a request's `notify_url` even when it is not a loopback URL.
    /// Off by default, so tests never send traffic off the machine.
    pub fn allow_remote_notify_urls(mut self, allow: bool) -> Self {
        self.allow_remote_notify = allow;
        self
    }

    /// How many received requests to keep for [`MockServer::requests`]
    /// (oldest dropped first); default 10,000, 0 disables recording.
    pub fn max_recorded_requests(mut self, n: usize) -> Self {
        self.max_recorded_requests = n;
        self
    }

    /// Whether `CONNECT` requests are served (default on): the mock then
    /// acts as an HTTPS proxy **to itself** — it answers `CONNECT any:443`,
    /// terminates TLS with a self-signed certificate and serves its own API
    /// inside, so a client with hard-coded `https://` QFPay URLs can be
    /// pointed at it with `HTTPS_PROXY` (and certificate checks off). It
    /// never connects anywhere. Plain `http://` absolute-form proxy
    /// requests are always served by path. Needs the `proxy` feature:
    /// without it `CONNECT` is answered 405.
    pub fn accept_connect(mut self, on: bool) -> Self {
        self.accept_connect = on;
        self
    }

    /// Puts a paid payment in the store at start.
    pub fn seed(mut self, order: SeedOrder) -> Self {
        self.seeds.push(order);
        self
    }

    /// Starts with a seeded, deterministic past of payments and refunds
    /// over several months (see [`History`]), to page through by time range.
    pub fn history(mut self, history: History) -> Self {
        self.history = Some(history);
        self
    }

    /// Lists a time-range query newest first (by `sysdtm`, latest created
    /// first on a tie) instead of oldest first (the default: by `sysdtm`,
    /// ties in creation order, which is creation order). The
    /// reference does not say in which order QFPay lists; newest first is
    /// the order in which a payment made while a client pages pushes every
    /// older record one place down — onto the next page — so a client's
    /// duplicate removal can be tested for real.
    pub fn newest_first(mut self, on: bool) -> Self {
        self.newest_first = on;
        self
    }

    /// Keeps the state in an SQLite database at `path` (created if missing):
    /// orders (payments, refunds), notifications with their delivery
    /// attempts, the catalogue's other records (holds, intents, customs
    /// declarations, recurring customers, cards, products, subscriptions,
    /// billing orders) and the clock are written to it before each reply,
    /// and a server started on the same file continues where the last one
    /// stopped — even one killed with `SIGKILL`. A notification still being delivered is
    /// resumed at its next attempt. Seeds whose `syssn` is already in the
    /// file are skipped; the [`history`](Self::history) is only filled into
    /// a file with nothing in it. Writes survive the process being killed,
    /// not a power loss (WAL, `synchronous=NORMAL`). Without this the state
    /// is kept in memory only.
    #[cfg(feature = "state")]
    #[cfg_attr(docsrs, doc(cfg(feature = "state")))]
    pub fn state_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Binds the socket and starts serving on the current Tokio runtime.
    pub async fn start(self) -> Result<MockServer, MockError> {
        if self.apps.is_empty() {
            return Err(MockError::Config(
                "configure at least one app (`.app(code, key, mchid)`)".into(),
            ));
        }
        for (i, app) in self.apps.iter().enumerate() {
            app.check().map_err(MockError::Config)?;
            if self.apps[..i].iter().any(|a| a.code == app.code) {
                return Err(MockError::Config(format!(
                    "app code `{}` is configured twice",
                    app.code
                )));
            }
        }
        if let Some(u) = &self.notify_url {
            check_url(u).map_err(MockError::Config)?;
        }
        #[cfg(feature = "state")]
        let journal = self
            .state_file
            .as_deref()
            .map(crate::journal::Journal::open)
            .transpose()?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| MockError::Config("start() must run inside a Tokio runtime".into()))?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .user_agent("qfpay-mock")
            .build()
            .map_err(|e| MockError::Config(format!("cannot build the notification client: {e}")))?;
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: self.addr,
            source,
        })?;
        let base_url = format!("http://{addr}");
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            config: Config {
                apps: self.apps,
                scenarios: self.scenarios,
                notify_time_scale: self.notify_time_scale,
                slow_reply: self.slow_reply,
                allow_remote_notify: self.allow_remote_notify,
                max_recorded: self.max_recorded_requests,
                max_body: 1 << 20,
                accept_connect: self.accept_connect,
                newest_first: self.newest_first,
            },
            base_url,
            default_notify_url: Mutex::new(self.notify_url),
            store: Mutex::new(Store::default()),
            clock: Clock::default(),
            faults: Mutex::new(Faults::default()),
            requests: Mutex::new(VecDeque::new()),
            request_seq: AtomicU64::new(0),
            notifications: Mutex::new(Vec::new()),
            changed: tokio::sync::Notify::new(),
            http,
            runtime,
            shutdown: shutdown_rx.clone(),
            #[cfg(feature = "state")]
            journal,
            #[cfg(feature = "proxy")]
            tls: std::sync::OnceLock::new(),
        });
        let restored = persist::restore(&shared)?;
        if let Some(h) = self.history.as_ref().filter(|_| !restored) {
            history::fill(&shared, h)?;
        }
        for seed in self.seeds {
            if restored && lock(&shared.store).syssn_exists(&seed.syssn) {
                continue;
            }
            operations::seed(&shared, seed)?;
        }
        notify::resume(&shared);
        let router = control::router()
            .fallback(api::handle)
            .with_state(Arc::clone(&shared));
        tokio::spawn(operations::tick(Arc::clone(&shared), shutdown_rx.clone()));
        let task = tokio::spawn(accept_loop(
            listener,
            Arc::clone(&shared),
            router,
            shutdown_rx,
        ));
        Ok(MockServer::started(shared, addr, shutdown_tx, task))
    }
}
