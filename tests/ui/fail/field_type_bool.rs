use qfpay::qf_endpoint;

// QFPay has no boolean parameters; its flags are text codes, so a `bool`
// is not a parameter value.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub txamt: u64,
    pub refundable: bool,
}

fn main() {}
