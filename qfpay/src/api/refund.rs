//! `POST /trade/v1/refund` (reference §11).

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Amount, OutTradeNo, Syssn, TradeTime, Udid};

/// `POST /trade/v1/refund`: refund all or part of a successful payment.
///
/// `out_trade_no` is a **new** order number for the refund (unique across
/// payments and refunds); `syssn` is the original payment's (for a captured
/// card pre-auth, the capture's). A same-day card refund is processed as a
/// void. Constraints: same-day volume (`1269`), no refunds 23:30–00:30
/// (`1265`), partial refunds per channel (`1270`/`1271`), total ≤ original
/// (`1272`). `1143`/`1145` → query the refund.
///
/// ```
/// use qfpay::api::Refund;
/// use qfpay::types::{Amount, OutTradeNo, Syssn, TradeTime};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let refund = Refund::builder()
///     .syssn(Syssn::new("20191227000200020061752831")?)
///     .out_trade_no(OutTradeNo::new("12345678")?)
///     .txamt(Amount::new(10))
///     .txdtm(TradeTime::parse("2019-12-27 10:39:39")?)
///     .build();
/// assert_eq!(
///     qfpay::form_body(&refund),
///     "out_trade_no=12345678&syssn=20191227000200020061752831&txamt=10&txdtm=2019-12-27+10%3A39%3A39"
/// );
/// # Ok(()) }
/// ```
#[qf_endpoint(path = "/trade/v1/refund", method = "POST", response = RefundResponse)]
#[derive(Clone, Debug)]
pub struct Refund {
    /// `syssn` of the original payment.
    pub syssn: Syssn,
    /// A new, unique merchant number for the refund.
    pub out_trade_no: OutTradeNo,
    /// Refund amount in minor units (required for full and partial refunds).
    pub txamt: Amount,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Device id.
    pub udid: Option<Udid>,
}

qf_object! {
    reply
    /// The response of `/trade/v1/refund` (§11).
    pub struct RefundResponse {
        shared {
            syssn, orig_syssn, txamt, txcurrcd, out_trade_no, txdtm, sysdtm, paydtm, chnlsn,
            cardcd, udid, cash_fee, cash_fee_type, cash_refund_fee, cash_refund_fee_type,
        }
    }
}
