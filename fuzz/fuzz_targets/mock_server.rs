//! The mock server's request path over real HTTP on loopback: form-body and
//! query-string decoding, signature verification (§5.1), the `mchid` rule
//! and the QFPay endpoints behind them, fed arbitrary requests.
//!
//! The harness signs what it sends the documented way with the SDK signer
//! (or deliberately not), so inputs get past verification into the trade
//! logic. Properties: the server never panics and always answers; a QFPay
//! path answers JSON with a `respcd` (or the ZIP / redirect it documents);
//! a correctly signed request from a known app is never refused as a
//! signature error (`1108`), a wrongly signed one always is.
#![no_main]

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use qfpay::{ClientKey, RawParams, SignType};
use qfpay_mock::MockServer;

const APP: &str = "A6A49A66B4C944C9B3B8CF1E94EA9503";
const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";
const AGENT: &str = "AGENT000000000000000000000000001";
const AGENT_KEY: &str = "AGENTKEY00000000000000000000001";
const MCHID: &str = "R1zQrTdJnn";

/// Restart the server (dropping its order store) this often.
const RESTART_EVERY: u64 = 20_000;

const PATHS: &[&str] = &[
    "/trade/v1/payment",
    "/trade/v1/query",
    "/trade/v1/refund",
    "/trade/v1/reversal",
    "/trade/v1/close",
    "/trade/v1/add_note",
    "/download/v1/trade_bill",
    "/trade/v1/authtrade",
    "/trade/v1/unfreeze",
    "/tool/v1/get_weixin_openid",
    "/tool/v1/get_weixin_oauth_code",
    "/payment_element/v1/create_payment_intent",
    "/customer/v1/create",
    "/product/v1/query",
    "/subscription/v1/create",
    "/subscription/billing_order/v1/list",
    "/custom/v1/declare",
    "/custom/v1/query",
    "/ecr/v1/query",
];

#[derive(Debug)]
enum Sign {
    Correct {
        sha: bool,
        lower: bool,
        keep_empty: bool,
    },
    Wrong {
        sha: bool,
    },
    Text(String),
    Missing,
}

/// A plain byte layout (so seeds are easy to write by hand): three control
/// bytes, then `query 0xFF body [0xFF signature-text]` (0xFF never occurs
/// in UTF-8, so it only separates).
///
/// | byte | meaning |
/// |---|---|
/// | 0 | path: index into `PATHS` |
/// | 1 | bit 0 GET, bits 1–2 app (merchant, agent, unknown), bits 3–4 signature mode (correct, wrong, text, missing), 5 SHA-256, 6 lower-case hex, 7 sign with empty values kept |
/// | 2 | `Content-Type`: one of four |
#[derive(Debug)]
struct Input {
    path: u8,
    get: bool,
    app: u8,
    sign: Sign,
    query: Vec<u8>,
    body: Vec<u8>,
    content_type: u8,
}

impl Input {
    fn parse(data: &[u8]) -> Option<Input> {
        let (head, rest) = data.split_at_checked(3)?;
        let mut parts = rest.splitn(3, |b| *b == 0xFF);
        let query = parts.next().unwrap_or_default().to_vec();
        let body = parts.next().unwrap_or_default().to_vec();
        let sign_text = parts
            .next()
            .map(|t| String::from_utf8_lossy(t).into_owned());
        let flags = head[1];
        let sha = flags & 0x20 != 0;
        let sign = match (flags >> 3) & 3 {
            0 => Sign::Correct {
                sha,
                lower: flags & 0x40 != 0,
                keep_empty: flags & 0x80 != 0,
            },
            1 => Sign::Wrong { sha },
            2 => Sign::Text(sign_text.unwrap_or_default()),
            _ => Sign::Missing,
        };
        Some(Input {
            path: head[0],
            get: flags & 1 != 0,
            app: (flags >> 1) & 3,
            sign,
            query,
            body,
            content_type: head[2],
        })
    }
}

struct Harness {
    rt: tokio::runtime::Runtime,
    server: Mutex<Option<MockServer>>,
    http: reqwest::Client,
    runs: AtomicU64,
}

fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| Harness {
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime"),
        server: Mutex::new(None),
        http: reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        runs: AtomicU64::new(0),
    })
}

async fn start() -> MockServer {
    MockServer::builder()
        .app(APP, KEY, None)
        .app(AGENT, AGENT_KEY, Some(MCHID))
        .slow_reply(Duration::ZERO)
        .max_recorded_requests(0)
        .start()
        .await
        .expect("mock starts")
}

