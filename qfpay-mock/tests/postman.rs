//! QFPay's own Postman collection (shared/conformance/qfpay-postman-collection.json)
//! against the mock, unchanged: its hard-coded `https://` URLs reach the mock
//! through `CONNECT` (the mock is its own HTTPS proxy, self-signed).
//!
//! 1. A replay in Rust of what the collection sends, built from the
//!    collection file itself (headers, body fields, URLs; lower-case MD5 as
//!    its pre-request scripts compute).
//! 2. `newman` itself, when installed (`newman` on PATH or `$NEWMAN`):
//!    `HTTPS_PROXY=<mock> newman run <collection> --insecure`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use qfpay::{ClientKey, RawParams, SignType};
use qfpay_mock::{MockServer, OrderType, SeedOrder};
use serde_json::Value;

/// The placeholders of the collection's scripts.
const STARS: &str = "*******";
const SEEDED: &str = "202006230500010979";

fn collection() -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/qfpay-postman-collection.json");
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("collection is JSON")),
        Err(_) => {
            println!("note: {} not found; skipping", path.display());
            None
        }
    }
}

async fn mock() -> MockServer {
    MockServer::builder()
        .app(STARS, STARS, Some(STARS))
        .seed(SeedOrder::paid(SEEDED, 100).currency("THB"))
        .start()
        .await
        .unwrap()
}

/// The values the pre-request scripts put in the environment.
fn variable(name: &str) -> String {
    match name {
        "APP_CODE" | "MCHID" => STARS.into(),
        "PAYTYPE" => "802901".into(),
        "TXAMT" => "1".into(),
        "TXCURRCD" => "THB".into(),
        "OUTTRADENO" => qfpay::types::OutTradeNo::generate().into_string(),
        // `new Date().toISOString()` without `T` and fraction: UTC
        "TXDTM" => qfpay::types::TradeTime::now_in(time::UtcOffset::UTC).to_string(),
        "SYSSN" => SEEDED.into(),
        other => panic!("unexpected variable {other}"),
    }
}

fn resolve(template: &str, vars: &mut std::collections::HashMap<String, String>) -> String {
    match template
        .strip_prefix("{{")
        .and_then(|t| t.strip_suffix("}}"))
    {
        Some(name) => vars
            .entry(name.to_owned())
            .or_insert_with(|| variable(name))
            .clone(),
        None => template.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collection_requests_replayed_through_the_https_proxy() {
    let Some(collection) = collection() else {
        return;
    };
    let server = mock().await;
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(server.base_url()).unwrap())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let items = collection["item"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        let name = item["name"].as_str().unwrap();
        let req = &item["request"];
        let mut vars = std::collections::HashMap::new();
        let url = &req["url"];
        let url = format!(
            "{}://{}/{}",
            url["protocol"].as_str().unwrap(),
            url["host"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("."),
            url["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("/"),
        );
        assert!(url.starts_with("https://"), "{url}");
        let fields: Vec<(String, String)> = req["body"]["urlencoded"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["disabled"].as_bool().unwrap_or(false))
            .map(|f| {
                let key = f["key"].as_str().unwrap().to_owned();
                let value = resolve(f["value"].as_str().unwrap(), &mut vars);
                (key, value)
            })
            .collect();
        // what the pre-request script signs: the same fields, sorted, + key; lower-case MD5
        let params = RawParams::from_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        vars.insert(
            "SIGNATURE".into(),
            qfpay::sign(&params, &ClientKey::new(STARS), SignType::Md5).to_hex_lower(),
        );
        let mut builder = http.post(&url);
        for h in req["header"].as_array().unwrap() {
            if h["disabled"].as_bool().unwrap_or(false) {
                continue;
            }
            let value = resolve(h["value"].as_str().unwrap(), &mut vars);
            builder = builder.header(h["key"].as_str().unwrap(), value);
        }
        // the body in the collection's field order, as Postman encodes it
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter())
            .finish();
        let resp = builder
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(resp.status(), 200, "{name}");
        let j: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(j["respcd"], "0000", "{name}: {j}");
        if name.ends_with("Transaction Query") {
            assert_eq!(j["data"][0]["syssn"], SEEDED, "{j}");
        }
    }
    let orders = server.orders();
    assert_eq!(
        orders
            .iter()
            .filter(|o| o.order_type == OrderType::Refund)
            .count(),
        1
    );
    let payment = orders
        .iter()
        .find(|o| o.pay_type == "802901")
        .expect("the collection's payment");
    assert_eq!((payment.txamt, payment.txcurrcd.as_str()), (1, "THB"));
    assert_eq!(server.order(SEEDED).unwrap().refunded, 1);
    // every request carried the collection's headers and a lower-case signature
    for r in server.requests() {
        assert_eq!(r.header("x-qf-appcode"), Some(STARS));
        assert!(
            r.header("x-qf-sign")
                .unwrap()
                .chars()
                .all(|c| !c.is_ascii_uppercase())
        );
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newman_runs_the_unchanged_collection() {
    let Some(_) = collection() else { return };
    let newman = std::env::var("NEWMAN").unwrap_or_else(|_| "newman".into());
    if Command::new(&newman).arg("--version").output().is_err() {
        println!("note: newman not found (set NEWMAN or put it on PATH); skipping");
        return;
    }
    let server = mock().await;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/qfpay-postman-collection.json");
    let proxy = server.base_url().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(newman)
            .arg("run")
            .arg(path)
            .arg("--insecure")
            .arg("--color")
            .arg("off")
            .env("HTTPS_PROXY", &proxy)
            .env("HTTP_PROXY", &proxy)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "newman failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{stdout}");
    let orders = server.orders();
    assert!(
        orders
            .iter()
            .any(|o| o.pay_type == "802901" && o.txcurrcd == "THB")
    );
    assert_eq!(server.order(SEEDED).unwrap().refunded, 1);
}
