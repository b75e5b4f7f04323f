use qfpay::qf_endpoint;

pub struct Customer {
    pub name: String,
}

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub txamt: u64,
    pub customer: Customer,
}

fn main() {}
