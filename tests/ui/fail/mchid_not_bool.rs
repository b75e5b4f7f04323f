use qfpay::qf_endpoint;

#[qf_endpoint(path = "/trade/v1/add_note", method = "POST", mchid = "no")]
pub struct AddNote {
    pub syssn: String,
    pub note: String,
}

fn main() {}
