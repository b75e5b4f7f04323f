//! Helpers shared by the integration tests: a plain reqwest client that signs
//! like QFPay's documentation (sorted pairs + key), with knobs to sign wrongly.
#![allow(dead_code)]

use std::time::Duration;

use qfpay::{ClientKey, RawParams, SignType};
use qfpay_mock::MockServer;
use serde_json::Value;

pub const APP: &str = "A6A49A66B4C944C9B3B8CF1E94EA9503";
pub const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";
pub const AGENT_APP: &str = "AGENT000000000000000000000000001";
pub const AGENT_KEY: &str = "AGENTKEY00000000000000000000001";
pub const MCHID: &str = "R1zQrTdJnn";

/// A server with a plain merchant app (`APP`) and an agent app (`AGENT_APP`, `MCHID`).
pub async fn server() -> MockServer {
    builder().start().await.expect("mock starts")
}

pub fn builder() -> qfpay_mock::MockServerBuilder {
    MockServer::builder()
        .app(APP, KEY, None)
        .app(AGENT_APP, AGENT_KEY, Some(MCHID))
        .notify_time_scale(0.0001)
}

/// The current time in the `txdtm` format.
pub fn now() -> String {
    qfpay::types::TradeTime::now().to_string()
}

/// A fresh order number.
pub fn otn() -> String {
    qfpay::types::OutTradeNo::generate().into_string()
}

/// A signing client.
#[derive(Clone)]
pub struct Caller {
    pub http: reqwest::Client,
    pub base: String,
    pub app: String,
    pub key: String,
    pub mchid: Option<String>,
    pub sign_type: SignType,
    pub lower_hex: bool,
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn respcd(&self) -> String {
        self.json()["respcd"].as_str().unwrap_or("").to_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Caller {
    pub fn merchant(server: &MockServer) -> Self {
        Self::merchant_at(server.base_url())
    }

    /// The merchant app's caller for a server at `base`.
    pub fn merchant_at(base: &str) -> Self {
        Caller {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: base.to_owned(),
            app: APP.into(),
            key: KEY.into(),
            mchid: None,
            sign_type: SignType::Md5,
            lower_hex: false,
        }
    }

    pub fn agent(server: &MockServer) -> Self {
        Caller {
            app: AGENT_APP.into(),
            key: AGENT_KEY.into(),
            mchid: Some(MCHID.into()),
            ..Self::merchant(server)
        }
    }

    pub fn with_sign_type(mut self, t: SignType, lower_hex: bool) -> Self {
        self.sign_type = t;
        self.lower_hex = lower_hex;
        self
    }

    /// Params with the configured mchid added (if any).
    pub fn params(&self, pairs: &[(&str, &str)]) -> RawParams {
        let mut p = RawParams::from_pairs(pairs.iter().copied());
        if let Some(m) = &self.mchid
            && p.get("mchid").is_none()
        {
            p.insert("mchid", m.clone());
        }
        p
    }

    pub fn sign(&self, params: &RawParams) -> String {
        let sig = qfpay::sign(params, &ClientKey::new(self.key.clone()), self.sign_type);
        if self.lower_hex {
            sig.to_hex_lower()
        } else {
            sig.to_hex_upper()
        }
    }

    /// POST `pairs` (+ mchid) correctly signed.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let params = self.params(pairs);
        let sig = self.sign(&params);
        self.send("POST", path, &params, Some(&sig), true).await
    }

    /// POST `pairs` (+ mchid) with empty values kept on the wire and in the
    /// signed string (`name=`), as a naive client would.
    pub async fn post_keep_empty(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let params = self.params(pairs);
        let mut buf = qfpay::sign::SignBuffer::new().keep_empty_values(true);
        buf.encode(&params, None).unwrap();
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-QF-APPCODE", &self.app)
            .header(
                "X-QF-SIGN",
                buf.signature(&ClientKey::new(self.key.clone()), SignType::Md5)
                    .to_string(),
            )
            .body(buf.body().to_owned())
            .send()
            .await
            .expect("request completes");
        Answer {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.bytes().await.expect("body").to_vec(),
        }
    }

    /// Sends `params` with `sig` in X-QF-SIGN (None: no header).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        params: &RawParams,
        sig: Option<&str>,
        appcode: bool,
    ) -> Answer {
        let body = qfpay::form_body(params);
        let url = format!("{}{path}", self.base);
        let mut req = if method == "GET" {
            self.http.get(format!("{url}?{body}"))
        } else {
            self.http
                .post(url)
                .header(
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=UTF-8",
                )
                .body(body)
        };
        if appcode {
            req = req.header("X-QF-APPCODE", &self.app);
        }
        if let Some(s) = sig {
            req = req.header("X-QF-SIGN", s);
        }
        if let Some(v) = self.sign_type.header_value() {
            req = req.header("X-QF-SIGNTYPE", v);
        }
        let resp = req.send().await.expect("request completes");
        Answer {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.bytes().await.expect("body").to_vec(),
        }
    }

