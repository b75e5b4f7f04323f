//! Reconciliation: the merchant's expected orders against QFPay's
//! transaction records of a period (typically from
//! [`Client::transactions`](crate::Client::transactions)).
//!
//! Pure logic, no I/O: feed the records one at a time with
//! [`Reconciler::add`], then [`Reconciler::finish`] gives the [`Report`].
//! Payments are matched to orders by `out_trade_no`; refunds (separate
//! records with their own `out_trade_no`) count towards their payment
//! through `origssn`. Memory holds the expected orders and one small entry
//! per payment seen.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use crate::api::TradeRecord;
use crate::types::{CancelState, OrderType};

/// Where an order stands, in the shop's books or at QFPay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderState {
    /// Paid (`0000`), not refunded.
    Paid,
    /// Paid, then refunded (fully or partly).
    Refunded,
    /// Closed or reversed before payment (`1264`, `1263`, cancel state 1/2).
    Closed,
    /// At QFPay only: pending or failed — no money moved.
    Unpaid,
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OrderState::Paid => "paid",
            OrderState::Refunded => "refunded",
            OrderState::Closed => "closed",
            OrderState::Unpaid => "unpaid",
        })
    }
}

/// One order as the merchant's books have it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpectedOrder {
    /// The merchant's order number (the payment's `out_trade_no`).
    pub out_trade_no: String,
    /// Amount in minor units.
    pub txamt: u64,
    /// Currency (ISO 4217 letters, as QFPay writes `txcurrcd`).
    pub txcurrcd: String,
    /// The state the shop believes the order is in.
    pub state: OrderState,
}

impl ExpectedOrder {
    /// An order the shop believes is in `state`.
    pub fn new(
        out_trade_no: impl Into<String>,
        txamt: u64,
        txcurrcd: impl Into<String>,
        state: OrderState,
    ) -> Self {
        ExpectedOrder {
            out_trade_no: out_trade_no.into(),
            txamt,
            txcurrcd: txcurrcd.into(),
            state,
        }
    }
}

/// What QFPay has for one payment, as far as reconciliation needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Found {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// Amount in minor units.
    pub txamt: u64,
    /// Currency.
    pub txcurrcd: String,
    /// State at QFPay.
    pub state: OrderState,
}

/// One line of the report that is not a clean match.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Discrepancy {
    /// Paid at QFPay, but not in the shop's books.
    UnknownToShop(Found),
    /// In the shop's books, no payment at QFPay in the period.
    Missing(ExpectedOrder),
    /// Both have it, with different amounts.
    AmountMismatch(ExpectedOrder, Found),
    /// Both have it, with different currencies.
    CurrencyMismatch(ExpectedOrder, Found),
    /// Both have it, in different states (e.g. refunded at QFPay, paid in the shop).
    StateMismatch(ExpectedOrder, Found),
}

impl Discrepancy {
    /// A short name of the kind (`unknown_to_shop`, `missing`, `amount`, `currency`, `state`).
    pub fn kind(&self) -> &'static str {
        match self {
            Discrepancy::UnknownToShop(_) => "unknown_to_shop",
            Discrepancy::Missing(_) => "missing",
            Discrepancy::AmountMismatch(..) => "amount",
            Discrepancy::CurrencyMismatch(..) => "currency",
            Discrepancy::StateMismatch(..) => "state",
        }
    }
}

/// Sums of one currency, in minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CurrencyTotals {
    /// Expected orders (any state) in the shop's books.
    pub expected: u64,
    /// Successful payments at QFPay.
    pub paid: u64,
    /// Successful refunds at QFPay.
    pub refunded: u64,
    /// Orders that matched exactly.
    pub matched: u64,
}

/// The outcome of a reconciliation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Orders found at QFPay with the same amount, currency and state.
    pub matched: Vec<Found>,
    /// Everything else, expected orders first (in the order given).
    pub discrepancies: Vec<Discrepancy>,
    /// Per currency.
    pub totals: BTreeMap<String, CurrencyTotals>,
}

impl Report {
    /// `true` when nothing is out of place.
    pub fn is_clean(&self) -> bool {
        self.discrepancies.is_empty()
    }
}

