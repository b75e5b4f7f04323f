#![allow(non_snake_case)]

// Fields named like the runtime's items and the generated code's own
// bindings must not confuse the expansion.
use qfpay::{WriteParams, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment {
    pub key: String,
    pub sign: String,
    pub client: String,
    pub out: String,
    pub __S: String,
    pub builder: String,
    pub write_params: String,
    pub PARAM_NAMES: String,
    pub core: String,
    pub qfpay: String,
    pub bon: String,
}

// The generated writer's own parameter name, next to `out`, whose builder
// state is named after it.
#[qf_endpoint(path = "/trade/v1/query", method = "POST")]
pub struct Shadow {
    pub __out: String,
    pub out: String,
    pub self_: String,
    pub value: String,
}

pub fn main() {
    // A setter is named exactly as its field.
    let shadow = Shadow::builder()
        .__out("u")
        .out("o")
        .self_("s")
        .value("v")
        .build();
    assert_eq!(qfpay::form_body(&shadow), "__out=u&out=o&self_=s&value=v");

    let s = |v: &str| v.to_owned();
    let payment = Payment::builder()
        .key(s("k"))
        .sign(s("s"))
        .client(s("c"))
        .out(s("o"))
        .__S(s("S"))
        .builder(s("b"))
        .write_params(s("w"))
        .PARAM_NAMES(s("P"))
        .core(s("r"))
        .qfpay(s("q"))
        .bon(s("n"))
        .build();
    assert_eq!(
        Payment::PARAM_NAMES,
        [
            "PARAM_NAMES",
            "__S",
            "bon",
            "builder",
            "client",
            "core",
            "key",
            "out",
            "qfpay",
            "sign",
            "write_params",
        ]
    );
    assert_eq!(
        qfpay::form_body(&payment),
        "PARAM_NAMES=P&__S=S&bon=n&builder=b&client=c&core=r&key=k&out=o&qfpay=q&sign=s&write_params=w"
    );
}
