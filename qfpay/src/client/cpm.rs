//! The consumer-presented (scanned code) payment as QFPay's FAQ prescribes
//! it, in one call: pay; if pending or unknown, query by `out_trade_no`
//! until a deadline; if still not final, reverse or close (reference §12)
//! and report the final state. Every step is traced.

use std::time::Duration;

use tracing::Instrument;

use super::Client;
use super::poll::{PaymentReport, PollPolicy};
use crate::api::{Close, CpmPayment, Reversal};
use crate::error::Error;
use crate::state::{PaymentRequest, PaymentState};
use crate::types::{PayType, RespCode};

/// Which endpoint cancels a payment that never became final (reference §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CancelWith {
    /// `/trade/v1/reversal`.
    Reversal,
    /// `/trade/v1/close`.
    Close,
}

impl CancelWith {
    /// The endpoint the reference's repository table names for a pay type:
    /// close for WeChat MPM (`800201`), reversal for everything else
    /// (Alipay CPM and MPM, WeChat CPM). The newer published pages disagree
    /// for WeChat (reference §27.1 #3): QFPay confirms per wallet, so set
    /// [`CpmPolicy::cancel_with`] when it told you otherwise.
    pub fn for_pay_type(pay_type: &PayType) -> Self {
        if *pay_type == PayType::WechatMpm {
            CancelWith::Close
        } else {
            CancelWith::Reversal
        }
    }
}

/// How [`Client::pay_cpm_with`] waits and cancels.
///
/// ```
/// use std::time::Duration;
/// use qfpay::{CancelWith, CpmPolicy, PollPolicy};
/// let policy = CpmPolicy::new(Duration::from_secs(30))
///     .poll(PollPolicy::new(Duration::from_secs(1), Duration::from_secs(5)))
///     .cancel_with(CancelWith::Close);
/// assert_eq!(policy.deadline, Duration::from_secs(30));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CpmPolicy {
    /// How long to query a pending or unknown payment before cancelling it.
    pub deadline: Duration,
    /// How long to query after the cancellation to confirm the final state
    /// (a reversal alone does not prove the payer was not charged).
    pub confirm_deadline: Duration,
    /// Pauses between queries.
    pub poll: PollPolicy,
    /// Reversal or close; `None`: [`CancelWith::for_pay_type`].
    pub cancel_with: Option<CancelWith>,
}

impl Default for CpmPolicy {
    /// 60 s of queries, then 15 s to confirm the cancellation.
    fn default() -> Self {
        Self::new(Duration::from_secs(60))
    }
}

impl CpmPolicy {
    /// Queries for `deadline`, then cancels; the other settings are the defaults.
    pub const fn new(deadline: Duration) -> Self {
        CpmPolicy {
            deadline,
            confirm_deadline: Duration::from_secs(15),
            poll: PollPolicy::new(Duration::from_secs(2), Duration::from_secs(10)),
            cancel_with: None,
        }
    }

    /// Sets the pauses between queries.
    pub const fn poll(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// Sets how long to confirm a cancellation.
    pub const fn confirm_deadline(mut self, confirm_deadline: Duration) -> Self {
        self.confirm_deadline = confirm_deadline;
        self
    }

    /// Sets the cancelling endpoint (default: [`CancelWith::for_pay_type`]).
    pub const fn cancel_with(mut self, cancel_with: CancelWith) -> Self {
        self.cancel_with = Some(cancel_with);
        self
    }
}

/// Why the payment's answer does not settle it: the step that follows.
enum Next {
    Done(Box<PaymentReport>),
    Query(Unsettled),
}

/// What the payment's own answer left open. When no query settles it, this
/// is what `pay_cpm` reports: never a query's error, which as a failed read
/// would say "retryable" about a payment that may have been made.
enum Unsettled {
    /// Pending, a code that leaves the outcome uncertain, or the
    /// `out_trade_no` already sent; the `&str` says which.
    Answered(&'static str, Box<PaymentReport>),
    /// No usable answer ([`Error::is_outcome_unknown`]).
    Lost(Error),
}

impl Unsettled {
    fn reason(&self) -> &'static str {
        match self {
            Unsettled::Answered(reason, _) => reason,
            Unsettled::Lost(_) => "outcome unknown",
        }
    }

