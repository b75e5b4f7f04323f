//! The hosted checkout page (reference §17): a browser URL whose parameters
//! and signature live in the fragment (`…/checkstand/#/?…`).

use std::borrow::Cow;

use crate::param::{PairSink, ParamValue};
use crate::raw::RawParams;
use crate::sign::{ClientKey, InvalidParam, SignBuffer, SignType, Signature};
use crate::types::{
    Amount, CheckoutLang, Currency, GoodsName, LimitPay, MchId, NotifyUrl, OutTradeNo, PaySource,
    ReturnUrl, TradeTime, Udid,
};

use super::payment::ExpiredTime;
use super::query::CommaSeparated;

/// A hosted checkout page URL (§17), signed for the browser.
///
/// Signing follows the official boilerplate: every non-empty parameter
/// **including `appcode` and `sign_type`**, excluding `lang` and `sign`,
/// sorted by name, raw values, key appended, hashed (SHA-256 by default) and
/// written as **lower-case** hex. Parameters go after `#/?`, percent-encoded
/// like JavaScript's `encodeURIComponent` (a space is `%20`, not `+`:
/// the page decodes the fragment itself); `sign` follows them and `lang` is
/// appended last, unsigned. Agents set `mchntid` (their `mchid`). Each
/// checkout needs a unique `out_trade_no`.
///
/// ```
/// use qfpay::api::CheckoutUrl;
/// use qfpay::types::{Amount, Currency, NotifyUrl, OutTradeNo, ReturnUrl, TradeTime};
/// use qfpay::ClientKey;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let checkout = CheckoutUrl::builder()
///     .appcode("APPCODE0001")
///     .txamt(Amount::new(1000))
///     .txcurrcd(Currency::from_code("HKD"))
///     .out_trade_no(OutTradeNo::new("ORDER0002")?)
///     .txdtm(TradeTime::parse("2025-01-02 03:04:05")?)
///     .return_url(ReturnUrl::new("https://merchant.example/ok")?)
///     .failed_url("https://merchant.example/fail")
///     .notify_url(NotifyUrl::new("https://merchant.example/notify")?)
///     .build();
/// let key = ClientKey::new("TESTKEY0123456789");
/// assert_eq!(
///     checkout.signature(&key)?.to_hex_lower(),
///     "56369e26388a31f32f01c4072f134b8cc13b3e09fe160fdceb4a3dd901f4baf5"
/// );
/// let url = checkout.url("https://test-openapi-hk.qfapi.com", &key)?;
/// assert!(url.starts_with("https://test-openapi-hk.qfapi.com/checkstand/#/?appcode=APPCODE0001&"));
/// assert!(url.contains("&txdtm=2025-01-02%2003%3A04%3A05&"));
/// assert!(url.ends_with("&sign=56369e26388a31f32f01c4072f134b8cc13b3e09fe160fdceb4a3dd901f4baf5"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, qfpay_macros::Builder)]
pub struct CheckoutUrl {
    /// The app code (`appcode`).
    pub appcode: String,
    /// Must end in `_checkout` (default `remotepay_checkout`).
    #[qf(default = PaySource::RemotepayCheckout)]
    pub paysource: PaySource,
    /// Hash of the signature (default SHA-256); sent as `sign_type=sha256|md5` and signed.
    #[qf(default)]
    pub sign_type: SignType,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Unique merchant order number.
    pub out_trade_no: OutTradeNo,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: TradeTime,
    /// Redirect on success.
    pub return_url: ReturnUrl,
    /// Redirect on failure.
    pub failed_url: String,
    /// Notification URL.
    pub notify_url: NotifyUrl,
    /// The agent's merchant id (the checkout's name for `mchid`).
    pub mchntid: Option<MchId>,
    /// Goods name (≤ 20 characters advised; leave empty to show the merchant
    /// name on the clearing file).
    pub goods_name: Option<GoodsName>,
    /// Device id.
    pub udid: Option<Udid>,
    /// QR validity in minutes, 5–120 (WeChat, Alipay, Alipay HK).
    pub expired_time: Option<ExpiredTime>,
    /// Client-side deadline as Unix epoch **milliseconds**; the page then
    /// redirects to `failed_url`.
    pub checkout_expired_time: Option<u64>,
    /// `no_credit` (WeChat only).
    pub limit_pay: Option<LimitPay>,
    /// UI language; not signed.
    pub lang: Option<CheckoutLang>,
    /// Target of the "back to store" button.
    pub cancel_url: Option<String>,
    /// Offered methods, a subset of `Alipay`, `WeChatPay`, `UnionPay`,
    /// `AlipayHK`, `FPS`, `VisaMasterCardPayment`, `Payme`, `ApplePay`,
    /// `VisaMasterCardPreAuth` (comma-separated; must be activated; only
    /// documented on a preview branch).
    pub support_pay_type: Option<CommaSeparated<String>>,
}

