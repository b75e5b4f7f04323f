//! `pay_params`: the data a wallet SDK needs, polymorphic by `pay_type`
//! (reference §8.7–§8.12, §9.4, §27.3 #16).

use std::collections::BTreeMap;

use serde::de::{Deserializer, Error as _, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::response::qf_object;

/// The `pay_params` object of a payment response, recognised by its keys.
///
/// Each typed variant keeps the keys it does not model in `extra`; a shape
/// that matches none of them (or a typed variant that fails to decode) is
/// kept whole in [`PayParams::Raw`]. Decoding `pay_params` never fails.
///
/// ```
/// use qfpay::api::PayParams;
///
/// let p: PayParams = serde_json::from_str(r#"{"tradeNO": "2019123122001"}"#).unwrap();
/// assert!(matches!(p, PayParams::AlipayServiceWindow(ref a) if a.trade_no == "2019123122001"));
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PayParams {
    /// WeChat JSAPI (`800207`) and mini-program (`800213`): pass to
    /// `WeixinJSBridge` / `wx.requestPayment` (§8.7, §8.8).
    WechatJsapi(WechatJsapiParams),
    /// WeChat in-app (`800210`, `801010`): pass to the WeChat Open SDK (§8.10).
    WechatApp(WechatAppParams),
    /// Alipay Service Window (`800107`): `tradeNO` for the Alipay JS call (§8.11).
    AlipayServiceWindow(AlipayServiceWindowParams),
    /// Alipay in-app (`801110`, `801510`): build the SDK order string with
    /// [`AlipayAppParams::order_string`] (§8.12).
    AlipayApp(Box<AlipayAppParams>),
    /// Card flows (legacy direct card API, §9.4): 3-D Secure challenge or
    /// frictionless result.
    Card(CardParams),
    /// Any other shape, as received.
    Raw(serde_json::Value),
}

impl PayParams {
    /// Classifies a `pay_params` value by its keys; never fails.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn from_value(value: serde_json::Value) -> PayParams {
        match serde_json::value::to_raw_value(&value) {
            Ok(raw) => Self::from_raw(&raw),
            Err(_) => PayParams::Raw(value),
        }
    }

    /// Classifies by the keys of the object, then decodes the variant from
    /// the same JSON text (so its identifiers keep their exact digits).
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    fn from_raw(raw: &RawValue) -> PayParams {
        let json = raw.get();
        let untyped = || PayParams::Raw(serde_json::from_str(json).unwrap_or_default());
        let Ok(keys) = serde_json::from_str::<BTreeMap<String, IgnoredAny>>(json) else {
            return untyped();
        };
        let has = |key: &str| keys.contains_key(key);
        let typed = if has("paySign") || (has("appId") && has("nonceStr")) {
            serde_json::from_str(json).ok().map(PayParams::WechatJsapi)
        } else if has("prepayid") || has("partnerid") {
            serde_json::from_str(json).ok().map(PayParams::WechatApp)
        } else if has("tradeNO") {
            serde_json::from_str(json)
                .ok()
                .map(PayParams::AlipayServiceWindow)
        } else if has("service") || has("partner") || has("payment_inst") || has("forex_biz") {
            serde_json::from_str(json)
                .ok()
                .map(|params| PayParams::AlipayApp(Box::new(params)))
        } else if has("order_code")
            || has("3ds_challenge_details")
            || has("request_3d_secure")
            || has("set-cookie")
            || has("last_event")
        {
            serde_json::from_str(json).ok().map(PayParams::Card)
        } else {
            None
        };
        typed.unwrap_or_else(untyped)
    }
}

impl<'de> Deserialize<'de> for PayParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        // A JSON string holding the object is accepted too.
        if raw.get().starts_with('"') {
            let text: String = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
            return Ok(match serde_json::from_str::<Box<RawValue>>(&text) {
                Ok(inner) => Self::from_raw(&inner),
                Err(_) => PayParams::Raw(serde_json::Value::String(text)),
            });
        }
        Ok(Self::from_raw(&raw))
    }
}

