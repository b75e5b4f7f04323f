use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct Refund {
    pub syssn: String,
    pub txamt: u64,
}

fn main() {
    let _refund = Refund::builder().txamt(1).syssn("1").txamt(2).build();
}
