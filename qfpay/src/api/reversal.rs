//! `/trade/v1/reversal` and `/trade/v1/close` (reference §12), plus the
//! Alipay pre-authorisation cancel that uses the reversal path (§15.2).
//!
//! Both are a **last resort** when a payment's status cannot be determined
//! (no notification, timeout): query first. A successful (`0000`) payment
//! cannot be reversed or closed — refund it. Hong Kong pay types do not
//! support cancellation (T0 merchants get `1150`). Which endpoint applies
//! depends on wallet and mode and the sources disagree (§27.1 #3): the
//! repository docs use reversal for Alipay CPM/MPM and WeChat CPM and close
//! for WeChat MPM; QFPay confirms per wallet. The docs' headings say GET but
//! every sample sends POST; so does the SDK.

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Amount, OutTradeNo, Syssn, TradeTime, Udid};

use super::query::CommaSeparated;

/// Declares the request types of reversal and close: the same fields (§12)
/// under two paths, written once.
macro_rules! cancel_request {
    ($( $(#[$meta:meta])* pub struct $name:ident; )*) => {$(
        $(#[$meta])*
        pub struct $name {
            /// The original QFPay transaction number.
            pub syssn: Option<Syssn>,
            /// The original merchant order number.
            pub out_trade_no: Option<OutTradeNo>,
            /// The original amount in minor units.
            pub txamt: Amount,
            /// The original transaction's time.
            pub txdtm: TradeTime,
            /// Device id.
            pub udid: Option<Udid>,
        }
    )*};
}

cancel_request! {
    /// `POST /trade/v1/reversal`: reverse an in-progress transaction.
    ///
    /// Identify the transaction by `syssn`, `out_trade_no` or both — at least
    /// one ([`Reversal::by_syssn`], [`Reversal::by_out_trade_no`]). `txamt` is
    /// the original amount and `txdtm` the original transaction's time. A
    /// reversal does not prove the payer was not charged: confirm with
    /// `/trade/v1/query`, polling while it answers `1143`/`1145`.
    #[qf_endpoint(path = "/trade/v1/reversal", method = "POST", response = ReversalResponse, either_method = true)]
    #[derive(Clone, Debug)]
    pub struct Reversal;

    /// `POST /trade/v1/close`: close an unpaid order (WeChat MPM and other
    /// wallets QFPay names). Same fields and rules as [`Reversal`].
    #[qf_endpoint(path = "/trade/v1/close", method = "POST", response = ReversalResponse, either_method = true)]
    #[derive(Clone, Debug)]
    pub struct Close;
}

macro_rules! by_constructors {
    ($name:ident) => {
        impl $name {
            /// Targets the transaction `syssn`.
            pub fn by_syssn(syssn: Syssn, txamt: Amount, txdtm: TradeTime) -> Self {
                $name::builder()
                    .syssn(syssn)
                    .txamt(txamt)
                    .txdtm(txdtm)
                    .build()
            }

            /// Targets the order `out_trade_no` (when `syssn` was never received).
            pub fn by_out_trade_no(
                out_trade_no: OutTradeNo,
                txamt: Amount,
                txdtm: TradeTime,
            ) -> Self {
                $name::builder()
                    .out_trade_no(out_trade_no)
                    .txamt(txamt)
                    .txdtm(txdtm)
                    .build()
            }
        }
    };
}
by_constructors!(Reversal);
by_constructors!(Close);

/// `POST /trade/v1/reversal` as the Alipay pre-authorisation
/// unfreeze/cancel (§15.2, hidden page): `syssn` may list several
/// authorisations, `txamt` is optional ("not needed for Alipay/WeChat").
/// The page marks `mchid` mandatory; the client sends its configured one.
#[qf_endpoint(path = "/trade/v1/reversal", method = "POST", response = ReversalResponse, either_method = true)]
#[derive(Clone, Debug)]
pub struct AlipayPreAuthCancel {
    /// Fund-authorisation `syssn`s (comma-separated on the wire).
    pub syssn: Option<CommaSeparated<Syssn>>,
    /// The original merchant order number.
    pub out_trade_no: Option<OutTradeNo>,
    /// Amount; optional here.
    pub txamt: Option<Amount>,
    /// Request time.
    pub txdtm: TradeTime,
    /// Device id.
    pub udid: Option<Udid>,
}

qf_object! {
    reply
    /// The response of `/trade/v1/reversal` and `/trade/v1/close` (§12).
    pub struct ReversalResponse {
        shared {
            orig_syssn, syssn, out_trade_no, txamt, txcurrcd, txdtm, sysdtm, chnlsn, chnlsn2,
            cardcd, udid, surcharge_fee, surcharge_rate,
        }
    }
}

/// The response of `/trade/v1/close`: the same shape as a reversal's.
pub type CloseResponse = ReversalResponse;