qf_object! {
    record, Default
    /// `pay_params` of WeChat JSAPI / mini-program (§8.7): the WeChat JSAPI
    /// arguments, camel-case as WeChat expects them.
    pub struct WechatJsapiParams {
        /// Official account / app id (`appId`).
        #[serde(rename = "appId", default)]
        pub app_id: String,
        /// Timestamp (`timeStamp`), a string of seconds.
        #[serde(
            rename = "timeStamp",
            default,
            deserialize_with = "crate::types::de::text"
        )]
        pub time_stamp: String,
        /// Random string (`nonceStr`).
        #[serde(rename = "nonceStr", default)]
        pub nonce_str: String,
        /// `prepay_id=…` (`package`).
        #[serde(default)]
        pub package: String,
        /// Signature type (`signType`), default `MD5`.
        #[serde(rename = "signType", default)]
        pub sign_type: String,
        /// WeChat's signature (`paySign`).
        #[serde(rename = "paySign", default)]
        pub pay_sign: String,
    }
}

impl WechatJsapiParams {
    /// The six JSAPI arguments (e.g. stored from an earlier payment response).
    pub fn new(
        app_id: impl Into<String>,
        time_stamp: impl Into<String>,
        nonce_str: impl Into<String>,
        package: impl Into<String>,
        sign_type: impl Into<String>,
        pay_sign: impl Into<String>,
    ) -> Self {
        WechatJsapiParams {
            app_id: app_id.into(),
            time_stamp: time_stamp.into(),
            nonce_str: nonce_str.into(),
            package: package.into(),
            sign_type: sign_type.into(),
            pay_sign: pay_sign.into(),
            extra: Default::default(),
        }
    }
}

qf_object! {
    record, Default
    /// `pay_params` of WeChat in-app (§8.10). Note the lower-case keys and the
    /// integer `timestamp`, unlike JSAPI.
    pub struct WechatAppParams {
        /// WeChat Open Platform app id.
        #[serde(default)]
        pub appid: String,
        /// WeChat merchant id.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub partnerid: String,
        /// Prepay id.
        #[serde(default)]
        pub prepayid: String,
        /// Always `Sign=WXPay` in the examples.
        #[serde(default)]
        pub package: String,
        /// Random string.
        #[serde(default)]
        pub noncestr: String,
        /// Seconds since the epoch (an integer in the example; a string is accepted).
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub timestamp: Option<u64>,
        /// WeChat's signature.
        #[serde(default)]
        pub sign: String,
    }
}

qf_object! {
    record, Default
    /// `pay_params` of Alipay Service Window (§8.11).
    pub struct AlipayServiceWindowParams {
        /// Alipay trade number (`tradeNO`) for the in-app JS payment call.
        #[serde(
            rename = "tradeNO",
            default,
            deserialize_with = "crate::types::de::text"
        )]
        pub trade_no: String,
    }
}

qf_object! {
    record, Default
    /// `pay_params` of Alipay in-app (§8.12): the Alipay order fields. All are
    /// strings except `total_fee`, a decimal in **major** units.
    pub struct AlipayAppParams {
        /// Alipay partner id.
        #[serde(default)]
        pub partner: Option<String>,
        /// Seller id.
        #[serde(default)]
        pub seller_id: Option<String>,
        /// Subject.
        #[serde(default)]
        pub subject: Option<String>,
        /// Body.
        #[serde(default)]
        pub body: Option<String>,
        /// Total in **major** units, as text (`"0.01"`; a JSON number is rendered as text).
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub total_fee: Option<String>,
        /// Alipay's notification URL (QFPay's).
        #[serde(default)]
        pub notify_url: Option<String>,
        /// `mobile.securitypay.pay`.
        #[serde(default)]
        pub service: Option<String>,
        /// Payment type.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub payment_type: Option<String>,
        /// Charset (`_input_charset`).
        #[serde(rename = "_input_charset", default)]
        pub input_charset: Option<String>,
        /// Timeout, e.g. `30m`.
        #[serde(default)]
        pub it_b_pay: Option<String>,
        /// Return URL.
        #[serde(default)]
        pub return_url: Option<String>,
        /// Wallet, e.g. `ALIPAYHK`.
        #[serde(default)]
        pub payment_inst: Option<String>,
        /// Currency.
        #[serde(default)]
        pub currency: Option<String>,
        /// Product code.
        #[serde(default)]
        pub product_code: Option<String>,
        /// Alipay RSA signature (URL-encoded as received).
        #[serde(default)]
        pub sign: Option<String>,
        /// `RSA`.
        #[serde(default)]
        pub sign_type: Option<String>,
        /// Forex business flag.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub forex_biz: Option<String>,
        /// Order number for Alipay (= QFPay `syssn`).
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub out_trade_no: Option<String>,
        /// Secondary merchant id.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub secondary_merchant_id: Option<String>,
        /// Secondary merchant name.
        #[serde(default)]
        pub secondary_merchant_name: Option<String>,
        /// Secondary merchant industry.
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub secondary_merchant_industry: Option<String>,
    }
}

