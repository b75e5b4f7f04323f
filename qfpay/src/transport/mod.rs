//! The HTTP layer under [`Client`](crate::Client), behind a small trait so it
//! can be swapped: [`ReqwestTransport`] (rustls, no OpenSSL) by default,
//! `mock::RecordingTransport` (feature `test-util`) in tests.
//!
//! The client does everything QFPay-specific — encoding, signing, headers,
//! retries, decoding — and hands the transport a finished [`HttpRequest`]:
//! method, absolute URL (with the query string for a GET), headers and body
//! bytes. The transport only moves bytes.
//!
//! Headers are an [`http::HeaderMap`] (re-exported here as [`HeaderMap`],
//! with [`HeaderName`] and [`HeaderValue`]): the client builds the names once
//! (static) and its app code and `User-Agent` values once per client, so
//! preparing a request allocates only for the signature, and the default
//! transport hands the map to `reqwest` as it is. Header names in a
//! `HeaderMap` are lower case; HTTP header names are case-insensitive.
//!
//! # Timeouts
//!
//! The [`Client`](crate::Client) enforces [`HttpRequest::timeout`] itself,
//! with one timer around the future [`Transport::send`] returns (so it covers
//! connecting, sending and reading the whole body, whatever the transport). A
//! transport does not need to start a timer of its own, and
//! [`ReqwestTransport`] does not (it only bounds the connect phase); use it
//! through a `Client`, or wrap its future in `tokio::time::timeout`, if you
//! call it directly.
//!
//! # Why a boxed future
//!
//! [`Transport::send`] returns a [`BoxFuture`] instead of being an `async fn`
//! so that the trait stays *object-safe*: the client holds an
//! `Arc<dyn Transport>`, which keeps [`Client`](crate::Client) a single
//! non-generic type that is cheap to clone and easy to store, whatever
//! transport it uses. One allocation per request is nothing next to a
//! network round trip.

mod error;
// The messages and the trait need the `http` crate's header types; the
// error types are shared with the rest of the crate.
#[cfg(feature = "http")]
mod message;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod mock;
#[cfg(feature = "client")]
mod reqwest_impl;

pub use error::{TransportError, TransportErrorKind};
#[cfg(feature = "client")]
pub(crate) use message::excerpt;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use message::{
    BoxFuture, HeaderMap, HeaderName, HeaderValue, HttpRequest, HttpResponse, Transport,
};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use reqwest_impl::ReqwestTransport;

/// A boxed error from a transport implementation.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