/// Escapes every byte a URL parser would rewrite, so the server sees the
/// query exactly as the harness signed it.
fn url_safe(raw: &[u8]) -> String {
    let mut out = String::new();
    for &b in raw {
        if b.is_ascii_alphanumeric() || b"-._~!$&()*+,;=:@/?%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_json_answer(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("respcd").and_then(|c| c.as_str()).map(str::to_owned))
        .is_some()
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let h = harness();
    let path = PATHS[usize::from(input.path) % PATHS.len()];
    let query = url_safe(&input.query);
    // What the server verifies: the query for GET (or for a POST with an
    // empty body), the form body otherwise.
    let signed = if input.get || (input.body.is_empty() && !query.is_empty()) {
        RawParams::from_form(query.as_bytes())
    } else {
        RawParams::from_form(&input.body)
    };
    // Keep the mock off the network and off the clock: no notification URLs
    // (it would POST to loopback ports) and no slow scenarios.
    let lower = |b: &[u8]| String::from_utf8_lossy(b).to_ascii_lowercase();
    if signed
        .pairs()
        .iter()
        .any(|(n, v)| n.contains("url") || v.to_ascii_lowercase().contains("slow"))
        || lower(&input.body).contains("slow")
        || lower(query.as_bytes()).contains("slow")
    {
        return;
    }

    let (app, key) = match input.app {
        0 => (APP, KEY),
        1 => (AGENT, AGENT_KEY),
        _ => ("UNKNOWNAPP", "UNKNOWNKEY"),
    };
    let key = ClientKey::new(key);
    let mut headers: Vec<(&str, String)> = vec![("X-QF-APPCODE", app.to_owned())];
    let sign_with = |t: SignType, keep_empty: bool| {
        let mut buf = qfpay::sign::SignBuffer::new().keep_empty_values(keep_empty);
        buf.encode(&signed, None).expect("raw params never refuse");
        buf.signature(&key, t)
    };
    let mut expect_sign_ok = None;
    match &input.sign {
        Sign::Correct {
            sha,
            lower,
            keep_empty,
        } => {
            let t = if *sha {
                SignType::Sha256
            } else {
                SignType::Md5
            };
            let sig = sign_with(t, *keep_empty);
            headers.push((
                "X-QF-SIGN",
                if *lower {
                    sig.to_hex_lower()
                } else {
                    sig.to_hex_upper()
                },
            ));
            if *sha {
                headers.push(("X-QF-SIGNTYPE", "SHA256".into()));
            }
            expect_sign_ok = Some(true);
        }
        Sign::Wrong { sha } => {
            let t = if *sha {
                SignType::Sha256
            } else {
                SignType::Md5
            };
            // Signed over something else: the body with one more pair.
            let mut other = signed.clone();
            other.insert("zz_fuzz", "1");
            let sig = qfpay::sign(&other, &key, t);
            headers.push(("X-QF-SIGN", sig.to_hex_upper()));
            if *sha {
                headers.push(("X-QF-SIGNTYPE", "SHA256".into()));
            }
            expect_sign_ok = Some(false);
        }
        Sign::Text(text) => headers.push(("X-QF-SIGN", text.clone())),
        Sign::Missing => expect_sign_ok = Some(false),
    }
    headers.push((
        "Content-Type",
        match input.content_type % 4 {
            0 => "application/x-www-form-urlencoded; charset=UTF-8",
            1 => "application/x-www-form-urlencoded",
            2 => "application/json",
            _ => "text/plain",
        }
        .into(),
    ));

    if h.runs
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(RESTART_EVERY)
    {
        let old = h.server.lock().unwrap().take();
        if let Some(old) = old {
            h.rt.block_on(old.shutdown());
        }
        let fresh = h.rt.block_on(start());
        *h.server.lock().unwrap() = Some(fresh);
    }
    let base = h
        .server
        .lock()
        .unwrap()
        .as_ref()
        .expect("server")
        .base_url()
        .to_owned();
    let url = if query.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{query}")
    };
    let mut req = if input.get {
        h.http.get(&url)
    } else {
        h.http.post(&url).body(input.body.clone())
    };
    for (name, value) in &headers {
        let Ok(value) = reqwest::header::HeaderValue::from_str(value) else {
            return;
        };
        req = req.header(*name, value);
    }
    let Ok(request) = req.build() else {
        return;
    };
    if request.url().query().unwrap_or("") != query {
        // The URL parser changed the query; the signature would not match.
        return;
    }

    let answer = h.rt.block_on(async {
        let response = h
            .http
            .execute(request)
            .await
            .expect("the mock answers every request");
        let status = response.status().as_u16();
        let body = response.bytes().await.expect("the mock sends a whole body");
        (status, body)
    });
    let (status, body) = answer;
    if path == "/tool/v1/get_weixin_oauth_code" && status == 302 {
        return;
    }
    if status == 200 && path == "/download/v1/trade_bill" && body.starts_with(b"PK") {
        return;
    }
    assert!(
        is_json_answer(&body),
        "HTTP {status} without a JSON respcd: {}",
        String::from_utf8_lossy(&body)
    );
    let respcd = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["respcd"]
        .as_str()
        .unwrap()
        .to_owned();
    // The method/path checks come before verification; the oauth helper is
    // signed in its query, not in headers.
    if status == 200 && path != "/tool/v1/get_weixin_oauth_code" && input.app < 2 {
        match expect_sign_ok {
            Some(true) => assert_ne!(
                respcd,
                "1108",
                "a correct signature was refused: {}",
                String::from_utf8_lossy(&body)
            ),
            Some(false) => assert_eq!(
                respcd,
                "1108",
                "a wrong signature was accepted: {}",
                String::from_utf8_lossy(&body)
            ),
            None => {}
        }
    }
});
