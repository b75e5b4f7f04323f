//! A QFPay notification receiver on actix-web (feature `actix`): verifies
//! `X-QF-SIGN` over the raw body against every configured key before
//! anything is parsed, replies `200 SUCCESS`.
//!
//! ```sh
//! cargo run --example notify_actix            # 127.0.0.1:8000
//! cargo run --example notify_actix -- 9000    # or QFPAY_NOTIFY_PORT=9000
//! ```
//!
//! The key comes from `QFPAY_CLIENT_KEY` (for the app `QFPAY_APP_CODE`);
//! without it the example uses the public **test** key
//! `0E32A59A8B454940A2FF3900C1D2E3F4` of `tests/data/signing.json`, so the
//! `curl` of `examples/notify_server.rs` (the axum receiver) verifies here
//! too; change one character of the body and the answer is `401`. A
//! merchant with several app codes adds one `.key(app_code, key)` per app.
//!
//! QFPay only reaches ports 80 and 443 of a public host: in production put
//! this behind your HTTPS front end.

use actix_web::{App, HttpResponse, HttpServer, web};
use qfpay::ClientKey;
use qfpay::notify::actix::VerifiedNotification;
use qfpay::notify::{Notification, SUCCESS_REPLY, Verifier};

/// The public test key of `tests/data/signing.json` — never a real one.
const TEST_KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

/// Only verified notifications get here; the extractor answers 401 (bad or
/// missing signature), 413 (over 64 KiB) or 400 (not JSON) by itself.
async fn qfpay_notify(VerifiedNotification(event): VerifiedNotification) -> HttpResponse {
    // A real shop records the event idempotently (`event.dedup_key()`) in
    // its database before answering SUCCESS; on failure it answers 500 and
    // QFPay delivers again.
    match &event {
        Notification::Payment(p) => println!(
            "payment {} order {} {} {}",
            p.syssn, p.out_trade_no, p.txamt, p.txcurrcd
        ),
        Notification::Refund(r) => println!("refund  {} order {}", r.syssn, r.out_trade_no),
        other => println!("event   {:?}", other.notify_type()),
    }
    HttpResponse::Ok().body(SUCCESS_REPLY)
}

fn port() -> Result<u16, String> {
    let text = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("QFPAY_NOTIFY_PORT").ok())
        .unwrap_or_else(|| "8000".to_owned());
    text.parse()
        .map_err(|_| format!("not a port number: {text:?}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Shows the extractor's warnings about refused notifications.
    tracing_subscriber::fmt().with_target(false).init();

    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let key = var(qfpay::vars::CLIENT_KEY_VAR).unwrap_or_else(|| {
        eprintln!(
            "QFPAY_CLIENT_KEY is not set: using the public test key of tests/data/signing.json"
        );
        TEST_KEY.to_owned()
    });
    let app_code = var(qfpay::vars::APP_CODE_VAR).unwrap_or_else(|| "test-app".to_owned());
    let verifier = Verifier::new().key(app_code, ClientKey::new(key));

    let port = port()?;
    eprintln!(
        "receiving QFPay notifications on http://127.0.0.1:{port}/qfpay/notify (Ctrl-C to stop)"
    );
    actix_web::rt::System::new().block_on(
        HttpServer::new(move || {
            App::new()
                .app_data(verifier.clone())
                .route("/qfpay/notify", web::post().to(qfpay_notify))
        })
        .workers(1)
        .bind(("127.0.0.1", port))?
        .run(),
    )?;
    Ok(())
}
