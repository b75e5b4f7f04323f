//! The server: builder, accept loop, request pipeline (recording, faults),
//! control API.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use qfpay::types::TradeTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::config::{App, check_url, is_loopback_url};
use crate::fault::{Fault, FaultId, FaultRule, Faults};
use crate::notify::{self, Notification};
use crate::record::RecordedRequest;
use crate::store::{Order, OrderStatus, OrderType, Plan, SeedOrder, Store, Tx};
use crate::{MockError, api, control};

/// Locks a mutex, recovering from poisoning (a panicking test thread must
/// not wedge the server).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) struct Config {
    pub apps: Vec<App>,
    pub scenarios: bool,
    pub notify_time_scale: f64,
    pub slow_reply: Duration,
    pub allow_remote_notify: bool,
    pub max_recorded: usize,
    pub max_body: usize,
    pub accept_connect: bool,
}

pub(crate) struct Shared {
    pub config: Config,
    pub base_url: String,
    pub default_notify_url: Mutex<Option<String>>,
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    pub requests: Mutex<VecDeque<RecordedRequest>>,
    pub request_seq: AtomicU64,
    pub notifications: Mutex<Vec<Notification>>,
    /// Woken whenever a notification changes.
    pub changed: tokio::sync::Notify,
    pub http: reqwest::Client,
    pub runtime: tokio::runtime::Handle,
    pub shutdown: watch::Receiver<bool>,
    /// Created at the first `CONNECT`.
    pub tls: std::sync::OnceLock<Result<tokio_rustls::TlsAcceptor, String>>,
}

impl Shared {
    fn tls_acceptor(&self) -> Result<tokio_rustls::TlsAcceptor, String> {
        self.tls.get_or_init(make_tls_acceptor).clone()
    }

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

    fn record(&self, parts: &axum::http::request::Parts, body: &[u8], fault: Option<&Fault>) {
        if self.config.max_recorded == 0 {
            return;
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
        };
        let mut list = lock(&self.requests);
        while list.len() >= self.config.max_recorded {
            list.pop_front();
        }
        list.push_back(rec);
    }

    pub fn pay(self: &Arc<Self>, id: &str) -> Result<Order, MockError> {
        let (order, events) = {
            let mut store = lock(&self.store);
            let idx = store
                .find(id)
                .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
            let order = store
                .order(idx)
                .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
            if order.order_type != OrderType::Payment || !order.status.is_open() {
                return Err(MockError::NotPayable {
                    syssn: order.syssn,
                    status: order.status,
                });
            }
            let events: Vec<_> = store.pay(idx, &TradeTime::now()).into_iter().collect();
            let order = store
                .order(idx)
                .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
            (order, events)
        };
        notify::dispatch(self, events);
        Ok(order)
    }

