//! Requests without a struct: pairs known only at run time (CLI, tests, tools).

use crate::endpoint::{Endpoint, EndpointSpec, Method, WriteParams};
use crate::param::PairSink;
use crate::response::JsonResponse;

/// Parameters given as name/value pairs, sorted by name once, at construction.
///
/// ```
/// let p = qfpay::RawParams::from_pairs([("b", "2"), ("a", "1")]);
/// assert_eq!(qfpay::form_body(&p), "a=1&b=2");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawParams {
    pairs: Vec<(String, String)>,
}

impl RawParams {
    /// Collects and sorts pairs by name (byte order; stable for repeated names).
    pub fn from_pairs<N, V, I>(pairs: I) -> Self
    where
        N: Into<String>,
        V: Into<String>,
        I: IntoIterator<Item = (N, V)>,
    {
        let mut pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(n, v)| (n.into(), v.into()))
            .collect();
        pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        RawParams { pairs }
    }

    /// Decodes an `application/x-www-form-urlencoded` body or query string.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn from_form(body: &[u8]) -> Self {
        Self::from_pairs(
            form_urlencoded::parse(body).map(|(n, v)| (n.into_owned(), v.into_owned())),
        )
    }

    /// The sorted pairs.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of the first parameter called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Adds a pair at its sorted place.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let at = self
            .pairs
            .partition_point(|(n, _)| n.as_bytes() <= name.as_bytes());
        self.pairs.insert(at, (name, value.into()));
    }

    /// Removes every pair called `name`, returning the first value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let mut first = None;
        self.pairs.retain_mut(|(n, v)| {
            if n == name {
                if first.is_none() {
                    first = Some(std::mem::take(v));
                }
                false
            } else {
                true
            }
        });
        first
    }

    /// Collects what any [`WriteParams`] writes (empty values included).
    pub fn collect<P: WriteParams + ?Sized>(params: &P) -> Self {
        struct Collect(Vec<(String, String)>);
        impl PairSink for Collect {
            fn pair(&mut self, name: &str, value: &str) {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
        let mut c = Collect(Vec::new());
        params.write_params(&mut c);
        RawParams { pairs: c.0 }
    }
}

impl WriteParams for RawParams {
    const PARAM_NAMES: &'static [&'static str] = &[];
    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S) {
        for (name, value) in &self.pairs {
            out.pair(name, value);
        }
    }
}

/// A request to any path with run-time parameters; the response is generic JSON.
///
/// A request to a path of the catalogue follows that endpoint's rules, read
/// from [`api::CATALOGUE`](crate::api::CATALOGUE): whether the client's `mchid`
/// is sent, whether it may be retried, a required hash (`get_weixin_openid` is
/// signed with MD5 whatever the client uses). The client refuses a method the
/// catalogue does not give that path. Any other path is sent with the
/// defaults: `mchid` sent, never retried, the client's hash.
///
/// ```
/// use qfpay::{Endpoint, Method, RawParams, RawRequest, SignType};
/// let req = RawRequest::new(Method::Post, "/trade/v1/query", RawParams::from_pairs([("syssn", "1")]));
/// assert_eq!(req.spec().path, "/trade/v1/query");
/// assert!(req.spec().idempotent);
/// let openid = RawRequest::new(Method::Get, "/tool/v1/get_weixin_openid", RawParams::default());
/// assert_eq!(openid.spec().sign_type, Some(SignType::Md5));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    method: Method,
    path: String,
    params: RawParams,
    /// The catalogue's description of `path`, looked up once, here.
    known: Option<&'static EndpointSpec<'static>>,
}

impl RawRequest {
    /// A request of `method` to `path` (below the environment's base URL).
    pub fn new(method: Method, path: impl Into<String>, params: RawParams) -> Self {
        let path = path.into();
        RawRequest {
            method,
            known: crate::api::lookup(&path),
            path,
            params,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &RawParams {
        &self.params
    }
}

impl WriteParams for RawRequest {
    const PARAM_NAMES: &'static [&'static str] = &[];

    /// The parameters; a method the catalogue does not give the path is
    /// refused here (a typed request's method is right by construction).
    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S) {
        if let Some(known) = self.known
            && !known.accepts(self.method)
        {
            out.reject(
                "method",
                format!(
                    "QFPay takes `{}` by {}, not {}",
                    self.path,
                    known.method.as_str(),
                    self.method.as_str()
                )
                .into(),
            );
        }
        self.params.write_params(out)
    }
}

impl Endpoint for RawRequest {
    type Response = JsonResponse;

    /// The catalogue's rules for the path, with this request's method (the
    /// encoder refuses one the catalogue does not give the path); the
    /// defaults elsewhere.
    fn spec(&self) -> EndpointSpec<'_> {
        match self.known {
            Some(known) => EndpointSpec {
                method: self.method,
                ..known.with_path(&self.path)
            },
            None => EndpointSpec::new(&self.path, self.method),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CATALOGUE;
    use crate::param_error::{EncodeError, InvalidParam};

    /// A request by path follows exactly the rules of its typed twin.
    #[test]
    fn catalogue_paths_take_the_catalogue_rules() {
        for entry in CATALOGUE {
            let spec = entry.spec;
            let raw = RawRequest::new(spec.method, spec.path, RawParams::default());
            assert_eq!(raw.spec(), spec, "{}", entry.name);
        }
    }

    /// A method the catalogue does not give a path is refused before
    /// anything is signed; `either_method` paths take both.
    #[test]
    fn catalogue_methods_are_checked() {
        let mut buf = crate::sign::SignBuffer::new();
        let wrong = RawRequest::new(
            Method::Post,
            "/download/v1/trade_bill",
            RawParams::default(),
        );
        match buf.encode(&wrong, None) {
            Err(EncodeError::Rejected(InvalidParam { name, reason })) => {
                assert_eq!(name, "method");
                assert!(reason.contains("by GET, not POST"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        for (method, path) in [
            (Method::Get, "/download/v1/trade_bill"),
            (Method::Get, "/trade/v1/close"),
            (Method::Post, "/trade/v1/close"),
            (Method::Get, "/not/in/the/catalogue"),
        ] {
            let right = RawRequest::new(method, path, RawParams::default());
            assert!(buf.encode(&right, None).is_ok(), "{method:?} {path}");
        }
    }

    #[test]
    fn other_paths_take_the_defaults() {
        let raw = RawRequest::new(Method::Get, "/trade/v1/someday", RawParams::default());
        assert_eq!(
            raw.spec(),
            EndpointSpec::new("/trade/v1/someday", Method::Get)
        );
        assert!(raw.spec().sends_mchid && !raw.spec().idempotent);
        assert_eq!(raw.spec().sign_type, None);
    }
}
