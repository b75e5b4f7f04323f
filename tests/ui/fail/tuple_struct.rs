use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment(pub u64, pub String);

fn main() {}
