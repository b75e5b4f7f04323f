use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub fn payment(txamt: u64) -> u64 {
    txamt
}

fn main() {}
