use qfpay::{Endpoint, ParamValue, StaticEndpoint, WriteParams, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/query", method = "GET")]
pub struct Query<'a> {
    pub syssn: &'a str,
    pub out_trade_no: Option<&'a str>,
}

// A type parameter gets the `ParamValue` bound it needs added by the macro.
#[qf_endpoint(path = "/trade/v1/close", method = "POST")]
pub struct Close<'a, T>
where
    T: Clone,
{
    pub syssn: &'a str,
    pub txamt: T,
    pub note: Option<T>,
}

fn body_of<E: Endpoint>(request: &E) -> String {
    qfpay::form_body(request)
}

fn assert_param<T: ParamValue>() {}

pub fn main() {
    let syssn = String::from("2019");
    let query = Query::builder().syssn(&syssn).build();
    assert_eq!(body_of(&query), "syssn=2019");
    assert_eq!(
        <Query<'_> as StaticEndpoint>::SPEC.method,
        qfpay::Method::Get
    );

    let close = Close::builder().syssn(&syssn).txamt(7_u32).build();
    assert_eq!(Close::<u32>::PARAM_NAMES, ["note", "syssn", "txamt"]);
    assert_eq!(body_of(&close), "syssn=2019&txamt=7");
    assert_param::<u32>();
}
