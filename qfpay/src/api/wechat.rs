//! WeChat helpers for JSAPI payments without an own Official Account
//! (reference §16): the oauth-code redirect URL, the openid exchange and the
//! hosted cashier (`q/direct`) URL.

use crate::qf_endpoint;
use crate::raw::RawParams;
use crate::response::qf_object;
use crate::sign::{ClientKey, SignBuffer, SignType, Signature};
use crate::types::{Amount, Currency, MchId};

use super::pay_params::WechatJsapiParams;

/// The browser URL of `GET /tool/v1/get_weixin_oauth_code` (§16.1).
///
/// Open it inside the WeChat browser (a 302 from your page); QFPay sends the
/// user back to `redirect_uri` with `?code=…`, to be exchanged with
/// [`GetWeixinOpenid`]. `app_code` and the MD5 `sign` travel in the query
/// string (no headers). `redirect_uri` is signed raw and percent-encoded on
/// the wire. Code and openid are single-use: get fresh ones for every payment.
///
/// ```
/// use qfpay::api::WeixinOauthCodeUrl;
/// use qfpay::ClientKey;
///
/// let url = WeixinOauthCodeUrl::new("APPCODE0001", "https://merchant.example/cb")
///     .url("https://openapi-hk.qfapi.com", &ClientKey::new("TESTKEY0123456789"));
/// assert_eq!(
///     url,
///     "https://openapi-hk.qfapi.com/tool/v1/get_weixin_oauth_code\
///      ?app_code=APPCODE0001&redirect_uri=https%3A%2F%2Fmerchant.example%2Fcb\
///      &sign=17625613A81C5F78567731D9A56565F7"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeixinOauthCodeUrl {
    /// The app code.
    pub app_code: String,
    /// Where QFPay redirects the user with `?code=…`.
    pub redirect_uri: String,
    /// The merchant id, for agents (signed and sent when set).
    pub mchid: Option<MchId>,
}

impl WeixinOauthCodeUrl {
    /// The path below the environment's base URL.
    pub const PATH: &'static str = "/tool/v1/get_weixin_oauth_code";

    /// A URL for `app_code` redirecting to `redirect_uri`.
    pub fn new(app_code: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        WeixinOauthCodeUrl {
            app_code: app_code.into(),
            redirect_uri: redirect_uri.into(),
            mchid: None,
        }
    }

    /// Adds the agent's merchant id.
    pub fn with_mchid(mut self, mchid: MchId) -> Self {
        self.mchid = Some(mchid);
        self
    }