/// Collects the parameters written by [`ParamValue`]s, keeping the first rejection.
#[derive(Default)]
struct Collect {
    pairs: Vec<(&'static str, String)>,
    error: Option<InvalidParam>,
}

impl Collect {
    fn add<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut one = One::default();
        value.write_param(name, &mut one);
        if let Some((reason, rejected)) = one.rejected
            && self.error.is_none()
        {
            self.error = Some(InvalidParam {
                name: rejected,
                reason,
            });
        }
        for value in one.values {
            self.pairs.push((name, value));
        }
    }
}

#[derive(Default)]
struct One {
    values: Vec<String>,
    rejected: Option<(Cow<'static, str>, &'static str)>,
}

impl PairSink for One {
    fn pair(&mut self, _name: &str, value: &str) {
        self.values.push(value.to_owned());
    }
    fn reject(&mut self, name: &'static str, reason: Cow<'static, str>) {
        if self.rejected.is_none() {
            self.rejected = Some((reason, name));
        }
    }
}

impl CheckoutUrl {
    /// The path below the environment's base URL, up to the fragment.
    pub const PATH: &'static str = "/checkstand/#/?";

    /// The signed parameters (everything but `lang` and `sign`), sorted.
    fn encode(&self) -> Result<SignBuffer, InvalidParam> {
        if !self.paysource.is_checkout() {
            return Err(InvalidParam {
                name: "paysource",
                reason: format!("is `{}`; it must end in `_checkout`", self.paysource).into(),
            });
        }
        let sign_type = match self.sign_type {
            SignType::Md5 => "md5",
            SignType::Sha256 => "sha256",
        };
        let mut c = Collect::default();
        c.add("appcode", self.appcode.as_str());
        c.add("cancel_url", &self.cancel_url);
        c.add("checkout_expired_time", &self.checkout_expired_time);
        c.add("expired_time", &self.expired_time);
        c.add("failed_url", self.failed_url.as_str());
        c.add("goods_name", &self.goods_name);
        c.add("limit_pay", &self.limit_pay);
        c.add("mchntid", &self.mchntid);
        c.add("notify_url", &self.notify_url);
        c.add("out_trade_no", &self.out_trade_no);
        c.add("paysource", &self.paysource);
        c.add("return_url", &self.return_url);
        c.add("sign_type", sign_type);
        c.add("support_pay_type", &self.support_pay_type);
        c.add("txamt", &self.txamt);
        c.add("txcurrcd", &self.txcurrcd);
        c.add("txdtm", &self.txdtm);
        c.add("udid", &self.udid);
        if let Some(error) = c.error {
            return Err(error);
        }
        for (name, value) in [("appcode", &self.appcode), ("failed_url", &self.failed_url)] {
            if value.trim().is_empty() {
                return Err(InvalidParam {
                    name,
                    reason: "must not be empty".into(),
                });
            }
        }
        let mut buf = SignBuffer::new();
        buf.encode(&RawParams::from_pairs(c.pairs), None)
            .map_err(|e| InvalidParam {
                name: "checkout",
                reason: e.to_string().into(),
            })?;
        Ok(buf)
    }

    /// The canonical string that is signed (without the key). Contains no secret.
    pub fn canonical(&self) -> Result<String, InvalidParam> {
        self.encode().map(|buf| buf.canonical().to_owned())
    }

    /// The signature (use [`Signature::to_hex_lower`] for the URL's form).
    pub fn signature(&self, key: &ClientKey) -> Result<Signature, InvalidParam> {
        self.encode().map(|buf| buf.signature(key, self.sign_type))
    }

    /// The page URL below `base_url` (the API host, e.g.
    /// `https://openapi-hk.qfapi.com` or `https://test-openapi-hk.qfapi.com`).
    ///
    /// Refused (naming the parameter) when a value breaks a documented limit:
    /// zero amount, `paysource` not ending in `_checkout`, empty `appcode` or
    /// `failed_url`.
    pub fn url(&self, base_url: &str, key: &ClientKey) -> Result<String, InvalidParam> {
        let buf = self.encode()?;
        let sign = buf.signature(key, self.sign_type).to_hex_lower();
        // `form_urlencoded` writes a space as `+` and a literal `+` as `%2B`,
        // so every `+` in its output is a space: `%20` is what
        // `encodeURIComponent` (used by the page) expects.
        let mut url = format!(
            "{}{}{}&sign={}",
            base_url.trim_end_matches('/'),
            Self::PATH,
            buf.body().replace('+', "%20"),
            sign
        );
        if let Some(lang) = &self.lang {
            url.push_str("&lang=");
            url.extend(form_urlencoded::byte_serialize(lang.as_str().as_bytes()));
        }
        Ok(url)
    }
}
