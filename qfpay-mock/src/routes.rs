//! Which paths the mock serves as QFPay, and the rules each one follows.
//!
//! The rules of every catalogue endpoint — that it exists, its method,
//! whether it takes `mchid` — come from the SDK's one list of endpoint
//! descriptions, [`qfpay::api::CATALOGUE`]. This file adds only what that
//! list does not hold: the paths of the reference the SDK does not declare
//! ([`EXTRAS`], each marked with why the mock serves it). What each path
//! *answers* is decided by `api`, keyed by path.

use axum::http::Method as HttpMethod;
use qfpay::{EndpointSpec, Method};

/// Why the mock serves a path that the SDK's catalogue does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Extra {
    /// Removed from the reference; kept for old integrations.
    Legacy,
    /// A superseded draft of a current endpoint.
    Draft,
    /// Opened by a browser, signed in the query string; the SDK builds its
    /// URL instead of calling it.
    BrowserRedirect,
    /// The ECR cloud API, only on the documentation's test branch.
    EcrCloud,
}

/// Names, as constants usable in `match` patterns, the path of each
/// catalogue endpoint the mock answers in its own way; the path itself is
/// read from the endpoint's description, never written here.
macro_rules! catalogue_paths {
    ($($name:ident = $ty:ident),* $(,)?) => {$(
        pub(crate) const $name: &str = <qfpay::api::$ty as qfpay::StaticEndpoint>::SPEC.path;
    )*};
}

catalogue_paths! {
    PAYMENT = Payment,
    QUERY = Query,
    REFUND = Refund,
    REVERSAL = Reversal,
    CLOSE = Close,
    ADD_NOTE = AddNote,
    TRADE_BILL = DownloadTradeBill,
    AUTH_TRADE = AuthTrade,
    UNFREEZE = Unfreeze,
    WEIXIN_OPENID = GetWeixinOpenid,
    PAYMENT_INTENT = CreatePaymentIntent,
    TOKEN_INTENT = CreateTokenIntent,
    CUSTOMER_CREATE = CreateCustomer,
    CUSTOMER_UPDATE = UpdateCustomer,
    CUSTOMER_QUERY = QueryCustomers,
    CUSTOMER_DELETE = DeleteCustomer,
    PRODUCT_CREATE = CreateProduct,
    PRODUCT_UPDATE = UpdateProduct,
    PRODUCT_QUERY = QueryProducts,
    PRODUCT_DELETE = DeleteProduct,
    SUBSCRIPTION_CREATE = CreateSubscription,
    SUBSCRIPTION_UPDATE = UpdateSubscription,
    SUBSCRIPTION_QUERY = QuerySubscriptions,
    SUBSCRIPTION_CANCEL = CancelSubscription,
    SUBSCRIPTION_CHARGE = ChargeSubscription,
    BILLING_ORDERS = ListBillingOrders,
    CUSTOMS_DECLARE = CustomsDeclare,
    CUSTOMS_QUERY = CustomsQuery,
    CUSTOMS_REDECLARE = CustomsRedeclare,
}

// The extra paths the mock answers in its own way (declared once, here).
/// §9.5's direct card payment (legacy).
pub(crate) const PAYMENT_VERIFY: &str = "/trade/v1/payment_verify";
/// §16.1's browser redirect.
pub(crate) const OAUTH_CODE: &str = "/tool/v1/get_weixin_oauth_code";
/// The 2024-05 draft of the billing-order list.
pub(crate) const SUBSCRIPTION_LIST_DRAFT: &str = "/subscription/v1/list";
/// The ECR cloud API's query.
pub(crate) const ECR_QUERY: &str = "/ecr/v1/query";

const fn extra(path: &'static str, method: Method, why: Extra) -> (EndpointSpec<'static>, Extra) {
    (EndpointSpec::new(path, method), why)
}

