//! A notification receiver on loopback (axum + `VerifiedNotification`) and a
//! raw HTTP/1.1 client, shared by the notification tests.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing;
use qfpay::ClientKey;
use qfpay::notify::axum::VerifiedNotification;
use qfpay::notify::{Notification, SUCCESS_REPLY, Verifier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The receiver's state: the verifier (through `FromRef`) and what it saw.
#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    seen: Arc<Mutex<Vec<Notification>>>,
    calls: Arc<AtomicUsize>,
    fail_first: usize,
}

impl FromRef<AppState> for Verifier {
    fn from_ref(state: &AppState) -> Verifier {
        state.verifier.clone()
    }
}

async fn handler(
    State(state): State<AppState>,
    VerifiedNotification(event): VerifiedNotification,
) -> (StatusCode, &'static str) {
    let call = state.calls.fetch_add(1, Ordering::SeqCst) + 1;
    state.seen.lock().unwrap().push(event);
    if call <= state.fail_first {
        (StatusCode::INTERNAL_SERVER_ERROR, "database unavailable")
    } else {
        (StatusCode::OK, SUCCESS_REPLY)
    }
}

/// A running receiver at `url` (`POST /qfpay/notify`).
pub struct Receiver {
    pub addr: SocketAddr,
    pub url: String,
    seen: Arc<Mutex<Vec<Notification>>>,
    calls: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Verifies with `key`; answers 500 to the first `fail_first` verified
    /// notifications, then `200 SUCCESS`.
    pub async fn start(key: &str, fail_first: usize) -> Receiver {
        Receiver::start_with(Verifier::from(ClientKey::new(key)), fail_first).await
    }

    /// Verifies with `verifier`'s keys; otherwise as [`Receiver::start`].
    pub async fn start_with(verifier: Verifier, fail_first: usize) -> Receiver {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/qfpay/notify", routing::post(handler))
            .with_state(AppState {
                verifier,
                seen: Arc::clone(&seen),
                calls: Arc::clone(&calls),
                fail_first,
            });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            addr,
            url: format!("http://{addr}/qfpay/notify"),
            seen,
            calls,
            task,
        }
    }

    /// How often the handler ran (only verified notifications reach it).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The events the handler received, in order.
    pub fn seen(&self) -> Vec<Notification> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A reply: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// How the request body is sent.
pub enum Send<'a> {
    /// With `Content-Length`.
    Whole(&'a [u8]),
    /// Announces `Content-Length: n` and sends no body.
    AnnounceOnly(usize),
    /// Chunked, in chunks of the given size; without the final chunk when
    /// `finish` is false (the server must answer before the end).
    Chunked {
        body: &'a [u8],
        chunk: usize,
        finish: bool,
    },
}

/// POSTs to `addr` with a raw HTTP/1.1 request.
pub async fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], send: Send<'_>) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &send {
        Send::Whole(body) => head.push_str(&format!("Content-Length: {}\r\n", body.len())),
        Send::AnnounceOnly(len) => head.push_str(&format!("Content-Length: {len}\r\n")),
        Send::Chunked { .. } => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    match send {
        Send::Whole(body) => stream.write_all(body).await.unwrap(),
        Send::AnnounceOnly(_) => {}
        Send::Chunked {
            body,
            chunk,
            finish,
        } => {
            for part in body.chunks(chunk) {
                let mut frame = format!("{:x}\r\n", part.len()).into_bytes();
                frame.extend_from_slice(part);
                frame.extend_from_slice(b"\r\n");
                if stream.write_all(&frame).await.is_err() {
                    break;
                }
            }
            if finish {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
        }
    }
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("reply within 10 s")
        .expect("reply read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Reply { status, body }
}

/// Two apps of one merchant, each with its own key: the receivers under
/// test verify both through one `Verifier`.
pub const APP_A: &str = "FRAMEWORKAPPA00000000000000000AA";
pub const KEY_A: &str = "FRAMEWORK-KEY-A-000000000000000";
pub const APP_B: &str = "FRAMEWORKAPPB00000000000000000BB";
pub const KEY_B: &str = "FRAMEWORK-KEY-B-000000000000000";

/// The verifier both framework receivers are configured with.
pub fn two_key_verifier() -> qfpay::notify::Verifier {
    qfpay::notify::Verifier::new()
        .key(APP_A, ClientKey::new(KEY_A))
        .key(APP_B, ClientKey::new(KEY_B))
}

/// Drives a receiver at `addr` (`POST /qfpay/notify`) that verifies with
/// [`two_key_verifier`] and answers `SUCCESS`: the mock pays one order of
/// each app and delivers its signed notification (answered 200 `SUCCESS`);
/// a forged body, a missing signature and a body signed with a key the
/// verifier does not hold are answered 401. Returns the syssns paid, in order.
pub async fn mock_signed_and_forged(addr: SocketAddr) -> Vec<String> {
    use qfpay::api::Payment;
    use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
    use qfpay::{Client, Environment};
    use qfpay_mock::{DeliveryState, MockServer};

    let url = format!("http://{addr}/qfpay/notify");
    let server = MockServer::builder()
        .app(APP_A, KEY_A, None)
        .app(APP_B, KEY_B, None)
        .notify_url(&url)
        .notify_time_scale(0.001)
        .start()
        .await
        .unwrap();
    let mut paid = Vec::new();
    for (app, key) in [(APP_A, KEY_A), (APP_B, KEY_B)] {
        let client = Client::builder()
            .app_code(app)
            .client_key(key)
            .environment(Environment::Custom(server.base_url().to_owned()))
            .build()
            .unwrap();
        let payment = Payment::builder()
            .pay_type(PayType::WechatMpm)
            .txamt(Amount::new(800))
            .txcurrcd(Currency::from_code("HKD"))
            .out_trade_no(OutTradeNo::generate())
            .txdtm(TradeTime::now())
            .build();
        let syssn = client.call(&payment).await.unwrap().syssn.unwrap();
        server.pay(syssn.as_str()).unwrap();
        let n = server
            .wait_for_notification(syssn.as_str(), Duration::from_secs(10))
            .await
            .expect("delivered");
        assert_eq!(n.state, DeliveryState::Delivered, "{n:?}");
        assert_eq!(n.attempts[0].status, Some(200), "{n:?}");
        assert_eq!(n.attempts[0].response_body, "SUCCESS");
        paid.push(syssn.as_str().to_owned());

        // The same bytes altered by one character: refused.
        let forged = n.body.replacen("800", "900", 1);
        assert_ne!(forged, n.body);
        let sign = qfpay::Signature::compute(
            qfpay::SignType::Md5,
            n.body.as_bytes(),
            &ClientKey::new(key),
        )
        .to_string();
        let reply = post(
            addr,
            "/qfpay/notify",
            &[("X-QF-SIGN", &sign)],
            Send::Whole(forged.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 401, "{reply:?}");
    }
    // No signature, and a signature by a key the verifier does not hold.
    let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
    let reply = post(addr, "/qfpay/notify", &[], Send::Whole(body)).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    assert!(reply.body.contains("X-QF-SIGN"), "{reply:?}");
    let stranger = qfpay::Signature::compute(
        qfpay::SignType::Md5,
        body,
        &ClientKey::new("TESTKEY0123456789"),
    )
    .to_string();
    let reply = post(
        addr,
        "/qfpay/notify",
        &[("X-QF-SIGN", &stranger)],
        Send::Whole(body),
    )
    .await;
    assert_eq!(reply.status, 401, "{reply:?}");
    server.shutdown().await;
    paid
}
