//! Money-safe outcomes against `qfpay-mock`: for every scenario the final
//! state the SDK reports equals the mock's own record of the order, and the
//! mock holds exactly one payment for it — never two. A property test then
//! throws random sequences of faults at the consumer-presented flow.

mod robust_common;

use std::time::Duration;

use proptest::prelude::*;
use qfpay::api::{CpmPayment, Refund};
use qfpay::types::{Amount, AuthCode, Currency, OutTradeNo, PayType, RespCode, TradeTime};
use qfpay::{Client, CpmPolicy, PaymentState, PollPolicy, RefundState};
use qfpay_mock::{Fault, FaultRule, MockServer, OrderStatus, OrderType};
use robust_common::*;

const PAY: &str = "/trade/v1/payment";
const QUERY: &str = "/trade/v1/query";
const REVERSAL: &str = "/trade/v1/reversal";

fn fast_poll() -> PollPolicy {
    PollPolicy::new(Duration::from_millis(10), Duration::from_millis(40))
}

/// Short deadlines: the mock answers in microseconds.
fn policy() -> CpmPolicy {
    CpmPolicy::new(Duration::from_millis(400))
        .confirm_deadline(Duration::from_millis(400))
        .poll(fast_poll())
}

fn scanned(order: &OutTradeNo, auth_code: &str) -> CpmPayment {
    CpmPayment::builder()
        .pay_type(PayType::AlipayCpm)
        .auth_code(AuthCode::new(auth_code).unwrap())
        .txamt(Amount::new(2_500))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(order.clone())
        .txdtm(TradeTime::now())
        .build()
}

/// The state the mock's own record implies for the order's payment.
fn recorded_state(server: &MockServer, order: &OutTradeNo) -> PaymentState {
    let Some(o) = payments(server, order).into_iter().next() else {
        return PaymentState::NotFound;
    };
    match o.status {
        OrderStatus::Succeeded if o.refunded == 0 => PaymentState::Paid,
        OrderStatus::Succeeded if o.refunded >= o.txamt => PaymentState::Refunded,
        OrderStatus::Succeeded => PaymentState::PartiallyRefunded,
        OrderStatus::Failed { respcd } => PaymentState::Failed {
            respcd: RespCode::from_code(&respcd),
        },
        OrderStatus::Pending { respcd } => PaymentState::Pending {
            respcd: RespCode::from_code(&respcd),
        },
        OrderStatus::Unpaid => PaymentState::Pending {
            respcd: RespCode::NotPaidYet,
        },
        OrderStatus::Reversed => PaymentState::Reversed,
        OrderStatus::Closed => PaymentState::Closed,
        other => panic!("a status this test does not know: {other}"),
    }
}

fn payments(server: &MockServer, order: &OutTradeNo) -> Vec<qfpay_mock::Order> {
    server
        .orders()
        .into_iter()
        .filter(|o| o.order_type == OrderType::Payment && o.out_trade_no == order.as_str())
        .collect()
}

/// The payment request was sent exactly once and the mock holds at most
/// one payment for the order (exactly one when `made`), never two.
fn never_twice(server: &MockServer, order: &OutTradeNo, made: bool) {
    let sent: Vec<_> = received(server, PAY)
        .into_iter()
        .filter(|r| param(r, "out_trade_no").as_deref() == Some(order.as_str()))
        .collect();
    assert_eq!(sent.len(), 1, "the payment must be sent exactly once");
    let held = payments(server, order);
    assert_eq!(held.len(), usize::from(made), "{held:#?}");
    assert!(held.iter().filter(|o| o.status.is_success()).count() <= 1);
}

/// Runs the CPM flow for a fresh order; returns the SDK's state after
/// checking it against the mock's record.
async fn settle(server: &MockServer, client: &Client, auth_code: &str) -> PaymentState {
    let order = otn();
    let report = within(
        20,
        client.pay_cpm_with(&scanned(&order, auth_code), policy()),
    )
    .await
    .expect("the flow reports a state");
    assert_eq!(report.state, recorded_state(server, &order));
    never_twice(server, &order, true);
    report.state
}

