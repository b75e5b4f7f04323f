//! # qfpay
//!
//! A typed, self-signing client for the [QFPay](https://www.qfpay.com) Open
//! API (Hong Kong: Alipay, WeChat Pay, PayMe, FPS, UnionPay, cards, …).
//!
//! An endpoint is a plain struct with one attribute. Its parameters are
//! written already sorted by wire name — the order is fixed by the macro at
//! compile time — so the signature and the form body come out of one ordered
//! pass and can never disagree.
//!
//! ```
//! use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
//! use qfpay::{qf_endpoint, ClientKey, SignType};
//!
//! #[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
//! pub struct MyPayment {
//!     pub txamt: Amount,
//!     pub txcurrcd: Currency,
//!     pub pay_type: PayType,
//!     pub out_trade_no: OutTradeNo,
//!     pub txdtm: TradeTime,
//!     pub goods_name: Option<String>,
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let payment = MyPayment::builder()
//!     .txamt(Amount::new(10))
//!     .txcurrcd(Currency::from_code("HKD"))
//!     .pay_type(PayType::from_code("800101"))
//!     .out_trade_no(OutTradeNo::new("01234567890123")?)
//!     .txdtm(TradeTime::parse("2019-12-25 14:21:28")?)
//!     .build();
//!
//! let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
//! assert_eq!(
//!     qfpay::sign(&payment, &key, SignType::Md5).to_string(),
//!     "47A4ACB65B092AB1D2C1010BA5C6845B"
//! );
//! assert_eq!(
//!     qfpay::form_body(&payment),
//!     "out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28"
//! );
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! - `client` (default): [`Client`], [`Environment`], the HTTP transport
//!   [`transport::ReqwestTransport`] (reqwest + tokio) and the re-exported
//!   [`reqwest`]. `client` alone speaks plain HTTP only (enough for the
//!   mock server); the TLS backend is one of:
//!   - `rustls-aws-lc` (default): rustls with aws-lc-rs, as `reqwest`'s own
//!     default. Building it needs a C compiler.
//!   - `rustls-ring`: rustls with ring; a lighter build (also a C compiler).
//!     If both are enabled, ring is used.
//!
//!   `reqwest` honours the proxy variables `HTTPS_PROXY`, `HTTP_PROXY`,
//!   `ALL_PROXY` and `NO_PROXY` (and lower-case forms); set a proxy in code
//!   with [`ReqwestTransport::from_client`](transport::ReqwestTransport::from_client).
//! - `axum`: [`notify::axum`], an extractor that verifies notifications.
//! - `actix`: [`notify::actix`], the same extractor for actix-web.
//! - `blocking`: [`blocking::Client`], the client for code without an async
//!   runtime (it owns a tokio runtime with one worker thread); implies `client`.
//! - `test-util`: [`transport::mock`], a transport that records requests and
//!   replays answers, for tests (enable it in `[dev-dependencies]`).
//! - `time` (default, and implied by `client`): the clock and the `time`
//!   crate — [`TradeTime::now`](types::TradeTime::now),
//!   [`OutTradeNo::generate`](types::OutTradeNo::generate),
//!   [`types::HONG_KONG`], and the conversions of
//!   [`TradeTime`](types::TradeTime) and [`TradeDate`](api::TradeDate) to and
//!   from `time`'s dates. Without it both still parse, check and write their
//!   text.
//!
//! With `default-features = false` the crate is the DSL, signing, form
//! encoding, the catalogue ([`api`]), notification verification
//! ([`notify`]) and the URL builders, with no HTTP client, no async
//! runtime and no date library.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Build cost: a few large functions that decode or assemble a whole
// structure, and that most apps never call (`PayParams::from_value`, the
// statement's decoder, the reconciler, …), are `#[inline]`. That compiles
// them, and every generic instance they need, in the crate that calls them
// instead of here, so an app that only signs requests does not build them
// (BENCHMARKS.md, "Cold build"). Hot paths are not marked for speed.
// Lets `#[qf_endpoint]`'s absolute `::qfpay::…` paths resolve inside this crate (the catalogue).
extern crate self as qfpay;

pub mod api;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
#[cfg(feature = "client")]
mod client;
mod endpoint;
pub mod error;
mod form;
pub mod notify;
mod param;
mod param_error;
mod raw;
pub mod reconcile;
mod response;
mod setter;
pub mod sign;
mod sign_type;
pub mod state;
#[cfg(feature = "statement")]
#[cfg_attr(docsrs, doc(cfg(feature = "statement")))]
pub mod statement;
pub mod transport;
pub mod types;
mod variant_from;
mod wire;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::CallOptions;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{
    CancelWith, Client, ClientBuilder, CpmPolicy, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Environment,
    PaymentRef, PaymentReport, PollPolicy, RefundReport, RetryPolicy,
};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{MAX_PAGE_SIZE, RespcdFamily, TransactionFilter, Transactions};

pub use endpoint::{Endpoint, EndpointSpec, Method, StaticEndpoint, WriteParams};

/// The names of the environment variables [`Client::from_env`] reads (the
/// `qfpay` tool and the examples read the same ones).
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod vars {
    pub use crate::client::{
        APP_CODE_VAR, BASE_URL_VAR, CLIENT_KEY_FILE_VAR, CLIENT_KEY_VAR, ENV_VAR, MCHID_VAR,
    };
}
pub use error::{BuildError, Error};
pub use form::form_body;
pub use param::{PairSink, ParamValue};
pub use param_error::{EncodeError, InvalidParam};
pub use raw::{RawParams, RawRequest};
pub use response::{DecodeResponse, Envelope, Extra, JsonResponse};
pub use sign::{ClientKey, Signature, canonical_string, sign};
pub use sign_type::SignType;
pub use state::{CustomerAction, PaymentFlow, PaymentRequest, PaymentState, RefundState};

/// The `reqwest` crate this crate's [`transport::ReqwestTransport`] is built
/// on, for [`ReqwestTransport::from_client`](transport::ReqwestTransport::from_client)
/// without a second `reqwest` version in your build.
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use reqwest;

/// Declares a QFPay endpoint. See the crate documentation.
pub use qfpay_macros::qf_endpoint;

/// Items the generated code names by absolute path. Not public API.
///
/// The name carries the version: `qfpay-macros` (required at exactly this
/// crate's version) generates paths into `__private_v` + its own version,
/// so code expanded by one release cannot link against another's internals.
/// The check below keeps the name in step with this crate's version; the
/// catalogue, expanded by the macro while this crate builds, checks that the
/// macro agrees.
#[doc(hidden)]
pub mod __private_v0_1_0 {
    pub use crate::endpoint::{Endpoint, EndpointSpec, Method, StaticEndpoint, WriteParams};
    pub use crate::param::{PairSink, ParamValue};
    pub use crate::response::{DecodeResponse, JsonResponse};
    pub use crate::setter::{IsUnset, OptionArg, Set, Unset, ViaInto, ViaOption, take};
    pub use crate::sign_type::SignType;
    pub use ::core;
}

const _: () = {
    const NAMED_VERSION: &str = "0.1.0";
    let (named, actual) = (
        NAMED_VERSION.as_bytes(),
        env!("CARGO_PKG_VERSION").as_bytes(),
    );
    let mut same = named.len() == actual.len();
    let mut i = 0;
    while same && i < named.len() {
        same = named[i] == actual[i];
        i += 1;
    }
    assert!(
        same,
        "rename `__private_v0_1_0` (and NAMED_VERSION) after this crate's version"
    );
};
