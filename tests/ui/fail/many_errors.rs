use qfpay::qf_endpoint;

// Five independent mistakes, all reported by one compilation.
#[qf_endpoint(path = "trade/v1/payment", methd = "POST", mchid = 1)]
pub struct Payment {
    pub txamt: u64,
    #[qf(rename = "txamt")]
    pub amount: u64,
    #[qf(rename = "goods&name")]
    pub goods_name: String,
}

fn main() {}
