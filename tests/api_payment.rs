//! `/trade/v1/payment`: every request type's wire form, the per-flow
//! requirements, and the reference's example responses (§8).

mod api_common;

use api_common::*;
use qfpay::api::*;
use qfpay::types::*;
use qfpay::{EncodeError, Method};

fn hkd() -> Currency {
    Currency::from_code("HKD")
}

fn t(s: &str) -> TradeTime {
    TradeTime::parse(s).unwrap()
}

fn no(s: &str) -> OutTradeNo {
    OutTradeNo::new(s).unwrap()
}

const PAYMENT: (&str, Method, bool) = ("/trade/v1/payment", Method::Post, true);

#[test]
fn general_payment_mpm_example_of_the_docs() {
    // §8.2: the documented MPM request body (with the client's mchid merged).
    let p = Payment::builder()
        .pay_type(PayType::WechatMpm)
        .txamt(Amount::new(20))
        .txcurrcd(hkd())
        .out_trade_no(no("Native20190722145741431794b8d1"))
        .txdtm(t("2019-07-22 14:57:42"))
        .expired_time(ExpiredTime::minutes(10).unwrap())
        .goods_name(GoodsName::new("qfpay").unwrap())
        .limit_pay(LimitPay::NoCredit)
        .udid(Udid::new("AA").unwrap())
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(
        canonical_with_mchid(&p, "R1zQrTdJnn"),
        "expired_time=10&goods_name=qfpay&limit_pay=no_credit&mchid=R1zQrTdJnn\
         &out_trade_no=Native20190722145741431794b8d1&pay_type=800201&txamt=20&txcurrcd=HKD\
         &txdtm=2019-07-22 14:57:42&udid=AA"
    );
    assert_eq!(
        qfpay::form_body(&p),
        "expired_time=10&goods_name=qfpay&limit_pay=no_credit\
         &out_trade_no=Native20190722145741431794b8d1&pay_type=800201&txamt=20&txcurrcd=HKD\
         &txdtm=2019-07-22+14%3A57%3A42&udid=AA"
    );
    assert_signature_matches(&p);
}

#[test]
fn signing_vectors_of_section_5_1() {
    let p = Payment::builder()
        .pay_type(PayType::AlipayMpm)
        .txamt(Amount::new(100))
        .txcurrcd(hkd())
        .out_trade_no(no("ORDER0001"))
        .txdtm(t("2025-01-02 03:04:05"))
        .build();
    let key = qfpay::ClientKey::new(KEY);
    assert_eq!(
        qfpay::canonical_string(&p),
        "out_trade_no=ORDER0001&pay_type=800101&txamt=100&txcurrcd=HKD&txdtm=2025-01-02 03:04:05"
    );
    assert_eq!(
        qfpay::sign(&p, &key, qfpay::SignType::Md5).to_string(),
        "A80FE4E16B6ECC50FCDAF08A20CF760E"
    );
    assert_eq!(
        qfpay::sign(&p, &key, qfpay::SignType::Sha256).to_string(),
        "789393E4A5FBDB5E508C88318C837BFECC1296D7B1BD52A321ECDEF906F7C0D8"
    );

    // + goods_name=測試商品 + mchid=AbCdEf1234 (merged by the client).
    let p = Payment::builder()
        .pay_type(PayType::AlipayMpm)
        .txamt(Amount::new(100))
        .txcurrcd(hkd())
        .out_trade_no(no("ORDER0001"))
        .txdtm(t("2025-01-02 03:04:05"))
        .goods_name(GoodsName::new("測試商品").unwrap())
        .build();
    let mut buf = qfpay::sign::SignBuffer::new();
    buf.encode(&p, Some(("mchid", "AbCdEf1234"))).unwrap();
    assert_eq!(
        buf.canonical(),
        "goods_name=測試商品&mchid=AbCdEf1234&out_trade_no=ORDER0001&pay_type=800101&txamt=100&txcurrcd=HKD&txdtm=2025-01-02 03:04:05"
    );
    assert_eq!(
        buf.signature(&key, qfpay::SignType::Md5).to_string(),
        "70F8B5443B3364AA26C65A0DE141FCDC"
    );
    assert_eq!(
        independent_signature(buf.body(), KEY, false),
        "70F8B5443B3364AA26C65A0DE141FCDC"
    );
}