impl AlipayAppParams {
    /// The order string for the Alipay SDK (§8.12): every received pair as
    /// `key="value"`, keys sorted ascending, joined with `&`, with `sign` and
    /// `sign_type` moved to the end; `sign` stays URL-encoded as received.
    ///
    /// ```
    /// use qfpay::api::PayParams;
    /// let p: PayParams = serde_json::from_str(
    ///     r#"{"service":"mobile.securitypay.pay","sign":"a%2Bb","sign_type":"RSA","partner":"2088","total_fee":0.1}"#,
    /// ).unwrap();
    /// let PayParams::AlipayApp(app) = p else { panic!() };
    /// assert_eq!(
    ///     app.order_string(),
    ///     r#"partner="2088"&service="mobile.securitypay.pay"&total_fee="0.1"&sign="a%2Bb"&sign_type="RSA""#
    /// );
    /// ```
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn order_string(&self) -> String {
        // Every pair as received: the modelled fields (absent ones are
        // `null` here) and `extra`, sorted by key as serde_json's map is.
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(self) else {
            return String::new();
        };
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut out: Vec<String> = fields
            .iter()
            .filter(|(k, v)| !v.is_null() && k.as_str() != "sign" && k.as_str() != "sign_type")
            .map(|(k, v)| format!("{k}=\"{}\"", text(v)))
            .collect();
        for key in ["sign", "sign_type"] {
            if let Some(v) = fields.get(key).filter(|v| !v.is_null()) {
                out.push(format!("{key}=\"{}\"", text(v)));
            }
        }
        out.join("&")
    }
}

qf_object! {
    record, Default
    /// `pay_params` of the legacy direct card flow (§9.4): a 3-D Secure
    /// challenge or a frictionless result.
    pub struct CardParams {
        /// The order code (= `syssn`).
        #[serde(default, deserialize_with = "crate::types::de::opt_text")]
        pub order_code: Option<String>,
        /// Cookie to echo in `chnl_ext.set_cookie` (`set-cookie`, with a hyphen).
        #[serde(rename = "set-cookie", default)]
        pub set_cookie: Option<String>,
        /// 3-D Secure challenge: form-POST `JWT` to `url`.
        #[serde(rename = "3ds_challenge_details", default)]
        pub three_ds_challenge_details: Option<ThreeDsChallenge>,
        /// Alternative 3-D Secure challenge key.
        #[serde(default)]
        pub request_3d_secure: Option<serde_json::Value>,
        /// Frictionless: payment method, e.g. `VISA_CREDIT-SSL`.
        #[serde(default)]
        pub payment_method: Option<String>,
        /// Frictionless: 3-D Secure result.
        #[serde(rename = "3ds_secure_result", default)]
        pub three_ds_secure_result: Option<serde_json::Value>,
        /// Frictionless: last event, e.g. `AUTHORISED`.
        #[serde(default)]
        pub last_event: Option<String>,
    }
}

qf_object! {
    record, Default
    /// The 3-D Secure challenge of a card payment (§9.4).
    pub struct ThreeDsChallenge {
        /// Cardinal StepUp URL.
        #[serde(default)]
        pub url: String,
        /// JWT to post to `url`.
        #[serde(default)]
        pub jwt: String,
    }
}
