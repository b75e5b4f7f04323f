//! `POST /trade/v1/payment` (reference §8): one path, one request type per
//! flow, so that the fields a flow requires are required by the type.
//!
//! See [`Payment`] for the table of flows and request types.
//!
//! The general [`Payment`] has no `sub_openid` and refuses (before anything
//! is sent, naming `pay_type`) a pay type that needs one of the dedicated
//! types: a CPM payment without `auth_code` cannot be built with
//! [`CpmPayment`] (a compile error) nor sent with [`Payment`] (a refusal).
//! [`Payment::cpm`], [`Payment::wechat_jsapi`], … start the dedicated builders.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::param::{PairSink, ParamValue};
use crate::qf_endpoint;
use crate::sign::InvalidParam;
use crate::types::{
    Amount, AuthCode, Currency, GoodsName, Json, LimitPay, NotifyUrl, OutTradeNo, PayFamily,
    PayTag, PayType, ReturnUrl, SubOpenid, TradeTime, Udid,
};

use super::PaymentResponse;

// ---------------------------------------------------------------------------
// Field types
// ---------------------------------------------------------------------------

/// The `pay_type` of a [`CpmPayment`]: a Consumer-Presented-Mode code.
///
/// Made from any [`PayType`]; a documented code of another flow is refused
/// when the request is encoded (error names `pay_type`). Undocumented codes
/// (`PayType::Other`) are passed through.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CpmPayType(PayType);

/// The `pay_type` of a general [`Payment`]: any code whose flow needs no
/// field beyond the common ones.
///
/// A documented code that requires `auth_code` (CPM), `sub_openid`
/// (`800207`, `800213`), `openid` (`800107`) or `extend_info` (`800212`) is
/// refused when the request is encoded, with an error naming `pay_type` and
/// the request type to use instead.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct GeneralPayType(PayType);

macro_rules! pay_type_wrapper {
    ($name:ident, $check:expr) => {
        impl $name {
            /// The wrapped pay type.
            pub fn pay_type(&self) -> &PayType {
                &self.0
            }

            /// Why this pay type is refused here, if it is.
            pub fn problem(&self) -> Option<&'static str> {
                let check: fn(&PayType) -> Option<&'static str> = $check;
                check(&self.0)
            }
        }

        impl From<PayType> for $name {
            fn from(pay_type: PayType) -> Self {
                $name(pay_type)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl ParamValue for $name {
            fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
                if let Some(reason) = self.problem() {
                    out.reject(name, reason.into());
                }
                out.pair(name, self.0.as_str());
            }
        }
    };
}

pay_type_wrapper!(CpmPayType, |p| match p.family() {
    PayFamily::Cpm | PayFamily::Other => None,
    _ => Some(
        "is not a CPM pay type (CPM codes: 800008, 800108, 800208, 801008, 805808, 800708); use `Payment` for other flows"
    ),
});

pay_type_wrapper!(GeneralPayType, |p| {
    if p.requires_auth_code() {
        Some("is a CPM pay type, which requires `auth_code`: use `CpmPayment` (`Payment::cpm()`)")
    } else if matches!(p, PayType::WechatJsapi) {
        Some("800207 requires `sub_openid`: use `WechatJsapiPayment` (`Payment::wechat_jsapi()`)")
    } else if matches!(p, PayType::WechatMiniProgram) {
        Some(
            "800213 requires `sub_openid`: use `WechatMiniProgramPayment` (`Payment::wechat_mini_program()`)",
        )
    } else if p.requires_openid() {
        Some(
            "800107 requires `openid`: use `AlipayServiceWindowPayment` (`Payment::alipay_service_window()`)",
        )
    } else if p.requires_extend_info() {
        Some("800212 requires `extend_info`: use `WechatH5Payment` (`Payment::wechat_h5()`)")
    } else {
        None
    }
});

/// `expired_time`: how long an MPM / online order stays payable, in minutes
/// (5–120; QFPay's default is 30). Supported by `800201`, `800101`,
/// `801512`, `801501`, `801107`, `801101`, `801010`, `801510` (§8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExpiredTime(u8);

impl ExpiredTime {
    /// `minutes` if within 5–120; otherwise an error naming `expired_time`.
    pub fn minutes(minutes: u32) -> Result<Self, InvalidParam> {
        match u8::try_from(minutes) {
            Ok(m) if (5..=120).contains(&m) => Ok(ExpiredTime(m)),
            _ => Err(InvalidParam {
                name: "expired_time",
                reason: format!("is {minutes} minutes; QFPay accepts 5 to 120").into(),
            }),
        }
    }

    /// The validity in minutes.
    pub fn as_minutes(self) -> u32 {
        u32::from(self.0)
    }
}

