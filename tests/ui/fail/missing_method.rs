use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment")]
pub struct Payment {
    pub txamt: u64,
}

fn main() {}