/// Collects records and compares them with the expected orders.
///
/// ```
/// use qfpay::reconcile::{ExpectedOrder, OrderState, Reconciler};
/// let mut r = Reconciler::new([ExpectedOrder::new("A1", 100, "HKD", OrderState::Paid)]);
/// let record = serde_json::from_str(
///     r#"{"syssn":"1","out_trade_no":"A1","order_type":"payment","txamt":"100","txcurrcd":"HKD","respcd":"0000","cancel":"0"}"#,
/// ).unwrap();
/// r.add(&record);
/// assert!(r.finish().is_clean());
/// ```
#[derive(Debug, Default)]
pub struct Reconciler {
    expected: Vec<ExpectedOrder>,
    payments: HashMap<String, Found>,
    refunded: HashSet<String>,
    totals: BTreeMap<String, CurrencyTotals>,
}

fn state_of(r: &TradeRecord) -> OrderState {
    let code = r.respcd.as_str();
    let cancel = r.cancel.as_ref();
    if code == "1264"
        || code == "1263"
        || matches!(
            cancel,
            Some(CancelState::CpmReversedOrRefunded | CancelState::MpmCancelled)
        ) && !r.respcd.is_accepted()
    {
        OrderState::Closed
    } else if r.respcd.is_accepted() {
        if matches!(
            cancel,
            Some(CancelState::Refunded | CancelState::PartiallyRefunded)
        ) {
            OrderState::Refunded
        } else {
            OrderState::Paid
        }
    } else {
        OrderState::Unpaid
    }
}

impl Reconciler {
    /// A reconciliation of these expected orders.
    pub fn new(expected: impl IntoIterator<Item = ExpectedOrder>) -> Self {
        let expected: Vec<ExpectedOrder> = expected.into_iter().collect();
        let mut totals: BTreeMap<String, CurrencyTotals> = BTreeMap::new();
        for e in &expected {
            let t = totals.entry(e.txcurrcd.clone()).or_default();
            t.expected = t.expected.saturating_add(e.txamt);
        }
        Reconciler {
            expected,
            totals,
            ..Reconciler::default()
        }
    }

