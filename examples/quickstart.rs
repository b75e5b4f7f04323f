//! The whole QFPay flow in one run:
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no configuration it starts the embedded mock server (`qfpay-mock`)
//! and a notification receiver on loopback, then does what a shop does:
//! creates an MPM (QR code) payment, lets the "customer" pay it, receives
//! and verifies QFPay's notification, queries the payment and refunds part
//! of it.
//!
//! With `QFPAY_APP_CODE` set it runs the same steps against QFPay, configured
//! as `Client::from_env` reads the environment (`QFPAY_CLIENT_KEY` or
//! `QFPAY_CLIENT_KEY_FILE`, `QFPAY_ENV=sandbox|live-test|production` or
//! `QFPAY_BASE_URL`, optionally `QFPAY_MCHID`); the steps only the mock can
//! do (paying, receiving the notification on loopback) are skipped with a
//! note.

use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use qfpay::api::{Payment, Refund};
use qfpay::notify::Notification;
use qfpay::notify::axum::VerifiedNotification;
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{Client, ClientKey, CustomerAction, Environment, PaymentState};
use qfpay_mock::MockServer;
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Credentials of the embedded mock; they exist nowhere else.
const DEMO_APP_CODE: &str = "QUICKSTART00000000000000000APPCD";
const DEMO_KEY: &str = "QUICKSTART-DEMO-KEY-0000000000000";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nquickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where the quickstart talks to.
enum Target {
    /// The embedded mock, plus the receiver's queue of verified notifications.
    Mock {
        server: MockServer,
        notifications: mpsc::Receiver<Notification>,
    },
    /// QFPay itself, as configured by the environment.
    Remote,
}

async fn run() -> Result<(), BoxError> {
    let (client, mut target) = connect().await?;

    step(1, "Create an MPM payment (the customer scans a QR code)");
    let out_trade_no = OutTradeNo::generate();
    let payment = Payment::builder()
        .pay_type(PayType::AlipayHkMpm)
        .txamt(Amount::new(8_800)) // HK$88.00, in cents
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(out_trade_no.clone())
        .txdtm(TradeTime::now())
        .build();
    // `pay` reads QFPay's answer for the flow: an MPM order that was created
    // is `AwaitingCustomer` (never "paid") until the customer scans it.
    let created = client.pay(&payment).await?;
    let syssn = created
        .syssn
        .clone()
        .ok_or("QFPay answered the payment without a syssn")?;
    show("state", &created.state);
    show("out_trade_no", &out_trade_no);
    show("syssn", &syssn);
    match &created.state {
        PaymentState::AwaitingCustomer(CustomerAction::ShowQrCode(qr)) => {
            show("QR code content", qr)
        }
        PaymentState::Failed { respcd } => {
            return Err(format!("QFPay refused the payment: {respcd}").into());
        }
        other => show("QR code content", format!("(none: {other})")),
    }

    step(2, "The customer pays");
    match &target {
        Target::Mock { server, .. } => {
            server.pay(syssn.as_str())?;
            note("the mock plays the customer: the order is now paid");
        }
        Target::Remote => note("skipped: scan the QR code above with the wallet app to pay"),
    }

    step(3, "Receive QFPay's notification and verify its signature");
    let paid = match &mut target {
        Target::Mock { notifications, .. } => {
            let event = tokio::time::timeout(Duration::from_secs(10), notifications.recv())
                .await
                .map_err(|_| "no notification within 10 s")?
                .ok_or("the notification receiver stopped")?;
            describe(&event);
            true
        }
        Target::Remote => {
            note("skipped: QFPay notifies the URL registered for your app code, not this machine");
            false
        }
    };

    step(4, "Query the payment");
    // The state, not a respcd comparison, says whether the order is paid.
    let report = client
        .wait_for_payment(syssn.clone(), Duration::from_secs(2))
        .await?;
    show("state", &report.state);
    if let Some(amount) = report.record.as_ref().and_then(|r| r.txamt) {
        show("txamt", hkd(amount));
    }

    step(5, "Refund HK$30.00 of it");
    if !(paid || report.state.is_paid()) {
        note("skipped: only a paid order can be refunded");
        return finish(target).await;
    }
    let refund = Refund::builder()
        .syssn(syssn.clone())
        // A refund is a new order: it needs its own out_trade_no.
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(3_000))
        .txdtm(TradeTime::now())
        .build();
    let refunded = client.call(&refund).await?;
    show("refund state", refunded.state());
    if let Some(refund_syssn) = &refunded.syssn {
        show("refund syssn", refund_syssn);
    }
    if let Target::Mock { notifications, .. } = &mut target
        && let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_secs(10), notifications.recv()).await
    {
        describe(&event);
    }
    finish(target).await
}

