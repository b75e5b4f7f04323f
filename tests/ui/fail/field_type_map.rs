use qfpay::qf_endpoint;
use std::collections::HashMap;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub txamt: u64,
    pub extend_info: HashMap<String, String>,
}

fn main() {}
