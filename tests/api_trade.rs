//! Refund (§11), reversal / close (§12), add_note (§13), trade_bill (§14),
//! pre-authorisation (§15): requests and the reference's example responses.

mod api_common;

use api_common::*;
use qfpay::api::*;
use qfpay::types::*;
use qfpay::{DecodeResponse, Method};

fn t(s: &str) -> TradeTime {
    TradeTime::parse(s).unwrap()
}

fn syssn(s: &str) -> Syssn {
    Syssn::new(s).unwrap()
}

#[test]
fn refund_request_of_the_docs_without_the_key() {
    // The docs' body carries `key=…` by mistake; the SDK never sends the key.
    let r = Refund::builder()
        .syssn(syssn("20191227000200020061752831"))
        .out_trade_no(OutTradeNo::new("12345678").unwrap())
        .txamt(Amount::new(10))
        .txdtm(t("2019-12-27 10:39:39"))
        .build();
    assert_eq!(meta(&r), ("/trade/v1/refund", Method::Post, true));
    assert_eq!(
        canonical_with_mchid(&r, "ZaMVg12345"),
        "mchid=ZaMVg12345&out_trade_no=12345678&syssn=20191227000200020061752831&txamt=10&txdtm=2019-12-27 10:39:39"
    );
    assert!(!qfpay::form_body(&r).contains("key="));
    assert_signature_matches(&r);
    let r = Refund::builder()
        .syssn(syssn("1"))
        .out_trade_no(OutTradeNo::new("R").unwrap())
        .txamt(Amount::new(10))
        .txdtm(t("2019-12-27 10:39:39"))
        .udid(Udid::new("pos-1").unwrap())
        .build();
    assert_eq!(
        qfpay::form_body(&r),
        "out_trade_no=R&syssn=1&txamt=10&txdtm=2019-12-27+10%3A39%3A39&udid=pos-1"
    );
}

#[test]
fn refund_response_of_the_docs() {
    let r: RefundResponse = serde_json::from_str(
        r#"{
  "orig_syssn": "20191227000200020061752831",
  "sysdtm": "2019-12-27 11:11:23",
  "paydtm": "2019-12-27 11:11:26",
  "txdtm": "2019-12-27 11:10:38",
  "udid": "qiantai2",
  "txcurrcd": "EUR",
  "txamt": "10",
  "resperr": "success",
  "respmsg": "",
  "out_trade_no": "RGNOEIVU9JZLNP9GGYXWXCW7OEMI720F",
  "syssn": "20191227000300020061652643",
  "respcd": "0000",
  "chnlsn": "2019122722001411461404119764",
  "cardcd": ""
}"#,
    )
    .unwrap();
    assert_eq!(r.envelope.respcd, RespCode::Ok);
    assert!(!r.is_pending());
    assert_eq!(
        r.syssn.as_ref().unwrap().as_str(),
        "20191227000300020061652643"
    );
    assert_eq!(
        r.orig_syssn.as_ref().unwrap().as_str(),
        "20191227000200020061752831"
    );
    assert_eq!(r.txamt, Some(Amount::new(10)));
    assert_eq!(r.txcurrcd, Some(Currency::from_code("EUR")));
    assert_eq!(r.sysdtm, Some(t("2019-12-27 11:11:23")));
    assert_eq!(r.paydtm, Some(t("2019-12-27 11:11:26")));
    assert_eq!(r.chnlsn, "2019122722001411461404119764");
    assert!(r.extra.is_empty(), "{:?}", r.extra);
}

#[test]
fn reversal_and_close_requests() {
    let r = Reversal::by_syssn(
        syssn("20200305066100020000977813"),
        Amount::new(2500),
        t("2020-03-05 16:50:30"),
    );
    assert_eq!(meta(&r), ("/trade/v1/reversal", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&r),
        "syssn=20200305066100020000977813&txamt=2500&txdtm=2020-03-05 16:50:30"
    );
    assert_signature_matches(&r);
    let r = Reversal::by_out_trade_no(
        OutTradeNo::new("O1").unwrap(),
        Amount::new(1),
        t("2020-03-05 16:50:30"),
    );
    assert_eq!(
        qfpay::canonical_string(&r),
        "out_trade_no=O1&txamt=1&txdtm=2020-03-05 16:50:30"
    );

    let c = Close::builder()
        .syssn(syssn("1"))
        .out_trade_no(OutTradeNo::new("O1").unwrap())
        .txamt(Amount::new(10))
        .txdtm(t("2020-03-05 16:50:30"))
        .udid(Udid::new("AA").unwrap())
        .build();
    assert_eq!(meta(&c), ("/trade/v1/close", Method::Post, true));
    assert_eq!(
        canonical_with_mchid(&c, "M1"),
        "mchid=M1&out_trade_no=O1&syssn=1&txamt=10&txdtm=2020-03-05 16:50:30&udid=AA"
    );
    let c = Close::by_syssn(syssn("1"), Amount::new(10), t("2020-03-05 16:50:30"));
    assert_eq!(
        qfpay::canonical_string(&c),
        "syssn=1&txamt=10&txdtm=2020-03-05 16:50:30"
    );

    let a = AlipayPreAuthCancel::builder()
        .syssn(vec![syssn("1"), syssn("2")])
        .txdtm(t("2020-03-05 16:50:30"))
        .build();
    assert_eq!(meta(&a), ("/trade/v1/reversal", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&a),
        "syssn=1,2&txdtm=2020-03-05 16:50:30"
    );
}

