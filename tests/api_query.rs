//! `/trade/v1/query` (§10): requests and the reference's example response.

mod api_common;

use api_common::*;
use qfpay::Method;
use qfpay::api::*;
use qfpay::types::*;

fn st(s: &str, f: &'static str) -> TradeTime {
    TradeTime::parse_field(s, f).unwrap()
}

#[test]
fn example_request_of_the_docs() {
    // `mchid=ZaMVg*****&syssn=…&start_time=…&end_time=…` (mchid from the client).
    let q = Query::builder()
        .syssn(Syssn::new("20191227000200020061752831").unwrap())
        .start_time(st("2019-12-27 00:00:00", "start_time"))
        .end_time(st("2019-12-27 23:59:59", "end_time"))
        .build();
    assert_eq!(meta(&q), ("/trade/v1/query", Method::Post, true));
    assert_eq!(
        canonical_with_mchid(&q, "ZaMVg12345"),
        "end_time=2019-12-27 23:59:59&mchid=ZaMVg12345&start_time=2019-12-27 00:00:00&syssn=20191227000200020061752831"
    );
    assert_eq!(
        body_with_mchid(&q, "ZaMVg12345"),
        "end_time=2019-12-27+23%3A59%3A59&mchid=ZaMVg12345&start_time=2019-12-27+00%3A00%3A00&syssn=20191227000200020061752831"
    );
    assert_signature_matches(&q);
}

#[test]
fn lists_are_comma_joined_and_every_filter_is_sorted() {
    let q = Query::builder()
        .syssn(vec![
            Syssn::new("20191227000200020061752831").unwrap(),
            Syssn::new("20191227000300020061652643").unwrap(),
        ])
        .out_trade_no(vec![
            OutTradeNo::new("A").unwrap(),
            OutTradeNo::new("B").unwrap(),
        ])
        .pay_type(vec![PayType::AlipayMpm, PayType::WechatCpm])
        .respcd(RespCode::Ok)
        .page(2)
        .page_size(100)
        .build();
    assert_eq!(
        qfpay::canonical_string(&q),
        "out_trade_no=A,B&page=2&page_size=100&pay_type=800101,800208&respcd=0000\
         &syssn=20191227000200020061752831,20191227000300020061652643"
    );
    assert_eq!(
        qfpay::form_body(&q),
        "out_trade_no=A%2CB&page=2&page_size=100&pay_type=800101%2C800208&respcd=0000\
         &syssn=20191227000200020061752831%2C20191227000300020061652643"
    );
    assert_signature_matches(&q);
}

#[test]
fn constructors() {
    let s = Syssn::new("1").unwrap();
    assert_eq!(qfpay::form_body(&Query::by_syssn(s.clone())), "syssn=1");
    assert_eq!(
        qfpay::form_body(&Query::by_syssns([s.clone(), Syssn::new("2").unwrap()])),
        "syssn=1%2C2"
    );
    assert_eq!(
        qfpay::form_body(&Query::by_out_trade_no(OutTradeNo::new("O-1").unwrap())),
        "out_trade_no=O-1"
    );
    assert_eq!(
        qfpay::canonical_string(&Query::time_range(
            st("2019-12-01 00:00:00", "start_time"),
            st("2019-12-31 23:59:59", "end_time")
        )),
        "end_time=2019-12-31 23:59:59&start_time=2019-12-01 00:00:00"
    );
    // An empty list and an empty query send nothing.
    let empty: Vec<Syssn> = Vec::new();
    assert_eq!(qfpay::form_body(&Query::builder().syssn(empty).build()), "");
    assert_eq!(qfpay::form_body(&Query::builder().build()), "");
}

const EXAMPLE: &str = r#"{
  "respmsg": "",
  "resperr": "请求成功",
  "respcd": "0000",
  "data": [{
    "cardtp": "5", "cancel": "0", "pay_type": "800101", "order_type": "payment",
    "clisn": "038424", "txdtm": "2019-12-27 10:39:39", "goods_detail": "",
    "out_trade_no": "CHZ7D61JN1ANJF2R2K1I7TXP2JTCEWBL", "syssn": "20191227000200020061752831",
    "sysdtm": "2019-12-27 10:40:24", "paydtm": "2019-12-27 10:42:18", "goods_name": "",
    "txcurrcd": "EUR", "chnlsn2": "", "udid": "qiantai2", "userid": "2605489", "txamt": "10",
    "chnlsn": "2019122722001411461404119764", "respcd": "0000", "goods_info": "", "errmsg": "success"
  }],
  "page": "1",
  "page_size": "10"
}"#;

