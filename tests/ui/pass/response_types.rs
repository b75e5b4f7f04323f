use qfpay::{Endpoint, JsonResponse, qf_endpoint};

#[derive(serde::Deserialize)]
#[allow(dead_code)] // decoded, never read here
pub struct RefundResponse {
    pub syssn: String,
}

#[qf_endpoint(path = "/trade/v1/refund", method = "POST", response = RefundResponse)]
pub struct Refund {
    pub syssn: String,
}

// Without `response`, the generic JSON response.
#[qf_endpoint(path = "/trade/v1/query", method = "POST")]
pub struct Query {
    pub syssn: String,
}

// A path to a type, generic arguments included.
#[qf_endpoint(path = "/trade/v1/list", method = "GET", response = std::collections::BTreeMap<String, String>)]
pub struct List {
    pub page: u32,
}

fn same<T>(_: Option<T>, _: Option<T>) {}

pub fn main() {
    same::<<Refund as Endpoint>::Response>(None, None::<RefundResponse>);
    same::<<Query as Endpoint>::Response>(None, None::<JsonResponse>);
    same::<<List as Endpoint>::Response>(None, None::<std::collections::BTreeMap<String, String>>);
}