    pub fn seed(&self, seed: SeedOrder) -> Result<Order, MockError> {
        let app = match &seed.app_code {
            Some(code) => self
                .config
                .apps
                .iter()
                .find(|a| &a.code == code)
                .ok_or_else(|| MockError::Seed(format!("unknown app code `{code}`")))?,
            None => self
                .config
                .apps
                .first()
                .ok_or_else(|| MockError::Seed("no app configured".into()))?,
        };
        let mchid = match (&seed.mchid, app.mchids.first()) {
            (Some(m), _) if app.mchids.contains(m) => Some(m.clone()),
            (Some(m), _) => {
                return Err(MockError::Seed(format!(
                    "`{m}` is not an mchid of app `{}`",
                    app.code
                )));
            }
            (None, first) => first.cloned(),
        };
        if seed.syssn.is_empty() || seed.txamt == 0 {
            return Err(MockError::Seed(
                "syssn and a positive txamt are required".into(),
            ));
        }
        let out_trade_no = seed
            .out_trade_no
            .clone()
            .unwrap_or_else(|| format!("SEED-{}", seed.syssn));
        let now = TradeTime::now();
        let mut store = lock(&self.store);
        if store.syssn_exists(&seed.syssn) {
            return Err(MockError::Seed(format!(
                "syssn `{}` already exists",
                seed.syssn
            )));
        }
        let merchant = (app.code.clone(), mchid.clone());
        if store.by_out_trade_no(&merchant, &out_trade_no).is_some() {
            return Err(MockError::Seed(format!(
                "out_trade_no `{out_trade_no}` already exists"
            )));
        }
        let chnlsn = store.chnlsn(&seed.syssn);
        let order = Order {
            syssn: seed.syssn.clone(),
            order_type: OrderType::Payment,
            app_code: app.code.clone(),
            mchid,
            out_trade_no,
            pay_type: seed.pay_type.clone(),
            txamt: seed.txamt,
            txcurrcd: seed.txcurrcd.clone(),
            txdtm: now.to_string(),
            sysdtm: now.to_string(),
            paydtm: Some(now.to_string()),
            status: OrderStatus::Succeeded,
            respcd: String::new(),
            cancel: String::new(),
            refunded: 0,
            refunds: Vec::new(),
            orig_syssn: None,
            note: None,
            goods_name: None,
            goods_info: None,
            udid: None,
            qrcode: None,
            pay_url: None,
            notify_url: None,
            chnlsn,
        };
        let idx = store.insert(Tx {
            order,
            cpm: false,
            plan: Plan::None,
            fail_on_pay: None,
            fingerprint: String::new(),
        });
        store
            .order(idx)
            .ok_or_else(|| MockError::Seed("order lost".into()))
    }
}

/// A TLS acceptor with a fresh self-signed certificate (clients must skip
/// verification, e.g. `newman --insecure`).
fn make_tls_acceptor() -> Result<tokio_rustls::TlsAcceptor, String> {
    use tokio_rustls::rustls;
    let names: Vec<String> = [
        "localhost",
        "127.0.0.1",
        "openapi-hk.qfapi.com",
        "test-openapi-hk.qfapi.com",
        "openapi-int.qfapi.com",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| e.to_string())?;
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
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
    /// requests are always served by path.
    pub fn accept_connect(mut self, on: bool) -> Self {
        self.accept_connect = on;
        self
    }

    /// Puts a paid payment in the store at start.
    pub fn seed(mut self, order: SeedOrder) -> Self {
        self.seeds.push(order);
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
            },
            base_url: base_url.clone(),
            default_notify_url: Mutex::new(self.notify_url),
            store: Mutex::new(Store::default()),
            faults: Mutex::new(Faults::default()),
            requests: Mutex::new(VecDeque::new()),
            request_seq: AtomicU64::new(0),
            notifications: Mutex::new(Vec::new()),
            changed: tokio::sync::Notify::new(),
            http,
            runtime,
            shutdown: shutdown_rx.clone(),
            tls: std::sync::OnceLock::new(),
        });
        for seed in self.seeds {
            shared.seed(seed)?;
        }
        let router = control::router()
            .fallback(api::handle)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(serve(listener, Arc::clone(&shared), router, shutdown_rx));
        Ok(MockServer {
            shared,
            addr,
            base_url,
            shutdown: shutdown_tx,
            task: Some(task),
        })
    }
}