    fn encode(&self) -> SignBuffer {
        let mut pairs = vec![
            ("app_code", self.app_code.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
        ];
        if let Some(mchid) = &self.mchid {
            pairs.push(("mchid", mchid.as_str()));
        }
        let mut buf = SignBuffer::new();
        // Plain strings: nothing can be rejected, and no extra pair is merged.
        let _ = buf.encode(&RawParams::from_pairs(pairs), None);
        buf
    }

    /// The MD5 signature of the sorted parameters plus the key.
    pub fn signature(&self, key: &ClientKey) -> Signature {
        self.encode().signature(key, SignType::Md5)
    }

    /// The full URL below `base_url` (e.g. `https://openapi-hk.qfapi.com`):
    /// the sorted parameters, percent-encoded, then `sign` (upper-case hex).
    pub fn url(&self, base_url: &str, key: &ClientKey) -> String {
        let buf = self.encode();
        let sign = buf.signature(key, SignType::Md5);
        format!(
            "{}{}?{}&sign={}",
            base_url.trim_end_matches('/'),
            Self::PATH,
            buf.body(),
            sign
        )
    }
}

/// `GET /tool/v1/get_weixin_openid`: exchange the oauth `code` (from
/// [`WeixinOauthCodeUrl`]) for the payer's openid, to pass as `sub_openid`
/// to [`super::WechatJsapiPayment`]. Signed in the headers like any request;
/// the code is single-use.
#[qf_endpoint(path = "/tool/v1/get_weixin_openid", method = "GET", response = WeixinOpenidResponse, sign_type = "MD5")]
#[derive(Clone, Debug)]
pub struct GetWeixinOpenid {
    /// The oauth code from the redirect.
    pub code: String,
}

impl GetWeixinOpenid {
    /// The exchange of `code`.
    pub fn new(code: impl Into<String>) -> Self {
        GetWeixinOpenid { code: code.into() }
    }
}

qf_object! {
    reply
    /// The response of `/tool/v1/get_weixin_openid` (§16.2).
    pub struct WeixinOpenidResponse {
        /// The payer's WeChat openid.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub openid: String,
    }
}

/// The browser URL of QFPay's hosted WeChat cashier,
/// `GET https://o2-hk.qfapi.com/q/direct` (§16.3): redirect the user there
/// after a successful `800207` payment. No headers and no signature.
///
/// ```
/// use qfpay::api::{WechatCashierUrl, WechatJsapiParams};
/// use qfpay::types::{Amount, Currency};
///
/// let params = WechatJsapiParams::new("wx1", "1593746074", "n", "prepay_id=wx03", "MD5", "B0AE");
/// let url = WechatCashierUrl::new("Shop", Amount::new(100), Currency::from_code("HKD"), "https://m.example/done", &params)
///     .url();
/// assert_eq!(
///     url,
///     "https://o2-hk.qfapi.com/q/direct?appId=wx1&currency=HKD&mchntnm=Shop&nonceStr=n\
///      &package=prepay_id%3Dwx03&paySign=B0AE&redirect_url=https%3A%2F%2Fm.example%2Fdone\
///      &signType=MD5&timeStamp=1593746074&txamt=100"
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct WechatCashierUrl {
    /// Business name to display.
    pub mchntnm: String,
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub currency: Currency,
    /// Goods name to display.
    pub goods_name: Option<String>,
    /// Where to go after payment.
    pub redirect_url: String,
    /// The `pay_params` of the payment response.
    pub pay_params: WechatJsapiParams,
}

impl WechatCashierUrl {
    /// The production cashier URL (the only one documented).
    pub const BASE_URL: &'static str = "https://o2-hk.qfapi.com/q/direct";

    /// A cashier URL for a JSAPI payment's `pay_params`.
    pub fn new(
        mchntnm: impl Into<String>,
        txamt: Amount,
        currency: Currency,
        redirect_url: impl Into<String>,
        pay_params: &WechatJsapiParams,
    ) -> Self {
        WechatCashierUrl {
            mchntnm: mchntnm.into(),
            txamt,
            currency,
            goods_name: None,
            redirect_url: redirect_url.into(),
            pay_params: pay_params.clone(),
        }
    }

    /// Adds the goods name to display.
    pub fn with_goods_name(mut self, goods_name: impl Into<String>) -> Self {
        self.goods_name = Some(goods_name.into());
        self
    }

    /// The URL below [`WechatCashierUrl::BASE_URL`].
    pub fn url(&self) -> String {
        self.url_at(Self::BASE_URL)
    }

    /// The URL below another cashier address (e.g. a regional one).
    pub fn url_at(&self, cashier_url: &str) -> String {
        let amount = self.txamt.to_string();
        let p = &self.pay_params;
        let mut pairs = vec![
            ("mchntnm", self.mchntnm.as_str()),
            ("txamt", amount.as_str()),
            ("currency", self.currency.as_str()),
            ("redirect_url", self.redirect_url.as_str()),
            ("package", p.package.as_str()),
            ("timeStamp", p.time_stamp.as_str()),
            ("signType", p.sign_type.as_str()),
            ("paySign", p.pay_sign.as_str()),
            ("appId", p.app_id.as_str()),
            ("nonceStr", p.nonce_str.as_str()),
        ];
        if let Some(goods_name) = &self.goods_name {
            pairs.push(("goods_name", goods_name.as_str()));
        }
        format!(
            "{}?{}",
            cashier_url,
            crate::sign::form_body(&RawParams::from_pairs(pairs))
        )
    }
}
