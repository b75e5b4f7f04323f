// The catalogue's endpoints have the same builder: `txdtm` is forgotten.
use qfpay::api::Payment;
use qfpay::types::{Amount, Currency, OutTradeNo, PayType};

fn main() -> Result<(), qfpay::InvalidParam> {
    let _payment = Payment::builder()
        .pay_type(PayType::AlipayHkMpm)
        .txamt(Amount::new(10))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new("01234567890123")?)
        .goods_name(None)
        .build();
    Ok(())
}
