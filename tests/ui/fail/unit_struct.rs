use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/ping", method = "GET")]
pub struct Ping;

fn main() {}
