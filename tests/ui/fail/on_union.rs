use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub union Payment {
    pub txamt: u64,
    pub cents: u32,
}

fn main() {}
