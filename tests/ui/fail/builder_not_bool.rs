use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/refund", method = "POST", builder = "no")]
pub struct Refund {
    pub syssn: String,
}

fn main() {}
