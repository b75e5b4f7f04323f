//! The response of `POST /trade/v1/payment` (reference §8.3), shared by
//! every payment request type of [`super::payment`].

use super::pay_params::PayParams;
use crate::response::qf_object;
use crate::types::{Amount, Currency, OutTradeNo, PayType, Syssn, TradeTime};

qf_object! {
    reply
    /// The response of `/trade/v1/payment` (§8.3), whatever the flow.
    ///
    /// `respcd` `0000` means done for CPM, and "order created" for MPM, online
    /// and in-app flows (the result then comes by notification or query);
    /// `1143`/`1145`/`1298` mean pending ([`PaymentResponse::is_pending`]).
    ///
    /// ```
    /// use qfpay::api::PaymentResponse;
    /// let r: PaymentResponse = serde_json::from_str(
    ///     r#"{"respcd":"0000","resperr":"success","respmsg":"","txamt":10,"syssn":"20190722000300020081074842","qrcode":"weixin://wxpay/bizpayurl?pr=4PsXP5N"}"#,
    /// ).unwrap();
    /// assert_eq!(r.txamt.map(|a| a.minor_units()), Some(10));
    /// assert_eq!(r.qrcode.as_deref(), Some("weixin://wxpay/bizpayurl?pr=4PsXP5N"));
    /// assert!(!r.is_pending());
    /// ```
    pub struct PaymentResponse {
        /// Echo of the pay type.
        #[serde(default)]
        pub pay_type: Option<PayType>,
        /// Echo of the amount (a string or a number on the wire).
        #[serde(default)]
        pub txamt: Option<Amount>,
        /// Echo of the currency.
        #[serde(default)]
        pub txcurrcd: Option<Currency>,
        /// Echo of the request time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub txdtm: Option<TradeTime>,
        /// Echo of the merchant order number.
        #[serde(default)]
        pub out_trade_no: Option<OutTradeNo>,
        /// QFPay transaction number.
        #[serde(default)]
        pub syssn: Option<Syssn>,
        /// System time of the transaction (settlement cut-off), Hong Kong time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub sysdtm: Option<TradeTime>,
        /// Payment time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub paydtm: Option<TradeTime>,
        /// Wallet / channel transaction number (often empty).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub chnlsn: String,
        /// Additional channel number.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub chnlsn2: String,
        /// Card / wallet account number (often empty).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cardcd: String,
        /// Device id echo (`qiantai2` when none was sent).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub udid: String,
        /// Surcharge fee, when present (a string or a number on the wire).
        #[serde(default)]
        pub surcharge_fee: Option<Amount>,
        /// Surcharge rate, when present, as text.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub surcharge_rate: String,
        /// MPM: the QR content to render.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub qrcode: Option<String>,
        /// Web: URL to render as a QR; WAP / H5: URL to redirect to.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub pay_url: Option<String>,
        /// Payment URL of the `*`-footnoted pay types.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub web_url: Option<String>,
        /// JSAPI, mini-program, in-app, Service Window, card: data for the wallet SDK.
        #[serde(default)]
        pub pay_params: Option<PayParams>,
        /// PayMe MPM: the merchant's logo URL.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub payme_logo: Option<String>,
        /// Listed in the WeChat in-app table (described there, wrongly, as the external number).
        #[serde(default, deserialize_with = "crate::types::de::opt_syssn")]
        pub orig_syssn: Option<Syssn>,
    }
}
