use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    #[qf(rename = "")]
    pub txamt: u64,
    #[qf(rename = "货币")]
    pub txcurrcd: String,
}

fn main() {}