#[test]
fn cpm_payment_example_of_the_docs() {
    // §8.5 request body (auth code unmasked for the test).
    let p = Payment::cpm()
        .pay_type(PayType::WechatCpm)
        .auth_code(AuthCode::new("134857901234588557").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("Native201907221520536a25477909"))
        .txdtm(t("2019-07-22 15:20:54"))
        .goods_name(GoodsName::new("qfpay").unwrap())
        .udid(Udid::new("AA").unwrap())
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(
        canonical_with_mchid(&p, "R1zQrTdJnn"),
        "auth_code=134857901234588557&goods_name=qfpay&mchid=R1zQrTdJnn\
         &out_trade_no=Native201907221520536a25477909&pay_type=800208&txamt=10&txcurrcd=HKD\
         &txdtm=2019-07-22 15:20:54&udid=AA"
    );
    assert_eq!(encode_error(&p), None);
    assert_signature_matches(&p);
}

#[test]
fn cpm_payment_refuses_a_non_cpm_pay_type() {
    let p = CpmPayment::builder()
        .pay_type(PayType::AlipayMpm)
        .auth_code(AuthCode::new("1").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("O1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    match encode_error(&p) {
        Some(EncodeError::Rejected(e)) => {
            assert_eq!(e.name, "pay_type");
            assert!(e.reason.contains("not a CPM pay type"), "{e}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    // An undocumented code is passed through.
    let p = CpmPayment::builder()
        .pay_type(PayType::from_code("809908"))
        .auth_code(AuthCode::new("1").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("O1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    assert_eq!(encode_error(&p), None);
}

#[test]
fn general_payment_refuses_pay_types_with_a_dedicated_type() {
    for (pay_type, hint) in [
        (PayType::WechatCpm, "CpmPayment"),
        (PayType::CpmAutoDetect, "CpmPayment"),
        (PayType::PaymeCpm, "CpmPayment"),
        (PayType::WechatJsapi, "WechatJsapiPayment"),
        (PayType::WechatMiniProgram, "WechatMiniProgramPayment"),
        (PayType::AlipayServiceWindow, "AlipayServiceWindowPayment"),
        (PayType::WechatH5, "WechatH5Payment"),
    ] {
        let p = Payment::builder()
            .pay_type(pay_type.clone())
            .txamt(Amount::new(10))
            .txcurrcd(hkd())
            .out_trade_no(no("O1"))
            .txdtm(t("2019-07-22 15:20:54"))
            .build();
        match encode_error(&p) {
            Some(EncodeError::Rejected(e)) => {
                assert_eq!(e.name, "pay_type", "{pay_type}");
                assert!(e.reason.contains(hint), "{pay_type}: {e}");
            }
            other => panic!("{pay_type}: expected a rejection, got {other:?}"),
        }
    }
    // Every other flow goes through.
    for pay_type in [
        PayType::AlipayMpm,
        PayType::WechatMpm,
        PayType::AlipayHkWap,
        PayType::WechatInApp,
        PayType::FpsMpm,
        PayType::AlipayPreAuth801808,
        PayType::from_code("999999"),
    ] {
        let p = Payment::builder()
            .pay_type(pay_type.clone())
            .txamt(Amount::new(10))
            .txcurrcd(hkd())
            .out_trade_no(no("O1"))
            .txdtm(t("2019-07-22 15:20:54"))
            .build();
        assert_eq!(encode_error(&p), None, "{pay_type}");
    }
}

#[test]
fn zero_amount_is_refused_naming_txamt() {
    let p = Payment::builder()
        .pay_type(PayType::AlipayMpm)
        .txamt(Amount::new(0))
        .txcurrcd(hkd())
        .out_trade_no(no("O1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    assert!(matches!(encode_error(&p), Some(EncodeError::Rejected(e)) if e.name == "txamt"));
}

#[test]
fn expired_time_limits() {
    assert!(ExpiredTime::minutes(4).is_err());
    assert_eq!(ExpiredTime::minutes(121).unwrap_err().name, "expired_time");
    assert_eq!(ExpiredTime::minutes(5).unwrap().as_minutes(), 5);
    assert_eq!(ExpiredTime::minutes(120).unwrap().as_minutes(), 120);
}

#[test]
fn in_app_example_of_the_docs() {
    // §8.10 example body.
    let p = Payment::builder()
        .pay_type(PayType::WechatInApp)
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("O5DNgEgL1XpvbvQSfPhN"))
        .txdtm(t("2019-09-13 04:53:03"))
        .goods_info("test_app")
        .goods_name(GoodsName::new("qfpay").unwrap())
        .udid(Udid::new("AA").unwrap())
        .build();
    assert_eq!(
        qfpay::canonical_string(&p),
        "goods_info=test_app&goods_name=qfpay&out_trade_no=O5DNgEgL1XpvbvQSfPhN&pay_type=800210\
         &txamt=10&txcurrcd=HKD&txdtm=2019-09-13 04:53:03&udid=AA"
    );
}

#[test]
fn every_optional_field_of_the_general_payment() {
    let p = Payment::builder()
        .pay_type(PayType::AlipayHkInApp)
        .txamt(Amount::new(1))
        .txcurrcd(hkd())
        .out_trade_no(no("052711570017898"))
        .txdtm(t("2021-05-27 11:57:00"))
        .goods_name(GoodsName::new("goods_name").unwrap())
        .goods_info("goods_info")
        .return_url(ReturnUrl::new("https://www.qfpay.global/").unwrap())
        .notify_url(NotifyUrl::new("https://m.example/n").unwrap())
        .pay_tag(PayTag::AlipayHk)
        .rmb_tag("Y")
        .openid("2088")
        .auth_code(AuthCode::new("28").unwrap())
        .extend_info(Json::new(serde_json::json!({"a": 1})).unwrap())
        .build();
    assert_eq!(
        qfpay::form_body(&p),
        "auth_code=28&extend_info=%7B%22a%22%3A1%7D&goods_info=goods_info&goods_name=goods_name\
         &notify_url=https%3A%2F%2Fm.example%2Fn&openid=2088&out_trade_no=052711570017898\
         &pay_tag=ALIPAYHK&pay_type=801510&return_url=https%3A%2F%2Fwww.qfpay.global%2F&rmb_tag=Y\
         &txamt=1&txcurrcd=HKD&txdtm=2021-05-27+11%3A57%3A00"
    );
    assert_signature_matches(&p);
}

#[test]
fn wechat_jsapi_and_mini_program_require_sub_openid() {
    let p = Payment::wechat_jsapi()
        .sub_openid(SubOpenid::new("oo3Lss8d0hLOuyTuSJMVwLTk68JE").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("J1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .extend_info(
            Json::new(RealNameInfo {
                user_creid: "430067798868676871".into(),
                user_truename: "小林".into(),
            })
            .unwrap(),
        )
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(p.pay_type(), &PayType::WechatJsapi);
    assert_eq!(
        qfpay::canonical_string(&p),
        r#"extend_info={"user_creid":"430067798868676871","user_truename":"小林"}&out_trade_no=J1&pay_type=800207&sub_openid=oo3Lss8d0hLOuyTuSJMVwLTk68JE&txamt=10&txcurrcd=HKD&txdtm=2019-07-22 15:20:54"#
    );
    assert_signature_matches(&p);

    let p = Payment::wechat_mini_program()
        .sub_openid(SubOpenid::new("openid-1").unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("M1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .expired_time(ExpiredTime::minutes(30).unwrap())
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(
        qfpay::canonical_string(&p),
        "expired_time=30&out_trade_no=M1&pay_type=800213&sub_openid=openid-1&txamt=10&txcurrcd=HKD&txdtm=2019-07-22 15:20:54"
    );
}

#[test]
fn alipay_service_window_requires_openid() {
    let p = Payment::alipay_service_window()
        .openid("2088802811715388")
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("A1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .return_url(ReturnUrl::new("https://m.example/r").unwrap())
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(
        qfpay::canonical_string(&p),
        "openid=2088802811715388&out_trade_no=A1&pay_type=800107&return_url=https://m.example/r&txamt=10&txcurrcd=HKD&txdtm=2019-07-22 15:20:54"
    );
}

#[test]
fn wechat_h5_requires_extend_info() {
    let info = H5ExtendInfo::new("https://qfpay.global/h5/pay", "qfpay", "192.168.1.10");
    let p = Payment::wechat_h5()
        .extend_info(Json::new(info).unwrap())
        .txamt(Amount::new(10))
        .txcurrcd(hkd())
        .out_trade_no(no("H1"))
        .txdtm(t("2019-07-22 15:20:54"))
        .build();
    assert_eq!(meta(&p), PAYMENT);
    assert_eq!(
        qfpay::canonical_string(&p),
        r#"extend_info={"scene_info":{"h5_info":{"type":"Wap","wap_url":"https://qfpay.global/h5/pay","wap_name":"qfpay"}},"spbill_create_ip":"192.168.1.10"}&out_trade_no=H1&pay_type=800212&txamt=10&txcurrcd=HKD&txdtm=2019-07-22 15:20:54"#
    );
    assert_signature_matches(&p);
}

// ---------------------------------------------------------------------------
// Responses (§8), copied from the reference
// ---------------------------------------------------------------------------

#[test]
fn alipay_mpm_response() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "txdtm": "2019-12-25 14:21:28",
  "qrcode": "https://qr.alipay.com/bax01781r3pu4fjaqazt4091",
  "pay_type": "800101",
  "resperr": "success",
  "out_trade_no": "01234567890123",
  "syssn": "20191225000200020060996533",
  "sysdtm": "2019-12-25 14:22:37",
  "paydtm": "2019-12-25 14:22:37",
  "txcurrcd": "EUR",
  "respmsg": "",
  "cardcd": "",
  "udid": "qiantai2",
  "txamt": "10",
  "respcd": "0000",
  "chnlsn": ""
}"#,
    )
    .unwrap();
    assert_eq!(r.envelope.respcd, RespCode::Ok);
    assert!(r.is_accepted() && !r.is_pending());
    assert_eq!(r.pay_type, Some(PayType::AlipayMpm));
    assert_eq!(r.txamt, Some(Amount::new(10)));
    assert_eq!(r.txcurrcd, Some(Currency::from_code("EUR")));
    assert_eq!(r.txdtm, Some(t("2019-12-25 14:21:28")));
    assert_eq!(r.sysdtm, Some(t("2019-12-25 14:22:37")));
    assert_eq!(r.paydtm, Some(t("2019-12-25 14:22:37")));
    assert_eq!(r.syssn.unwrap().as_str(), "20191225000200020060996533");
    assert_eq!(r.out_trade_no.unwrap().as_str(), "01234567890123");
    assert_eq!(
        r.qrcode.as_deref(),
        Some("https://qr.alipay.com/bax01781r3pu4fjaqazt4091")
    );
    assert_eq!(r.udid, "qiantai2");
    assert_eq!(r.pay_url, None);
    assert_eq!(r.pay_params, None);
    assert!(r.extra.is_empty(), "{:?}", r.extra);
}

#[test]
fn mpm_response_with_numeric_surcharge_and_chnlsn2() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "surcharge_fee": 0,
  "qrcode": "https://qr.alipay.com/bax03190uxd47wbekffy6033",
  "pay_type": "800101",
  "surcharge_rate": 0,
  "resperr": "success",
  "txdtm": "2020-04-23 11:09:24",
  "out_trade_no": "364ZK6BAJGYHMU3TUX0X7MGIGQL4O8KI",
  "syssn": "20200423066200020000976054",
  "sysdtm": "2020-04-23 11:09:27",
  "txcurrcd": "EUR",
  "respmsg": "",
  "chnlsn2": "",
  "cardcd": "",
  "udid": "qiantai2",
  "txamt": "1",
  "respcd": "0000",
  "chnlsn": ""
}"#,
    )
    .unwrap();
    assert_eq!(r.surcharge_fee, Some(Amount::new(0)));
    assert_eq!(r.surcharge_rate, "0");
    assert_eq!(r.txamt, Some(Amount::new(1)));
    assert!(r.extra.is_empty());
}

#[test]
fn cpm_response_with_numeric_txamt_and_chinese_resperr() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "pay_type": "800108",
  "sysdtm": "2019-07-22 15:20:54",
  "paydtm": "2019-07-22 15:20:56",
  "txdtm": "2019-07-22 15:20:54",
  "udid": "AA",
  "txcurrcd": "EUR",
  "txamt": 10,
  "resperr": "交易成功",
  "respmsg": "OK",
  "out_trade_no": "201907221520536a25477909",
  "syssn": "20190722000300020081074842",
  "respcd": "0000",
  "chnlsn": "4200000384201907223585006133"
}"#,
    )
    .unwrap();
    assert_eq!(r.txamt, Some(Amount::new(10)));
    assert_eq!(r.envelope.resperr, "交易成功");
    assert_eq!(r.envelope.respmsg, "OK");
    assert_eq!(r.chnlsn, "4200000384201907223585006133");
    assert_eq!(r.pay_type, Some(PayType::AlipayCpm));
}

#[test]
fn wap_response_with_pay_url() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "sysdtm": "2020-04-13 11:32:03",
  "paydtm": "2020-04-13 11:32:03",
  "txcurrcd": "HKD",
  "respmsg": "",
  "pay_type": "801107",
  "cardcd": "",
  "udid": "qiantai2",
  "txdtm": "2020-04-13 11:32:03",
  "txamt": "300",
  "resperr": "success",
  "out_trade_no": "BUFB3PT9ZDUWEUAE4ATD21JKNHVEIIPV",
  "syssn": "20200413000200020087171988",
  "respcd": "0000",
  "pay_url": "https://globalmapi.alipay.com/gateway.do?total_fee=3.0&...&service=create_forex_trade_wap&...",
  "chnlsn": ""
}"#,
    )
    .unwrap();
    assert_eq!(
        r.pay_url.as_deref(),
        Some(
            "https://globalmapi.alipay.com/gateway.do?total_fee=3.0&...&service=create_forex_trade_wap&..."
        )
    );
    assert_eq!(r.qrcode, None);
    assert_eq!(r.txamt, Some(Amount::new(300)));
}

