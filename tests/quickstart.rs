//! The README's first command keeps working: the quickstart example (built
//! by `cargo test` with the other examples) runs the whole flow against the
//! embedded mock with no configuration.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use qfpay::vars::{
    APP_CODE_VAR, BASE_URL_VAR, CLIENT_KEY_FILE_VAR, CLIENT_KEY_VAR, ENV_VAR, MCHID_VAR,
};

/// The quickstart example with no `QFPAY_*` variable but `vars`.
fn quickstart(vars: &[(&str, &str)]) -> Output {
    let Some(path) = example("quickstart") else {
        panic!("examples are built by `cargo test`; target/debug/examples/quickstart is missing");
    };
    let mut command = Command::new(path);
    for name in [
        APP_CODE_VAR,
        CLIENT_KEY_VAR,
        CLIENT_KEY_FILE_VAR,
        MCHID_VAR,
        ENV_VAR,
        BASE_URL_VAR,
    ] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    command.output().expect("the quickstart starts")
}

fn example(name: &str) -> Option<PathBuf> {
    // target/debug/deps/quickstart-HASH → target/debug/examples/NAME
    let exe = std::env::current_exe().ok()?;
    let path = exe
        .parent()?
        .parent()?
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    path.exists().then_some(path)
}

#[test]
fn quickstart_runs_the_whole_flow_on_the_mock() {
    let started = Instant::now();
    let output = quickstart(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "quickstart failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "[1/5] Create an MPM payment",
        "QR code content",
        "verified: a payment notification",
        "state            paid",
        "verified: a refund notification",
        "done.",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("QUICKSTART-DEMO-KEY"),
        "the key was printed"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

/// Credentials in the environment switch the quickstart to QFPay itself, by
/// `Client::from_env`'s rules: with no environment named (QFPAY_ENV or
/// QFPAY_BASE_URL) it stops and says which variable to set, rather than pick
/// a QFPay host for the user.
#[test]
fn quickstart_with_credentials_needs_an_environment_named() {
    let output = quickstart(&[
        (APP_CODE_VAR, "A2B4C6D8E0F2A4B6C8D0E2F4A6B8C0D2"),
        (CLIENT_KEY_VAR, "QUICKSTART-TEST-KEY"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("QFPAY_ENV"), "{stderr}");
    assert!(!stdout.contains("[1/5]"), "it went on:\n{stdout}");
    assert!(!format!("{stdout}{stderr}").contains("QUICKSTART-TEST-KEY"));
}
