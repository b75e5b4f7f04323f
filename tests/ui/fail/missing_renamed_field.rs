use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub txamt: u64,
    /// Sent as `goods_name`; set with `.product(..)`.
    #[qf(rename = "goods_name")]
    pub product: String,
}

fn main() {
    let _payment = Payment::builder().txamt(10).build();
}
