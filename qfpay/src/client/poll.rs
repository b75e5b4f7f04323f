//! Following a payment or a refund to a final state by querying it
//! (reference §6, §27.3 #5), and the report these calls give.

use std::time::Duration;

use tokio::time::Instant;

use super::Client;
use super::retry::jitter;
use crate::api::{PaymentResponse, Query, QueryResponse, TradeRecord};
use crate::error::Error;
use crate::state::{PaymentRequest, PaymentState, RefundState};
use crate::types::{OrderType, OutTradeNo, Syssn};
use crate::variant_from::variant_from;

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

variant_from!(PaymentRef {
    Syssn(Syssn),
    OutTradeNo(OutTradeNo),
});

impl From<Query> for PaymentRef {
    fn from(query: Query) -> Self {
        PaymentRef::Query(Box::new(query))
    }
}

impl PaymentRef {
    pub(super) fn query(&self) -> Query {
        match self {
            PaymentRef::Syssn(s) => Query::by_syssn(s.clone()),
            PaymentRef::OutTradeNo(o) => Query::by_out_trade_no(o.clone()),
            PaymentRef::Query(q) => (**q).clone(),
        }
    }

    /// The record of the payment in a query answer.
    pub(super) fn select(&self, response: QueryResponse) -> Option<TradeRecord> {
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
///
/// ```
/// use std::time::Duration;
/// use qfpay::PollPolicy;
/// let fast = PollPolicy::new(Duration::from_millis(500), Duration::from_secs(5));
/// assert_eq!(PollPolicy::default().initial_delay, Duration::from_secs(2));
/// # let _ = fast;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollPolicy {
    /// The pause after the first query.
    pub initial_delay: Duration,
    /// The longest pause between two queries.
    pub max_delay: Duration,
}

impl Default for PollPolicy {
    /// 2 s, doubling up to 10 s.
    fn default() -> Self {
        Self::new(Duration::from_secs(2), Duration::from_secs(10))
    }
}

impl PollPolicy {
    /// Pauses from `initial_delay`, doubling up to `max_delay`.
    pub const fn new(initial_delay: Duration, max_delay: Duration) -> Self {
        PollPolicy {
            initial_delay,
            max_delay,
        }
    }

    fn delay(&self, query_number: u32) -> Duration {
        let exponent = query_number.saturating_sub(1).min(20);
        jitter(
            self.initial_delay
                .saturating_mul(1u32 << exponent)
                .min(self.max_delay),
        )
    }
}

/// What the SDK found out about a payment: its [`PaymentState`] and what
/// it was read from.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PaymentReport {
    /// Where the payment stands.
    pub state: PaymentState,
    /// QFPay's transaction number, when known.
    pub syssn: Option<Syssn>,
    /// The answer to the payment request, when it was read from one.
    pub response: Option<PaymentResponse>,
    /// The last query record seen, when the payment was queried.
    pub record: Option<TradeRecord>,
}

impl PaymentReport {
    /// The report of a query record (or of no record: [`PaymentState::NotFound`]).
    pub(super) fn from_record(record: Option<TradeRecord>) -> Self {
        PaymentReport {
            state: record
                .as_ref()
                .map_or(PaymentState::NotFound, PaymentState::from_record),
            syssn: record.as_ref().and_then(|r| r.syssn.clone()),
            response: None,
            record,
        }
    }
}

/// What [`Client::wait_for_refund`] found out about a refund.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RefundReport {
    /// Where the refund stands.
    pub state: RefundState,
    /// The last query record seen.
    pub record: Option<TradeRecord>,
}

