use qfpay::{WriteParams, qf_endpoint};

/// Docs, derives and other attributes survive; `#[qf(default = ...)]` fills a
/// field that the builder was not given.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    /// Amount in minor units.
    pub txamt: u64,
    #[qf(default = 344)]
    pub txcurrcd_numeric: u32,
    #[qf(rename = "goods_name")]
    #[allow(clippy::doc_markdown)]
    pub product: Option<String>,
}

pub fn main() {
    let payment = Payment::builder().txamt(10).product("tea").build();
    assert_eq!(payment.clone(), payment);
    assert_eq!(
        Payment::PARAM_NAMES,
        ["goods_name", "txamt", "txcurrcd_numeric"]
    );
    assert_eq!(
        qfpay::form_body(&payment),
        "goods_name=tea&txamt=10&txcurrcd_numeric=344"
    );
    let _ = format!("{payment:?}");
}
