//! Helpers shared by the command-level tests: the built `qfpay` binary in a
//! clean environment, an in-process mock, loopback ports.
#![allow(dead_code)] // each test binary uses its own subset

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use qfpay_mock::MockServer;

pub const BIN: &str = env!("CARGO_BIN_EXE_qfpay");

pub const APP: &str = "APPCODE0001";
pub const KEY: &str = "CLIENTKEY0001SECRET";

/// The `qfpay` command with a clean environment (no QFPAY_* from the caller).
pub fn qfpay() -> Command {
    let mut cmd = Command::new(BIN);
    for var in [
        "QFPAY_CLIENT_KEY",
        "QFPAY_CLIENT_KEY_FILE",
        "QFPAY_APP_CODE",
        "QFPAY_MCHID",
        "QFPAY_ENV",
        "QFPAY_BASE_URL",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    match cmd.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run {BIN}: {e}"),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

pub fn workspace_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

pub fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qfpay-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

pub fn start_mock(rt: &tokio::runtime::Runtime) -> MockServer {
    rt.block_on(MockServer::builder().app(APP, KEY, None).start())
        .unwrap()
}

/// `qfpay <sub>` pointed at `base_url` with the test credentials from the environment.
pub fn against(base_url: &str, sub: &str) -> Command {
    let mut cmd = qfpay();
    cmd.arg(sub)
        .arg("--base-url")
        .arg(base_url)
        .env("QFPAY_APP_CODE", APP)
        .env("QFPAY_CLIENT_KEY", KEY);
    cmd
}

pub fn json(o: &Output) -> serde_json::Value {
    match serde_json::from_slice(&o.stdout) {
        Ok(v) => v,
        Err(e) => panic!("stdout is not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)),
    }
}

/// A port on 127.0.0.1 nobody listens on.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
