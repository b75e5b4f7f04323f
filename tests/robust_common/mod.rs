//! Helpers shared by the `robust_*` tests: a mock QFPay, a client pointed at
//! it, request builders and a guard against hangs.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use qfpay::api::{CpmPayment, Query};
use qfpay::types::{Amount, AuthCode, Currency, OutTradeNo, PayType, Syssn, TradeTime};
use qfpay::{Client, ClientBuilder, ClientKey, Environment, RetryPolicy};
use qfpay_mock::{MockServer, MockServerBuilder, RecordedRequest};

pub const APP: &str = "A6A49A66B4C944C9B3B8CF1E94EA9503";
pub const KEY: &str = "ROBUSTKEY-7c1e5a9f3b2d4e6f8a0b1c2d";

/// The mock with one plain merchant app, notifications on an instant schedule.
pub fn mock_builder() -> MockServerBuilder {
    MockServer::builder()
        .app(APP, KEY, None)
        .notify_time_scale(0.0)
}

pub async fn mock() -> MockServer {
    mock_builder().start().await.expect("the mock starts")
}

/// Retries fast enough for tests, but long enough to honour a 1 s `Retry-After`.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new(3, Duration::from_millis(20), Duration::from_millis(1500))
}

/// A client for `base_url` with the test credentials, a 2 s timeout and fast retries.
pub fn client_for(base_url: &str) -> ClientBuilder {
    Client::builder()
        .app_code(APP)
        .client_key(ClientKey::new(KEY))
        .environment(Environment::Custom(base_url.to_owned()))
        .timeout(Duration::from_secs(2))
        .retry_policy(fast_retries())
}

pub fn client(server: &MockServer) -> ClientBuilder {
    client_for(server.base_url())
}

pub fn otn() -> OutTradeNo {
    OutTradeNo::generate()
}

/// A CPM (Alipay, `800108`) payment: paid at once by the mock.
pub fn cpm(out_trade_no: &OutTradeNo, minor: u64) -> CpmPayment {
    CpmPayment::builder()
        .pay_type(PayType::from_code("800108"))
        .auth_code(AuthCode::new("134857901234588557").unwrap())
        .txamt(Amount::new(minor))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(out_trade_no.clone())
        .txdtm(TradeTime::now())
        .build()
}

pub fn query_by_otn(out_trade_no: &OutTradeNo) -> Query {
    Query::by_out_trade_no(out_trade_no.clone())
}

pub fn query_by_syssn(syssn: &Syssn) -> Query {
    Query::by_syssn(syssn.clone())
}

/// Fails the test instead of hanging: every client call runs under this.
pub async fn within<F: Future>(secs: u64, future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(secs), future)
        .await
        .unwrap_or_else(|_| panic!("hung for more than {secs} s"))
}

/// The requests the mock received on `path`.
pub fn received(server: &MockServer, path: &str) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

/// The value of `name` in a recorded form body.
pub fn param(request: &RecordedRequest, name: &str) -> Option<String> {
    form_urlencoded::parse(request.body.as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}
