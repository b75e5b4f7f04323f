//! `qfpay transactions` and `qfpay reconcile` as subprocesses against a
//! qfpay-mock with a seeded history. No internet.

use std::process::{Command, Output, Stdio};

use qfpay_mock::{History, MockServer, OrderType};

const BIN: &str = env!("CARGO_BIN_EXE_qfpay");
const APP: &str = "APPCODE0001";
const KEY: &str = "CLIENTKEY0001SECRET";

fn start() -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(
            MockServer::builder()
                .app(APP, KEY, None)
                .history(History::new(3, (2024, 12), 2, 130))
                .start(),
        )
        .unwrap();
    (rt, server)
}

fn against(base_url: &str, sub: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("QFPAY_MCHID")
        .stdin(Stdio::null())
        .arg(sub)
        .arg("--base-url")
        .arg(base_url)
        .env("QFPAY_APP_CODE", APP)
        .env("QFPAY_CLIENT_KEY", KEY);
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// README.md lists a CSV header's columns as written: `a`, `b`, ….
fn assert_listed_in_readme(header: &str) {
    let listed = format!("`{}`", header.split(',').collect::<Vec<_>>().join("`, `"));
    let readme = include_str!("../README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(readme.contains(&listed), "README.md does not list {listed}");
}

#[test]
fn transactions_csv_and_jsonl_cover_the_period_once() {
    let (_rt, server) = start();
    let want: Vec<_> = server
        .orders()
        .into_iter()
        .filter(|o| o.sysdtm.as_str() >= "2024-12-20" && o.sysdtm.as_str() <= "2025-01-10 23:59:59")
        .collect();
    let o = run(against(server.base_url(), "transactions").args([
        "--from",
        "2024-12-20",
        "--to",
        "2025-01-10",
    ]));
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Standard error is a pipe here: no progress line, nothing at all.
    assert_eq!(text(&o.stderr), "");
    let out = text(&o.stdout);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("syssn,out_trade_no,order_type,pay_type,txamt,txcurrcd,respcd"));
    assert_listed_in_readme(header);
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), want.len());
    for o in &want {
        assert!(
            rows.iter().any(|r| r.starts_with(&o.syssn)),
            "{} missing",
            o.syssn
        );
    }

    let dir = std::env::temp_dir().join(format!("qfpay-recon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.jsonl");
    let o = run(against(server.base_url(), "transactions")
        .args([
            "--from",
            "2024-12-20",
            "--to",
            "2025-01-10",
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(&file));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let jsonl = std::fs::read_to_string(&file).unwrap();
    assert_eq!(jsonl.lines().count(), want.len());
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["syssn"].is_string());
    }
}

#[test]
fn reconcile_reports_and_exits_by_the_result() {
    let (_rt, server) = start();
    let dir = std::env::temp_dir().join(format!("qfpay-recon2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Every payment of December as the shop sees it (state from QFPay's).
    let mut csv = String::from("out_trade_no,txamt,txcurrcd,state,refunded,note\n");
    let december: Vec<_> = server
        .orders()
        .into_iter()
        .filter(|o| o.order_type == OrderType::Payment && o.sysdtm.starts_with("2024-12"))
        .collect();
    for o in &december {
        let (state, refunded) = if o.respcd == "1264" {
            ("closed", String::new())
        } else if o.refunded > 0 {
            ("refunded", o.refunded.to_string())
        } else {
            ("paid", String::new())
        };
        csv.push_str(&format!(
            "{},{},{},{state},{refunded},x\n",
            o.out_trade_no, o.txamt, o.txcurrcd
        ));
    }
    let orders = dir.join("orders.csv");
    std::fs::write(&orders, &csv).unwrap();
    let o = run(against(server.base_url(), "reconcile")
        .args(["--from", "2024-12-01", "--to", "2024-12-31", "--orders"])
        .arg(&orders));
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains(&format!("{} matched, 0 discrepancies", december.len())));
    assert!(text(&o.stdout).contains(" · net "), "{}", text(&o.stdout));

    // The refund booked one unit short of QFPay's.
    let refunded = december
        .iter()
        .position(|o| o.refunded > 0 && o.respcd == "0000")
        .expect("the mock's history refunds a December payment");
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let mut cells: Vec<String> = lines[refunded + 1].split(',').map(str::to_owned).collect();
    cells[4] = (december[refunded].refunded - 1).to_string();
    lines[refunded + 1] = cells.join(",");
    std::fs::write(&orders, lines.join("\n")).unwrap();
    let short = dir.join("short.csv");
    let o = run(against(server.base_url(), "reconcile")
        .args(["--from", "2024-12-01", "--to", "2024-12-31", "--orders"])
        .arg(&orders)
        .arg("--out")
        .arg(&short));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let d = std::fs::read_to_string(&short).unwrap();
    let expected_row = format!(
        "\nrefund,{},{},",
        december[refunded].out_trade_no, december[refunded].txamt
    );
    assert!(d.contains(&expected_row), "{d}");
    let header = d.lines().next().unwrap();
    assert!(header.ends_with(",expected_refunded,qfpay_refunded"), "{d}");
    assert_listed_in_readme(header);

    // One order missing from the books, one with a wrong amount.
    // (line k + 1 holds december[k]; a paid one other than december[1] is dropped)
    let mut lines: Vec<&str> = csv.lines().collect();
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
    cells[1] = (december[1].txamt + 1).to_string();
    let wrong = cells.join(",");
    lines[2] = &wrong;
    let dropped = (2..december.len())
        .find(|&k| december[k].respcd == "0000")
        .unwrap();
    lines.remove(dropped + 1);
    std::fs::write(&orders, lines.join("\n")).unwrap();
    let report = dir.join("d.csv");
    let o = run(against(server.base_url(), "reconcile")
        .args(["--from", "2024-12-01", "--to", "2024-12-31", "--orders"])
        .arg(&orders)
        .arg("--out")
        .arg(&report));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let d = std::fs::read_to_string(&report).unwrap();
    assert!(d.starts_with("kind,out_trade_no,"));
    assert!(d.contains("\namount,"), "{d}");
    assert!(d.contains("\nunknown_to_shop,"), "{d}");

    // A malformed line names file, line and column.
    std::fs::write(&orders, "out_trade_no,txamt,txcurrcd\nA,12x,HKD\n").unwrap();
    let o = run(against(server.base_url(), "reconcile")
        .args(["--from", "2024-12-01", "--to", "2024-12-31", "--orders"])
        .arg(&orders));
    assert_ne!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    assert!(err.contains("orders.csv: line 2: column `txamt`"), "{err}");
}
