use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/query?syssn=1", method = "POST")]
pub struct Query {
    pub txamt: u64,
}

fn main() {}
