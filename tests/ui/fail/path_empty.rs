use qfpay::qf_endpoint;

#[qf_endpoint(path = "", method = "POST")]
pub struct Payment {
    pub txamt: u64,
}

fn main() {}