#[tokio::test]
async fn pending_then_paid() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    assert_eq!(
        settle(&server, &client, "MOCK-PENDING-2").await,
        PaymentState::Paid
    );
}

#[tokio::test]
async fn pending_then_failed() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    assert_eq!(
        settle(&server, &client, "MOCK-PENDING-FAIL-2").await,
        PaymentState::Failed {
            respcd: RespCode::TransactionFailed
        }
    );
}

#[tokio::test]
async fn pending_past_the_deadline_is_reversed() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    assert_eq!(
        settle(&server, &client, "MOCK-NEVER-PAID").await,
        PaymentState::Reversed
    );
    assert_eq!(received(&server, REVERSAL).len(), 1);
}

#[tokio::test]
async fn a_reply_slower_than_the_timeout_while_the_payment_succeeds() {
    let server = mock().await;
    let client = client(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    assert_eq!(
        settle(&server, &client, "MOCK-SLOW-800").await,
        PaymentState::Paid
    );
    // Paid: nothing to cancel.
    assert!(received(&server, REVERSAL).is_empty());
}

#[tokio::test]
async fn a_connection_dropped_after_the_payment_was_committed() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    server.inject(FaultRule::new(Fault::DropAfterProcessing).on_path(PAY));
    assert_eq!(
        settle(&server, &client, "134857901234588557").await,
        PaymentState::Paid
    );
}

#[tokio::test]
async fn a_5xx_after_the_payment_was_committed() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    server.inject(FaultRule::new(Fault::StatusAfterProcessing { status: 502 }).on_path(PAY));
    assert_eq!(
        settle(&server, &client, "134857901234588557").await,
        PaymentState::Paid
    );
}

/// Every query and reversal from now on is answered 503.
fn nothing_answers_after_the_payment(server: &MockServer) {
    for path in [QUERY, REVERSAL] {
        server.inject(
            FaultRule::new(Fault::Status { status: 503 })
                .on_path(path)
                .always(),
        );
    }
}

/// The payment's reply is lost and then nothing answers, neither query nor
/// reversal: the flow learns nothing, and says so with the payment's own
/// error (outcome unknown: query later), never the failed query's, which
/// would read as "send it again" about a payment that was made.
#[tokio::test]
async fn a_lost_reply_and_no_answer_since_is_an_unknown_outcome() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    server.inject(FaultRule::new(Fault::DropAfterProcessing).on_path(PAY));
    nothing_answers_after_the_payment(&server);
    let order = otn();
    let error = within(
        20,
        client.pay_cpm_with(&scanned(&order, "134857901234588557"), policy()),
    )
    .await
    .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(!error.is_retryable(), "{error:?}");
    assert_eq!(error.path(), Some(PAY), "{error:?}");
    assert!(!received(&server, QUERY).is_empty());
    assert_eq!(recorded_state(&server, &order), PaymentState::Paid);
    never_twice(&server, &order, true);
}

/// A pending answer and then no query answered: the pending report, not
/// the query's error.
#[tokio::test]
async fn a_pending_answer_and_no_query_answered_stays_pending() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    nothing_answers_after_the_payment(&server);
    let order = otn();
    let report = within(
        20,
        client.pay_cpm_with(&scanned(&order, "MOCK-PENDING-2"), policy()),
    )
    .await
    .expect("the payment's own pending answer");
    assert!(
        matches!(report.state, PaymentState::Pending { .. }),
        "{:?}",
        report.state
    );
    assert!(!report.state.is_final());
    never_twice(&server, &order, true);
}

