//! URL builders with the signature in the URL — WeChat oauth code (§16.1,
//! vector of §5.2) and hosted checkout (§17, vector of §5.2) — plus the
//! openid exchange (§16.2) and the `q/direct` cashier URL (§16.3).

mod api_common;

use api_common::*;
use md5::Md5;
use qfpay::api::*;
use qfpay::types::*;
use qfpay::{ClientKey, Method, SignType};
use sha2::{Digest, Sha256};

fn key() -> ClientKey {
    ClientKey::new(KEY)
}

fn query_pairs(url: &str, sep: &str) -> Vec<(String, String)> {
    let (_, query) = url.split_once(sep).unwrap();
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn oauth_code_url_vector() {
    let u = WeixinOauthCodeUrl::new("APPCODE0001", "https://merchant.example/cb");
    // Independently: MD5 of the documented sign input, upper-case.
    let expected = hex::encode_upper(Md5::digest(
        b"app_code=APPCODE0001&redirect_uri=https://merchant.example/cbTESTKEY0123456789",
    ));
    assert_eq!(expected, "17625613A81C5F78567731D9A56565F7");
    assert_eq!(u.signature(&key()).to_string(), expected);
    let url = u.url("https://test-openapi-hk.qfapi.com/", &key());
    assert_eq!(
        url,
        "https://test-openapi-hk.qfapi.com/tool/v1/get_weixin_oauth_code?app_code=APPCODE0001\
         &redirect_uri=https%3A%2F%2Fmerchant.example%2Fcb&sign=17625613A81C5F78567731D9A56565F7"
    );
    // The redirect URI decodes back to the signed raw value.
    let pairs = query_pairs(&url, "?");
    assert_eq!(
        pairs[1],
        ("redirect_uri".into(), "https://merchant.example/cb".into())
    );
}

#[test]
fn oauth_code_url_with_mchid_signs_it_in_order() {
    let u = WeixinOauthCodeUrl::new("APPCODE0001", "https://merchant.example/cb?a=1&b=2")
        .with_mchid(MchId::new("AbCdEf1234").unwrap());
    let expected = hex::encode_upper(Md5::digest(
        "app_code=APPCODE0001&mchid=AbCdEf1234&redirect_uri=https://merchant.example/cb?a=1&b=2TESTKEY0123456789"
            .as_bytes(),
    ));
    let url = u.url("https://openapi-hk.qfapi.com", &key());
    assert_eq!(
        url,
        format!(
            "https://openapi-hk.qfapi.com/tool/v1/get_weixin_oauth_code?app_code=APPCODE0001&mchid=AbCdEf1234\
             &redirect_uri=https%3A%2F%2Fmerchant.example%2Fcb%3Fa%3D1%26b%3D2&sign={expected}"
        )
    );
}

#[test]
fn get_weixin_openid_request_and_response() {
    let r = GetWeixinOpenid::new("011QipnO1yMIla1VJdoO1FUrnO1Qipnv");
    assert_eq!(meta(&r), ("/tool/v1/get_weixin_openid", Method::Get, true));
    assert_eq!(
        qfpay::form_body(&r),
        "code=011QipnO1yMIla1VJdoO1FUrnO1Qipnv"
    );
    assert_eq!(
        canonical_with_mchid(&r, "M1"),
        "code=011QipnO1yMIla1VJdoO1FUrnO1Qipnv&mchid=M1"
    );
    assert_signature_matches(&r);
    // The docs print `"respcd": 0000` unquoted; quoted here.
    let r: WeixinOpenidResponse = serde_json::from_str(
        r#"{"resperr": "", "respcd": "0000", "respmsg": "", "openid": "oo3Lss8d0hLOuyTuSJMVwLTk68JE"}"#,
    )
    .unwrap();
    assert_eq!(r.openid, "oo3Lss8d0hLOuyTuSJMVwLTk68JE");
    assert_eq!(r.envelope.respcd, RespCode::Ok);
    // The openid is usable as `sub_openid` right away.
    assert!(SubOpenid::new(r.openid).is_ok());
}

#[test]
fn wechat_cashier_url_from_jsapi_pay_params() {
    let p: PayParams = serde_json::from_str(
        r#"{"appId":"wx1","timeStamp":"1593746074","nonceStr":"69d8","package":"prepay_id=wx03","signType":"MD5","paySign":"B0AE"}"#,
    )
    .unwrap();
    let PayParams::WechatJsapi(params) = p else {
        panic!("{p:?}")
    };
    let url = WechatCashierUrl::new(
        "測試商店",
        Amount::new(100),
        Currency::from_code("HKD"),
        "https://m.example/done?id=1",
        &params,
    )
    .with_goods_name("商品")
    .url();
    assert!(url.starts_with(
        "https://o2-hk.qfapi.com/q/direct?appId=wx1&currency=HKD&goods_name=%E5%95%86%E5%93%81&"
    ));
    let pairs = query_pairs(&url, "?");
    assert!(pairs.contains(&("mchntnm".into(), "測試商店".into())));
    assert!(pairs.contains(&("redirect_url".into(), "https://m.example/done?id=1".into())));
    assert!(pairs.contains(&("package".into(), "prepay_id=wx03".into())));
    assert!(!pairs.iter().any(|(k, _)| k == "sign"));
}

fn checkout() -> CheckoutUrl {
    CheckoutUrl::builder()
        .appcode("APPCODE0001")
        .txamt(Amount::new(1000))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new("ORDER0002").unwrap())
        .txdtm(TradeTime::parse("2025-01-02 03:04:05").unwrap())
        .return_url(ReturnUrl::new("https://merchant.example/ok").unwrap())
        .failed_url("https://merchant.example/fail")
        .notify_url(NotifyUrl::new("https://merchant.example/notify").unwrap())
        .build()
}

