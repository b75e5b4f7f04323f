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
use qfpay::notify::{Notification, SUCCESS_REPLY};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The receiver's state: the key (through `FromRef`) and what it saw.
#[derive(Clone)]
struct AppState {
    key: ClientKey,
    seen: Arc<Mutex<Vec<Notification>>>,
    calls: Arc<AtomicUsize>,
    fail_first: usize,
}

impl FromRef<AppState> for ClientKey {
    fn from_ref(state: &AppState) -> ClientKey {
        state.key.clone()
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
        let seen = Arc::new(Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/qfpay/notify", routing::post(handler))
            .with_state(AppState {
                key: ClientKey::new(key),
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
