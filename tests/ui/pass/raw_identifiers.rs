use qfpay::{StaticEndpoint, WriteParams, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/query", method = "POST")]
pub struct Query {
    pub r#type: Option<String>,
    pub r#match: String,
    #[qf(rename = "loop")]
    pub r#while: u32,
}

pub fn main() {
    let query = Query::builder()
        .r#type("refund".to_owned())
        .r#match("x".to_owned())
        .r#while(3)
        .build();
    assert_eq!(Query::PARAM_NAMES, ["loop", "match", "type"]);
    assert_eq!(qfpay::form_body(&query), "loop=3&match=x&type=refund");
    assert_eq!(Query::SPEC.path, "/trade/v1/query");
}
