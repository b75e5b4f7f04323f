//! Pre-authorisation: card capture and release (reference §15.1) and the
//! Alipay deduct (§15.2). The card pre-auth itself is created with the
//! hosted checkout or Payment Element (`VisaMasterCardPreAuth`); the Alipay
//! freeze with [`super::Payment`] and pay types `801801`–`801814`; the
//! Alipay cancel with [`super::AlipayPreAuthCancel`].

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Amount, Currency, OutTradeNo, ReturnUrl, Syssn, TradeTime, Udid};

/// `POST /trade/v1/authtrade`: capture (part of) a card pre-authorisation.
///
/// Refunds of the captured amount use [`super::Refund`] with the
/// **capture's** `syssn`. The Alipay page adds `out_trade_no`/`txdtm` as
/// mandatory — use [`AlipayAuthTrade`] there (§27.1 #19).
#[qf_endpoint(path = "/trade/v1/authtrade", method = "POST", response = PreAuthResponse)]
#[derive(Clone, Debug)]
pub struct AuthTrade {
    /// `syssn` of the pre-authorised payment.
    pub syssn: Syssn,
    /// Amount to capture.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Option<Currency>,
    /// Merchant order number, if the flow requires one.
    pub out_trade_no: Option<OutTradeNo>,
    /// Request time, if the flow requires one.
    pub txdtm: Option<TradeTime>,
    /// Device id.
    pub udid: Option<Udid>,
}

/// `POST /trade/v1/authtrade` as the Alipay pre-authorisation deduct
/// (transfer frozen funds, §15.2): `out_trade_no` and `txdtm` mandatory,
/// `txamt` ≤ the frozen amount.
#[qf_endpoint(path = "/trade/v1/authtrade", method = "POST", response = PreAuthResponse)]
#[derive(Clone, Debug)]
pub struct AlipayAuthTrade {
    /// The fund-authorisation number (`syssn` of the freeze).
    pub syssn: Syssn,
    /// Merchant order number.
    pub out_trade_no: OutTradeNo,
    /// Amount to deduct (≤ frozen amount).
    pub txamt: Amount,
    /// Request time.
    pub txdtm: TradeTime,
    /// Device id.
    pub udid: Option<Udid>,
    /// Browser redirect.
    pub return_url: Option<ReturnUrl>,
}

/// `POST /trade/v1/unfreeze`: release the uncaptured remainder of a card
/// pre-authorisation (pre-authorised − captured). Allowed **once**.
#[qf_endpoint(path = "/trade/v1/unfreeze", method = "POST", response = PreAuthResponse)]
#[derive(Clone, Debug)]
pub struct Unfreeze {
    /// `syssn` of the original pre-authorisation.
    pub syssn: Syssn,
    /// The original merchant order number.
    pub out_trade_no: OutTradeNo,
    /// Amount to release.
    pub txamt: Amount,
    /// Request time.
    pub txdtm: TradeTime,
}

qf_object! {
    reply
    /// The response of `/trade/v1/authtrade` and `/trade/v1/unfreeze` (§15):
    /// `syssn` is the capture's / release's own, `orig_syssn` the
    /// pre-authorisation's. `txdtm` echoes the request time (UTC in the
    /// docs' Node examples; not necessarily Hong Kong time).
    pub struct PreAuthResponse {
        shared { syssn, orig_syssn }
        /// Merchant order number (often empty).
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub out_trade_no: Option<String>,
        shared { txamt, txcurrcd, txdtm, sysdtm, paydtm, chnlsn, cardcd, udid }
    }
}