#[test]
fn example_response_of_the_docs() {
    let r: QueryResponse = serde_json::from_str(EXAMPLE).unwrap();
    assert_eq!(r.envelope.respcd, RespCode::Ok);
    assert_eq!(r.envelope.resperr, "请求成功");
    assert_eq!((r.page, r.page_size), (Some(1), Some(10)));
    assert_eq!(r.data.len(), 1);
    let rec = &r.data[0];
    assert_eq!(rec.cardtp, "5");
    assert_eq!(rec.cancel, Some(CancelState::NotCancelled));
    assert_eq!(rec.pay_type, Some(PayType::AlipayMpm));
    assert_eq!(rec.order_type, Some(OrderType::Payment));
    assert_eq!(rec.clisn, "038424");
    assert_eq!(
        rec.txdtm,
        Some(TradeTime::parse("2019-12-27 10:39:39").unwrap())
    );
    assert_eq!(
        rec.sysdtm,
        Some(TradeTime::parse("2019-12-27 10:40:24").unwrap())
    );
    assert_eq!(
        rec.paydtm,
        Some(TradeTime::parse("2019-12-27 10:42:18").unwrap())
    );
    assert_eq!(
        rec.out_trade_no.as_ref().unwrap().as_str(),
        "CHZ7D61JN1ANJF2R2K1I7TXP2JTCEWBL"
    );
    assert_eq!(rec.txcurrcd, Some(Currency::from_code("EUR")));
    assert_eq!(rec.userid, "2605489");
    assert_eq!(rec.txamt, Some(Amount::new(10)));
    assert_eq!(rec.chnlsn, "2019122722001411461404119764");
    assert_eq!(rec.respcd, RespCode::Ok);
    assert!(rec.payment_state().is_paid() && !rec.is_pending());
    assert_eq!(rec.errmsg, "success");
    assert!(rec.extra.is_empty(), "{:?}", rec.extra);
    assert!(r.find_syssn("20191227000200020061752831").is_some());
    assert!(r.find_syssn("0").is_none());
    assert_eq!(
        r.find_out_trade_no("CHZ7D61JN1ANJF2R2K1I7TXP2JTCEWBL")
            .count(),
        1
    );
}

#[test]
fn the_docs_unquoted_respcd_is_invalid_json_but_a_numeric_code_is_read() {
    // The docs print `"respcd": 0000`: not JSON at all (leading zeros).
    let broken = EXAMPLE.replacen(r#""respcd": "0000","#, r#""respcd": 0000,"#, 1);
    assert!(serde_json::from_str::<QueryResponse>(&broken).is_err());
    // A real number is read as the code it stands for.
    let numeric = EXAMPLE.replacen(r#""respcd": "0000","#, r#""respcd": 0,"#, 1);
    let r: QueryResponse = serde_json::from_str(&numeric).unwrap();
    assert_eq!(r.envelope.respcd, RespCode::Ok);
    let r: QueryResponse =
        serde_json::from_str(r#"{"respcd": 1143, "data": [{"respcd": 1145, "txamt": 10}]}"#)
            .unwrap();
    assert_eq!(r.envelope.respcd, RespCode::NotPaidYet);
    assert!(r.data[0].is_pending());
}

#[test]
fn lenient_shapes() {
    // Numbers as numbers, a single object as `data`, refund records,
    // a record without respcd, unknown fields kept.
    let r: QueryResponse = serde_json::from_str(
        r#"{"respcd":"0000","page":1,"page_size":10,"data":{"syssn":"2","order_type":"refund","origssn":"1","cancel":3,
            "txamt":5,"cash_refund_fee":"5","cash_refund_fee_type":"CNY","userid":2605489,"brand_new":true}}"#,
    )
    .unwrap();
    assert_eq!((r.page, r.page_size), (Some(1), Some(10)));
    let rec = &r.data[0];
    assert_eq!(rec.order_type, Some(OrderType::Refund));
    assert_eq!(rec.origssn, "1");
    assert_eq!(rec.cancel, Some(CancelState::Refunded));
    assert_eq!(rec.txamt, Some(Amount::new(5)));
    assert_eq!(rec.userid, "2605489");
    assert_eq!(rec.respcd, RespCode::Other(String::new()));
    assert_eq!(rec.extra.value("brand_new"), Some(serde_json::json!(true)));

    let r: QueryResponse = serde_json::from_str(r#"{"respcd":"0000","data":[]}"#).unwrap();
    assert!(r.data.is_empty());
    let r: QueryResponse = serde_json::from_str(r#"{"respcd":"0000","data":null}"#).unwrap();
    assert!(r.data.is_empty());
    let r: QueryResponse = serde_json::from_str(r#"{"respcd":"0000"}"#).unwrap();
    assert!(r.data.is_empty() && r.page.is_none());
}
