use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub goods_name: Option<String>,
    #[qf(rename = "goods_name")]
    pub product: Option<String>,
}

fn main() {}
