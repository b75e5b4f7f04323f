use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/paiement-reçu", method = "POST")]
pub struct Payment {
    pub txamt: u64,
}

fn main() {}
