#![deny(
    warnings,
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused,
    nonstandard_style,
    rust_2018_idioms
)]
//! Generated code must not trip the lints of a strict user crate.

use qfpay::qf_endpoint;

/// An endpoint with documented fields.
#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct Refund {
    /// The original transaction.
    pub syssn: String,
    /// Refund amount.
    pub txamt: u64,
    /// Optional terminal id.
    pub udid: Option<String>,
}

/// An endpoint without parameters.
#[qf_endpoint(path = "/trade/v1/ping", method = "GET")]
pub struct Ping {}

/// Builds and encodes both.
pub fn main() {
    let refund = Refund::builder().syssn("1".to_owned()).txamt(1).build();
    assert_eq!(qfpay::form_body(&refund), "syssn=1&txamt=1");
    assert_eq!(qfpay::form_body(&Ping {}), "");
}