    fn into_result(self) -> Result<PaymentReport, Error> {
        match self {
            Unsettled::Answered(_, report) => Ok(finish(*report)),
            Unsettled::Lost(error) => Err(error),
        }
    }
}

impl Client {
    /// A scanned-code (CPM) payment from start to final state, with the
    /// default [`CpmPolicy`]; see [`pay_cpm_with`](Self::pay_cpm_with).
    pub async fn pay_cpm(&self, payment: &CpmPayment) -> Result<PaymentReport, Error> {
        self.pay_cpm_with(payment, CpmPolicy::default()).await
    }

    /// A scanned-code (CPM) payment from start to final state, as QFPay's
    /// FAQ prescribes:
    ///
    /// 1. send the payment **once**;
    /// 2. if it is pending (`1143`/`1145`/`1298`), its reply was lost
    ///    ([`Error::is_outcome_unknown`]), its code leaves the outcome
    ///    uncertain (`1295`–`1297`), or QFPay says the `out_trade_no` was
    ///    already sent (`1102`/`2011`), query it by `out_trade_no` with
    ///    back-off until `policy.deadline`;
    /// 3. if it is still not final, reverse it (or close it, per wallet:
    ///    [`CancelWith`]) and query again to confirm.
    ///
    /// The report's state is then final — [`Paid`](PaymentState::Paid),
    /// [`Failed`](PaymentState::Failed), [`Reversed`](PaymentState::Reversed),
    /// [`Closed`](PaymentState::Closed) — or, when QFPay neither finished nor
    /// cancelled it (e.g. `1150`: cancellation not supported), the last
    /// [`Pending`](PaymentState::Pending) / [`NotFound`](PaymentState::NotFound)
    /// seen, or the payment's own pending answer when no query was answered.
    /// An `Err` is the payment's own error: refused before processing (429,
    /// a refused connection: [`Error::is_retryable`]), or its reply lost and
    /// no query answered since ([`Error::is_outcome_unknown`]: query later,
    /// never send it again under a new `out_trade_no`). A query's error is
    /// logged, not returned: as a failed read it would say "retryable".
    ///
    /// Calling it again with the **same** request after a crash or an error
    /// never pays twice: QFPay refuses the repeated `out_trade_no`, and the
    /// query finds the first payment and reports its state.
    ///
    /// Each step is traced (`tracing`, span `qfpay.pay_cpm`).
    ///
    /// ```no_run
    /// use qfpay::api::CpmPayment;
    /// use qfpay::types::{Amount, AuthCode, Currency, OutTradeNo, PayType, TradeTime};
    /// use qfpay::{Client, PaymentState};
    ///
    /// # async fn run(client: Client, scanned: &str) -> Result<(), qfpay::Error> {
    /// let payment = CpmPayment::builder()
    ///     .pay_type(PayType::CpmAutoDetect)
    ///     .auth_code(AuthCode::new(scanned)?)
    ///     .txamt(Amount::new(8800))
    ///     .txcurrcd(Currency::from_code("HKD"))
    ///     .out_trade_no(OutTradeNo::generate())
    ///     .txdtm(TradeTime::now())
    ///     .build();
    /// match client.pay_cpm(&payment).await?.state {
    ///     PaymentState::Paid => println!("paid: hand over the goods"),
    ///     PaymentState::Failed { respcd } => println!("declined ({respcd}): ask for another method"),
    ///     PaymentState::Reversed | PaymentState::Closed => println!("not paid: cancelled"),
    ///     other => println!("not settled yet ({other}): wait for the notification"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn pay_cpm_with(
        &self,
        payment: &CpmPayment,
        policy: CpmPolicy,
    ) -> Result<PaymentReport, Error> {
        let span = tracing::info_span!(
            "qfpay.pay_cpm",
            out_trade_no = %payment.out_trade_no,
            pay_type = %payment.pay_type,
        );
        self.pay_cpm_steps(payment, policy).instrument(span).await
    }

