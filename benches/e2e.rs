//! End to end on loopback (issue 7, target 4): `client.call` of a payment
//! against the embedded mock server, against a bare `reqwest` POST of a
//! pre-built body with the same headers to the same mock.
//!
//! `cargo bench --bench e2e`. Each measurement sends a fixed number of
//! payments (unique `out_trade_no`s, the mock's scenarios off) at concurrency
//! 1 and 32 on a Tokio runtime; the sides' rounds alternate in rotating order
//! so noise hits all, and both the best round and the median of each count
//! (loopback at concurrency 1 is bound by thread wake-ups: a lucky round is
//! as likely as an unlucky one). The SDK's overhead is
//! `bare throughput / SDK throughput - 1`. Both sides get the same inputs
//! prepared before the clock starts: the SDK its typed `Payment`s, the bare
//! client the bodies and signatures `qfpay::form_body`/`qfpay::sign` made
//! of the same payments; what is timed is everything after that — the SDK's
//! encoding, signing, headers, timeout, reply decoding into `PaymentResponse`
//! against reqwest sending bytes and reading the reply's bytes (checked for
//! `"respcd":"0000"`).
//!
//! Two more sides are shown for reference; the target is against the bare
//! POST. Bare reqwest plus parsing the reply into a `serde_json::Value` (what
//! any client must do to read `respcd`), and bare reqwest plus decoding the
//! reply into the SDK's own `PaymentResponse` with `serde_json::from_slice`:
//! the same reply decoding as `client.call`, without the rest of the client,
//! so that the SDK's overhead splits into the typed decode and everything else.
//!
//! Then the documentation's Python sample (`benches/python/e2e_requests.py`,
//! with `requests`, or urllib without it) runs against the same mock, for the
//! README's comparison table. MD5 throughout, as the Python sample signs.
//!
//! Environment: `QFPAY_BENCH_ROUNDS` (default 9), `QFPAY_BENCH_REQUESTS`
//! (payments per measurement at concurrency 1, default 2000; 4x that at 32),
//! `QFPAY_PYTHON` (default `python3`; a missing interpreter skips the rows).
//!
//! For instruction counts (`valgrind --tool=callgrind`), `QFPAY_E2E_PROFILE=sdk`
//! (or `bare`, `bare-json`, `bare-typed`) sends `QFPAY_E2E_COUNT` (default 1000) sequential
//! payments of that side only, on a current-thread runtime, and exits. With
//! `QFPAY_E2E_URL` set (a running `qfpay-mock --app-code BENCHAPP0001
//! --client-key 0E32A59A8B454940A2FF3900C1D2E3F4 --no-scenarios`) the mock runs
//! in that other process, so the counts are the client's alone:
//!
//! ```text
//! QFPAY_E2E_PROFILE=sdk QFPAY_E2E_URL=http://127.0.0.1:8080 \
//!     valgrind --tool=callgrind target/release/deps/e2e-HASH --bench
//! ```

mod runner;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use qfpay::api::{Payment, PaymentResponse};
use qfpay::types::{Amount, Currency, GoodsName, OutTradeNo, PayType, TradeTime, Udid};
use qfpay::{Client, ClientKey, Environment, SignType};
use qfpay_mock::MockServer;

const APP: &str = "BENCHAPP0001";
const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";
const FORM: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// The seven-parameter Alipay HK MPM payment, with a unique order number.
fn payment(out_trade_no: &str, txdtm: &TradeTime) -> Payment {
    Payment::builder()
        .pay_type(PayType::AlipayHkMpm)
        .txamt(Amount::new(2200))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new(out_trade_no).expect("order number"))
        .txdtm(*txdtm)
        .goods_name(GoodsName::new("qfpay").expect("goods name"))
        .udid(Udid::new("bench-device-01").expect("udid"))
        .build()
}

