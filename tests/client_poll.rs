//! A pending payment (1143) is `Ok`, and `wait_for_payment` polls
//! `/trade/v1/query` until it is final or the deadline passes.

mod client_common;

use std::time::Duration;

use client_common::{Canned, OK_QUERY_EMPTY, Server, query_with_record};
use qfpay::api::Query;
use qfpay::types::RespCode;
use qfpay::types::{OutTradeNo, Syssn};
use qfpay::{Method, PaymentState, PollPolicy, RawParams, RawRequest};

const FAST: PollPolicy = PollPolicy::new(Duration::from_millis(5), Duration::from_millis(20));

#[tokio::test]
async fn pending_payment_is_polled_to_success() {
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"respcd":"1143","resperr":"交易中，请稍后查询","respmsg":"","syssn":"20191227000200020061752831","out_trade_no":"ORDER0001","txamt":"10"}"#,
    ));
    server.push(Canned::json(OK_QUERY_EMPTY)); // not visible yet
    server.push(Canned::json(&query_with_record("1143")));
    server.push(Canned::json(&query_with_record("1145")));
    server.push(Canned::json(&query_with_record("0000")));
    let client = server.client().mchid("ZaMVg12345").build().unwrap();

    let payment = RawRequest::new(
        Method::Post,
        "/trade/v1/payment",
        RawParams::from_pairs([
            ("txamt", "10"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800008"),
            ("auth_code", "134510000000000000"),
            ("out_trade_no", "ORDER0001"),
            ("txdtm", "2019-12-27 10:39:39"),
        ]),
    );
    let response = client.call(&payment).await.unwrap();
    assert!(response.envelope.respcd.is_pending());

    let report = client
        .wait_for_payment_with(
            OutTradeNo::new("ORDER0001").unwrap(),
            Duration::from_secs(10),
            FAST,
        )
        .await
        .unwrap();
    assert_eq!(report.state, PaymentState::Paid);
    assert!(report.state.is_paid());
    assert_eq!(
        report.syssn.as_ref().unwrap().as_str(),
        "20191227000200020061752831"
    );
    let received = server.received();
    assert_eq!(received.len(), 5);
    for query in &received[1..] {
        assert_eq!(query.path, "/trade/v1/query");
        assert_eq!(query.param("out_trade_no").as_deref(), Some("ORDER0001"));
        assert_eq!(query.param("mchid").as_deref(), Some("ZaMVg12345"));
    }
}

#[tokio::test]
async fn a_failed_record_ends_the_wait() {
    let server = Server::start().await;
    server.push(Canned::json(&query_with_record("1205")));
    let client = server.client().build().unwrap();
    let report = client
        .wait_for_payment_with(
            Syssn::new("20191227000200020061752831").unwrap(),
            Duration::from_secs(5),
            FAST,
        )
        .await
        .unwrap();
    assert_eq!(
        report.state,
        PaymentState::Failed {
            respcd: RespCode::TransactionFailed
        }
    );
    assert_eq!(
        server.received()[0].param("syssn").as_deref(),
        Some("20191227000200020061752831")
    );
}

#[tokio::test]
async fn the_deadline_leaves_it_pending_and_transient_errors_are_ridden_out() {
    let server = Server::start().await;
    server.push(Canned::status(503, "busy"));
    server.push(Canned::status(503, "busy"));
    server.push(Canned::status(503, "busy")); // the call's own retries give up here
    for _ in 0..200 {
        server.push(Canned::json(&query_with_record("1143")));
    }
    let client = server.client().build().unwrap();
    let started = std::time::Instant::now();
    let report = client
        .wait_for_payment_with(
            Query::by_out_trade_no(OutTradeNo::new("ORDER0001").unwrap()),
            Duration::from_millis(300),
            FAST,
        )
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        report.state,
        PaymentState::Pending {
            respcd: RespCode::NotPaidYet
        }
    );
    assert!(report.record.is_some());
    assert!(server.count() > 4, "{}", server.count());
}

#[tokio::test]
async fn a_query_api_error_is_returned() {
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"respcd":"1108","resperr":"签名错误","respmsg":""}"#,
    ));
    let client = server.client().build().unwrap();
    let error = client
        .wait_for_payment_with(
            OutTradeNo::new("ORDER0001").unwrap(),
            Duration::from_secs(5),
            FAST,
        )
        .await
        .unwrap_err();
    assert_eq!(error.respcd().map(|c| c.as_str()), Some("1108"));
    assert_eq!(error.path(), Some("/trade/v1/query"));
}