#[test]
fn wechat_in_app_response_with_pay_params() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "sysdtm": "2019-09-13 12:53:04",
  "paydtm": "2019-09-13 12:53:04",
  "txcurrcd": "HKD",
  "respmsg": "",
  "pay_params": {
    "package": "Sign=WXPay",
    "timestamp": 1568350384,
    "sign": "XwFjohEKWdkhhT4ueg7BxeDn8tT9Lcqo",
    "partnerid": "316525492",
    "appid": "wx3c6896fa9b351f2a",
    "prepayid": "wx131253044253463a81dc336e1254149882",
    "noncestr": "7786db42d9a245c2b1cfc717ac59376e"
  },
  "pay_type": "800210",
  "cardcd": "",
  "udid": "AA",
  "txdtm": "2019-09-13 04:53:03",
  "txamt": "10",
  "resperr": "交易成功",
  "out_trade_no": "O5DNgEgL1XpvbvQSfPhN",
  "syssn": "20190913152100020001567741",
  "respcd": "0000",
  "chnlsn": ""
}"#,
    )
    .unwrap();
    match r.pay_params {
        Some(PayParams::WechatApp(p)) => {
            assert_eq!(p.appid, "wx3c6896fa9b351f2a");
            assert_eq!(p.partnerid, "316525492");
            assert_eq!(p.prepayid, "wx131253044253463a81dc336e1254149882");
            assert_eq!(p.package, "Sign=WXPay");
            assert_eq!(p.noncestr, "7786db42d9a245c2b1cfc717ac59376e");
            assert_eq!(p.timestamp, Some(1568350384));
            assert_eq!(p.sign, "XwFjohEKWdkhhT4ueg7BxeDn8tT9Lcqo");
            assert!(p.extra.is_empty());
        }
        other => panic!("expected WechatApp, got {other:?}"),
    }
}