impl ParamValue for ExpiredTime {
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, itoa::Buffer::new().format(self.0));
    }
}

/// `extend_info` real-name variant (WeChat `800201`, `800207`, `800210`,
/// `800213`; mainland Chinese citizens only; must be enabled with WeChat).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealNameInfo {
    /// National ID card number.
    pub user_creid: String,
    /// The payer's real name.
    pub user_truename: String,
}

/// `extend_info` of WeChat H5 (`800212`, §8.9): the merchant's mobile site
/// and the payer's IP address.
///
/// ```
/// use qfpay::api::H5ExtendInfo;
/// let info = H5ExtendInfo::new("https://qfpay.global/h5/pay", "qfpay", "192.168.1.10");
/// assert_eq!(
///     serde_json::to_string(&info).unwrap(),
///     r#"{"scene_info":{"h5_info":{"type":"Wap","wap_url":"https://qfpay.global/h5/pay","wap_name":"qfpay"}},"spbill_create_ip":"192.168.1.10"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct H5ExtendInfo {
    /// Scene information.
    pub scene_info: H5SceneInfo,
    /// The end user's real IP address.
    pub spbill_create_ip: String,
}

impl H5ExtendInfo {
    /// Scene info for a mobile site (`type` = `Wap`) and the payer's IP.
    pub fn new(
        wap_url: impl Into<String>,
        wap_name: impl Into<String>,
        spbill_create_ip: impl Into<String>,
    ) -> Self {
        H5ExtendInfo {
            scene_info: H5SceneInfo {
                h5_info: H5Info {
                    r#type: "Wap".to_owned(),
                    wap_url: wap_url.into(),
                    wap_name: wap_name.into(),
                },
            },
            spbill_create_ip: spbill_create_ip.into(),
        }
    }
}

/// `extend_info.scene_info` of WeChat H5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct H5SceneInfo {
    /// The H5 site.
    pub h5_info: H5Info,
}

/// `extend_info.scene_info.h5_info` of WeChat H5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct H5Info {
    /// Always `Wap`.
    pub r#type: String,
    /// The merchant's mobile site URL.
    pub wap_url: String,
    /// The merchant's mobile site name.
    pub wap_name: String,
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// `POST /trade/v1/payment` for every flow that needs no dedicated field:
/// MPM (`qrcode` in the response), online web/WAP (`pay_url`), in-app
/// (`pay_params`), PayMe, FPS, Octopus, UnionPay, Alipay pre-auth freeze, …
///
/// CPM, WeChat JSAPI / mini-program, Alipay Service Window and WeChat H5 have
/// their own types, so that what a flow requires is required by the type;
/// their pay types are refused here when the request is encoded (the error
/// names `pay_type` and the type to use):
///
/// | flow | `pay_type` | request type | required beyond the order |
/// |---|---|---|---|
/// | CPM (scan the customer's code) | `800008` `800108` `800208` `801008` `805808` `800708` | [`CpmPayment`] | `auth_code` |
/// | WeChat JSAPI / Official Account | `800207` | [`WechatJsapiPayment`] | `sub_openid` |
/// | WeChat mini-program | `800213` | [`WechatMiniProgramPayment`] | `sub_openid` |
/// | Alipay Service Window | `800107` | [`AlipayServiceWindowPayment`] | `openid` |
/// | WeChat H5 (mobile browser) | `800212` | [`WechatH5Payment`] | `extend_info` (scene info) |
/// | MPM, web, WAP, in-app, PayMe, FPS, Octopus, UnionPay, pre-auth freeze, … | any other | [`Payment`] | — |
///
/// A CPM payment without `auth_code` therefore cannot be built with
/// [`CpmPayment`] (a compile error) nor sent with [`Payment`] (refused
/// before anything is sent). [`Payment::cpm`], [`Payment::wechat_jsapi`], …
/// start the dedicated builders.
///
/// ```
/// use qfpay::api::Payment;
/// use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let payment = Payment::builder()
///     .pay_type(PayType::AlipayMpm)
///     .txamt(Amount::new(10))
///     .txcurrcd(Currency::from_code("HKD"))
///     .out_trade_no(OutTradeNo::new("01234567890123")?)
///     .txdtm(TradeTime::parse("2019-12-25 14:21:28")?)
///     .build();
/// assert_eq!(
///     qfpay::form_body(&payment),
///     "out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28"
/// );
/// // let response = client.call(&payment).await?;   // PaymentResponse, with `qrcode`
/// # Ok(()) }
/// ```
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct Payment {
    /// Payment type (§23.3). Pay types with a dedicated request type are refused.
    pub pay_type: GeneralPayType,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Alipay pre-authorisation, code-scan flow only (§8.14). CPM pay types use [`CpmPayment`].
    pub auth_code: Option<AuthCode>,
    /// Alipay `user_id`, Alipay pre-authorisation app flow only (§8.14).
    pub openid: Option<String>,
    /// QR / order validity in minutes (MPM and online flows).
    pub expired_time: Option<ExpiredTime>,
    /// Goods description (must not be empty for in-app payments).
    pub goods_name: Option<GoodsName>,
    /// Product description (Alipay and WeChat in-app).
    pub goods_info: Option<String>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// Browser redirect after an online payment (Alipay WAP: ≤ 200 characters).
    pub return_url: Option<ReturnUrl>,
    /// `no_credit` forbids credit cards (WeChat, mainland China only).
    pub limit_pay: Option<LimitPay>,
    /// Alipay wallet: `ALIPAYHK` (default) or `ALIPAYCN`.
    pub pay_tag: Option<PayTag>,
    /// `Y` with `txcurrcd=CNY` marks a WeChat Pay HK transaction as RMB.
    pub rmb_tag: Option<String>,
    /// Scenario-specific JSON (e.g. [`RealNameInfo`]), sent as one JSON string.
    pub extend_info: Option<Json<serde_json::Value>>,
}

