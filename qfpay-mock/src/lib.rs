//! # qfpay-mock
//!
//! An embedded QFPay Open API server for tests, examples and demos. It checks
//! every request's signature exactly as the reference describes (§5.1),
//! enforces the `mchid` rule (§4), keeps order state (payments, queries,
//! refunds, reversal/close, notes), sends signed asynchronous notifications
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
//! The crate README has the scenario table, the fault list and the control
//! endpoints (`/__mock/...`) for clients written in other languages.
#![warn(missing_docs)]

mod api;
mod catalogue;
mod cli;
mod config;
mod control;
mod fault;
mod notify;
pub mod pyjson;
mod record;
mod reply;
mod scenario;
mod server;
mod store;
mod trade;
mod verify;

pub use cli::{Args, run_cli};
pub use config::App;
pub use fault::{Fault, FaultId, FaultRule};
pub use notify::{DeliveryAttempt, DeliveryState, Notification, RETRY_SCHEDULE};
pub use record::RecordedRequest;
pub use server::{MockServer, MockServerBuilder};
pub use store::{Order, OrderStatus, OrderType, SeedOrder};

/// Errors of the mock's own API (starting it, driving it). QFPay-level
/// errors are never Rust errors: they are `respcd` values in replies.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The configuration is unusable (no app, empty key, bad URL, …).
    #[error("invalid mock configuration: {0}")]
    Config(String),
    /// No order has this `syssn` or `out_trade_no`.
    #[error("no order with syssn or out_trade_no `{0}`")]
    OrderNotFound(String),
    /// The order cannot be paid (already paid, closed, failed, or a refund).
    #[error("order `{syssn}` cannot be paid: it is {status}")]
    NotPayable {
        /// The order's `syssn`.
        syssn: String,
        /// Its current status.
        status: OrderStatus,
    },
    /// A seeded order collides with an existing one.
    #[error("cannot seed order: {0}")]
    Seed(String),
    /// I/O while running the command-line server.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
