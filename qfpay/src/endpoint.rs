//! The endpoint contract that `#[qf_endpoint]` implements.

use crate::param::PairSink;
use crate::response::DecodeResponse;
use crate::sign::SignType;

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Parameters travel as a query string.
    Get,
    /// Parameters travel as an `application/x-www-form-urlencoded` body.
    Post,
}

impl Method {
    /// The method's name as on the wire (`"GET"`, `"POST"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Something that writes its request parameters, already sorted by name.
///
/// `#[qf_endpoint]` implements this with the fields sorted at compile time.
/// A hand-written implementation must call the sink in strictly increasing
/// byte order of names: signing and form encoding rely on it and never sort.
pub trait WriteParams {
    /// The wire names this type may write, in byte order.
    const PARAM_NAMES: &'static [&'static str];

    /// Writes every parameter into `out`, in byte order of names.
    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S);
}

impl<T: WriteParams + ?Sized> WriteParams for &T {
    const PARAM_NAMES: &'static [&'static str] = T::PARAM_NAMES;
    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S) {
        (**self).write_params(out)
    }
}

/// A QFPay endpoint: a request type that knows where it goes and what comes back.
///
/// Implemented by `#[qf_endpoint]`; see the crate documentation.
pub trait Endpoint: WriteParams {
    /// Path below the environment's base URL, e.g. `/trade/v1/payment`.
    const PATH: &'static str;
    /// HTTP method.
    const METHOD: Method;
    /// Whether the client's configured `mchid` is sent with this endpoint.
    ///
    /// `false` for the endpoints the reference forbids it on
    /// (`/trade/v1/add_note`, `/download/v1/trade_bill`).
    const SENDS_MCHID: bool = true;
    /// Whether sending the request twice has the effect of sending it once,
    /// so the client may retry it after a timeout, a 429 or a 5xx.
    ///
    /// `true` only for reads (queries, listings, the statement download).
    /// Payments, refunds, reversals and every other write are never re-sent:
    /// a lost reply is resolved by querying, not by paying again.
    const IDEMPOTENT: bool = false;
    /// A hash this endpoint must be signed with whatever the client is
    /// configured with (`None`: the client's). `get_weixin_openid` is
    /// documented as MD5 only (reference §5.2).
    const SIGN_TYPE: Option<SignType> = None;
    /// The decoded response.
    type Response: DecodeResponse;

    /// The request path; defaults to [`Endpoint::PATH`].
    ///
    /// Dynamic requests (such as [`crate::RawRequest`]) override it.
    fn path(&self) -> &str {
        Self::PATH
    }

    /// The HTTP method; defaults to [`Endpoint::METHOD`].
    fn method(&self) -> Method {
        Self::METHOD
    }

    /// Whether the client's `mchid` is sent; defaults to [`Endpoint::SENDS_MCHID`].
    fn sends_mchid(&self) -> bool {
        Self::SENDS_MCHID
    }

    /// Whether the client may retry it; defaults to [`Endpoint::IDEMPOTENT`].
    fn idempotent(&self) -> bool {
        Self::IDEMPOTENT
    }
}
