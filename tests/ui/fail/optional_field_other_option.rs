use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct Refund {
    pub syssn: String,
    pub udid: Option<String>,
}

fn main() {
    // An optional field takes a value that converts, or an `Option` of its
    // own type: `Option<&str>` is neither.
    let from_form: Option<&str> = Some("pos-1");
    let _refund = Refund::builder().syssn("1").udid(from_form).build();
}
