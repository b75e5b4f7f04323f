// A user's `Result`, `Option`-free prelude shadowing and a local `core`
// module must not change what the generated code means.
#![allow(dead_code)]

use qfpay::{Endpoint, StaticEndpoint, qf_endpoint};

type Result<T> = std::result::Result<T, String>;
type Sized = u8;
mod core {}
mod bon {}
mod qfpay_private {}
struct Method;
struct JsonResponse;

#[qf_endpoint(path = "/trade/v1/close", method = "POST")]
pub struct Close {
    pub syssn: String,
    pub txamt: u64,
}

fn check() -> Result<()> {
    let close = Close::builder().syssn("1".to_owned()).txamt(5).build();
    if qfpay::form_body(&close) != "syssn=1&txamt=5" {
        return Err("unexpected body".to_owned());
    }
    let _: fn() -> Option<<Close as Endpoint>::Response> = || None;
    Ok(())
}

pub fn main() {
    check().unwrap();
    assert_eq!(Close::SPEC.method, qfpay::Method::Post);
}