/// The mock's own extra paths (reference §7's table), with their rules.
pub(crate) const EXTRAS: &[(EndpointSpec<'static>, Extra)] = &[
    // §9.5: direct card payment after 3-D Secure, removed 2024-03.
    extra(PAYMENT_VERIFY, Method::Post, Extra::Legacy),
    // §16.1.
    extra(OAUTH_CODE, Method::Get, Extra::BrowserRedirect),
    // §27 #35: the 2024-05 draft of /subscription/billing_order/v1/list.
    extra(SUBSCRIPTION_LIST_DRAFT, Method::Post, Extra::Draft),
    // §21.
    extra("/ecr/v1/payment/async", Method::Post, Extra::EcrCloud),
    extra("/ecr/v1/refund/async", Method::Post, Extra::EcrCloud),
    extra("/ecr/v1/cancel/async", Method::Post, Extra::EcrCloud),
    extra("/ecr/v1/print_receipt/async", Method::Post, Extra::EcrCloud),
    extra("/ecr/v1/print_summary/async", Method::Post, Extra::EcrCloud),
    extra(ECR_QUERY, Method::Post, Extra::EcrCloud),
];

/// A path the mock serves and its rules.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Route {
    pub spec: EndpointSpec<'static>,
}

impl Route {
    /// Whether a request with `method` is served (the description's
    /// method, or either one when it says `either_method`).
    pub fn accepts(&self, method: &HttpMethod) -> bool {
        self.methods().any(|m| m == method)
    }

    /// The methods served, GET first.
    pub fn methods(&self) -> impl Iterator<Item = &'static HttpMethod> {
        [
            (Method::Get, &HttpMethod::GET),
            (Method::Post, &HttpMethod::POST),
        ]
        .into_iter()
        .filter(|(m, _)| self.spec.accepts(*m))
        .map(|(_, http)| http)
    }
}

/// The route of `path`: its catalogue description, else an extra path's.
pub(crate) fn route(path: &str) -> Option<Route> {
    if let Some(spec) = qfpay::api::lookup(path) {
        return Some(Route { spec: *spec });
    }
    EXTRAS
        .iter()
        .find(|(spec, _)| spec.path == path)
        .map(|(spec, _)| Route { spec: *spec })
}

/// Every path served: the catalogue's (each once, in its order), then the
/// extras.
pub(crate) fn paths() -> impl Iterator<Item = &'static str> {
    qfpay::api::paths()
        .chain(EXTRAS.iter().map(|(spec, _)| spec))
        .map(|spec| spec.path)
}

/// Why the mock serves `path`, when it is one of its extra paths.
pub(crate) fn extra_of(path: &str) -> Option<Extra> {
    EXTRAS
        .iter()
        .find(|(spec, _)| spec.path == path)
        .map(|(_, why)| *why)
}

/// The extra paths and why each is served (for the control index).
pub(crate) fn extras() -> impl Iterator<Item = (&'static str, Extra)> {
    EXTRAS.iter().map(|(spec, why)| (spec.path, *why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_are_not_in_the_catalogue() {
        for (spec, _) in EXTRAS {
            assert!(qfpay::api::lookup(spec.path).is_none(), "{}", spec.path);
        }
        let unique: std::collections::BTreeSet<_> = paths().collect();
        assert_eq!(unique.len(), paths().count());
    }

    #[test]
    fn rules_come_from_the_catalogue() {
        let query = route("/trade/v1/query").unwrap();
        assert!(query.accepts(&HttpMethod::POST) && !query.accepts(&HttpMethod::GET));
        assert!(!route("/trade/v1/add_note").unwrap().spec.sends_mchid);
        let bill = route("/download/v1/trade_bill").unwrap();
        assert!(!bill.spec.sends_mchid && bill.accepts(&HttpMethod::GET));
        let close = route("/trade/v1/close").unwrap();
        assert!(close.accepts(&HttpMethod::GET) && close.accepts(&HttpMethod::POST));
        assert!(route("/trade/v1/payment_verify").is_some());
        assert!(extras().any(|(p, why)| p == "/trade/v1/payment_verify" && why == Extra::Legacy));
        assert!(route("/trade/v1/nope").is_none());
    }
}
