use qfpay::{Endpoint, StaticEndpoint, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/add_note", method = "POST", mchid = false)]
pub struct AddNote {
    pub syssn: String,
    pub note: String,
}

#[qf_endpoint(path = "/trade/v1/query", method = "POST", mchid = true)]
pub struct Query {
    pub syssn: String,
}

#[qf_endpoint(path = "/trade/v1/close", method = "POST")]
pub struct Close {
    pub syssn: String,
}

pub fn main() {
    const { assert!(!AddNote::SPEC.sends_mchid) };
    const { assert!(Query::SPEC.sends_mchid) };
    const { assert!(Close::SPEC.sends_mchid) };
    let note = AddNote::builder().syssn("1").note("n").build();
    assert!(!note.spec().sends_mchid);
}