/// Builds the client for QFPay when credentials are configured, else
/// starts the mock and a notification receiver and points the client there.
async fn connect() -> Result<(Client, Target), BoxError> {
    // An app code in the environment means QFPay itself, configured by the
    // SDK's own rules (`Client::from_env`): the key or its file, and an
    // environment named on purpose (QFPAY_ENV or QFPAY_BASE_URL).
    if std::env::var_os(qfpay::vars::APP_CODE_VAR).is_some_and(|v| !v.is_empty()) {
        let client = Client::from_env()?;
        println!("qfpay quickstart against {}", client.base_url());
        return Ok((client, Target::Remote));
    }

    // The merchant's notification endpoint: the same extractor a real shop
    // mounts, verifying the raw body before anything is parsed.
    let (events, notifications) = mpsc::channel(8);
    let receiver = Router::new()
        .route(
            "/qfpay/notify",
            post(
                |axum::extract::Extension(events): axum::extract::Extension<
                    mpsc::Sender<Notification>,
                >,
                 VerifiedNotification(event): VerifiedNotification| async move {
                    // Deduplicate by syssn + notify_type in a real shop:
                    // QFPay retries until it reads SUCCESS.
                    let _ = events.send(event).await;
                    qfpay::notify::SUCCESS_REPLY
                },
            ),
        )
        .layer(axum::extract::Extension(events))
        .with_state(ClientKey::new(DEMO_KEY));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let notify_url = format!("http://{}/qfpay/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let server = MockServer::builder()
        .app(DEMO_APP_CODE, DEMO_KEY, None)
        .notify_url(notify_url.clone())
        .start()
        .await?;
    println!(
        "qfpay quickstart against the embedded mock at {}",
        server.base_url()
    );
    println!("(set QFPAY_APP_CODE, QFPAY_CLIENT_KEY and QFPAY_ENV to run against QFPay)");
    show("notifications to", &notify_url);
    let client = Client::builder()
        .app_code(DEMO_APP_CODE)
        .client_key(DEMO_KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .build()?;
    Ok((
        client,
        Target::Mock {
            server,
            notifications,
        },
    ))
}

fn describe(event: &Notification) {
    match event {
        Notification::Payment(p) => {
            note("verified: a payment notification");
            show("syssn", &p.syssn);
            show("txamt", hkd(p.txamt));
            show("respcd", &p.respcd);
        }
        Notification::Refund(r) => {
            note("verified: a refund notification");
            show("syssn", &r.syssn);
            show("txamt", hkd(r.txamt));
        }
        other => note(&format!(
            "verified: a {} notification",
            other.notify_type().unwrap_or("untyped")
        )),
    }
}

async fn finish(target: Target) -> Result<(), BoxError> {
    if let Target::Mock { server, .. } = target {
        server.shutdown().await;
    }
    println!("\ndone.");
    Ok(())
}

/// Minor units as dollars, for reading (the wire only ever carries cents).
fn hkd(amount: Amount) -> String {
    let cents = amount.minor_units();
    format!("{cents} (HK${}.{:02})", cents / 100, cents % 100)
}

fn step(n: u8, title: &str) {
    println!("\n[{n}/5] {title}");
}

fn show(label: &str, value: impl std::fmt::Display) {
    println!("      {label:<16} {value}");
}

fn note(text: &str) {
    println!("      {text}");
}
