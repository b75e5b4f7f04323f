//! The standalone binary prints its address and serves until stopped.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_serves_and_prints_its_address() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qfpay-mock"))
        .args(["--addr", "127.0.0.1:0", "--app-code", APP, "--mchid", MCHID])
        .args(["--seed-paid", "202006230500010979:100:THB"])
        .env("QFPAY_CLIENT_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");

    let c = Caller {
        base: base.clone(),
        app: APP.into(),
        key: KEY.into(),
        mchid: Some(MCHID.into()),
        ..Caller::merchant_at(&base)
    };
    let q = c.query(&[("syssn", "202006230500010979")]).await;
    assert_eq!(q["data"][0]["respcd"], "0000", "{q}");
    assert_eq!(q["data"][0]["txcurrcd"], "THB");
    let r = c.refund("202006230500010979", 40).await.json();
    assert_eq!(r["respcd"], "0000", "{r}");
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn binary_refuses_missing_credentials() {
    let out = Command::new(env!("CARGO_BIN_EXE_qfpay-mock"))
        .args(["--addr", "127.0.0.1:0"])
        .env_remove("QFPAY_APP_CODE")
        .env_remove("QFPAY_CLIENT_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--app-code"), "{err}");
}