#[tokio::test]
async fn sending_the_same_payment_again_after_an_unknown_outcome_never_pays_twice() {
    let server = mock().await;
    let client = client(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let order = otn();
    let payment = scanned(&order, "MOCK-SLOW-600");
    let error = within(10, client.call(&payment)).await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    // The merchant runs the helper with the very same request: QFPay refuses
    // the repeated out_trade_no and the query finds the first payment.
    let report = within(20, client.pay_cpm_with(&payment, policy()))
        .await
        .unwrap();
    assert_eq!(report.state, PaymentState::Paid);
    assert_eq!(report.state, recorded_state(&server, &order));
    assert_eq!(payments(&server, &order).len(), 1);
    assert_eq!(received(&server, PAY).len(), 2);
}

#[tokio::test]
async fn a_refund_pending_then_done() {
    let server = mock().await;
    let client = client(&server).build().unwrap();
    let order = otn();
    let paid = within(
        10,
        client.pay_cpm_with(&scanned(&order, "134857901234588557"), policy()),
    )
    .await
    .unwrap();
    assert_eq!(paid.state, PaymentState::Paid);
    let syssn = paid.syssn.expect("a paid payment has a syssn");

    // txamt 1145: the mock keeps the refund pending for two queries.
    let refund_no = otn();
    let refund = Refund::builder()
        .syssn(syssn)
        .out_trade_no(refund_no.clone())
        .txamt(Amount::new(1_145))
        .txdtm(TradeTime::now())
        .build();
    let answer = within(10, client.call(&refund)).await.unwrap();
    assert_eq!(
        answer.state(),
        RefundState::Pending {
            respcd: RespCode::Processing
        }
    );
    let report = within(
        10,
        client.wait_for_refund_with(refund_no.clone(), Duration::from_secs(5), fast_poll()),
    )
    .await
    .unwrap();
    assert_eq!(report.state, RefundState::Refunded);
    let recorded = server
        .order(refund_no.as_str())
        .expect("the mock has the refund");
    assert_eq!(recorded.status, OrderStatus::Succeeded);
    let refunds = server
        .orders()
        .into_iter()
        .filter(|o| o.order_type == OrderType::Refund)
        .count();
    assert_eq!(refunds, 1);

    // The payment itself now reads as partially refunded, as the mock has it.
    let payment = within(
        10,
        client.wait_for_payment_with(order.clone(), Duration::from_secs(1), fast_poll()),
    )
    .await
    .unwrap();
    assert_eq!(payment.state, PaymentState::PartiallyRefunded);
    assert_eq!(payment.state, recorded_state(&server, &order));
    assert_eq!(payments(&server, &order).len(), 1);
}

fn faults() -> impl Strategy<Value = Vec<(&'static str, Fault)>> {
    let fault = prop_oneof![
        Just(Fault::DropConnection),
        Just(Fault::DropAfterProcessing),
        Just(Fault::Status { status: 503 }),
        Just(Fault::StatusAfterProcessing { status: 502 }),
        Just(Fault::TruncatedJson),
        Just(Fault::NonJson),
        Just(Fault::TooManyRequests {
            retry_after_secs: None
        }),
        Just(Fault::latency(Duration::from_millis(300))),
    ];
    let path = prop_oneof![Just(PAY), Just(QUERY), Just(REVERSAL)];
    proptest::collection::vec((path, fault), 0..4)
}

fn scenario() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("134857901234588557"),
        Just("MOCK-PENDING-1"),
        Just("MOCK-PENDING-3"),
        Just("MOCK-PENDING-FAIL-2"),
        Just("MOCK-NEVER-PAID"),
        Just("MOCK-DECLINED"),
        Just("MOCK-BANK-BUSY"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever faults hit the payment, the queries and the reversal: the
    /// reported final state is the mock's, the payment is sent once, and no
    /// order is ever paid twice.
    #[test]
    fn random_faults_never_pay_twice(auth_code in scenario(), rules in faults()) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = mock().await;
            let client = client(&server)
                .timeout(Duration::from_millis(150))
                .build()
                .unwrap();
            for (path, fault) in &rules {
                server.inject(FaultRule::new(fault.clone()).on_path(*path));
            }
            let order = otn();
            let result = within(30, client.pay_cpm_with(&scanned(&order, auth_code), policy())).await;
            let recorded = recorded_state(&server, &order);
            match &result {
                Ok(report) => assert_eq!(report.state, recorded, "{rules:?}"),
                // Only a payment refused before processing (429) ends in an
                // error, and then it may be sent again.
                Err(error) => {
                    assert_eq!(recorded, PaymentState::NotFound, "{error:?} {rules:?}");
                    assert!(error.is_retryable(), "{error:?}");
                }
            }
            never_twice(&server, &order, recorded != PaymentState::NotFound);
        });
    }
}
