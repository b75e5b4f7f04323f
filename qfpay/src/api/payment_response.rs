//! The response of `POST /trade/v1/payment` (reference §8.3), shared by
//! every payment request type of [`super::payment`].

use super::pay_params::PayParams;
use crate::response::qf_object;
use crate::types::Syssn;

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
        shared {
            pay_type, txamt, txcurrcd, txdtm, out_trade_no, syssn, sysdtm, paydtm, chnlsn, chnlsn2,
            cardcd, udid, surcharge_fee, surcharge_rate,
        }
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
