//! The endpoint contract that `#[qf_endpoint]` implements.

use crate::param::PairSink;
use crate::response::DecodeResponse;
use crate::sign_type::SignType;

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

/// Everything the client needs to know about an endpoint besides its
/// parameters: where it goes and the rules QFPay sets for it.
///
/// Each catalogue endpoint states these once, in its `#[qf_endpoint(...)]`
/// attribute; [`crate::api::CATALOGUE`] lists them all, and a
/// [`RawRequest`](crate::RawRequest) to a catalogue path takes its rules from
/// there, so a request by path and its typed twin always go out alike.
///
/// ```
/// use qfpay::{EndpointSpec, Method, SignType};
/// let spec = EndpointSpec::new("/tool/v1/get_weixin_openid", Method::Get)
///     .with_sign_type(Some(SignType::Md5));
/// assert!(spec.sends_mchid && !spec.idempotent);
/// assert_eq!(spec.sign_type_for(SignType::Sha256), SignType::Md5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EndpointSpec<'a> {
    /// Path below the environment's base URL, e.g. `/trade/v1/payment`.
    pub path: &'a str,
    /// HTTP method.
    pub method: Method,
    /// Whether the client's configured `mchid` is sent with this endpoint:
    /// `false` for the endpoints the reference forbids it on
    /// (`/trade/v1/add_note`, `/download/v1/trade_bill`).
    pub sends_mchid: bool,
    /// Whether sending the request twice has the effect of sending it once,
    /// so the client may retry it after a timeout, a 429 or a 5xx.
    ///
    /// `true` only for reads (queries, listings, the statement download).
    /// Payments, refunds, reversals and every other write are never re-sent:
    /// a lost reply is resolved by querying, not by paying again.
    pub idempotent: bool,
    /// Whether QFPay takes the endpoint by either HTTP method ([`method`](Self::method)
    /// is the one the SDK sends). The reference documents reversal and close
    /// as GET while every sample posts, and the customs query takes both: a
    /// request by path may use either there.
    pub either_method: bool,
    /// A hash this endpoint must be signed with whatever the client is
    /// configured with (`None`: the client's). `get_weixin_openid` is
    /// documented as MD5 only (reference §5.2).
    pub sign_type: Option<SignType>,
}

impl<'a> EndpointSpec<'a> {
    /// An endpoint with the defaults: `mchid` sent, not retried, signed with
    /// the client's hash.
    pub const fn new(path: &'a str, method: Method) -> Self {
        EndpointSpec {
            path,
            method,
            sends_mchid: true,
            idempotent: false,
            either_method: false,
            sign_type: None,
        }
    }

    /// Sets [`sends_mchid`](Self::sends_mchid).
    #[must_use]
    pub const fn with_mchid(mut self, sends_mchid: bool) -> Self {
        self.sends_mchid = sends_mchid;
        self
    }

    /// Sets [`idempotent`](Self::idempotent).
    #[must_use]
    pub const fn with_idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sets [`either_method`](Self::either_method).
    #[must_use]
    pub const fn with_either_method(mut self, either_method: bool) -> Self {
        self.either_method = either_method;
        self
    }

    /// Whether a request by `method` is one QFPay takes at this endpoint.
    pub const fn accepts(&self, method: Method) -> bool {
        self.either_method || self.method as u8 == method as u8
    }

    /// Sets [`sign_type`](Self::sign_type).
    #[must_use]
    pub const fn with_sign_type(mut self, sign_type: Option<SignType>) -> Self {
        self.sign_type = sign_type;
        self
    }

    /// The same rules for another path (a dynamic request borrowing a
    /// catalogue entry's rules).
    #[must_use]
    pub const fn with_path<'b>(self, path: &'b str) -> EndpointSpec<'b> {
        EndpointSpec {
            path,
            method: self.method,
            sends_mchid: self.sends_mchid,
            idempotent: self.idempotent,
            either_method: self.either_method,
            sign_type: self.sign_type,
        }
    }

    /// The hash a request to this endpoint is signed with, given the one the
    /// client is configured with.
    pub const fn sign_type_for(&self, configured: SignType) -> SignType {
        match self.sign_type {
            Some(required) => required,
            None => configured,
        }
    }
}

/// A QFPay endpoint: a request type that knows where it goes and what comes back.
///
/// Implemented by `#[qf_endpoint]`; see the crate documentation.
pub trait Endpoint: WriteParams {
    /// The decoded response.
    type Response: DecodeResponse;

    /// Where the request goes and the rules it follows. For a type declared
    /// with `#[qf_endpoint]` this is its [`StaticEndpoint::SPEC`].
    fn spec(&self) -> EndpointSpec<'_>;
}

/// An endpoint whose description is known at compile time: every type
/// declared with `#[qf_endpoint]`.
pub trait StaticEndpoint: Endpoint {
    /// The description [`Endpoint::spec`] returns.
    const SPEC: EndpointSpec<'static>;
}
