//! What setters take, the same for a user's endpoint and the catalogue's:
//! text fields anything that converts, numbers their own type, optional
//! fields a value or an `Option`, and `#[qf(default)]` / `#[qf(fixed)]`.

use qfpay::api::CommaSeparated;
use qfpay::api::builders::{RefundBuilder, Set};
use qfpay::types::{Amount, GoodsName, OutTradeNo, Syssn, TradeTime};
use qfpay::{WriteParams, qf_endpoint};

#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct MyRefund {
    pub syssn: String,
    pub out_trade_no: OutTradeNo,
    pub txamt: Amount,
    pub page: u32,
    pub goods_name: Option<GoodsName>,
    pub udid: Option<String>,
    pub page_size: Option<u32>,
    pub syssns: Option<CommaSeparated<Syssn>>,
    #[qf(default = String::from("HKD"))]
    pub txcurrcd: String,
    #[qf(default)]
    pub retries: u8,
    #[qf(fixed = "1")]
    version: &'static str,
}

/// A partly filled catalogue builder, named in a signature.
fn start_refund(syssn: Syssn) -> RefundBuilder<Set> {
    qfpay::api::Refund::builder().syssn(syssn)
}

pub fn main() {
    let owned = String::from("2019");
    let from_db: Option<GoodsName> = GoodsName::new("tea").ok();
    let order = OutTradeNo::new("ORDER1").expect("valid");

    // `&str`, `String` and `&String` for a `String`; the domain type for a
    // domain type; an integer literal for `u32` and for `Amount`.
    let a = MyRefund::builder()
        .syssn("2019")
        .out_trade_no(order.clone())
        .txamt(10)
        .page(1)
        .build();
    let b = MyRefund::builder()
        .syssn(owned.clone())
        .out_trade_no(order.clone())
        .txamt(Amount::new(10))
        .page(1)
        .build();
    let c = MyRefund::builder()
        .page(1)
        .txamt(10)
        .out_trade_no(order.clone())
        .syssn(&owned)
        .build();
    assert_eq!(qfpay::form_body(&a), qfpay::form_body(&b));
    assert_eq!(qfpay::form_body(&a), qfpay::form_body(&c));
    assert_eq!(
        qfpay::form_body(&a),
        "out_trade_no=ORDER1&page=1&retries=0&syssn=2019&txamt=10&txcurrcd=HKD&version=1"
    );
    assert_eq!(MyRefund::PARAM_NAMES.len(), 11);

    // Optional fields: a value that converts, an `Option` of the field's
    // type, `None`; a defaulted field: a value.
    let d = MyRefund::builder()
        .syssn("2019")
        .out_trade_no(order.clone())
        .txamt(10)
        .page(1)
        .goods_name(from_db)
        .udid("pos-1")
        .page_size(20)
        .syssns(Syssn::new("1").expect("valid"))
        .txcurrcd("CNY")
        .retries(2)
        .build();
    assert_eq!(
        qfpay::form_body(&d),
        "goods_name=tea&out_trade_no=ORDER1&page=1&page_size=20&retries=2&syssn=2019&syssns=1&txamt=10&txcurrcd=CNY&udid=pos-1&version=1"
    );
    let e = MyRefund::builder()
        .syssn("2019")
        .out_trade_no(order)
        .txamt(10)
        .page(1)
        .udid(Some(String::from("pos-1")))
        .udid(None)
        .page_size(Some(20))
        .page_size(None)
        .syssns(vec![
            Syssn::new("1").expect("valid"),
            Syssn::new("2").expect("valid"),
        ])
        .build();
    assert_eq!(
        qfpay::form_body(&e),
        "out_trade_no=ORDER1&page=1&retries=0&syssn=2019&syssns=1%2C2&txamt=10&txcurrcd=HKD&version=1"
    );

    // The catalogue: the same rules.
    let refund = start_refund(Syssn::new("20191227000200020061752831").expect("valid"))
        .out_trade_no(OutTradeNo::new("12345678").expect("valid"))
        .txamt(10)
        .txdtm(TradeTime::parse("2019-12-27 10:39:39").expect("valid"))
        .udid(None)
        .build();
    assert_eq!(
        qfpay::form_body(&refund),
        "out_trade_no=12345678&syssn=20191227000200020061752831&txamt=10&txdtm=2019-12-27+10%3A39%3A39"
    );
}