impl Payment {
    /// Starts a [`CpmPayment`] (requires `auth_code`).
    pub fn cpm() -> CpmPaymentBuilder {
        CpmPayment::builder()
    }

    /// Starts a [`WechatJsapiPayment`] (`800207`, requires `sub_openid`).
    pub fn wechat_jsapi() -> WechatJsapiPaymentBuilder {
        WechatJsapiPayment::builder()
    }

    /// Starts a [`WechatMiniProgramPayment`] (`800213`, requires `sub_openid`).
    pub fn wechat_mini_program() -> WechatMiniProgramPaymentBuilder {
        WechatMiniProgramPayment::builder()
    }

    /// Starts an [`AlipayServiceWindowPayment`] (`800107`, requires `openid`).
    pub fn alipay_service_window() -> AlipayServiceWindowPaymentBuilder {
        AlipayServiceWindowPayment::builder()
    }

    /// Starts a [`WechatH5Payment`] (`800212`, requires `extend_info`).
    pub fn wechat_h5() -> WechatH5PaymentBuilder {
        WechatH5Payment::builder()
    }
}

/// `POST /trade/v1/payment`, Consumer Presented Mode (§8.5): the merchant
/// scans the code in the customer's wallet and sends it as `auth_code`.
///
/// May answer `1143`/`1145` (pending): poll `/trade/v1/query`
/// ([`PaymentResponse::is_pending`]).
///
/// ```
/// use qfpay::api::CpmPayment;
/// use qfpay::types::{Amount, AuthCode, Currency, GoodsName, OutTradeNo, PayType, TradeTime, Udid};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let payment = CpmPayment::builder()
///     .pay_type(PayType::WechatCpm)
///     .auth_code(AuthCode::new("134857902345688557")?)
///     .txamt(Amount::new(10))
///     .txcurrcd(Currency::from_code("HKD"))
///     .out_trade_no(OutTradeNo::new("Native201907221520536a25477909")?)
///     .txdtm(TradeTime::parse("2019-07-22 15:20:54")?)
///     .goods_name(GoodsName::new("qfpay")?)
///     .udid(Udid::new("AA")?)
///     .build();
/// assert_eq!(
///     qfpay::form_body(&payment),
///     "auth_code=134857902345688557&goods_name=qfpay&out_trade_no=Native201907221520536a25477909\
///      &pay_type=800208&txamt=10&txcurrcd=HKD&txdtm=2019-07-22+15%3A20%3A54&udid=AA"
/// );
/// # Ok(()) }
/// ```
///
/// Leaving out `auth_code` does not compile:
///
/// ```compile_fail
/// use qfpay::api::CpmPayment;
/// use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
/// let payment = CpmPayment::builder()
///     .pay_type(PayType::WechatCpm)
///     .txamt(Amount::new(10))
///     .txcurrcd(Currency::from_code("HKD"))
///     .out_trade_no(OutTradeNo::new("1").unwrap())
///     .txdtm(TradeTime::parse("2024-01-01 00:00:00").unwrap())
///     .build();
/// ```
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct CpmPayment {
    /// A CPM pay type: `800008` (auto-detect), `800108`, `800208`, `801008`, `805808`, `800708`.
    pub pay_type: CpmPayType,
    /// The code scanned from the customer's wallet; single-use.
    pub auth_code: AuthCode,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Goods description.
    pub goods_name: Option<GoodsName>,
    /// Product description.
    pub goods_info: Option<String>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// `no_credit` forbids credit cards (WeChat, mainland China only).
    pub limit_pay: Option<LimitPay>,
    /// Alipay wallet: `ALIPAYHK` (default) or `ALIPAYCN`.
    pub pay_tag: Option<PayTag>,
    /// `Y` with `txcurrcd=CNY` marks a WeChat Pay HK transaction as RMB.
    pub rmb_tag: Option<String>,
}

