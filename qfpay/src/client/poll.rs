//! Polling a pending payment to its end (reference §6, §27.3 #5).

use std::time::Duration;

use tokio::time::Instant;

use super::Client;
use super::retry::jitter;
use crate::api::{Query, QueryResponse, TradeRecord};
use crate::error::Error;
use crate::types::{OrderType, OutTradeNo, Syssn};

/// Which payment [`Client::wait_for_payment`] looks for.
///
/// Prefer the `syssn` when you have it; after a timeout you only have your
/// `out_trade_no` (reference §6). A full [`Query`] is sent as it is, and the
/// first payment record of the answer is followed.
///
/// ```
/// use qfpay::PaymentRef;
/// use qfpay::types::{OutTradeNo, Syssn};
/// # fn main() -> Result<(), qfpay::InvalidParam> {
/// let by_syssn: PaymentRef = Syssn::new("20191227000200020061752831")?.into();
/// let by_order: PaymentRef = OutTradeNo::new("ORDER0001")?.into();
/// # let _ = (by_syssn, by_order);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PaymentRef {
    /// QFPay's transaction number.
    Syssn(Syssn),
    /// The merchant's order number (searches the current month).
    OutTradeNo(OutTradeNo),
    /// A query of your own (e.g. with a time range for a payment made last month).
    Query(Box<Query>),
}

impl From<Syssn> for PaymentRef {
    fn from(syssn: Syssn) -> Self {
        PaymentRef::Syssn(syssn)
    }
}

impl From<OutTradeNo> for PaymentRef {
    fn from(out_trade_no: OutTradeNo) -> Self {
        PaymentRef::OutTradeNo(out_trade_no)
    }
}

impl From<Query> for PaymentRef {
    fn from(query: Query) -> Self {
        PaymentRef::Query(Box::new(query))
    }
}

impl PaymentRef {
    fn query(&self) -> Query {
        match self {
            PaymentRef::Syssn(s) => Query::by_syssn(s.clone()),
            PaymentRef::OutTradeNo(o) => Query::by_out_trade_no(o.clone()),
            PaymentRef::Query(q) => (**q).clone(),
        }
    }

    /// The record of the payment in a query answer.
    fn select(&self, response: QueryResponse) -> Option<TradeRecord> {
        let is_payment = |r: &TradeRecord| {
            r.order_type
                .as_ref()
                .is_none_or(|t| *t == OrderType::Payment)
        };
        let mut records = response.data.into_iter();
        match self {
            PaymentRef::Syssn(s) => {
                records.find(|r| r.syssn.as_ref().is_some_and(|x| x.as_str() == s.as_str()))
            }
            PaymentRef::OutTradeNo(o) => records.find(|r| {
                is_payment(r)
                    && r.out_trade_no
                        .as_ref()
                        .is_some_and(|x| x.as_str() == o.as_str())
            }),
            PaymentRef::Query(_) => records.find(is_payment),
        }
    }
}

/// How often [`Client::wait_for_payment_with`] queries.
///
/// The first query is sent at once; the pause before each next one starts at
/// `initial_delay` and doubles up to `max_delay`, with jitter. Mind the
/// merchant's rate limit (400 requests a minute, shared by every client of
/// the merchant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// The pause after the first query.
    pub initial_delay: Duration,
    /// The longest pause between two queries.
    pub max_delay: Duration,
}

