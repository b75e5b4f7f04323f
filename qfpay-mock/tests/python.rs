//! An independent client — Python's standard library, signing like the
//! documentation's sample — is accepted, refused when wrong, and verifies
//! the notification. Skipped (with a note) when `python3` is not installed.

mod common;

use std::process::Command;

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_stdlib_client() {
    if Command::new("python3").arg("--version").output().is_err() {
        println!("note: python3 not found; skipping the independent Python client test");
        return;
    }
    let server = builder().notify_time_scale(0.001).start().await.unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/qfpay_client.py");
    let base = server.base_url().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(script)
            .arg(base)
            .arg(APP)
            .arg(KEY)
            .output()
    })
    .await
    .unwrap()
    .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "python client failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all python checks passed"));
    // two accepted payments, one paid
    let orders = server.orders();
    assert_eq!(orders.len(), 2);
    assert_eq!(orders.iter().filter(|o| o.status.is_success()).count(), 1);
    assert!(
        orders
            .iter()
            .all(|o| o.goods_name.as_deref() == Some("測試 coffee & tea"))
    );
}
