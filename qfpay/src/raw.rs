//! Requests without a struct: pairs known only at run time (CLI, tests, tools).

use crate::endpoint::{Endpoint, Method, WriteParams};
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
/// ```
/// use qfpay::{Method, RawParams, RawRequest};
/// let req = RawRequest::new(Method::Post, "/trade/v1/query", RawParams::from_pairs([("syssn", "1")]));
/// assert_eq!(qfpay::Endpoint::path(&req), "/trade/v1/query");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    method: Method,
    path: String,
    params: RawParams,
    sends_mchid: bool,
    idempotent: bool,
}

impl RawRequest {
    /// A request of `method` to `path` (below the environment's base URL).
    pub fn new(method: Method, path: impl Into<String>, params: RawParams) -> Self {
        let path = path.into();
        // The two endpoints the reference forbids `mchid` on.
        let sends_mchid = !matches!(
            path.as_str(),
            "/trade/v1/add_note" | "/download/v1/trade_bill"
        );
        RawRequest {
            idempotent: is_read_only(&path),
            method,
            path,
            params,
            sends_mchid,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &RawParams {
        &self.params
    }

    /// Whether the client may retry it (the catalogue's read-only paths).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Whether the client's `mchid` is added (false for `add_note` and `trade_bill`).
    pub fn sends_mchid(&self) -> bool {
        self.sends_mchid
    }
}

impl WriteParams for RawRequest {
    const PARAM_NAMES: &'static [&'static str] = &[];
    fn write_params<S: PairSink + ?Sized>(&self, out: &mut S) {
        self.params.write_params(out)
    }
}

impl Endpoint for RawRequest {
    const PATH: &'static str = "";
    const METHOD: Method = Method::Post;
    type Response = JsonResponse;

    fn path(&self) -> &str {
        &self.path
    }

    fn method(&self) -> Method {
        self.method
    }

    fn sends_mchid(&self) -> bool {
        self.sends_mchid
    }

    fn idempotent(&self) -> bool {
        self.idempotent
    }
}

/// The catalogue's read-only endpoints (those declared `idempotent = true`),
/// so a request to one of them by path may be retried like its typed twin.
/// `get_weixin_openid` only reads but spends a single-use `code`, so it is
/// not retried.
fn is_read_only(path: &str) -> bool {
    matches!(
        path,
        "/trade/v1/query"
            | "/custom/v1/query"
            | "/customer/v1/query"
            | "/product/v1/query"
            | "/subscription/v1/query"
            | "/subscription/billing_order/v1/list"
            | "/download/v1/trade_bill"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api;

    /// A request by path is retried exactly when its typed twin is.
    #[test]
    fn read_only_paths_agree_with_the_catalogue() {
        fn agree<E: Endpoint>() {
            let raw = RawRequest::new(E::METHOD, E::PATH, RawParams::default());
            assert_eq!(raw.idempotent(), E::IDEMPOTENT, "{}", E::PATH);
            assert_eq!(raw.sends_mchid(), E::SENDS_MCHID, "{}", E::PATH);
        }
        agree::<api::Query>();
        agree::<api::Payment>();
        agree::<api::Refund>();
        agree::<api::Reversal>();
        agree::<api::Close>();
        agree::<api::AddNote>();
        agree::<api::DownloadTradeBill>();
        agree::<api::GetWeixinOpenid>();
        agree::<api::CustomsQuery>();
        agree::<api::CustomsDeclare>();
    }
}