impl Default for PollPolicy {
    /// 2 s, doubling up to 10 s.
    fn default() -> Self {
        PollPolicy {
            initial_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl PollPolicy {
    fn delay(&self, query_number: u32) -> Duration {
        let exponent = query_number.saturating_sub(1).min(20);
        jitter(
            self.initial_delay
                .saturating_mul(1u32 << exponent)
                .min(self.max_delay),
        )
    }
}

/// How a payment ended, as far as [`Client::wait_for_payment`] could tell.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PaymentOutcome {
    /// The record's `respcd` is `0000`: paid.
    Paid(TradeRecord),
    /// The record's `respcd` is final and not `0000`: failed (the code tells why).
    Failed(TradeRecord),
    /// The deadline passed while the payment was still pending (`last` is the
    /// last record seen, `None` if the payment never showed up).
    ///
    /// The outcome is unknown. Either keep waiting for the notification and
    /// query again later, or — as a **last resort** — cancel it with
    /// `/trade/v1/reversal` (Alipay, WeChat CPM) or `/trade/v1/close` (WeChat
    /// MPM) and query once more afterwards, since a reversal alone does not
    /// prove the payer was not charged (reference §12). Never reverse a paid
    /// (`0000`) transaction; refund it.
    StillPending {
        /// The last record seen.
        last: Option<TradeRecord>,
    },
}

impl PaymentOutcome {
    /// `true` for [`PaymentOutcome::Paid`].
    pub fn is_paid(&self) -> bool {
        matches!(self, PaymentOutcome::Paid(_))
    }

    /// The record, when one was seen.
    pub fn record(&self) -> Option<&TradeRecord> {
        match self {
            PaymentOutcome::Paid(r) | PaymentOutcome::Failed(r) => Some(r),
            PaymentOutcome::StillPending { last } => last.as_ref(),
        }
    }
}

impl Client {
    /// Polls `/trade/v1/query` until the payment is final or `deadline` (from
    /// now) has passed, with the default [`PollPolicy`].
    ///
    /// Use it after a payment came back pending (`1143`, `1145`, `1298`) or
    /// its outcome is unknown (timeout: look it up by `out_trade_no`).
    /// Transient query failures (429, 5xx, timeouts) are retried until the
    /// deadline; other errors are returned. See [`PaymentOutcome`] for what
    /// to do when the deadline passes — reversal/close is the last resort.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use qfpay::{Client, PaymentOutcome};
    /// use qfpay::types::OutTradeNo;
    ///
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let order = OutTradeNo::new("ORDER0001")?;
    /// match client.wait_for_payment(order, Duration::from_secs(60)).await? {
    ///     PaymentOutcome::Paid(record) => println!("paid: {:?}", record.syssn),
    ///     PaymentOutcome::Failed(record) => println!("failed: {}", record.respcd),
    ///     PaymentOutcome::StillPending { .. } => { /* wait for the notification, or reverse as a last resort */ }
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_payment(
        &self,
        payment: impl Into<PaymentRef>,
        deadline: Duration,
    ) -> Result<PaymentOutcome, Error> {
        self.wait_for_payment_with(payment, deadline, PollPolicy::default())
            .await
    }

    /// [`wait_for_payment`](Self::wait_for_payment) with a custom [`PollPolicy`].
    pub async fn wait_for_payment_with(
        &self,
        payment: impl Into<PaymentRef>,
        deadline: Duration,
        policy: PollPolicy,
    ) -> Result<PaymentOutcome, Error> {
        let payment = payment.into();
        let query = payment.query();
        let end = Instant::now() + deadline;
        let mut last = None;
        let mut number = 0u32;
        loop {
            number = number.saturating_add(1);
            match self.call(&query).await {
                Ok(response) => {
                    if let Some(record) = payment.select(response) {
                        let code = record.respcd.as_str();
                        if record.respcd.is_success() {
                            tracing::debug!(queries = number, "qfpay: payment paid");
                            return Ok(PaymentOutcome::Paid(record));
                        }
                        if !record.respcd.is_pending() && !code.is_empty() {
                            tracing::debug!(
                                queries = number,
                                respcd = code,
                                "qfpay: payment failed"
                            );
                            return Ok(PaymentOutcome::Failed(record));
                        }
                        last = Some(record);
                    }
                }
                Err(error) if error.is_retryable() => {
                    tracing::debug!(
                        queries = number,
                        status = error.status(),
                        "qfpay: query failed transiently; polling on"
                    );
                }
                Err(error) => return Err(error),
            }
            let now = Instant::now();
            if now >= end {
                return Ok(PaymentOutcome::StillPending { last });
            }
            let pause = policy.delay(number).min(end - now);
            tokio::time::sleep(pause).await;
        }
    }
}
