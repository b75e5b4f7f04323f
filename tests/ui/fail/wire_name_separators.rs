use qfpay::qf_endpoint;

// `=`, `&` and whitespace would corrupt the signed string `a=1&b=2`.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    #[qf(rename = "txamt=1")]
    pub amount: u64,
    #[qf(rename = "a&b")]
    pub both: String,
    #[qf(rename = "goods name")]
    pub goods_name: String,
}

fn main() {}
