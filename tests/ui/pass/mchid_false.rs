use qfpay::{Endpoint, qf_endpoint};

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
    const { assert!(!AddNote::SENDS_MCHID) };
    const { assert!(Query::SENDS_MCHID) };
    const { assert!(Close::SENDS_MCHID) };
    let note = AddNote::builder()
        .syssn("1".into())
        .note("n".into())
        .build();
    assert!(!note.sends_mchid());
}
