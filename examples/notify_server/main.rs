//! A QFPay notification receiver: verifies `X-QF-SIGN` over the raw body
//! before anything is parsed, deduplicates retried deliveries, replies
//! `200 SUCCESS`.
//!
//! ```sh
//! cargo run --example notify_server            # 127.0.0.1:8000
//! cargo run --example notify_server -- 9000    # or QFPAY_NOTIFY_PORT=9000
//! ```
//!
//! The key comes from `QFPAY_CLIENT_KEY`; without it the example uses the
//! public **test** key `0E32A59A8B454940A2FF3900C1D2E3F4` of
//! `tests/data/signing.json`, so the notification vector there verifies:
//!
//! ```sh
//! curl -i http://127.0.0.1:8000/qfpay/notify \
//!   -H 'X-QF-SIGN: 29B26554D9F1B1DAA15B2F95E3DF3976' \
//!   --data-binary '{"status": "1", "pay_type": "800101", "sysdtm": "2020-06-15 10:32:58", "paydtm": "2020-06-15 10:33:35", "goods_name": "", "txcurrcd": "HKD", "txdtm": "2020-06-15 10:32:58", "mchid": "O37MRh6Qq5", "txamt": "10", "exchange_rate": "", "chnlsn2": "", "out_trade_no": "9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO", "syssn": "20200615000200020000641807", "cash_fee_type": "", "cancel": "0", "respcd": "0000", "goods_info": "", "cash_fee": "0", "notify_type": "payment", "chnlsn": "2020061522001453561406303428", "cardcd": "2088032341453564"}'
//! ```
//!
//! Change one character of the body and the answer is `401`. To receive
//! the embedded mock's notifications, run `qfpay-mock` with
//! `--notify-url http://127.0.0.1:8000/qfpay/notify` and the same key.
//!
//! `qfpay notify send --url http://127.0.0.1:8000/qfpay/notify --type refund`
//! posts any of QFPay's notification types to it (`--tamper` checks that a
//! forged one is refused).
//!
//! QFPay only reaches ports 80 and 443 of a public host: in production put
//! this behind your HTTPS front end.

mod receiver;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use qfpay::ClientKey;

/// The public test key of `tests/data/signing.json` — never a real one.
const TEST_KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

fn port() -> Result<u16, String> {
    let text = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("QFPAY_NOTIFY_PORT").ok())
        .unwrap_or_else(|| "8000".to_owned());
    text.parse()
        .map_err(|_| format!("not a port number: {text:?}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Shows the extractor's warnings about refused notifications.
    tracing_subscriber::fmt().with_target(false).init();

    let key = match std::env::var("QFPAY_CLIENT_KEY") {
        Ok(key) if !key.is_empty() => key,
        _ => {
            eprintln!(
                "QFPAY_CLIENT_KEY is not set: using the public test key of tests/data/signing.json"
            );
            TEST_KEY.to_owned()
        }
    };
    let app = receiver::router(
        ClientKey::new(key),
        Arc::new(|line: String| println!("{line}")),
    );

    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port()?));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "receiving QFPay notifications on http://{}{} (Ctrl-C to stop)",
        listener.local_addr()?,
        receiver::PATH
    );
    axum::serve(listener, app).await?;
    Ok(())
}
