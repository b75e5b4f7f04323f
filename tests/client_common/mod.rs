//! A tiny HTTP/1.1 server on loopback for the client tests: records every
//! request byte for byte and answers with queued canned responses.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use md5::Md5;
use qfpay::{Client, ClientKey, Environment, RetryPolicy, SignType};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const APP_CODE: &str = "APPCODE0001APPCODE0001APPCODE000";
pub const KEY: &str = "SECRETKEY-5f2b9c0d7e1a4f3b8c6d";
pub const MCHID: &str = "ZaMVg12345";

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The signed parameters: the body for POST, the query for GET.
    pub fn params_bytes(&self) -> Vec<u8> {
        if self.method == "GET" {
            self.query.clone().unwrap_or_default().into_bytes()
        } else {
            self.body.clone()
        }
    }

    /// Decoded pairs, as the server sees them.
    pub fn pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.params_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.pairs()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Recomputes the request signature independently of the SDK: decode the
/// parameters, sort them by name, join raw `k=v` with `&`, append the key,
/// hash, upper-case hex.
pub fn expected_signature(received: &Received, key: &str, sign_type: SignType) -> String {
    let mut pairs = received.pairs();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let input = format!("{canonical}{key}");
    match sign_type {
        SignType::Md5 => hex::encode_upper(Md5::digest(input.as_bytes())),
        _ => hex::encode_upper(Sha256::digest(input.as_bytes())),
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Canned {
    pub fn json(body: &str) -> Self {
        Canned {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16, body: &str) -> Self {
        Canned {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn bytes(body: &[u8]) -> Self {
        Canned {
            status: 200,
            headers: vec![("Content-Type".into(), "application/zip".into())],
            body: body.to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    canned: VecDeque<Canned>,
}

/// The loopback server. Dropping it stops accepting.
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State::default()));
        let task_state = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = task_state.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        Server { addr, state, task }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn push(&self, canned: Canned) -> &Self {
        self.state.lock().unwrap().canned.push_back(canned);
        self
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn count(&self) -> usize {
        self.state.lock().unwrap().received.len()
    }

    /// A client for this server: no mchid, SHA-256, short retry delays.
    pub fn client(&self) -> qfpay::ClientBuilder {
        Client::builder()
            .app_code(APP_CODE)
            .client_key(ClientKey::new(KEY))
            .environment(Environment::Custom(self.base_url()))
            .retry_policy(RetryPolicy::new(
                3,
                Duration::from_millis(5),
                Duration::from_millis(50),
            ))
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.clone(), None),
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let canned = {
        let mut state = state.lock().unwrap();
        state.received.push(Received {
            method,
            path,
            query,
            headers,
            body,
        });
        state.canned.pop_front()
    }
    .unwrap_or_else(|| Canned::status(500, "no canned response queued"));
    if !canned.delay.is_zero() {
        tokio::time::sleep(canned.delay).await;
    }
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        canned.status,
        canned.body.len()
    );
    for (n, v) in &canned.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&canned.body).await?;
    stream.shutdown().await?;
    Ok(())
}

pub const OK_QUERY_EMPTY: &str =
    r#"{"respcd":"0000","resperr":"请求成功","respmsg":"","data":[],"page":"1","page_size":"10"}"#;

pub fn query_with_record(respcd: &str) -> String {
    format!(
        r#"{{"respmsg":"","resperr":"请求成功","respcd":"0000","data":[{{"cancel":"0","pay_type":"800101","order_type":"payment","txdtm":"2019-12-27 10:39:39","out_trade_no":"ORDER0001","syssn":"20191227000200020061752831","sysdtm":"2019-12-27 10:40:24","txcurrcd":"HKD","txamt":"10","respcd":"{respcd}","errmsg":"x"}}],"page":"1","page_size":"10"}}"#
    )
}