impl Client {
    /// Sends a payment request of any flow and reads the answer as a
    /// [`PaymentState`] for that flow: a created MPM / online / JSAPI / H5
    /// order is [`AwaitingCustomer`](PaymentState::AwaitingCustomer), a
    /// scanned (CPM) payment that went through is
    /// [`Paid`](PaymentState::Paid), a refusal is
    /// [`Failed`](PaymentState::Failed) with its `respcd`.
    ///
    /// An `Err` is about the exchange, not the payment; when
    /// [`Error::is_outcome_unknown`] is `true` query by `out_trade_no`
    /// ([`wait_for_payment`](Self::wait_for_payment)) — never send it again.
    /// For the scanned-code flow, [`pay_cpm`](Self::pay_cpm) does all of this.
    ///
    /// ```no_run
    /// use qfpay::api::Payment;
    /// use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
    /// use qfpay::{Client, CustomerAction, PaymentState};
    ///
    /// # async fn run(client: Client) -> Result<(), qfpay::Error> {
    /// let order = OutTradeNo::new("ORDER0001")?;
    /// let payment = Payment::builder()
    ///     .pay_type(PayType::AlipayHkMpm)
    ///     .txamt(Amount::new(8800))
    ///     .txcurrcd(Currency::from_code("HKD"))
    ///     .out_trade_no(order.clone())
    ///     .txdtm(TradeTime::now())
    ///     .build();
    /// match client.pay(&payment).await?.state {
    ///     PaymentState::AwaitingCustomer(CustomerAction::ShowQrCode(qr)) => println!("scan {qr}"),
    ///     PaymentState::Pending { .. } => { /* client.wait_for_payment(order, …) */ }
    ///     PaymentState::Failed { respcd } => println!("refused: {respcd}"),
    ///     other => println!("{other}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn pay<P: PaymentRequest>(&self, payment: &P) -> Result<PaymentReport, Error> {
        match self.call(payment).await {
            Ok(response) => Ok(PaymentReport {
                state: response.state(payment.flow()),
                syssn: response.syssn.clone(),
                response: Some(response),
                record: None,
            }),
            Err(Error::Api { respcd, .. }) => Ok(PaymentReport {
                state: PaymentState::Failed { respcd },
                syssn: None,
                response: None,
                record: None,
            }),
            Err(error) => Err(error),
        }
    }

    /// Polls `/trade/v1/query` until the payment is final or `deadline` (from
    /// now) has passed, with the default [`PollPolicy`].
    ///
    /// Use it after a payment came back pending (`1143`, `1145`, `1298`) or
    /// its outcome is unknown ([`Error::is_outcome_unknown`]: look it up by
    /// `out_trade_no`), or to learn whether a customer paid an MPM order.
    /// Transient query failures (429, 5xx, timeouts, unreadable answers) are
    /// ridden out until the deadline; when no query was answered at all the
    /// last error is returned. At the deadline the report holds the last state seen
    /// ([`Pending`](PaymentState::Pending) or
    /// [`NotFound`](PaymentState::NotFound)); reversal or close is the last
    /// resort (reference §12) — [`pay_cpm`](Self::pay_cpm) does it for the
    /// scanned-code flow.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use qfpay::{Client, PaymentState};
    /// use qfpay::types::OutTradeNo;
    ///
    /// # async fn run(client: Client) -> Result<(), qfpay::Error> {
    /// let order = OutTradeNo::new("ORDER0001")?;
    /// match client.wait_for_payment(order, Duration::from_secs(60)).await?.state {
    ///     PaymentState::Paid => println!("paid"),
    ///     PaymentState::Failed { respcd } => println!("failed: {respcd}"),
    ///     state if !state.is_final() => { /* wait for the notification, query again later */ }
    ///     state => println!("{state}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_payment(
        &self,
        payment: impl Into<PaymentRef>,
        deadline: Duration,
    ) -> Result<PaymentReport, Error> {
        self.wait_for_payment_with(payment, deadline, PollPolicy::default())
            .await
    }

    /// [`wait_for_payment`](Self::wait_for_payment) with a custom [`PollPolicy`].
    pub async fn wait_for_payment_with(
        &self,
        payment: impl Into<PaymentRef>,
        deadline: Duration,
        policy: PollPolicy,
    ) -> Result<PaymentReport, Error> {
        let payment = payment.into();
        let record = self
            .follow(
                &payment.query(),
                |r| payment.select(r),
                |r| PaymentState::from_record(r).is_final(),
                deadline,
                policy,
            )
            .await?;
        let report = PaymentReport::from_record(record);
        tracing::debug!(state = %report.state, "qfpay: payment followed");
        Ok(report)
    }

    /// Polls `/trade/v1/query` for the refund whose own `out_trade_no` is
    /// `refund` until it is final or `deadline` has passed, with the default
    /// [`PollPolicy`].
    ///
    /// A refund can answer `1143` / `1145` (pending) too, and a refund whose
    /// reply was lost ([`Error::is_outcome_unknown`]) is found the same way:
    /// never send a refund again before querying it.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use qfpay::{Client, RefundState};
    /// use qfpay::types::OutTradeNo;
    ///
    /// # async fn run(client: Client) -> Result<(), qfpay::Error> {
    /// let refund_no = OutTradeNo::new("REFUND0001")?;
    /// let report = client.wait_for_refund(refund_no, Duration::from_secs(60)).await?;
    /// if report.state == RefundState::Refunded { println!("paid back") }
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_refund(
        &self,
        refund: OutTradeNo,
        deadline: Duration,
    ) -> Result<RefundReport, Error> {
        self.wait_for_refund_with(refund, deadline, PollPolicy::default())
            .await
    }

    /// [`wait_for_refund`](Self::wait_for_refund) with a custom [`PollPolicy`].
    pub async fn wait_for_refund_with(
        &self,
        refund: OutTradeNo,
        deadline: Duration,
        policy: PollPolicy,
    ) -> Result<RefundReport, Error> {
        let is_refund = |r: &TradeRecord| {
            r.out_trade_no
                .as_ref()
                .is_some_and(|o| o.as_str() == refund.as_str())
                && r.order_type
                    .as_ref()
                    .is_none_or(|t| *t == OrderType::Refund)
        };
        let record = self
            .follow(
                &Query::by_out_trade_no(refund.clone()),
                |r| r.data.into_iter().find(is_refund),
                |r| RefundState::from_record(r).is_final(),
                deadline,
                policy,
            )
            .await?;
        let state = record
            .as_ref()
            .map_or(RefundState::NotFound, RefundState::from_record);
        tracing::debug!(state = %state, "qfpay: refund followed");
        Ok(RefundReport { state, record })
    }

    /// Queries until `select` finds a record that `is_final` accepts or
    /// `deadline` passes; returns the last record found (`None`: none was).
    /// Transient and unreadable answers are ridden out; when no query was
    /// answered at all the last error is returned.
    async fn follow(
        &self,
        query: &Query,
        select: impl Fn(QueryResponse) -> Option<TradeRecord>,
        is_final: impl Fn(&TradeRecord) -> bool,
        deadline: Duration,
        policy: PollPolicy,
    ) -> Result<Option<TradeRecord>, Error> {
        let end = Instant::now() + deadline;
        let mut last = None;
        let mut answered = false;
        let mut number = 0u32;
        loop {
            number = number.saturating_add(1);
            match self.call(query).await {
                Ok(response) => {
                    answered = true;
                    if let Some(record) = select(response) {
                        let done = is_final(&record);
                        tracing::debug!(
                            queries = number,
                            respcd = record.respcd.as_str(),
                            done,
                            "qfpay: query answered"
                        );
                        last = Some(record);
                        if done {
                            return Ok(last);
                        }
                    }
                }
                // An unreadable answer (a garbled body, a bad response
                // signature) tells nothing either: poll on as for a 5xx.
                Err(error)
                    if error.is_retryable()
                        || matches!(
                            error,
                            Error::Decode { .. } | Error::ResponseSignature { .. }
                        ) =>
                {
                    tracing::debug!(
                        queries = number,
                        error = error.kind_name(),
                        status = error.status(),
                        "qfpay: query failed transiently; polling on"
                    );
                    let now = Instant::now();
                    if now >= end && !answered {
                        return Err(error);
                    }
                }
                Err(error) => return Err(error),
            }
            let now = Instant::now();
            if now >= end {
                return Ok(last);
            }
            tokio::time::sleep(policy.delay(number).min(end - now)).await;
        }
    }
}
