use qfpay::qf_endpoint;

#[qf_endpoint(method = "POST")]
pub struct Payment {
    pub txamt: u64,
}

fn main() {}