/// `POST /trade/v1/payment` with `pay_type=800207`, WeChat JSAPI /
/// Official Account (§8.7): run inside the WeChat browser with the payer's
/// `sub_openid`; the response's [`PayParams::WechatJsapi`](super::PayParams::WechatJsapi) goes to WeChat's
/// JSAPI (or to the hosted cashier, [`super::WechatCashierUrl`]).
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct WechatJsapiPayment {
    #[qf(fixed = PayType::WechatJsapi)]
    pay_type: PayType,
    /// The payer's WeChat openid (a fresh one for every payment when it comes
    /// from QFPay's oauth helpers).
    pub sub_openid: SubOpenid,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Goods description.
    pub goods_name: Option<GoodsName>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// `no_credit` forbids credit cards (mainland China only).
    pub limit_pay: Option<LimitPay>,
    /// `Y` with `txcurrcd=CNY` marks a WeChat Pay HK transaction as RMB.
    pub rmb_tag: Option<String>,
    /// Real-name information, if enabled with WeChat.
    pub extend_info: Option<Json<RealNameInfo>>,
}

/// `POST /trade/v1/payment` with `pay_type=800213`, WeChat mini-program
/// (§8.8): `sub_openid` from WeChat's `code2Session`; pass the response's
/// [`PayParams::WechatJsapi`](super::PayParams::WechatJsapi) to `wx.requestPayment`.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct WechatMiniProgramPayment {
    #[qf(fixed = PayType::WechatMiniProgram)]
    pay_type: PayType,
    /// The payer's WeChat openid.
    pub sub_openid: SubOpenid,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Order validity in minutes.
    pub expired_time: Option<ExpiredTime>,
    /// Goods description.
    pub goods_name: Option<GoodsName>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// `no_credit` forbids credit cards (mainland China only).
    pub limit_pay: Option<LimitPay>,
    /// Real-name information, if enabled with WeChat.
    pub extend_info: Option<Json<RealNameInfo>>,
}

/// `POST /trade/v1/payment` with `pay_type=800107`, Alipay Service Window
/// H5 inside the Alipay app (§8.11): `openid` is the payer's Alipay
/// `user_id`; pass the response's [`PayParams::AlipayServiceWindow`](super::PayParams::AlipayServiceWindow)
/// `tradeNO` to Alipay's JS payment call.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct AlipayServiceWindowPayment {
    #[qf(fixed = PayType::AlipayServiceWindow)]
    pay_type: PayType,
    /// The payer's Alipay `user_id` (String(64), e.g. `2088802811715388`).
    pub openid: String,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Goods description.
    pub goods_name: Option<GoodsName>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// Browser redirect after payment.
    pub return_url: Option<ReturnUrl>,
    /// `no_credit` forbids credit cards.
    pub limit_pay: Option<LimitPay>,
}

/// `POST /trade/v1/payment` with `pay_type=800212`, WeChat H5 in a mobile
/// browser (§8.9): `extend_info` with the site and the payer's IP is
/// mandatory; redirect the browser to the response's `pay_url` (append
/// `&redirect_url=<URL-encoded target>` to choose where WeChat returns).
#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
#[derive(Clone, Debug)]
pub struct WechatH5Payment {
    #[qf(fixed = PayType::WechatH5)]
    pay_type: PayType,
    /// Scene info and payer IP (see [`H5ExtendInfo::new`]).
    pub extend_info: Json<H5ExtendInfo>,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Merchant order number, unique across payments and refunds.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Goods description.
    pub goods_name: Option<GoodsName>,
    /// Device id.
    pub udid: Option<Udid>,
    /// Notification URL for this transaction.
    pub notify_url: Option<NotifyUrl>,
    /// Browser redirect after payment.
    pub return_url: Option<ReturnUrl>,
    /// `no_credit` forbids credit cards (mainland China only).
    pub limit_pay: Option<LimitPay>,
}

macro_rules! fixed_pay_type_getter {
    ($($name:ident),*) => {$(
        impl $name {
            /// The fixed `pay_type` this request sends.
            pub fn pay_type(&self) -> &PayType {
                &self.pay_type
            }
        }
    )*};
}
fixed_pay_type_getter!(
    WechatJsapiPayment,
    WechatMiniProgramPayment,
    AlipayServiceWindowPayment,
    WechatH5Payment
);
