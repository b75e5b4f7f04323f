//! State that survives a restart (`MockServerBuilder::state_file`, the
//! binary's `--state FILE`): a server restarted on the same file continues
//! where the last one stopped, even one killed with SIGKILL in the middle
//! of a load of payments and refunds.

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use qfpay::api::{
    CpmPayment, CreateCustomer, CreatePaymentIntent, CreateTokenIntent, Query, Refund,
};
use qfpay::types::{Amount, AuthCode, Currency, OutTradeNo, PayType, Syssn, TradeTime};
use qfpay::{Client, Environment};
use qfpay_mock::{DeliveryState, OrderStatus, OrderType};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restarted_on_its_file_continues_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    // The first delivery attempt fails, the second (after 12 ms) succeeds.
    let rx = Receiver::start(1).await;
    let server = builder()
        .notify_url(&rx.url)
        .state_file(&file)
        .start()
        .await
        .unwrap();
    let c = Caller::merchant(&server);
    let paid = c.pay_cpm(1000, "1300000000").await.json();
    let paid_syssn = s(&paid, "syssn");
    assert_eq!(c.refund(&paid_syssn, 300).await.respcd(), "0000");
    let note = c
        .post(
            "/trade/v1/add_note",
            &[("code", APP), ("syssn", &paid_syssn), ("note", "kept")],
        )
        .await;
    assert_eq!(note.respcd(), "0000");
    let unpaid = c.pay(2500, &[]).await.json();
    let pending = c.pay_cpm(700, "MOCK-PENDING-2").await.json();
    assert_eq!(pending["respcd"], "1143", "{pending}");
    let pending_syssn = s(&pending, "syssn");
    // A pre-authorisation captured once (its hold is a record of its own).
    let freeze = c.pay(900, &[("pay_type", "801808")]).await.json();
    let freeze_syssn = s(&freeze, "syssn");
    server.pay(&freeze_syssn).unwrap();
    let capture = |c: &Caller, amount: &'static str| {
        let (c, syssn) = (c.clone(), freeze_syssn.clone());
        async move {
            c.post(
                "/trade/v1/authtrade",
                &[("syssn", &syssn), ("txamt", amount)],
            )
            .await
            .respcd()
        }
    };
    assert_eq!(capture(&c, "400").await, "0000");
    let advanced = server.advance(Duration::from_secs(3600));
    let delivered = server
        .wait_for_notifications(Duration::from_secs(5), |l| {
            l.len() == 4 && l.iter().all(|n| n.state == DeliveryState::Delivered)
        })
        .await;
    assert_eq!(delivered.len(), 4, "{delivered:?}");
    let orders = server.orders();
    assert_eq!(orders.len(), 6);
    server.shutdown().await;

    let server = builder()
        .notify_url(&rx.url)
        .state_file(&file)
        .start()
        .await
        .unwrap();
    assert_eq!(server.orders(), orders, "every order, in creation order");
    assert_eq!(server.notifications(), delivered, "with their attempts");
    let now = server.now();
    assert!(
        now.as_str() >= advanced.as_str(),
        "the clock's advance is kept: {now}"
    );
    let c = Caller::merchant(&server);
    // The indexes are rebuilt: by out_trade_no, and its reuse refused.
    let otn = s(&unpaid, "out_trade_no");
    let q = c.query(&[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"][0]["syssn"], unpaid["syssn"], "{q}");
    // Expired by the clock's advance (30 minutes unpaid), and still so.
    assert_eq!(q["data"][0]["respcd"], "1181", "{q}");
    let again = c.pay(2500, &[("out_trade_no", &otn)]).await.json();
    assert_ne!(again["respcd"], "0000", "{again}");
    // The hold was captured once: a second capture is refused.
    assert_ne!(capture(&c, "100").await, "0000");
    // The refund counted: 700 of 1000 left.
    assert_ne!(c.refund(&paid_syssn, 701).await.respcd(), "0000");
    assert_eq!(c.refund(&paid_syssn, 700).await.respcd(), "0000");
    assert_eq!(
        server.order(&paid_syssn).unwrap().note.as_deref(),
        Some("kept")
    );
    // The pending payment's plan goes on: paid at its second query.
    c.query(&[("syssn", &pending_syssn)]).await;
    let q = c.query(&[("syssn", &pending_syssn)]).await;
    assert_eq!(q["data"][0]["respcd"], "0000", "{q}");
    // New transaction numbers do not collide with the restored ones.
    let new = c.pay_cpm(100, "1300000000").await.json();
    assert_eq!(new["respcd"], "0000", "{new}");
    assert!(orders.iter().all(|o| o.syssn != s(&new, "syssn")));
    server.shutdown().await;

    let server = builder().state_file(&file).start().await.unwrap();
    assert_eq!(
        server.orders().len(),
        8,
        "the second run's changes kept too"
    );
    assert_eq!(
        server.order(&pending_syssn).unwrap().status,
        OrderStatus::Succeeded
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_still_being_delivered_resumes_at_its_next_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    // The first attempt fails, and the next would be 2 minutes later.
    let rx = Receiver::start(1).await;
    let server = builder()
        .notify_url(&rx.url)
        .notify_time_scale(1.0)
        .state_file(&file)
        .start()
        .await
        .unwrap();
    let paid = Caller::merchant(&server)
        .pay_cpm(1000, "1300000000")
        .await
        .json();
    let syssn = s(&paid, "syssn");
    let first = server
        .wait_for_notifications(Duration::from_secs(5), |l| {
            l.iter().any(|n| n.attempts.len() == 1)
        })
        .await;
    assert_eq!(first[0].state, DeliveryState::Pending);
    server.shutdown().await;

    // Resumed at once: the time the server was down counts as the gap.
    let server = builder()
        .notify_time_scale(1.0)
        .state_file(&file)
        .start()
        .await
        .unwrap();
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(5))
        .await
        .expect("delivered after the restart");
    assert_eq!(n.state, DeliveryState::Delivered);
    let numbers: Vec<u32> = n.attempts.iter().map(|a| a.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(rx.count(), 2);
    assert_eq!(rx.bodies()[1].1, n.body.as_bytes(), "the same bytes again");
}

/// Paying a Payment Element intent and saving a card through a token
/// intent are written through before `pay` / `save_card` return: a restart
/// right after (before the once-a-second clock tick would write them) finds
/// the payment and the used intents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_intent_paid_and_a_card_saved_just_before_a_restart_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let server = builder().state_file(&file).start().await.unwrap();
    let client = typed_client(&server);
    let otn = OutTradeNo::generate();
    let intent = CreatePaymentIntent::builder()
        .txamt(Amount::new(2500))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::from_code("802801"))
        .out_trade_no(otn.clone())
        .build();
    let payment_intent = client.call(&intent).await.unwrap().payment_intent;
    let customer = client
        .call(&CreateCustomer::builder().name("Kept").build())
        .await
        .unwrap()
        .data
        .expect("customer")
        .customer_id;
    let token_intent = client
        .call(&CreateTokenIntent::builder().customer_id(&customer).build())
        .await
        .unwrap()
        .token_intent;
    let paid = server.pay(&payment_intent).unwrap();
    let card = server.save_card(&token_intent).unwrap();
    server.shutdown().await;

    let server = builder().state_file(&file).start().await.unwrap();
    let kept = server
        .order(&paid.syssn)
        .expect("the intent's payment is kept");
    assert_eq!(kept.status, OrderStatus::Succeeded);
    assert_eq!(
        (kept.txamt, kept.out_trade_no.as_str()),
        (2500, otn.as_str())
    );
    let q = typed_client(&server)
        .call(&Query::by_out_trade_no(otn.clone()))
        .await
        .unwrap();
    assert_eq!(q.data.len(), 1, "{q:?}");
    // Both intents are known to be used: neither becomes a second payment
    // or a second card.
    let again = server.pay(&payment_intent).unwrap_err().to_string();
    assert!(again.contains("already used"), "{again}");
    let again = server.save_card(&token_intent).unwrap_err().to_string();
    assert!(
        again.contains("already used") && again.contains(&card),
        "{again}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_and_seeds_are_not_added_twice_to_a_restored_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let start = || {
        builder()
            .state_file(&file)
            .history(qfpay_mock::History::new(3, (2025, 1), 1, 20))
            .seed(qfpay_mock::SeedOrder::paid("202501010000000000000001", 500))
            .start()
    };
    let server = start().await.unwrap();
    let orders = server.orders();
    server.shutdown().await;
    let server = start().await.unwrap();
    assert_eq!(server.orders(), orders);
}