/// A running mock QFPay server. Stops (gracefully) on drop or [`MockServer::shutdown`].
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// A builder.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT` — the base URL for
    /// `qfpay::Environment::Custom(..)`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Plays the customer: pays the open payment with this `syssn` or
    /// `out_trade_no` (MPM, online, in-app, or a pending CPM). A payment
    /// whose scenario fails (e.g. `txamt` 1201) ends `Failed` instead. Sends
    /// the payment notification when paid.
    pub fn pay(&self, syssn_or_out_trade_no: &str) -> Result<Order, MockError> {
        self.shared.pay(syssn_or_out_trade_no)
    }

    /// The payment or refund with this `syssn` (or latest with this `out_trade_no`).
    pub fn order(&self, syssn_or_out_trade_no: &str) -> Option<Order> {
        let store = lock(&self.shared.store);
        store
            .find(syssn_or_out_trade_no)
            .and_then(|i| store.order(i))
    }

    /// Every payment and refund, in creation order.
    pub fn orders(&self) -> Vec<Order> {
        lock(&self.shared.store).orders()
    }

    /// Puts a paid payment in the store.
    pub fn seed_order(&self, order: SeedOrder) -> Result<Order, MockError> {
        self.shared.seed(order)
    }

    /// The requests received on QFPay paths, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).iter().cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Injects a fault: a bare [`Fault`] hits the next request on any QFPay
    /// path; a [`FaultRule`] chooses the path and count.
    pub fn inject(&self, rule: impl Into<FaultRule>) -> FaultId {
        lock(&self.shared.faults).add(rule.into())
    }

    /// Removes an injected fault; `false` if it was already used up.
    pub fn remove_fault(&self, id: FaultId) -> bool {
        lock(&self.shared.faults).remove(id)
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every notification and its delivery attempts.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.shared.notifications).clone()
    }

    /// Changes the default notification URL.
    pub fn set_notify_url(&self, url: Option<&str>) -> Result<(), MockError> {
        if let Some(u) = url {
            check_url(u).map_err(MockError::Config)?;
        }
        *lock(&self.shared.default_notify_url) = url.map(str::to_owned);
        Ok(())
    }

    /// Waits until `pred` holds for the notification list, or `timeout`
    /// passes; returns the list either way.
    pub async fn wait_for_notifications(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&[Notification]) -> bool,
    ) -> Vec<Notification> {
        let now = tokio::time::Instant::now();
        // A timeout too large to represent waits "forever" (about 30 years).
        let deadline = now
            .checked_add(timeout)
            .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 3600));
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let list = self.notifications();
            if pred(&list) {
                return list;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.notifications();
            }
        }
    }

    /// Waits until the notification of transaction `syssn` (payment or
    /// refund) is finished — delivered, given up, or without URL.
    pub async fn wait_for_notification(
        &self,
        syssn: &str,
        timeout: Duration,
    ) -> Option<Notification> {
        let list = self
            .wait_for_notifications(timeout, |l| {
                l.iter().any(|n| n.syssn == syssn && n.state.is_final())
            })
            .await;
        list.into_iter()
            .find(|n| n.syssn == syssn && n.state.is_final())
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// 5 s), cancels pending notification retries.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until Ctrl-C, then shuts down.
    pub async fn run_until_ctrl_c(self) -> Result<(), MockError> {
        tokio::signal::ctrl_c().await?;
        self.shutdown().await;
        Ok(())
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// The connection is closed without a response (fault injection).
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    // Every connection task holds a clone of `done`; when all are gone the
    // receiver sees the channel closed.
    let (done, mut all_done) = tokio::sync::mpsc::channel::<()>(1);
    let conn = Conn {
        shared,
        router,
        shutdown: shutdown.clone(),
        _alive: done,
    };
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors and the like: back off briefly.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(conn.clone().serve(stream));
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    drop(conn);
    let _ = tokio::time::timeout(Duration::from_secs(5), all_done.recv()).await;
}

/// What serving one connection needs.
#[derive(Clone)]
struct Conn {
    shared: Arc<Shared>,
    router: Router,
    shutdown: watch::Receiver<bool>,
    /// Held, never read: dropping the last clone tells `serve` all connections ended.
    _alive: tokio::sync::mpsc::Sender<()>,
}

type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

impl Conn {
    /// Serves HTTP/1.1 on `io` until it closes; on shutdown, finishes the
    /// request in flight and closes. Boxed: a `CONNECT` tunnel serves its
    /// TLS stream with this from inside the request pipeline.
    fn serve<I>(self, io: I) -> BoxFuture
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        Box::pin(async move {
            let mut shutdown = self.shutdown.clone();
            let service = {
                let conn = self.clone();
                hyper::service::service_fn(move |req| pipeline(conn.clone(), req))
            };
            let http = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(io), service)
                .with_upgrades();
            tokio::pin!(http);
            if *shutdown.borrow_and_update() {
                http.as_mut().graceful_shutdown();
            }
            tokio::select! {
                _ = http.as_mut() => {}
                _ = shutdown.changed() => {
                    http.as_mut().graceful_shutdown();
                    let _ = http.await;
                }
            }
            drop(self);
        })
    }

    /// Answers `CONNECT host:port` with 200 and serves the tunnel itself:
    /// TLS with a self-signed certificate, then the same QFPay API. The mock
    /// never connects anywhere else.
    fn tunnel(self, req: &mut Request<Incoming>) -> Response<Body> {
        if !self.shared.config.accept_connect {
            return text_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "CONNECT is disabled",
            );
        }
        let acceptor = match self.shared.tls_acceptor() {
            Ok(a) => a,
            Err(_) => {
                return text_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    "cannot create the TLS certificate",
                );
            }
        };
        let upgrade = hyper::upgrade::on(req);
        tokio::spawn(async move {
            let Ok(upgraded) = upgrade.await else {
                return;
            };
            let Ok(tls) = acceptor.accept(TokioIo::new(upgraded)).await else {
                return;
            };
            self.serve(tls).await;
        });
        Response::new(Body::empty())
    }
}

