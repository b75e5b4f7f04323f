//! `builder = false`: no `bon` builder, the struct is built with a literal,
//! and it writes, encodes and signs exactly as one with the builder.

use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{ClientKey, SignType, StaticEndpoint, WriteParams, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/payment", method = "POST", builder = false)]
pub struct LitPayment {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    #[qf(rename = "goods_name")]
    pub product: Option<String>,
}

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct BuiltPayment {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    #[qf(rename = "goods_name")]
    pub product: Option<String>,
}

#[qf_endpoint(
    path = "/trade/v1/query",
    method = "POST",
    idempotent = true,
    builder = false
)]
pub struct Query {
    pub syssn: Option<String>,
}

pub fn main() {
    let payment = LitPayment {
        txamt: Amount::new(10),
        txcurrcd: Currency::from_code("HKD"),
        pay_type: PayType::from_code("800101"),
        out_trade_no: OutTradeNo::new("01234567890123").expect("valid"),
        txdtm: TradeTime::parse("2019-12-25 14:21:28").expect("valid"),
        product: None,
    };
    let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
    // The crate documentation's example, signed with the documented key.
    assert_eq!(
        qfpay::sign(&payment, &key, SignType::Md5).to_string(),
        "47A4ACB65B092AB1D2C1010BA5C6845B"
    );
    assert_eq!(
        qfpay::form_body(&payment),
        "out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28"
    );

    // The same request through the builder: same names, body and signatures.
    let built = BuiltPayment::builder()
        .txamt(Amount::new(10))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::from_code("800101"))
        .out_trade_no(OutTradeNo::new("01234567890123").expect("valid"))
        .txdtm(TradeTime::parse("2019-12-25 14:21:28").expect("valid"))
        .product("tea".to_owned())
        .build();
    let payment = LitPayment {
        product: Some("tea".to_owned()),
        ..payment
    };
    assert_eq!(LitPayment::PARAM_NAMES, BuiltPayment::PARAM_NAMES);
    assert_eq!(LitPayment::SPEC.path, BuiltPayment::SPEC.path);
    assert_eq!(qfpay::form_body(&payment), qfpay::form_body(&built));
    for sign_type in [SignType::Md5, SignType::Sha256] {
        assert_eq!(
            qfpay::sign(&payment, &key, sign_type).to_string(),
            qfpay::sign(&built, &key, sign_type).to_string()
        );
    }

    // The other keys still apply.
    const { assert!(Query::SPEC.idempotent) };
    assert_eq!(qfpay::form_body(&Query { syssn: None }), "");
}
