use qfpay::qf_endpoint;
use qfpay::types::{Amount, OutTradeNo, Syssn, TradeTime};

#[qf_endpoint(path = "/trade/v1/refund", method = "POST")]
pub struct Refund {
    pub syssn: Syssn,
    pub out_trade_no: OutTradeNo,
    pub txamt: Amount,
    pub txdtm: TradeTime,
    pub udid: Option<String>,
}

fn main() {
    // Only `txamt` and an optional field are set: one error per missing field.
    let _refund = Refund::builder().txamt(10).udid("pos-1").build();
}
