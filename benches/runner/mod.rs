//! What the harness-less benches (`python_compare`, `e2e`, `compile_cost`)
//! share: when to run, knobs from the environment, the Python scripts of
//! `benches/python/`. Every bench binary uses a different subset.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `cargo bench` passes `--bench`; `cargo test --benches` runs the binary
/// without it, and then a bench does nothing.
pub fn invoked_by_cargo_bench() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The number in the environment variable `name`, or `default`.
pub fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `benches/python/<script>` with `args` under `QFPAY_PYTHON`
/// (default `python3`) and reads the one JSON object it prints. The error
/// says why the Python rows are skipped.
pub fn run_python<T: serde::de::DeserializeOwned>(
    script: &str,
    args: &[String],
) -> Result<T, String> {
    let python = std::env::var("QFPAY_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/python")
        .join(script);
    let out = Command::new(&python)
        .arg(&script)
        .args(args)
        .output()
        .map_err(|e| format!("`{python}` could not be run ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "`{python} {}` failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("unexpected output ({e})"))
}