    /// Takes one QFPay record into account.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn add(&mut self, r: &TradeRecord) {
        let currency = r
            .txcurrcd
            .as_ref()
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default();
        let amount = r.txamt.map(|a| a.minor_units()).unwrap_or(0);
        if r.order_type == Some(OrderType::Refund) {
            if r.respcd.is_accepted() {
                self.refunded.insert(r.origssn.clone());
                let t = self.totals.entry(currency).or_default();
                t.refunded = t.refunded.saturating_add(amount);
            }
            return;
        }
        let state = state_of(r);
        if state != OrderState::Unpaid && state != OrderState::Closed {
            let t = self.totals.entry(currency.clone()).or_default();
            t.paid = t.paid.saturating_add(amount);
        }
        let found = Found {
            syssn: r
                .syssn
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            out_trade_no: r
                .out_trade_no
                .as_ref()
                .map(|o| o.as_str().to_owned())
                .unwrap_or_default(),
            txamt: amount,
            txcurrcd: currency,
            state,
        };
        // A later attempt with the same order number (e.g. paid after a
        // failed one) wins over an unpaid or closed one.
        match self.payments.get(&found.out_trade_no) {
            Some(old) if matches!(old.state, OrderState::Paid | OrderState::Refunded) => {}
            _ => {
                self.payments.insert(found.out_trade_no.clone(), found);
            }
        }
    }

    /// The report.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn finish(mut self) -> Report {
        let mut report = Report::default();
        for found in self.payments.values_mut() {
            if found.state == OrderState::Paid && self.refunded.contains(&found.syssn) {
                found.state = OrderState::Refunded;
            }
        }
        for e in self.expected {
            let Some(found) = self.payments.remove(&e.out_trade_no) else {
                report.discrepancies.push(Discrepancy::Missing(e));
                continue;
            };
            if found.txamt != e.txamt {
                report
                    .discrepancies
                    .push(Discrepancy::AmountMismatch(e, found));
            } else if !found.txcurrcd.eq_ignore_ascii_case(&e.txcurrcd) {
                report
                    .discrepancies
                    .push(Discrepancy::CurrencyMismatch(e, found));
            } else if found.state != e.state {
                report
                    .discrepancies
                    .push(Discrepancy::StateMismatch(e, found));
            } else {
                let t = self.totals.entry(e.txcurrcd.clone()).or_default();
                t.matched = t.matched.saturating_add(e.txamt);
                report.matched.push(found);
            }
        }
        // What is left at QFPay and took money is unknown to the shop.
        let mut unknown: Vec<Found> = self
            .payments
            .into_values()
            .filter(|f| matches!(f.state, OrderState::Paid | OrderState::Refunded))
            .collect();
        unknown.sort_by(|a, b| a.syssn.cmp(&b.syssn));
        report
            .discrepancies
            .extend(unknown.into_iter().map(Discrepancy::UnknownToShop));
        report.totals = self.totals;
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(
        syssn: &str,
        otn: &str,
        kind: &str,
        amt: u64,
        cur: &str,
        respcd: &str,
        extra: &str,
    ) -> TradeRecord {
        let json = format!(
            r#"{{"syssn":"{syssn}","out_trade_no":"{otn}","order_type":"{kind}","txamt":"{amt}","txcurrcd":"{cur}","respcd":"{respcd}"{extra}}}"#
        );
        match serde_json::from_str(&json) {
            Ok(r) => r,
            Err(e) => panic!("test record {json}: {e}"),
        }
    }

    #[test]
    fn one_discrepancy_of_each_kind() {
        use OrderState::*;
        let mut r = Reconciler::new([
            ExpectedOrder::new("OK", 100, "HKD", Paid),
            ExpectedOrder::new("MISSING", 200, "HKD", Paid),
            ExpectedOrder::new("AMOUNT", 300, "HKD", Paid),
            ExpectedOrder::new("CURRENCY", 400, "HKD", Paid),
            ExpectedOrder::new("STATE", 500, "HKD", Paid),
            ExpectedOrder::new("CLOSED", 600, "USD", Closed),
        ]);
        for record in [
            rec("1", "OK", "payment", 100, "HKD", "0000", r#","cancel":"0""#),
            rec("3", "AMOUNT", "payment", 301, "HKD", "0000", ""),
            rec("4", "CURRENCY", "payment", 400, "USD", "0000", ""),
            rec("5", "STATE", "payment", 500, "HKD", "0000", ""),
            // the refund of STATE: a separate record naming its payment
            rec(
                "5R",
                "STATE-R",
                "refund",
                250,
                "HKD",
                "0000",
                r#","origssn":"5""#,
            ),
            rec(
                "6",
                "CLOSED",
                "payment",
                600,
                "USD",
                "1264",
                r#","cancel":"2""#,
            ),
            rec("7", "STRANGER", "payment", 700, "HKD", "0000", ""),
            // a failed attempt unknown to the shop moved no money: not reported
            rec("8", "FAILED", "payment", 800, "HKD", "1150", ""),
        ] {
            r.add(&record);
        }
        let report = r.finish();
        let kinds: Vec<&str> = report.discrepancies.iter().map(Discrepancy::kind).collect();
        assert_eq!(
            kinds,
            ["missing", "amount", "currency", "state", "unknown_to_shop"]
        );
        let matched: Vec<&str> = report
            .matched
            .iter()
            .map(|f| f.out_trade_no.as_str())
            .collect();
        assert_eq!(matched, ["OK", "CLOSED"]);
        match &report.discrepancies[3] {
            Discrepancy::StateMismatch(e, f) => {
                assert_eq!((e.state, f.state), (Paid, Refunded));
            }
            other => panic!("{other:?}"),
        }
        assert!(!report.is_clean());
        let hkd = report.totals["HKD"];
        assert_eq!(hkd.expected, 100 + 200 + 300 + 400 + 500);
        assert_eq!(hkd.paid, 100 + 301 + 500 + 700);
        assert_eq!(hkd.refunded, 250);
        assert_eq!(hkd.matched, 100);
        let usd = report.totals["USD"];
        assert_eq!((usd.expected, usd.paid, usd.matched), (600, 400, 600));
    }

    #[test]
    fn refunded_by_cancel_state_and_a_paid_retry_wins() {
        let mut r = Reconciler::new([
            ExpectedOrder::new("A", 100, "HKD", OrderState::Refunded),
            ExpectedOrder::new("B", 100, "HKD", OrderState::Paid),
        ]);
        r.add(&rec(
            "1",
            "A",
            "payment",
            100,
            "HKD",
            "0000",
            r#","cancel":"3""#,
        ));
        r.add(&rec("2", "B", "payment", 100, "HKD", "0000", ""));
        r.add(&rec("3", "B", "payment", 100, "HKD", "1150", ""));
        assert!(r.finish().is_clean());
    }
}