/// Unique order numbers: a per-process tag, the measurement, a sequence.
fn order_numbers(tag: &str, n: usize) -> Vec<String> {
    let run = std::process::id();
    (0..n).map(|i| format!("B{run}{tag}{i:07}")).collect()
}

/// Whether a reply's JSON says `"respcd":"0000"` (compact or spaced).
fn is_success(body: &[u8]) -> bool {
    let (compact, spaced) = (br#""respcd":"0000""#, br#""respcd": "0000""#);
    body.windows(compact.len()).any(|w| w == compact)
        || body.windows(spaced.len()).any(|w| w == spaced)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Sdk,
    Bare,
    /// Bare, plus what any client must do with the reply: parse its JSON
    /// (into a `serde_json::Value`) and read `respcd`. For reference only.
    BareJson,
    /// Bare, plus decoding the reply into `PaymentResponse` as `client.call`
    /// does (`serde_json::from_slice`). For reference only.
    BareTyped,
}

struct Bench {
    client: Client,
    http: reqwest::Client,
    url: String,
    now: TradeTime,
    seq: usize,
}

impl Bench {
    /// Sends `n` payments over `concurrency` tasks; requests per second.
    async fn measure(&mut self, side: Side, concurrency: usize, n: usize) -> f64 {
        self.seq += 1;
        let letter = match side {
            Side::Sdk => "S",
            Side::Bare => "R",
            Side::BareJson => "J",
            Side::BareTyped => "T",
        };
        let tag = format!("{letter}{}C{concurrency}", self.seq);
        let numbers = order_numbers(&tag, n);
        let next = Arc::new(AtomicUsize::new(0));
        let started;
        let mut tasks = Vec::with_capacity(concurrency);
        match side {
            Side::Sdk => {
                let payments: Arc<Vec<Payment>> =
                    Arc::new(numbers.iter().map(|no| payment(no, &self.now)).collect());
                started = Instant::now();
                for _ in 0..concurrency {
                    let (client, payments, next) =
                        (self.client.clone(), payments.clone(), next.clone());
                    tasks.push(tokio::spawn(async move {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(p) = payments.get(i) else { break };
                            let reply = client.call(p).await.expect("SDK payment");
                            assert!(
                                reply.envelope.respcd.is_accepted(),
                                "{:?}",
                                reply.envelope.respcd
                            );
                        }
                    }));
                }
            }
            Side::Bare | Side::BareJson | Side::BareTyped => {
                let key = ClientKey::new(KEY);
                let prepared: Arc<Vec<(String, String)>> = Arc::new(
                    numbers
                        .iter()
                        .map(|no| {
                            let p = payment(no, &self.now);
                            let sig = qfpay::sign(&p, &key, SignType::Md5).to_hex_upper();
                            (sig, qfpay::form_body(&p))
                        })
                        .collect(),
                );
                started = Instant::now();
                for _ in 0..concurrency {
                    let (http, url, prepared, next) = (
                        self.http.clone(),
                        self.url.clone(),
                        prepared.clone(),
                        next.clone(),
                    );
                    tasks.push(tokio::spawn(async move {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((sig, body)) = prepared.get(i) else {
                                break;
                            };
                            let reply = http
                                .post(url.as_str())
                                .header("X-QF-APPCODE", APP)
                                .header("X-QF-SIGN", sig.as_str())
                                .header("User-Agent", qfpay::DEFAULT_USER_AGENT)
                                .header("Content-Type", FORM)
                                .body(body.clone())
                                .send()
                                .await
                                .expect("bare POST");
                            assert_eq!(reply.status(), 200);
                            let bytes = reply.bytes().await.expect("reply body");
                            match side {
                                Side::BareJson => {
                                    let json: serde_json::Value =
                                        serde_json::from_slice(&bytes).expect("JSON reply");
                                    assert_eq!(json["respcd"], "0000");
                                }
                                Side::BareTyped => {
                                    let reply: PaymentResponse =
                                        serde_json::from_slice(&bytes).expect("typed reply");
                                    assert!(reply.is_accepted(), "{:?}", reply.envelope.respcd);
                                }
                                _ => assert!(
                                    is_success(&bytes),
                                    "{}",
                                    String::from_utf8_lossy(&bytes)
                                ),
                            }
                        }
                    }));
                }
            }
        }
        for task in tasks {
            task.await.expect("task");
        }
        n as f64 / started.elapsed().as_secs_f64()
    }
}

