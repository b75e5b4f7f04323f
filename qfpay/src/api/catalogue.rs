//! The one list of every catalogue endpoint's description.
//!
//! Each endpoint states its rules once, in its `#[qf_endpoint(...)]`
//! attribute; this list only names the types, so the rules cannot drift.
//! The raw client ([`RawRequest`](crate::RawRequest)), the mock's routes and
//! the CLI read them from here.

use super::*;
use crate::endpoint::{EndpointSpec, StaticEndpoint};

/// One endpoint type of the catalogue and its description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogueEntry {
    /// The request type's name in [`qfpay::api`](crate::api), e.g. `"CpmPayment"`.
    pub name: &'static str,
    /// Its description ([`StaticEndpoint::SPEC`]).
    pub spec: EndpointSpec<'static>,
}

macro_rules! catalogue {
    ($($ty:ident),* $(,)?) => {
        /// Every request type of [`qfpay::api`](crate::api) declared with
        /// `#[qf_endpoint]`, with its description, in the order of the
        /// reference. Several types may share a path (the payment flows, the
        /// two pre-authorisation captures); they share its rules too.
        ///
        /// ```
        /// let openid = qfpay::api::lookup("/tool/v1/get_weixin_openid").unwrap();
        /// assert_eq!(openid.sign_type, Some(qfpay::SignType::Md5));
        /// assert!(qfpay::api::CATALOGUE.iter().any(|e| e.name == "Refund"));
        /// ```
        pub const CATALOGUE: &[CatalogueEntry] = &[
            $(CatalogueEntry {
                name: stringify!($ty),
                spec: <$ty as StaticEndpoint>::SPEC,
            }),*
        ];
    };
}

catalogue![
    Payment,
    CpmPayment,
    WechatJsapiPayment,
    WechatMiniProgramPayment,
    AlipayServiceWindowPayment,
    WechatH5Payment,
    Query,
    Refund,
    Reversal,
    AlipayPreAuthCancel,
    Close,
    AddNote,
    DownloadTradeBill,
    AuthTrade,
    AlipayAuthTrade,
    Unfreeze,
    GetWeixinOpenid,
    CreatePaymentIntent,
    CreateTokenIntent,
    CreateCustomer,
    UpdateCustomer,
    QueryCustomers,
    DeleteCustomer,
    CreateProduct,
    UpdateProduct,
    QueryProducts,
    DeleteProduct,
    CreateSubscription,
    UpdateSubscription,
    QuerySubscriptions,
    CancelSubscription,
    ChargeSubscription,
    ListBillingOrders,
    CustomsDeclare,
    CustomsQuery,
    CustomsRedeclare,
];

/// The description of the catalogue endpoint at `path`, if there is one.
///
/// The path is compared exactly (no query string, no trailing slash).
pub fn lookup(path: &str) -> Option<&'static EndpointSpec<'static>> {
    CATALOGUE
        .iter()
        .find(|e| e.spec.path == path)
        .map(|e| &e.spec)
}

/// The catalogue's paths, each once, in the list's order.
pub fn paths() -> impl Iterator<Item = &'static EndpointSpec<'static>> {
    CATALOGUE
        .iter()
        .enumerate()
        .filter(|(i, e)| !CATALOGUE[..*i].iter().any(|p| p.spec.path == e.spec.path))
        .map(|(_, e)| &e.spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The names of the structs declared with `#[qf_endpoint]` in the
    /// catalogue's sources: the list must name each exactly once.
    fn declared_endpoints() -> BTreeSet<String> {
        fn walk(dir: &std::path::Path, found: &mut BTreeSet<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                panic!("cannot read {}", dir.display());
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                // An attribute line, then the struct it is on (docs and
                // other attributes may sit between).
                let mut lines = text.lines().map(str::trim_start);
                while let Some(line) = lines.next() {
                    if !line.starts_with("#[qf_endpoint(") {
                        continue;
                    }
                    let Some(decl) = lines.find(|l| l.starts_with("pub struct ")) else {
                        panic!("#[qf_endpoint] on no struct in {}", path.display());
                    };
                    let name: String = decl["pub struct ".len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    assert!(
                        found.insert(name.clone()),
                        "{name} declared twice ({})",
                        path.display()
                    );
                }
            }
        }
        let mut found = BTreeSet::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        walk(&dir, &mut found);
        found
    }

    #[test]
    fn every_endpoint_is_listed_once() {
        let declared = declared_endpoints();
        assert!(declared.len() >= 36, "{declared:?}");
        let mut listed = BTreeSet::new();
        for entry in CATALOGUE {
            assert!(
                listed.insert(entry.name.to_owned()),
                "{} listed twice",
                entry.name
            );
        }
        let missing: Vec<_> = declared.difference(&listed).collect();
        let unknown: Vec<_> = listed.difference(&declared).collect();
        assert!(
            missing.is_empty(),
            "endpoints missing from CATALOGUE: {missing:?}"
        );
        assert!(
            unknown.is_empty(),
            "CATALOGUE names no endpoint: {unknown:?}"
        );
    }

    /// Types that share a path share its rules, so a lookup by path is exact.
    #[test]
    fn one_path_one_set_of_rules() {
        for a in CATALOGUE {
            for b in CATALOGUE.iter().filter(|b| b.spec.path == a.spec.path) {
                assert_eq!(a.spec, b.spec, "{} and {} disagree", a.name, b.name);
            }
            assert_eq!(lookup(a.spec.path), Some(&a.spec));
        }
        assert_eq!(lookup("/trade/v1/nope"), None);
        let unique: BTreeSet<_> = paths().map(|s| s.path).collect();
        assert_eq!(unique.len(), paths().count());
    }

    /// The reference's rules, stated here as what the list must say.
    #[test]
    fn the_documented_rules() {
        let spec = |path| lookup(path).copied().unwrap_or_else(|| panic!("{path}"));
        assert!(!spec("/trade/v1/add_note").sends_mchid);
        assert!(!spec("/download/v1/trade_bill").sends_mchid);
        assert_eq!(spec("/download/v1/trade_bill").method, crate::Method::Get);
        assert_eq!(
            spec("/tool/v1/get_weixin_openid").sign_type,
            Some(crate::SignType::Md5)
        );
        assert!(spec("/trade/v1/query").idempotent);
        assert!(!spec("/trade/v1/payment").idempotent);
        assert!(!spec("/trade/v1/refund").idempotent);
    }
}