const CHECKOUT_INPUT: &str = "appcode=APPCODE0001&failed_url=https://merchant.example/fail&notify_url=https://merchant.example/notify&out_trade_no=ORDER0002&paysource=remotepay_checkout&return_url=https://merchant.example/ok&sign_type=sha256&txamt=1000&txcurrcd=HKD&txdtm=2025-01-02 03:04:05";
const CHECKOUT_SIGN: &str = "56369e26388a31f32f01c4072f134b8cc13b3e09fe160fdceb4a3dd901f4baf5";

#[test]
fn checkout_vector() {
    let independent = hex::encode(Sha256::digest(format!("{CHECKOUT_INPUT}{KEY}").as_bytes()));
    assert_eq!(independent, CHECKOUT_SIGN);
    let c = checkout();
    assert_eq!(c.canonical().unwrap(), CHECKOUT_INPUT);
    assert_eq!(c.signature(&key()).unwrap().to_hex_lower(), CHECKOUT_SIGN);
    let url = c.url("https://test-openapi-hk.qfapi.com", &key()).unwrap();
    assert_eq!(
        url,
        format!(
            "https://test-openapi-hk.qfapi.com/checkstand/#/?appcode=APPCODE0001\
             &failed_url=https%3A%2F%2Fmerchant.example%2Ffail&notify_url=https%3A%2F%2Fmerchant.example%2Fnotify\
             &out_trade_no=ORDER0002&paysource=remotepay_checkout&return_url=https%3A%2F%2Fmerchant.example%2Fok\
             &sign_type=sha256&txamt=1000&txcurrcd=HKD&txdtm=2025-01-02%2003%3A04%3A05&sign={CHECKOUT_SIGN}"
        )
    );
    // Decoding the fragment gives back exactly the signed values (the space is %20, never `+`).
    let pairs = query_pairs(&url, "#/?");
    let signed: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "sign")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert_eq!(signed.join("&"), CHECKOUT_INPUT);
    assert!(!url.contains('+'));
}

#[test]
fn checkout_lang_is_appended_unsigned() {
    let mut c = checkout();
    c.lang = Some(CheckoutLang::ZhHk);
    assert_eq!(c.canonical().unwrap(), CHECKOUT_INPUT);
    let url = c.url("https://test-openapi-hk.qfapi.com", &key()).unwrap();
    assert!(
        url.ends_with(&format!("&sign={CHECKOUT_SIGN}&lang=zh-hk")),
        "{url}"
    );
}

#[test]
fn checkout_optional_fields_md5_and_mchntid() {
    let c = CheckoutUrl::builder()
        .appcode("APPCODE0001")
        .sign_type(SignType::Md5)
        .paysource(PaySource::from_code("shop_checkout"))
        .txamt(Amount::new(1000))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new("ORDER0003").unwrap())
        .txdtm(TradeTime::parse("2025-01-02 03:04:05").unwrap())
        .return_url(ReturnUrl::new("https://merchant.example/ok").unwrap())
        .failed_url("https://merchant.example/fail")
        .notify_url(NotifyUrl::new("https://merchant.example/notify").unwrap())
        .mchntid(MchId::new("AbCdEf1234").unwrap())
        .goods_name(GoodsName::new("測試 商品").unwrap())
        .udid(Udid::new("web").unwrap())
        .expired_time(ExpiredTime::minutes(15).unwrap())
        .checkout_expired_time(1715686118000)
        .limit_pay(LimitPay::NoCredit)
        .cancel_url("https://merchant.example/back")
        .support_pay_type(vec!["Alipay".to_owned(), "WeChatPay".to_owned()])
        .build();
    let input = "appcode=APPCODE0001&cancel_url=https://merchant.example/back&checkout_expired_time=1715686118000\
        &expired_time=15&failed_url=https://merchant.example/fail&goods_name=測試 商品&limit_pay=no_credit\
        &mchntid=AbCdEf1234&notify_url=https://merchant.example/notify&out_trade_no=ORDER0003\
        &paysource=shop_checkout&return_url=https://merchant.example/ok&sign_type=md5\
        &support_pay_type=Alipay,WeChatPay&txamt=1000&txcurrcd=HKD&txdtm=2025-01-02 03:04:05&udid=web";
    assert_eq!(c.canonical().unwrap(), input);
    let expected = hex::encode(Md5::digest(format!("{input}{KEY}").as_bytes()));
    let url = c.url("https://openapi-hk.qfapi.com", &key()).unwrap();
    assert!(url.ends_with(&format!("&sign={expected}")), "{url}");
    assert!(
        url.contains("&goods_name=%E6%B8%AC%E8%A9%A6%20%E5%95%86%E5%93%81&"),
        "{url}"
    );
    assert!(!url.contains("mchid="));
}

#[test]
fn checkout_refuses_bad_values() {
    let mut c = checkout();
    c.txamt = Amount::new(0);
    assert_eq!(c.url("https://x", &key()).unwrap_err().name, "txamt");
    let mut c = checkout();
    c.paysource = PaySource::PaymentElement;
    assert_eq!(c.url("https://x", &key()).unwrap_err().name, "paysource");
    let mut c = checkout();
    c.failed_url = String::new();
    assert_eq!(c.url("https://x", &key()).unwrap_err().name, "failed_url");
}