#[test]
fn payme_response_keeps_logo_and_empty_pay_url_is_none() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{
  "pay_type": "805801",
  "sysdtm": "2022-06-30 11:14:29",
  "paydtm": "2022-06-30 11:14:29",
  "resperr": "交易成功",
  "txcurrcd": "HKD",
  "txdtm": "2022-06-30 11:13:41",
  "txamt": "200",
  "payme_logo": "https://shopfront.paymebiz.hsbc.com.hk/.../businessLogo_300x300.png",
  "respmsg": "PR001:Request for Payment Initiated",
  "out_trade_no": "16565588217444950016",
  "syssn": "20220630154100020012764799",
  "respcd": "0000",
  "qrcode": "https://qr.payme.hsbc.com.hk/2/CmJBJZAXRgCh8GmBXJKuXG",
  "udid": "my_udid",
  "pay_url": "",
  "chnlsn": "5f43d654-d309-4560-8585-fb78f8dc694b",
  "cardcd": ""
}"#,
    )
    .unwrap();
    assert_eq!(
        r.payme_logo.as_deref(),
        Some("https://shopfront.paymebiz.hsbc.com.hk/.../businessLogo_300x300.png")
    );
    assert_eq!(r.pay_url, None);
    assert_eq!(r.envelope.respmsg, "PR001:Request for Payment Initiated");
    assert_eq!(r.pay_type, Some(PayType::PaymeMpm));
}