    async fn pay_cpm_steps(
        &self,
        payment: &CpmPayment,
        policy: CpmPolicy,
    ) -> Result<PaymentReport, Error> {
        let order = payment.out_trade_no.clone();
        tracing::info!(step = "pay", "qfpay: sending the payment");
        let unsettled = match self.cpm_answer(payment).await? {
            Next::Done(report) => return Ok(finish(*report)),
            Next::Query(unsettled) => unsettled,
        };
        tracing::info!(
            step = "query",
            reason = unsettled.reason(),
            "qfpay: querying by out_trade_no"
        );
        let first = self
            .wait_for_payment_with(order.clone(), policy.deadline, policy.poll)
            .await;
        let last = match first {
            Ok(report) if report.state.is_final() => return Ok(finish(report)),
            Ok(report) => Some(report),
            Err(error) => {
                tracing::warn!(
                    step = "query",
                    error = error.kind_name(),
                    respcd = error.respcd().map(RespCode::as_str),
                    "qfpay: no query answered"
                );
                // QFPay answered the query with an error code: stop here.
                if error.respcd().is_some() {
                    return unsettled.into_result();
                }
                // Nothing answered: the last resort applies all the same.
                None
            }
        };

        let with = policy
            .cancel_with
            .unwrap_or_else(|| CancelWith::for_pay_type(payment.pay_type()));
        tracing::warn!(
            step = "cancel",
            endpoint = ?with,
            state = %last.as_ref().map_or(String::from("no answer"), |r| r.state.to_string()),
            "qfpay: not final at the deadline; cancelling"
        );
        let (amount, time) = (payment.txamt, payment.txdtm);
        let cancelled = match with {
            CancelWith::Reversal => {
                self.call(&Reversal::by_out_trade_no(order.clone(), amount, time))
                    .await
            }
            CancelWith::Close => {
                self.call(&Close::by_out_trade_no(order.clone(), amount, time))
                    .await
            }
        }
        .map(|r| r.envelope.respcd);
        match &cancelled {
            Ok(respcd) => tracing::info!(
                step = "cancel",
                respcd = respcd.as_str(),
                "qfpay: cancel answered"
            ),
            Err(error) => tracing::warn!(
                step = "cancel",
                error = error.kind_name(),
                respcd = error.respcd().map(RespCode::as_str),
                "qfpay: cancel refused or failed"
            ),
        }

        tracing::info!(
            step = "confirm",
            "qfpay: querying to confirm the final state"
        );
        match self
            .wait_for_payment_with(order, policy.confirm_deadline, policy.poll)
            .await
        {
            Ok(report) => Ok(finish(report)),
            // Nothing answered the confirmation: the earlier report, or
            // what the payment's own answer left open, is all there is.
            Err(error) => {
                tracing::warn!(
                    step = "confirm",
                    error = error.kind_name(),
                    "qfpay: the confirmation query failed"
                );
                match last {
                    Some(report) => Ok(finish(report)),
                    None => unsettled.into_result(),
                }
            }
        }
    }

    /// Step 1: the payment's own answer, final or the reason to query.
    async fn cpm_answer(&self, payment: &CpmPayment) -> Result<Next, Error> {
        match self.pay(payment).await {
            Ok(report) if report.state.is_final() => {
                let reason = match &report.state {
                    PaymentState::Failed { respcd } if respcd.is_outcome_uncertain() => {
                        "the code leaves the outcome uncertain"
                    }
                    PaymentState::Failed {
                        respcd: RespCode::DuplicateRequest | RespCode::DuplicateSerialNumber,
                    } => "the out_trade_no was already sent",
                    _ => return Ok(Next::Done(Box::new(report))),
                };
                Ok(Next::Query(Unsettled::Answered(reason, Box::new(report))))
            }
            Ok(report) => Ok(Next::Query(Unsettled::Answered(
                "pending",
                Box::new(report),
            ))),
            Err(error) if error.is_outcome_unknown() => {
                tracing::warn!(
                    step = "pay",
                    error = error.kind_name(),
                    "qfpay: the payment's outcome is unknown"
                );
                Ok(Next::Query(Unsettled::Lost(error)))
            }
            Err(error) => Err(error),
        }
    }
}

/// Logs the final state and hands the report back.
fn finish(report: PaymentReport) -> PaymentReport {
    tracing::info!(step = "done", state = %report.state, "qfpay: payment settled");
    report
}