#[tokio::test]
async fn a_file_that_is_not_a_state_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "shopping list: coffee, more coffee, and then some").unwrap();
    let err = builder()
        .state_file(&file)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("state file") && err.contains("notes.txt"),
        "{err}"
    );
}

// ---- the binary, killed ----

/// Starts `qfpay-mock --state FILE` on a free port; its base URL.
fn spawn_binary(file: &Path) -> (Child, String) {
    spawn_mock_binary(
        env!("CARGO_BIN_EXE_qfpay-mock"),
        &["--state".as_ref(), file.as_os_str()],
    )
}

fn sdk(base: &str) -> Client {
    Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(base.to_owned()))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn cpm(out_trade_no: &OutTradeNo, minor: u64) -> CpmPayment {
    CpmPayment::builder()
        .pay_type(PayType::from_code("800108"))
        .auth_code(AuthCode::new("134857901234588557").unwrap())
        .txamt(Amount::new(minor))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(out_trade_no.clone())
        .txdtm(TradeTime::now())
        .build()
}

/// A transaction answered `0000`: payment or refund.
#[derive(Clone, Debug)]
struct Answered {
    syssn: String,
    out_trade_no: String,
    txamt: u64,
    /// Refunds: the payment refunded.
    orig: Option<String>,
}

/// Pays and refunds (every other payment, half its amount) until a request
/// fails; every `0000` answer goes into `answered`.
async fn worker(client: Client, answered: Arc<Mutex<Vec<Answered>>>, stop: Arc<AtomicBool>) {
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let otn = OutTradeNo::generate();
        let amount = 200 + (i % 50) * 10;
        let Ok(paid) = client.call(&cpm(&otn, amount)).await else {
            return;
        };
        assert!(paid.envelope.respcd.is_accepted(), "{paid:?}");
        let syssn = paid.syssn.clone().expect("a syssn");
        answered.lock().unwrap().push(Answered {
            syssn: syssn.as_str().to_owned(),
            out_trade_no: otn.as_str().to_owned(),
            txamt: amount,
            orig: None,
        });
        if i.is_multiple_of(2) {
            let rotn = OutTradeNo::generate();
            let refund = Refund::builder()
                .syssn(syssn.clone())
                .out_trade_no(rotn.clone())
                .txamt(Amount::new(amount / 2))
                .txdtm(TradeTime::now())
                .build();
            let Ok(r) = client.call(&refund).await else {
                return;
            };
            assert!(r.envelope.respcd.is_accepted(), "{r:?}");
            answered.lock().unwrap().push(Answered {
                syssn: r.syssn.expect("a refund syssn").as_str().to_owned(),
                out_trade_no: rotn.as_str().to_owned(),
                txamt: amount / 2,
                orig: Some(syssn.as_str().to_owned()),
            });
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_request_survives_a_sigkill_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let (mut child, base) = spawn_binary(&file);
    let client = sdk(&base);
    let answered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..32)
        .map(|_| tokio::spawn(worker(client.clone(), answered.clone(), stop.clone())))
        .collect();
    // Killed in the middle of the load, with requests in flight.
    while answered.lock().unwrap().len() < 1500 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= 1500);

    let (mut child, base) = spawn_binary(&file);
    let orders = reqwest::get(format!("{base}/__mock/orders"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let orders: Vec<qfpay_mock::Order> = serde_json::from_slice(&orders).unwrap();
    let mut by_syssn = HashMap::new();
    let mut numbers = HashSet::new();
    for o in &orders {
        assert!(
            by_syssn.insert(o.syssn.clone(), o).is_none(),
            "{} twice",
            o.syssn
        );
        assert!(
            numbers.insert(o.out_trade_no.clone()),
            "{} twice",
            o.out_trade_no
        );
    }
    // Answered `0000`, so written; requests in flight at the kill may be
    // there too (done but not answered), never more than one each.
    assert!(orders.len() >= answered.len());
    assert!(orders.len() <= answered.len() + 64, "{}", orders.len());
    let client = sdk(&base);
    for a in &answered {
        let o = by_syssn
            .get(&a.syssn)
            .unwrap_or_else(|| panic!("{a:?} lost"));
        assert_eq!(
            (o.out_trade_no.as_str(), o.txamt),
            (a.out_trade_no.as_str(), a.txamt)
        );
        assert_eq!(o.status, OrderStatus::Succeeded);
        assert_eq!(o.orig_syssn, a.orig);
        if let Some(orig) = &a.orig {
            assert_eq!(o.order_type, OrderType::Refund);
            assert!(by_syssn[orig].refunds.contains(&a.syssn), "{a:?}");
        }
    }
    // And through the SDK's query, by syssn and by out_trade_no.
    for a in answered.iter().step_by(7) {
        let q = client
            .call(&Query::by_syssn(Syssn::new(a.syssn.as_str()).unwrap()))
            .await
            .unwrap();
        assert!(q.find_syssn(&a.syssn).is_some(), "{a:?}");
        let q = client
            .call(&Query::by_out_trade_no(
                OutTradeNo::new(a.out_trade_no.as_str()).unwrap(),
            ))
            .await
            .unwrap();
        assert_eq!(
            q.find_out_trade_no(&a.out_trade_no).count(),
            1,
            "{a:?}: {q:?}"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

// ---- throughput, with and without a state file ----

/// One mock process under measurement.
struct Measured {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Measured {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `bin` (the binary under test, or another build given by path) on a
/// free port, in memory or on a fresh state file, notifying `notify_url`
/// (without one, each notification is recorded as having no URL and
/// nothing is delivered).
fn start_measured(bin: &str, state: bool, notify_url: Option<&str>) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(bin);
    cmd.args(["--addr", "127.0.0.1:0", "--app-code", APP])
        .env("QFPAY_CLIENT_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(url) = notify_url {
        cmd.args(["--notify-url", url]);
    }
    if state {
        cmd.arg("--state").arg(dir.path().join("mock.sqlite"));
    }
    let mut child = cmd.spawn().expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().trim_start_matches("listening on ").to_owned();
    Measured {
        child,
        base,
        _dir: dir,
    }
}

/// `total` CPM payments (each paid at once) from `concurrency` tasks
/// sharing `client`: the rate over all of them, and over each successive
/// `chunk`.
async fn payments(
    client: &Client,
    total: usize,
    concurrency: usize,
    chunk: usize,
) -> (f64, Vec<f64>) {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let marks = Arc::new(Mutex::new(Vec::new()));
    let start = std::time::Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, next, done, marks) =
                (client.clone(), next.clone(), done.clone(), marks.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let paid = client
                        .call(&cpm(&OutTradeNo::generate(), 100))
                        .await
                        .expect("payment");
                    assert!(paid.envelope.respcd.is_accepted(), "{paid:?}");
                    if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(chunk) {
                        marks.lock().unwrap().push(std::time::Instant::now());
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let rate = total as f64 / start.elapsed().as_secs_f64();
    let mut last = start;
    let mut chunks = Vec::new();
    for m in marks.lock().unwrap().iter() {
        chunks.push(chunk as f64 / (*m - last).as_secs_f64());
        last = *m;
    }
    (rate, chunks)
}

/// What the side traffic saw: each answer's status, and how long the
/// dashboard took, in order.
#[derive(Default)]
struct Side {
    statuses: Vec<String>,
    dashboard_ms: Vec<f64>,
}

/// Until the flag is set: `GET /__mock/` every 100 ms (a developer's
/// dashboard left polling) and, independently, the clock advanced by one
/// second every 100 ms.
fn side_traffic(base: &str) -> (Arc<AtomicBool>, tokio::task::JoinHandle<Side>) {
    let stop = Arc::new(AtomicBool::new(false));
    let (s, base) = (stop.clone(), base.to_owned());
    let task = tokio::spawn(async move {
        let http = reqwest::Client::new();
        let seen = Arc::new(Mutex::new(Side::default()));
        let note = |seen: &Mutex<Side>, what: &str, status: u16| {
            let label = format!("{what} {status}");
            let mut seen = seen.lock().unwrap();
            if !seen.statuses.contains(&label) {
                seen.statuses.push(label);
            }
        };
        let clock = {
            let (s, http, base, seen) = (s.clone(), http.clone(), base.clone(), seen.clone());
            tokio::spawn(async move {
                while !s.load(Ordering::Relaxed) {
                    let r = http
                        .post(format!("{base}/__mock/clock/advance"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body("seconds=1")
                        .send()
                        .await;
                    note(&seen, "clock", r.map(|r| r.status().as_u16()).unwrap_or(0));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        while !s.load(Ordering::Relaxed) {
            let at = std::time::Instant::now();
            let r = http.get(format!("{base}/__mock/")).send().await;
            let status = match r {
                // The whole page read: its cost, not just its headers'.
                Ok(r) => {
                    let status = r.status().as_u16();
                    let _ = r.bytes().await;
                    status
                }
                Err(_) => 0,
            };
            let ms = at.elapsed().as_secs_f64() * 1000.0;
            seen.lock().unwrap().dashboard_ms.push(ms);
            note(&seen, "dashboard", status);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        clock.await.unwrap();
        std::mem::take(&mut *seen.lock().unwrap())
    });
    (stop, task)
}

/// CPU time (ns) the threads of process `pid` have run so far (Linux
/// `schedstat`; 0 elsewhere): what a run costs whatever else the machine
/// runs, unlike its rate.
fn cpu_ns(pid: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The builds measured: this one in memory and with a state file, and with
/// `QFPAY_MOCK_BASELINE=PATH` another build of `qfpay-mock` (e.g. main's
/// before a change) in memory — and with a state file too when
/// `QFPAY_MOCK_BASELINE_STATE=1` (a build that has `--state`).
fn modes() -> Vec<(&'static str, String, bool)> {
    let this = env!("CARGO_BIN_EXE_qfpay-mock").to_owned();
    let mut modes = vec![("memory", this.clone(), false), ("state", this, true)];
    if let Ok(baseline) = std::env::var("QFPAY_MOCK_BASELINE") {
        if std::env::var("QFPAY_MOCK_BASELINE_STATE").is_ok_and(|v| v == "1") {
            modes.insert(0, ("baseline (state)", baseline.clone(), true));
        }
        modes.insert(0, ("baseline (memory)", baseline, false));
    }
    modes
}

/// `QFPAY_STATE_ROUNDS=N`, default 3.
fn rounds() -> usize {
    std::env::var("QFPAY_STATE_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
}

fn best(v: &[f64]) -> f64 {
    v.iter().cloned().fold(0.0, f64::max)
}

/// The middle value; of an even number, the mean of the two middle ones.
fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 0 => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        n => v[n / 2],
    }
}

/// The first measurement of the mock README's "Throughput with a state
/// file": `cargo test --release -p qfpay-mock --features cli,proxy --test
/// state -- --ignored --nocapture throughput` (both measurements).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run in release, see the mock README"]
async fn throughput_with_and_without_a_state_file() {
    let rx = Receiver::start(0).await;
    let modes = modes();
    println!(
        "payments at concurrency 32, 10,000 per run, fresh process each (req/s; CPU µs per \
         payment of the mock and of this process, the client and the receiver):"
    );
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    // CPU µs per payment: the mock's, this process's.
    let mut cpu: Vec<Vec<(f64, f64)>> = vec![Vec::new(); modes.len()];
    const N: usize = 10_000;
    for round in 0..rounds() {
        for k in 0..modes.len() {
            let m = (k + round) % modes.len();
            let (name, bin, state) = &modes[m];
            let load = load_average();
            let mock = start_measured(bin, *state, Some(&rx.url));
            let pid = mock.child.id().to_string();
            let (mock0, self0) = (cpu_ns(&pid), cpu_ns("self"));
            let (rate, _) = payments(&sdk(&mock.base), N, 32, N).await;
            let per = |ns: u64| ns as f64 / 1000.0 / N as f64;
            let c = (per(cpu_ns(&pid) - mock0), per(cpu_ns("self") - self0));
            println!(
                "  round {round} {name:<18} {rate:>8.0}   cpu µs mock {:>5.1} client {:>5.1}   (load {load})",
                c.0, c.1
            );
            rates[m].push(rate);
            cpu[m].push(c);
        }
    }
    for (m, (name, _, _)) in modes.iter().enumerate() {
        println!(
            "  {name:<18} best {:>8.0} median {:>8.0}   cpu µs median mock {:>5.1} client {:>5.1}",
            best(&rates[m]),
            median(&rates[m]),
            median(&cpu[m].iter().map(|c| c.0).collect::<Vec<_>>()),
            median(&cpu[m].iter().map(|c| c.1).collect::<Vec<_>>()),
        );
    }
    let memory = modes.iter().position(|m| m.0 == "memory").unwrap();
    let state = modes.iter().position(|m| m.0 == "state").unwrap();
    let total = |m: usize| median(&cpu[m].iter().map(|c| c.0 + c.1).collect::<Vec<_>>());
    println!(
        "  state / memory: best {:.2}, median {:.2}; CPU per payment, all processes: \
         memory / state {:.2}",
        best(&rates[state]) / best(&rates[memory]),
        median(&rates[state]) / median(&rates[memory]),
        total(memory) / total(state),
    );
}

/// Payments not timed at the start of every run of
/// [`throughput_as_orders_accumulate`], whatever its size: the process,
/// the connections and the allocator warm up the same way for 10,000 and
/// for 50,000.
const WARM_UP: usize = 5_000;

/// One run of [`throughput_as_orders_accumulate`]: a fresh process; with
/// `busy`, every payment notified to `rx` and the side traffic running
/// from the start; [`WARM_UP`] payments, then `total` timed. The rate, the
/// rate of each 10,000, and what the side traffic saw.
async fn accumulate_run(
    bin: &str,
    state: bool,
    total: usize,
    busy: Option<&Receiver>,
) -> (f64, Vec<f64>, Side) {
    let mock = start_measured(bin, state, busy.map(|rx| rx.url.as_str()));
    let client = sdk(&mock.base);
    let side = busy.map(|_| side_traffic(&mock.base));
    payments(&client, WARM_UP, 64, WARM_UP).await;
    let (rate, chunks) = payments(&client, total, 64, 10_000).await;
    let side = match side {
        Some((stop, task)) => {
            stop.store(true, Ordering::Relaxed);
            task.await.unwrap()
        }
        None => Side::default(),
    };
    (rate, chunks, side)
}

/// The second measurement of the mock README's "Throughput with a state
/// file": whether the cost of a payment grows with the orders and
/// notifications kept, and whether the notification sender, the clock and
/// an open dashboard slow the API as they accumulate. Concurrency 64,
/// 10,000 vs 50,000 timed payments after the same [`WARM_UP`]; each size
/// *quiet* (no notify URL: nothing delivered, no side traffic) and *busy*
/// (every payment notified to a receiver that acknowledges, `GET /__mock/`
/// every 100 ms, the clock advanced every 100 ms); fresh process each run,
/// the four runs of a round in rotated order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run in release, see the mock README"]
async fn throughput_as_orders_accumulate() {
    let rx = Receiver::start(0).await;
    let modes = modes();
    let runs = [
        (10_000, false),
        (10_000, true),
        (50_000, false),
        (50_000, true),
    ];
    println!(
        "payments at concurrency 64 after {WARM_UP} not timed; quiet vs busy (notified, \
         dashboard and clock every 100 ms); fresh process each (req/s):"
    );
    for (name, bin, state) in &modes {
        // rates[run] over the rounds; the 50k runs' chunks of the last round.
        let mut rates: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
        let mut chunks: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
        let mut dashboard: Vec<f64> = Vec::new();
        for round in 0..rounds() {
            for k in 0..runs.len() {
                let r = (k + round) % runs.len();
                let (total, busy) = runs[r];
                let load = load_average();
                let (rate, c, side) = accumulate_run(bin, *state, total, busy.then_some(&rx)).await;
                println!(
                    "  {name:<8} round {round} {:>5} {:<5} {rate:>8.0}  per 10k [{}]{}  (load {load})",
                    total,
                    if busy { "busy" } else { "quiet" },
                    c.iter()
                        .map(|x| format!("{x:.0}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if busy {
                        let d = &side.dashboard_ms;
                        let n = (d.len() / 10).max(1);
                        format!(
                            "  dashboard {} loads, ms median first 10% {:.1} last 10% {:.1}; {}",
                            d.len(),
                            median(&d[..n.min(d.len())]),
                            median(&d[d.len().saturating_sub(n)..]),
                            side.statuses.join(", ")
                        )
                    } else {
                        String::new()
                    }
                );
                rates[r].push(rate);
                chunks[r] = c;
                if busy && total == 50_000 {
                    dashboard.extend(side.dashboard_ms);
                }
            }
        }
        let med: Vec<f64> = rates.iter().map(|v| median(v)).collect();
        println!(
            "  {name:<8} median: quiet 10k {:.0}, 50k {:.0} (50k/10k {:.2}); busy 10k {:.0}, 50k {:.0} \
             (50k/10k {:.2}); busy/quiet at 10k {:.2}, at 50k {:.2}; last round's last/first 10k of \
             the 50k: quiet {:.2}, busy {:.2}; dashboard load during the busy 50k runs: median {:.1} ms, \
             max {:.1} ms",
            med[0],
            med[2],
            med[2] / med[0],
            med[1],
            med[3],
            med[3] / med[1],
            med[1] / med[0],
            med[3] / med[2],
            chunks[2].last().unwrap_or(&f64::NAN) / chunks[2].first().unwrap_or(&f64::NAN),
            chunks[3].last().unwrap_or(&f64::NAN) / chunks[3].first().unwrap_or(&f64::NAN),
            median(&dashboard),
            dashboard.iter().cloned().fold(0.0, f64::max),
        );
    }
}
