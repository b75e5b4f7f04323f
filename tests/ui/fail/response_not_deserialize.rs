use qfpay::qf_endpoint;

pub struct PaymentResponse {
    pub syssn: String,
}

#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
pub struct Payment {
    pub txamt: u64,
}

fn main() {}
