// A user's `Result`, `Option`-free prelude shadowing and a local `core`
// module must not change what the generated code means.
#![allow(dead_code, non_upper_case_globals)]

use qfpay::{Endpoint, StaticEndpoint, qf_endpoint};

type Result<T> = std::result::Result<T, String>;
type Sized = u8;
mod core {}
mod qfpay_private {}
struct Method;
struct JsonResponse;
// Names the builder uses, shadowed.
struct Unset;
struct PhantomData;
trait Into<T> {}
trait OptionArg {}
const value: u8 = 0;

#[qf_endpoint(path = "/trade/v1/close", method = "POST")]
pub struct Close<'a> {
    pub syssn: String,
    pub txamt: u64,
    pub udid: Option<&'a str>,
    pub note: Option<String>,
}

fn check() -> Result<()> {
    let close = Close::builder().syssn("1").txamt(5).udid("u").build();
    if qfpay::form_body(&close) != "syssn=1&txamt=5&udid=u" {
        return Err("unexpected body".to_owned());
    }
    let _: fn() -> Option<<Close<'static> as Endpoint>::Response> = || None;
    Ok(())
}

pub fn main() {
    check().unwrap();
    assert_eq!(Close::SPEC.method, qfpay::Method::Post);
}
