use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub enum Payment {
    Card { txamt: u64 },
    Wallet { txamt: u64 },
}

fn main() {}
