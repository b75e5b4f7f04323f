//! The checkout page and the dashboard in a real headless Chromium, driven
//! over WebDriver (chromedriver) with fantoccini: the customer clicks Pay,
//! the SDK's query then reports the payment paid and a loopback receiver
//! got its notification; the dashboard shows the order and a refused
//! request with why; the SDK's hosted checkout URL leads to the same page,
//! where the customer declines. Screenshots of both pages are kept as the test's
//! artefacts under `<target>/browser/`.
//!
//! Chromium and chromedriver come from Debian's `chromium` and
//! `chromium-driver` (`.ci/run` installs them when missing); `CHROMIUM` and
//! `CHROMEDRIVER` name other binaries. Without them the test prints a note
//! and passes without running.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use qfpay::api::{CheckoutUrl, Payment, Query};
use qfpay::types::{
    Amount, Currency, GoodsName, NotifyUrl, OutTradeNo, PayType, ReturnUrl, TradeTime,
};
use qfpay::{Client, ClientKey, Environment};
use qfpay_mock::DeliveryState;
use serde_json::json;

/// A binary named by `var`, else the first of `candidates` that exists.
fn binary(var: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// chromedriver on a free loopback port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(path: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        // Ready once its status says so (it takes a moment to listen).
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await
                && let Ok(bytes) = r.bytes().await
                && serde_json::from_slice::<serde_json::Value>(&bytes)
                    .is_ok_and(|v| v["value"]["ready"] == true)
            {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver at {} did not become ready", driver.url);
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Headless Chromium with the flags this closed network needs (no
/// background connections to Google's hosts) and a fresh profile.
async fn browser(driver: &Driver, chromium: &Path, profile: &Path) -> Browser {
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1400",
                format!("--user-data-dir={}", profile.display()),
            ],
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!("a JSON object literal")
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// `<target>/browser/`, where the screenshots go.
fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target dir")
        .join("browser");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

async fn screenshot(b: &Browser, path: &Path) {
    let png = b.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    std::fs::write(path, png).expect("screenshot saved");
}

async fn text(b: &Browser, css: &str) -> String {
    b.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_on_the_checkout_page_then_read_the_dashboard() {
    let (Some(chromium), Some(chromedriver)) = (
        binary(
            "CHROMIUM",
            &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        ),
        binary("CHROMEDRIVER", &["/usr/bin/chromedriver"]),
    ) else {
        eprintln!(
            "note: Chromium or chromedriver not found (apt-get install chromium chromium-driver, \
             or set CHROMIUM and CHROMEDRIVER); the browser test did not run"
        );
        return;
    };

    let rx = Receiver::start(0).await;
    let server = builder().start().await.unwrap();
    let client = Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .build()
        .unwrap();
    let payment = Payment::builder()
        .pay_type(PayType::WechatMpm)
        .txamt(Amount::new(2350))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::generate())
        .txdtm(TradeTime::now())
        .goods_name(GoodsName::new("Flat white <large>").unwrap())
        .notify_url(NotifyUrl::new(rx.url.clone()).unwrap())
        .build();
    let created = client.call(&payment).await.expect("MPM payment created");
    let syssn = created.syssn.clone().expect("syssn");
    let qrcode = created.qrcode.clone().expect("qrcode");

    // A request with a bad signature, for the dashboard's refused list.
    let caller = Caller::merchant(&server);
    let params = caller.params(&[("syssn", syssn.as_str())]);
    let bad = "B".repeat(32);
    let refused = caller
        .send("POST", "/trade/v1/query", &params, Some(&bad), true)
        .await;
    assert_eq!(refused.respcd(), "1108");

    let driver = Driver::start(&chromedriver).await;
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("chromium-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let b = browser(&driver, &chromium, &profile).await;
    let dir = artefacts();

    // The checkout page the QR code opens.
    b.goto(&qrcode).await.expect("checkout page opens");
    assert_eq!(text(&b, "#amount").await, "HKD 23.50");
    assert_eq!(text(&b, "#currency").await, "HKD");
    assert_eq!(text(&b, "#goods").await, "Flat white <large>");
    assert_eq!(text(&b, "#status").await, "unpaid");
    screenshot(&b, &dir.join("checkout.png")).await;

    // The customer pays.
    b.find(Locator::Css("#pay"))
        .await
        .expect("a Pay button")
        .click()
        .await
        .expect("click");
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#status.ok"))
        .await
        .expect("the page shows the payment paid");
    assert_eq!(text(&b, "#status").await, "succeeded");
    screenshot(&b, &dir.join("checkout-paid.png")).await;

    // The SDK's query reports it paid; the receiver got the notification.
    let q = client.call(&Query::by_syssn(syssn.clone())).await.unwrap();
    let rec = q.find_syssn(syssn.as_str()).expect("the payment's record");
    assert_eq!(rec.respcd.as_str(), "0000", "{rec:?}");
    let n = server
        .wait_for_notification(syssn.as_str(), Duration::from_secs(10))
        .await
        .expect("notified");
    assert_eq!(n.state, DeliveryState::Delivered);
    assert_eq!(rx.count(), 1);

    // The dashboard: the order, and the refused request with why.
    b.goto(&server.url("/__mock/"))
        .await
        .expect("dashboard opens");
    let orders = text(&b, "#orders + table").await;
    assert!(orders.contains(syssn.as_str()), "{orders}");
    assert!(orders.contains("succeeded"), "{orders}");
    let mut refusals = Vec::new();
    for row in b.find_all(Locator::Css("tr.refusal")).await.unwrap() {
        refusals.push(row.text().await.unwrap());
    }
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    let refusal = &refusals[0];
    assert!(refusal.contains("1108"), "{refusal}");
    assert!(refusal.contains("does not match"), "{refusal}");
    assert!(
        refusal.contains(&format!("syssn={}‹client key›", syssn.as_str())),
        "{refusal}"
    );
    assert!(refusal.contains(&format!("received {bad}")), "{refusal}");
    assert!(refusal.contains(&caller.sign(&params)), "{refusal}");
    let notifications = text(&b, "#notifications + table").await;
    assert!(
        notifications.contains("HTTP 200 SUCCESS"),
        "{notifications}"
    );
    screenshot(&b, &dir.join("dashboard.png")).await;

    // The hosted checkout URL the SDK builds opens the same page (its
    // parameters travel in the fragment); the customer declines.
    let otn = OutTradeNo::generate();
    let hosted = CheckoutUrl::builder()
        .appcode(APP)
        .txamt(Amount::new(990))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(otn.clone())
        .txdtm(TradeTime::now())
        .return_url(ReturnUrl::new("https://shop.example/ok").unwrap())
        .failed_url("https://shop.example/fail")
        .notify_url(NotifyUrl::new(rx.url.clone()).unwrap())
        .goods_name(GoodsName::new("Hosted tea").unwrap())
        .build()
        .url(server.base_url(), &ClientKey::new(KEY))
        .unwrap();
    b.goto(&hosted).await.expect("hosted checkout opens");
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#amount"))
        .await
        .expect("the hosted checkout lands on the checkout page");
    assert_eq!(text(&b, "#amount").await, "HKD 9.90");
    assert_eq!(text(&b, "#goods").await, "Hosted tea");
    screenshot(&b, &dir.join("hosted-checkout.png")).await;
    b.find(Locator::Css("#decline"))
        .await
        .expect("a Decline button")
        .click()
        .await
        .expect("click");
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#status.bad"))
        .await
        .expect("the page shows the payment declined");
    assert_eq!(text(&b, "#status").await, "failed (1205)");
    let q = client
        .call(&Query::by_out_trade_no(otn.clone()))
        .await
        .unwrap();
    let rec = q.data.first().expect("the hosted payment's record");
    assert_eq!(rec.respcd.as_str(), "1205", "{rec:?}");

    b.close().await.expect("browser closes");
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
}