#[test]
fn reversal_response_of_the_docs() {
    let r: ReversalResponse = serde_json::from_str(
        r#"{
  "surcharge_fee": "0",
  "resperr": "success",
  "txdtm": "2020-03-05 16:50:30",
  "syssn": "20200305066100020000977814",
  "sysdtm": "2020-03-05 16:54:38",
  "txcurrcd": "EUR",
  "respmsg": "",
  "chnlsn2": "",
  "cardcd": "",
  "udid": "qiantai2",
  "txamt": "2500",
  "orig_syssn": "20200305066100020000977813",
  "surcharge_rate": "0",
  "respcd": "0000",
  "chnlsn": ""
}"#,
    )
    .unwrap();
    assert_eq!(
        r.syssn.as_ref().unwrap().as_str(),
        "20200305066100020000977814"
    );
    assert_eq!(
        r.orig_syssn.as_ref().unwrap().as_str(),
        "20200305066100020000977813"
    );
    assert_eq!(r.txamt, Some(Amount::new(2500)));
    assert_eq!(r.surcharge_fee, Some(Amount::new(0)));
    assert_eq!(r.surcharge_rate, "0");
    assert!(!r.is_pending());
    assert!(r.extra.is_empty(), "{:?}", r.extra);
    let c: CloseResponse = serde_json::from_str(r#"{"respcd":"1145"}"#).unwrap();
    assert!(c.is_pending());
    let c: CloseResponse = serde_json::from_str(r#"{"respcd":"1150","resperr":"T0"}"#).unwrap();
    assert_eq!(c.envelope.respcd, RespCode::CancellationNotSupported);
}

#[test]
fn add_note_never_carries_mchid() {
    let n = AddNote::builder()
        .code("A6A49A66B4C94EA95032")
        .note(Note::new("add_note").unwrap())
        .syssn(syssn("20190722000200020081075691"))
        .build();
    assert_eq!(meta(&n), ("/trade/v1/add_note", Method::Post, false));
    assert_eq!(
        qfpay::form_body(&n),
        "code=A6A49A66B4C94EA95032&note=add_note&syssn=20190722000200020081075691"
    );
    assert_signature_matches(&n);
    assert_eq!(Note::new("x".repeat(201)).unwrap_err().name, "note");
    assert!(Note::new("備註".repeat(100)).is_ok());
    assert!(Note::new("").is_err());
}

#[test]
fn add_note_response_syssn_from_data_or_top_level() {
    // The docs print `"respcd": 0000` unquoted; quoted here as the reference says.
    let r: AddNoteResponse = serde_json::from_str(
        r#"{"resperr": "Success", "respcd": "0000", "respmsg": "", "data": {"syssn": "20190722000200020081084545"}}"#,
    )
    .unwrap();
    assert_eq!(r.syssn().unwrap().as_str(), "20190722000200020081084545");
    assert_eq!(r.envelope.resperr, "Success");
    let r: AddNoteResponse =
        serde_json::from_str(r#"{"respcd":"0000","syssn":"20190722000200020081084545"}"#).unwrap();
    assert_eq!(r.syssn().unwrap().as_str(), "20190722000200020081084545");
}

#[test]
fn trade_bill_request_and_binary_response() {
    let b = DownloadTradeBill::builder()
        .trade_date(TradeDate::parse("2017-10-17").unwrap())
        .build();
    assert_eq!(meta(&b), ("/download/v1/trade_bill", Method::Get, false));
    assert_eq!(qfpay::form_body(&b), "trade_date=2017-10-17");
    assert_signature_matches(&b);
    assert_eq!(
        TradeDate::parse("2017-13-01").unwrap_err().name,
        "trade_date"
    );
    assert!(TradeDate::parse("17-10-17").is_err());
    assert_eq!(
        TradeDate::parse("2024-02-29").unwrap().to_string(),
        "2024-02-29"
    );

    // A ZIP file (not JSON) decodes as the raw bytes.
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe binary \x00\x01";
    let bill = TradeBill::decode(zip).unwrap();
    assert_eq!(bill.bytes(), zip);
    assert!(bill.is_zip());
    assert_eq!(
        format!("{bill:?}"),
        format!("TradeBill({} bytes)", zip.len())
    );
    // Any other non-JSON body is kept too (the format is undocumented).
    let csv = "交易日期,金额\n2017-10-17,10\n".as_bytes();
    let bill = TradeBill::decode(csv).unwrap();
    assert!(!bill.is_zip());
    assert_eq!(bill.into_bytes(), csv);
    // A JSON envelope instead of a file is an error carrying the code.
    let err = TradeBill::decode(br#"{"respcd":"1104","resperr":"param error","respmsg":""}"#)
        .unwrap_err();
    assert!(err.to_string().contains("1104"), "{err}");
}

#[test]
fn pre_auth_requests() {
    let a = AuthTrade::builder()
        .syssn(syssn("20240226180500020000014079"))
        .txamt(Amount::new(500))
        .txcurrcd(Currency::from_code("HKD"))
        .build();
    assert_eq!(meta(&a), ("/trade/v1/authtrade", Method::Post, true));
    assert_eq!(
        canonical_with_mchid(&a, "M1"),
        "mchid=M1&syssn=20240226180500020000014079&txamt=500&txcurrcd=HKD"
    );
    assert_signature_matches(&a);

    let d = AlipayAuthTrade::builder()
        .syssn(syssn("1"))
        .out_trade_no(OutTradeNo::new("D1").unwrap())
        .txamt(Amount::new(100))
        .txdtm(t("2024-02-26 15:04:11"))
        .return_url(ReturnUrl::new("https://m.example/r").unwrap())
        .build();
    assert_eq!(meta(&d), ("/trade/v1/authtrade", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&d),
        "out_trade_no=D1&return_url=https://m.example/r&syssn=1&txamt=100&txdtm=2024-02-26 15:04:11"
    );

    let u = Unfreeze::builder()
        .syssn(syssn("20240226180500020000014079"))
        .out_trade_no(OutTradeNo::new("P1").unwrap())
        .txamt(Amount::new(100))
        .txdtm(t("2024-02-26 15:04:11"))
        .build();
    assert_eq!(meta(&u), ("/trade/v1/unfreeze", Method::Post, true));
    assert_eq!(
        qfpay::canonical_string(&u),
        "out_trade_no=P1&syssn=20240226180500020000014079&txamt=100&txdtm=2024-02-26 15:04:11"
    );
    assert_signature_matches(&u);
}

#[test]
fn capture_response_of_the_docs() {
    let r: PreAuthResponse = serde_json::from_str(
        r#"{
  "sysdtm": "2024-02-26 15:04:12", "paydtm": "2024-02-26 15:04:12", "udid": "qiantai2",
  "txcurrcd": "HKD", "txdtm": "2024-02-26 07:04:11", "txamt": "500",
  "resperr": "交易成功", "respmsg": "Capture received", "out_trade_no": "",
  "syssn": "20240226180500020000014116", "orig_syssn": "20240226180500020000014079",
  "respcd": "0000", "chnlsn": "", "cardcd": ""
}"#,
    )
    .unwrap();
    assert_eq!(r.envelope.respmsg, "Capture received");
    assert_eq!(r.out_trade_no, None);
    assert_eq!(
        r.syssn.as_ref().unwrap().as_str(),
        "20240226180500020000014116"
    );
    assert_eq!(
        r.orig_syssn.as_ref().unwrap().as_str(),
        "20240226180500020000014079"
    );
    assert_eq!(r.txamt, Some(Amount::new(500)));
    assert_eq!(r.txdtm, Some(t("2024-02-26 07:04:11")));
    assert_eq!(r.envelope.resperr, "交易成功");
    assert!(r.extra.is_empty(), "{:?}", r.extra);
    // The Alipay deduct example prints orig_syssn as a bare number.
    let r: PreAuthResponse = serde_json::from_str(
        r#"{"respcd":"0000","respmsg":"Void received","orig_syssn":2024022618050002}"#,
    )
    .unwrap();
    assert_eq!(r.orig_syssn.unwrap().as_str(), "2024022618050002");
}
