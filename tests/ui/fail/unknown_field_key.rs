use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    #[qf(renam = "goods_name")]
    pub product: String,
}

fn main() {}
