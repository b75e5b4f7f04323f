//! # qfpay-mock
//!
//! An embedded QFPay Open API server for tests, examples and demos. It checks
//! every request's signature exactly as the reference describes (§5.1),
//! enforces the `mchid` rule (§4), keeps order state (payments, queries,
//! refunds, reversal/close, notes, pre-authorisation holds), runs on a
//! clock that tests move forward ([`MockServer::advance`]: unpaid orders
//! expire, notification retries fire), sends signed asynchronous notifications
//! with QFPay's retry schedule (§22), plays deterministic scenarios chosen by
//! amount or `auth_code` (like Stripe's test cards) and injects transport
//! faults on demand.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use qfpay_mock::{Fault, MockServer};
//!
//! let server = MockServer::builder()
//!     .app("APPCODE0001", "CLIENTKEY0001", None)
//!     .notify_url("http://127.0.0.1:9000/notify")
//!     .start()
//!     .await?;
//! // Point the SDK at it: qfpay::Environment::Custom(server.base_url())
//! println!("{}", server.base_url());
//!
//! // …create an MPM payment with the client, then play the customer:
//! # let syssn = "";
//! let order = server.pay(syssn)?; // paid; the notification goes out
//! assert!(order.status.is_success());
//!
//! server.inject(Fault::TooManyRequests { retry_after_secs: Some(1) });
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! All off by default, so a test suite that embeds the mock builds none:
//!
//! - `cli`: [`Args`] and [`run_cli`], the standalone server's command line
//!   (clap); the `qfpay-mock` binary needs it and `proxy`. Turns on `state`.
//! - `state`: [`MockServerBuilder::state_file`] (`--state FILE`): the state
//!   kept in an SQLite database (bundled, compiled from C), so a restarted
//!   mock continues where it stopped.
//! - `proxy`: the HTTPS-proxy mode — `CONNECT` answered with a TLS tunnel to
//!   the mock itself, with a self-signed certificate (rcgen, rustls). Without
//!   it `CONNECT` is answered 405.
//!
//! The crate README has the scenario table, the fault list and the control
//! endpoints (`/__mock/...`) for clients written in other languages.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The shared state (`state`) is a leaf: the request pipeline
// (`accept` → `connection` → `tunnel`/`injection`), the API (`api` →
// `verify`, `trade`, `catalogue`), the control API (`control`), the
// notifications (`notify`) and the owner's operations (`operations`) act on
// it without importing each other in a circle. Signing is the mock's own
// (`signing`, `params`), never the SDK's signer.
mod accept;
mod api;
mod bill;
mod builder;
mod catalogue;
#[cfg(feature = "cli")]
mod cli;
mod clock;
mod config;
mod connection;
mod control;
mod customer;
mod customs;
mod error;
mod fault;
mod history;
mod injection;
mod intent;
#[cfg(feature = "state")]
mod journal;
mod notification;
mod notify;
mod notify_body;
mod operations;
mod pages;
mod params;
mod payment;
mod persist;
mod preauth;
pub mod pyjson;
mod query_record;
mod record;
mod recurring;
mod refusal;
mod reply;
mod routes;
mod scenario;
mod server;
mod signing;
mod state;
mod store;
mod table;
mod trade;
#[cfg(feature = "proxy")]
mod tunnel;
mod verify;

pub use builder::MockServerBuilder;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use cli::{Args, run_cli};
pub use config::App;
pub use error::MockError;
pub use fault::{Fault, FaultId, FaultRule};
pub use history::History;
pub use notification::{DeliveryAttempt, DeliveryState, Notification};
pub use notify::{RETRY_SCHEDULE, post_until_acknowledged, scaled_schedule};
pub use notify_body::NotificationBody;
pub use record::RecordedRequest;
pub use refusal::Refusal;
pub use server::MockServer;
pub use store::{Order, OrderStatus, OrderType, SeedOrder};