#[derive(serde::Deserialize)]
struct PyReport {
    python: String,
    client: String,
    requests_per_second: std::collections::BTreeMap<String, f64>,
}

fn run_python(base: &str, requests: usize, rounds: usize) -> Result<PyReport, String> {
    let prefix = format!("P{}", std::process::id());
    let args = [base, APP, KEY, &prefix].map(str::to_owned);
    let counts = [requests, rounds].map(|n| n.to_string());
    runner::run_python("e2e_requests.py", &[&args[..], &counts[..]].concat())
}

fn main() {
    if !runner::invoked_by_cargo_bench() {
        return;
    }
    if let Ok(side) = std::env::var("QFPAY_E2E_PROFILE") {
        let side = match side.as_str() {
            "sdk" => Side::Sdk,
            "bare" => Side::Bare,
            "bare-json" => Side::BareJson,
            "bare-typed" => Side::BareTyped,
            other => {
                panic!("QFPAY_E2E_PROFILE={other}: expected sdk, bare, bare-json or bare-typed")
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(profile(side));
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

/// Sequential payments of one side only, for `valgrind --tool=callgrind`.
async fn profile(side: Side) {
    let count = runner::env_num("QFPAY_E2E_COUNT", 1000);
    let (server, base) = match std::env::var("QFPAY_E2E_URL") {
        Ok(url) => (None, url.trim_end_matches('/').to_owned()),
        Err(_) => {
            let server = start_mock().await;
            let base = server.base_url().to_owned();
            (Some(server), base)
        }
    };
    let mut bench = bench_for(&base);
    // One warm-up payment (connection, first allocations), then the count.
    bench.measure(side, 1, 1).await;
    let rps = bench.measure(side, 1, count).await;
    eprintln!("{count} payments, {rps:.0}/s");
    if let Some(server) = server {
        server.shutdown().await;
    }
}

async fn start_mock() -> MockServer {
    MockServer::builder()
        .app(APP, KEY, None)
        .scenarios(false)
        .max_recorded_requests(0)
        .start()
        .await
        .expect("mock server")
}

fn bench_for(base: &str) -> Bench {
    let client = Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(base.to_owned()))
        .sign_type(SignType::Md5)
        .build()
        .expect("client");
    // Built as the SDK's default transport builds its reqwest client.
    let http = reqwest::Client::builder()
        .user_agent(qfpay::DEFAULT_USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    Bench {
        client,
        http,
        url: format!("{base}/trade/v1/payment"),
        now: TradeTime::now(),
        seq: 0,
    }
}

async fn run() {
    let rounds = runner::env_num("QFPAY_BENCH_ROUNDS", 9);
    let requests = runner::env_num("QFPAY_BENCH_REQUESTS", 2000);
    let server = start_mock().await;
    let base = server.base_url().to_owned();
    let mut bench = bench_for(&base);

    println!(
        "end to end on loopback: payments/s, best of {rounds} rounds \
         ({requests} payments per round at concurrency 1, {} at 32)",
        requests * 4
    );
    let mut table = Vec::new();
    for concurrency in [1usize, 32] {
        let n = if concurrency == 1 {
            requests
        } else {
            requests * 4
        };
        // Warm up: connections, the mock's maps, the allocator.
        let sides = [Side::Sdk, Side::Bare, Side::BareJson, Side::BareTyped];
        for side in sides {
            bench.measure(side, concurrency, n / 4).await;
        }
        let (mut sdk, mut bare, mut json, mut typed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            // Each round a different order, so no side always goes first.
            let mut order = sides;
            order.rotate_left(round % sides.len());
            if round % 2 == 1 {
                order.reverse();
            }
            for side in order {
                let rps = bench.measure(side, concurrency, n).await;
                match side {
                    Side::Sdk => sdk.push(rps),
                    Side::Bare => bare.push(rps),
                    Side::BareJson => json.push(rps),
                    Side::BareTyped => typed.push(rps),
                }
            }
        }
        let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        let median = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let overhead = best(&bare) / best(&sdk) - 1.0;
        let overhead_median = median(&bare) / median(&sdk) - 1.0;
        // Loopback at concurrency 1 is bound by thread wake-ups, and a lucky
        // round can be fast as well as slow: both measures are judged.
        let verdict = |o: f64| if o <= 0.10 { "met" } else { "MISSED" };
        println!(
            "concurrency {concurrency:>2}: qfpay client.call {:>8.0}/s (median {:>8.0}), \
             bare reqwest {:>8.0}/s (median {:>8.0}); SDK overhead {:+.1}% best-of, \
             {:+.1}% medians; target <= 10%: {} (best-of) / {} (medians)",
            best(&sdk),
            median(&sdk),
            best(&bare),
            median(&bare),
            overhead * 100.0,
            overhead_median * 100.0,
            verdict(overhead),
            verdict(overhead_median),
        );
        let reference = |what: &str, v: &[f64]| {
            println!(
                "    for reference, bare reqwest + {what} {:>8.0}/s (median {:>8.0}); \
                 SDK overhead over it {:+.1}% (medians {:+.1}%)",
                best(v),
                median(v),
                (best(v) / best(&sdk) - 1.0) * 100.0,
                (median(v) / median(&sdk) - 1.0) * 100.0,
            );
        };
        reference("JSON parse of the reply", &json);
        reference("typed decode (PaymentResponse)", &typed);
        let list = |v: &[f64]| {
            v.iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!("    rounds, SDK:        {}", list(&sdk));
        println!("    rounds, bare:       {}", list(&bare));
        println!("    rounds, bare+JSON:  {}", list(&json));
        println!("    rounds, bare+typed: {}", list(&typed));
        table.push((concurrency, best(&sdk), best(&bare), best(&json)));
    }

    // The Python process blocks this thread, not the runtime's workers,
    // which keep serving the mock.
    let py_rounds = rounds.min(3);
    let py_requests = requests.min(500);
    let py = tokio::task::spawn_blocking(move || run_python(&base, py_requests, py_rounds))
        .await
        .expect("python task");
    println!();
    println!("comparison (payments/s on this machine, same mock, MD5):");
    for (concurrency, sdk, bare, json) in &table {
        println!("  qfpay client.call,        concurrency {concurrency:>2}: {sdk:>8.0}");
        println!("  bare reqwest,             concurrency {concurrency:>2}: {bare:>8.0}");
        println!("  bare reqwest + JSON parse, concurrency {concurrency:>2}: {json:>8.0}");
    }
    match py {
        Ok(report) => {
            let rps = |k: &str| report.requests_per_second.get(k).copied();
            let label = [
                ("doc", "Python doc sample (requests.post), concurrency 1"),
                ("session", "Python sample + requests.Session, concurrency 1"),
                ("session_32", "Python sample + Session, 32 threads"),
            ];
            for (key, text) in label {
                if let Some(v) = rps(key) {
                    println!("  {text}: {v:>8.0}");
                }
            }
            println!(
                "  (Python {}, {}; best of {py_rounds} rounds of {py_requests} payments, \
                 {} with 32 threads)",
                report.python,
                report.client,
                py_requests * 4
            );
        }
        Err(note) => println!("  Python rows skipped: {note}"),
    }
    server.shutdown().await;
}
