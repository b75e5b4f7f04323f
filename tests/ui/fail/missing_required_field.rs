use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct Refund {
    pub syssn: String,
    pub txamt: u64,
    pub udid: Option<String>,
}

fn main() {
    // `txamt` is never set.
    let _refund = Refund::builder().syssn("20191225000100020000000001").build();
}