    /// A payment: MPM Alipay unless `extra` says otherwise.
    pub async fn pay(&self, txamt: u64, extra: &[(&str, &str)]) -> Answer {
        let amt = txamt.to_string();
        let otn = otn();
        let now = now();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("txamt", &amt),
            ("txcurrcd", "HKD"),
            ("pay_type", "800101"),
            ("out_trade_no", &otn),
            ("txdtm", &now),
        ];
        for (k, v) in extra {
            if let Some(slot) = pairs.iter_mut().find(|(n, _)| n == k) {
                slot.1 = v;
            } else {
                pairs.push((k, v));
            }
        }
        self.post("/trade/v1/payment", &pairs).await
    }

    /// A CPM payment (paid at once unless a scenario says otherwise).
    pub async fn pay_cpm(&self, txamt: u64, auth_code: &str) -> Answer {
        self.pay(txamt, &[("pay_type", "800208"), ("auth_code", auth_code)])
            .await
    }

    /// A paid CPM payment with a per-order `notify_url`; returns the reply.
    pub async fn pay_cpm_with_notify(&self, notify_url: &str) -> Value {
        self.pay(
            100,
            &[
                ("pay_type", "800208"),
                ("auth_code", "1300000000"),
                ("notify_url", notify_url),
            ],
        )
        .await
        .json()
    }

    pub async fn refund(&self, syssn: &str, txamt: u64) -> Answer {
        self.refund_with(syssn, txamt, &otn()).await
    }

    pub async fn refund_with(&self, syssn: &str, txamt: u64, out_trade_no: &str) -> Answer {
        let amt = txamt.to_string();
        let now = now();
        self.post(
            "/trade/v1/refund",
            &[
                ("syssn", syssn),
                ("txamt", &amt),
                ("out_trade_no", out_trade_no),
                ("txdtm", &now),
            ],
        )
        .await
    }

    pub async fn query(&self, pairs: &[(&str, &str)]) -> Value {
        let a = self.post("/trade/v1/query", pairs).await;
        let j = a.json();
        assert_eq!(j["respcd"], "0000", "query failed: {j}");
        j
    }
}

pub fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
        .to_owned()
}

/// A notification receiver on loopback: records every POST and answers
/// `failures` times with HTTP 500 (or a body other than `SUCCESS`), then
/// `SUCCESS`.
/// `(X-QF-SIGN, body)` of every POST received.
pub type Received = std::sync::Arc<std::sync::Mutex<Vec<(Option<String>, Vec<u8>)>>>;

pub struct Receiver {
    pub url: String,
    pub received: Received,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start(failures: usize) -> Self {
        use axum::routing::post;
        let received: Received = Default::default();
        let rec = received.clone();
        let app = axum::Router::new().route(
            "/notify",
            post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let rec = rec.clone();
                    async move {
                        let sig = headers
                            .get("x-qf-sign")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let n = {
                            let mut r = rec.lock().unwrap();
                            r.push((sig, body.to_vec()));
                            r.len()
                        };
                        if n <= failures {
                            if n % 2 == 1 {
                                (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops")
                            } else {
                                (axum::http::StatusCode::OK, "FAIL")
                            }
                        } else {
                            (axum::http::StatusCode::OK, "SUCCESS")
                        }
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/notify"),
            received,
            _task: task,
        }
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn bodies(&self) -> Vec<(Option<String>, Vec<u8>)> {
        self.received.lock().unwrap().clone()
    }
}

/// The SDK's typed client for the merchant app (`APP`) against `server`,
/// verifying the replies' signatures.
pub fn typed_client(server: &MockServer) -> qfpay::Client {
    typed_client_at(server.base_url())
}

/// [`typed_client`] for a mock at `base` (e.g. the binary's).
pub fn typed_client_at(base: &str) -> qfpay::Client {
    qfpay::Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(qfpay::Environment::Custom(base.to_owned()))
        .verify_response_signatures(true)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// Starts the `qfpay-mock` binary at `bin` (a test's
/// `env!("CARGO_BIN_EXE_qfpay-mock")`, set only for tests built with the
/// binary) on a free port, for the merchant app, with `args` added; the
/// process and its base URL.
pub fn spawn_mock_binary(bin: &str, args: &[&std::ffi::OsStr]) -> (std::process::Child, String) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--app-code", APP])
        .args(args)
        .env("QFPAY_CLIENT_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the address line");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("no address line: {line:?}"))
        .to_owned();
    (child, base)
}

/// The `respcd` of a refused call (or the error's text).
pub fn respcd_of(e: qfpay::Error) -> String {
    e.respcd()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|| format!("{e}"))
}
