use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub txamt: u64,
    #[cfg(test)]
    pub sub_openid: String,
}

fn main() {}
