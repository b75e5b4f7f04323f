//! The error type of the mock's own API.

use crate::store::OrderStatus;

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
    /// A Payment Element intent cannot be used (unknown, already used,
    /// expired).
    #[error("cannot use the intent: {0}")]
    Intent(String),
    /// A seeded order collides with an existing one.
    #[error("cannot seed order: {0}")]
    Seed(String),
    /// The state file cannot be opened, read or written (see
    /// `MockServerBuilder::state_file`).
    #[error("state file {0}")]
    State(String),
    /// I/O while running the command-line server.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