fn text_response(
    status: StatusCode,
    content_type: &'static str,
    body: &'static str,
) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// Per request: read the body, record, apply a fault, route.
async fn pipeline(
    conn: Conn,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    if req.method() == axum::http::Method::CONNECT {
        return Ok(conn.clone().tunnel(&mut req));
    }
    let Conn { shared, router, .. } = conn;
    let (parts, body) = req.into_parts();
    let bytes = match Limited::new(body, shared.config.max_body).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            return Ok(text_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "text/plain; charset=utf-8",
                "request body too large or unreadable",
            ));
        }
    };
    let path = parts.uri.path();
    let control = path == "/__mock" || path.starts_with("/__mock/");
    let fault = if control {
        None
    } else {
        lock(&shared.faults).take(path)
    };
    if !control {
        shared.record(&parts, &bytes, fault.as_ref());
    }
    match &fault {
        Some(Fault::DropConnection) => return Err(DropConnection),
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut r = text_response(
                StatusCode::TOO_MANY_REQUESTS,
                "text/plain; charset=utf-8",
                "Too Many Requests",
            );
            if let Some(s) = retry_after_secs
                && let Ok(v) = HeaderValue::from_str(&s.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(r);
        }
        Some(Fault::Status { status }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut r = Response::new(Body::from(format!("{status}")));
            *r.status_mut() = status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            return Ok(r);
        }
        Some(Fault::NonJson) => {
            return Ok(text_response(
                StatusCode::OK,
                "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n",
            ));
        }
        _ => {}
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let resp = match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    match fault {
        Some(Fault::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(resp)
        }
        Some(Fault::DropAfterProcessing) => Err(DropConnection),
        Some(Fault::TruncatedJson) => {
            let (mut parts, body) = resp.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            Ok(Response::from_parts(parts, Body::from(cut)))
        }
        Some(Fault::WrongSignature) => {
            let (mut parts, body) = resp.into_parts();
            let current = parts
                .headers
                .get("x-qf-sign")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("00000000000000000000000000000000")
                .to_owned();
            let mut wrong: Vec<char> = current.chars().collect();
            if let Some(c) = wrong.first_mut() {
                *c = if *c == '0' { '1' } else { '0' };
            }
            let wrong: String = wrong.into_iter().collect();
            if let Ok(v) = HeaderValue::from_str(&wrong) {
                parts.headers.insert("x-qf-sign", v);
            }
            Ok(Response::from_parts(parts, body))
        }
        _ => Ok(resp),
    }
}