#[test]
fn pending_and_unknown_fields_are_kept() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{"respcd":"1143","resperr":"交易处理中","respmsg":"","syssn":"1","new_field":{"x":[1,2]},"web_url":"https://w.example"}"#,
    )
    .unwrap();
    assert!(r.is_pending());
    assert_eq!(r.envelope.respcd, RespCode::NotPaidYet);
    assert_eq!(
        r.extra.value("new_field"),
        Some(serde_json::json!({"x": [1, 2]}))
    );
    assert_eq!(r.web_url.as_deref(), Some("https://w.example"));
    for code in ["1145", "1298"] {
        let r: PaymentResponse =
            serde_json::from_str(&format!(r#"{{"respcd":"{code}"}}"#)).unwrap();
        assert!(r.is_pending(), "{code}");
    }
    let r: PaymentResponse = serde_json::from_str(r#"{"respcd":"9999","resperr":"?"}"#).unwrap();
    assert_eq!(r.envelope.respcd, RespCode::Other("9999".into()));
    assert!(!r.is_pending() && !r.is_accepted());
}

#[test]
fn odd_times_do_not_fail_the_response() {
    let r: PaymentResponse = serde_json::from_str(
        r#"{"respcd":"0000","txdtm":"2019-12-25T14:21:28Z","sysdtm":"","paydtm":null}"#,
    )
    .unwrap();
    assert_eq!((r.txdtm, r.sysdtm, r.paydtm), (None, None, None));
}

// ---------------------------------------------------------------------------
// pay_params variants
// ---------------------------------------------------------------------------

#[test]
fn pay_params_wechat_jsapi() {
    let p: PayParams = serde_json::from_str(
        r#"{"appId":"wx1234567890abcdef","timeStamp":"1593746074","nonceStr":"69d8a67fe34e44ca9bb2a20dd299cc58","package":"prepay_id=wx03111434674853b80d25e0911996417600","signType":"MD5","paySign":"B0AECE676746F2A310CB06F27641E809"}"#,
    )
    .unwrap();
    let PayParams::WechatJsapi(j) = p else {
        panic!("expected WechatJsapi, got {p:?}")
    };
    assert_eq!(j.app_id, "wx1234567890abcdef");
    assert_eq!(j.time_stamp, "1593746074");
    assert_eq!(j.nonce_str, "69d8a67fe34e44ca9bb2a20dd299cc58");
    assert_eq!(j.package, "prepay_id=wx03111434674853b80d25e0911996417600");
    assert_eq!(j.sign_type, "MD5");
    assert_eq!(j.pay_sign, "B0AECE676746F2A310CB06F27641E809");
    // Serialised back with WeChat's key names.
    let back = serde_json::to_value(PayParams::WechatJsapi(j)).unwrap();
    assert_eq!(back["paySign"], "B0AECE676746F2A310CB06F27641E809");
    assert_eq!(back["timeStamp"], "1593746074");
}

#[test]
fn pay_params_alipay_service_window() {
    let p: PayParams =
        serde_json::from_str(r#"{"tradeNO":"2019123122001411461404119764"}"#).unwrap();
    assert!(
        matches!(p, PayParams::AlipayServiceWindow(ref a) if a.trade_no == "2019123122001411461404119764"),
        "{p:?}"
    );
}

#[test]
fn pay_params_alipay_app_and_order_string() {
    let p: PayParams = serde_json::from_str(
        r#"{"partner":"2088621891276675","seller_id":"testoverseas9191@alipay.com","subject":"goods_name","body":"goods_info",
            "total_fee":0.01,"notify_url":"https://test-o2-hk.qfapi.com/notify","service":"mobile.securitypay.pay",
            "payment_type":"1","_input_charset":"UTF-8","it_b_pay":"30m","return_url":"https://www.qfpay.global/",
            "payment_inst":"ALIPAYHK","currency":"HKD","product_code":"NEW_WAP_OVERSEAS_SELLER",
            "sign":"abc%2Bdef%3D","sign_type":"RSA","forex_biz":"FP","out_trade_no":"20210527180500020000014116",
            "secondary_merchant_id":"1","secondary_merchant_name":"Shop","secondary_merchant_industry":"5812"}"#,
    )
    .unwrap();
    let PayParams::AlipayApp(a) = p else {
        panic!("expected AlipayApp, got {p:?}")
    };
    assert_eq!(a.total_fee.as_deref(), Some("0.01"));
    assert_eq!(a.input_charset.as_deref(), Some("UTF-8"));
    assert_eq!(a.payment_inst.as_deref(), Some("ALIPAYHK"));
    assert_eq!(
        a.out_trade_no.as_deref(),
        Some("20210527180500020000014116")
    );
    let order = a.order_string();
    assert!(
        order.starts_with(r#"_input_charset="UTF-8"&body="goods_info"&currency="HKD"&"#),
        "{order}"
    );
    assert!(
        order.ends_with(r#"&sign="abc%2Bdef%3D"&sign_type="RSA""#),
        "{order}"
    );
    assert!(order.contains(r#"&total_fee="0.01"&"#), "{order}");
}

#[test]
fn pay_params_card_challenge_and_frictionless() {
    let p: PayParams = serde_json::from_str(
        r#"{"3ds_challenge_details":{"url":"https://centinelapistag.cardinalcommerce.com/V2/Cruise/StepUp","jwt":"eyJ"},"set-cookie":"machine=0a854015;path=/","order_code":"20211202000300020000000001"}"#,
    )
    .unwrap();
    let PayParams::Card(c) = p else {
        panic!("expected Card, got {p:?}")
    };
    assert_eq!(c.set_cookie.as_deref(), Some("machine=0a854015;path=/"));
    assert_eq!(c.order_code.as_deref(), Some("20211202000300020000000001"));
    let challenge = c.three_ds_challenge_details.unwrap();
    assert_eq!(challenge.jwt, "eyJ");

    let p: PayParams = serde_json::from_str(
        r#"{"payment_method":"VISA_CREDIT-SSL","3ds_secure_result":"Y","last_event":"AUTHORISED","order_code":"1","set-cookie":"m=1"}"#,
    )
    .unwrap();
    assert!(
        matches!(p, PayParams::Card(ref c) if c.last_event.as_deref() == Some("AUTHORISED")),
        "{p:?}"
    );
}

#[test]
fn pay_params_raw_fallback_and_stringified() {
    let p: PayParams = serde_json::from_str(r#"{"ddc_jwt":"abc"}"#).unwrap();
    assert_eq!(p, PayParams::Raw(serde_json::json!({"ddc_jwt": "abc"})));
    let p: PayParams = serde_json::from_str(r#""not json""#).unwrap();
    assert_eq!(p, PayParams::Raw(serde_json::json!("not json")));
    let p: PayParams = serde_json::from_str(r#""{\"tradeNO\":\"9\"}""#).unwrap();
    assert!(matches!(p, PayParams::AlipayServiceWindow(_)), "{p:?}");
    // A typed shape with a wrongly typed field falls back to Raw, not an error.
    let p: PayParams =
        serde_json::from_str(r#"{"appId":"a","nonceStr":["x"],"paySign":"s"}"#).unwrap();
    assert!(matches!(p, PayParams::Raw(_)), "{p:?}");
}
