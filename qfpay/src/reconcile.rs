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

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::api::TradeRecord;
use crate::state::PaymentState;
use crate::types::OrderType;

/// Where an order stands, in the shop's books or at QFPay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderState {
    /// Paid (`0000`), not refunded.
    Paid,
    /// Paid, then refunded (fully or partly).
    Refunded,
    /// Closed or reversed before payment (`1142`, `1263`, `1264`, cancel
    /// state 1/2 on an unpaid order).
    Closed,
    /// Pending, failed or expired (`1181`): no money moved.
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
    /// For a refunded order, the amount the shop refunded in minor units,
    /// when its books say ([`with_refunded`](Self::with_refunded)); it is
    /// compared with the sum of QFPay's refunds of the payment.
    pub refunded: Option<u64>,
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
            refunded: None,
        }
    }

    /// The amount refunded, in minor units, as the shop's books have it.
    pub fn with_refunded(mut self, minor: u64) -> Self {
        self.refunded = Some(minor);
        self
    }

    /// Whether the shop believes money came in for it.
    fn took_money(&self) -> bool {
        matches!(self.state, OrderState::Paid | OrderState::Refunded)
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
    /// The sum of its successful refunds among the records, in minor units.
    pub refunded: u64,
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
    /// Both have it refunded, by different amounts
    /// ([`ExpectedOrder::refunded`] against [`Found::refunded`]).
    RefundMismatch(ExpectedOrder, Found),
}

impl Discrepancy {
    /// A short name of the kind (`unknown_to_shop`, `missing`, `amount`,
    /// `currency`, `state`, `refund`).
    pub fn kind(&self) -> &'static str {
        match self {
            Discrepancy::UnknownToShop(_) => "unknown_to_shop",
            Discrepancy::Missing(_) => "missing",
            Discrepancy::AmountMismatch(..) => "amount",
            Discrepancy::CurrencyMismatch(..) => "currency",
            Discrepancy::StateMismatch(..) => "state",
            Discrepancy::RefundMismatch(..) => "refund",
        }
    }
}

/// Sums of one currency, in minor units. Currencies are keyed in upper case
/// (`hkd` in the shop's file counts as `HKD`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CurrencyTotals {
    /// The shop's orders that took money (booked paid or refunded), at
    /// their full amount; closed and unpaid orders moved none.
    pub expected: u64,
    /// Successful payments at QFPay.
    pub paid: u64,
    /// Successful refunds at QFPay.
    pub refunded: u64,
    /// Of [`expected`](Self::expected), the orders that matched exactly.
    pub matched: u64,
}

impl CurrencyTotals {
    /// What stayed with the merchant: paid minus refunded (negative when the
    /// period's refunds exceed its payments).
    pub fn net(&self) -> i128 {
        i128::from(self.paid) - i128::from(self.refunded)
    }
}

/// The key of a currency's totals.
fn currency_key(code: &str) -> String {
    code.trim().to_ascii_uppercase()
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
    /// Successful refunds by the `syssn` of the payment they refund.
    refunds: HashMap<String, u64>,
    totals: BTreeMap<String, CurrencyTotals>,
}

/// A payment record's state, read as everywhere else in the SDK
/// ([`PaymentState::from_record`]), in the coarser terms of the books.
fn state_of(r: &TradeRecord) -> OrderState {
    match PaymentState::from_record(r) {
        PaymentState::Paid => OrderState::Paid,
        PaymentState::Refunded | PaymentState::PartiallyRefunded => OrderState::Refunded,
        PaymentState::Reversed | PaymentState::Closed => OrderState::Closed,
        _ => OrderState::Unpaid,
    }
}

impl Reconciler {
    /// A reconciliation of these expected orders.
    pub fn new(expected: impl IntoIterator<Item = ExpectedOrder>) -> Self {
        let expected: Vec<ExpectedOrder> = expected.into_iter().collect();
        let mut totals: BTreeMap<String, CurrencyTotals> = BTreeMap::new();
        for e in expected.iter().filter(|e| e.took_money()) {
            let t = totals.entry(currency_key(&e.txcurrcd)).or_default();
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
                let sum = self.refunds.entry(r.origssn.clone()).or_default();
                *sum = sum.saturating_add(amount);
                let t = self.totals.entry(currency_key(&currency)).or_default();
                t.refunded = t.refunded.saturating_add(amount);
            }
            return;
        }
        let state = state_of(r);
        if matches!(state, OrderState::Paid | OrderState::Refunded) {
            let t = self.totals.entry(currency_key(&currency)).or_default();
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
            refunded: 0,
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
            found.refunded = self.refunds.get(&found.syssn).copied().unwrap_or(0);
            if found.state == OrderState::Paid && found.refunded > 0 {
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
            } else if e.refunded.is_some_and(|booked| booked != found.refunded) {
                report
                    .discrepancies
                    .push(Discrepancy::RefundMismatch(e, found));
            } else {
                if e.took_money() {
                    let t = self.totals.entry(currency_key(&e.txcurrcd)).or_default();
                    t.matched = t.matched.saturating_add(e.txamt);
                }
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
        assert_eq!(hkd.net(), 1601 - 250);
        // The closed order matched, but moved no money: in no total.
        let usd = report.totals["USD"];
        assert_eq!((usd.expected, usd.paid, usd.matched), (0, 400, 0));
    }

    /// A partial refund booked at 500 that QFPay made at 1 500 (two refunds)
    /// is a discrepancy; booked at 1 500 it matches.
    #[test]
    fn the_refunded_amount_is_compared_when_the_books_have_it() {
        for (booked, kinds) in [(500, vec!["refund"]), (1_500, vec![])] {
            let mut r = Reconciler::new([
                ExpectedOrder::new("B", 2_000, "HKD", OrderState::Refunded).with_refunded(booked),
                // Without an amount in the books, only the state is compared.
                ExpectedOrder::new("C", 900, "HKD", OrderState::Refunded),
            ]);
            r.add(&rec(
                "2",
                "B",
                "payment",
                2_000,
                "HKD",
                "0000",
                r#","cancel":"5""#,
            ));
            r.add(&rec(
                "2R1",
                "B-R1",
                "refund",
                500,
                "HKD",
                "0000",
                r#","origssn":"2""#,
            ));
            r.add(&rec(
                "2R2",
                "B-R2",
                "refund",
                1_000,
                "HKD",
                "0000",
                r#","origssn":"2""#,
            ));
            // A refused refund moved nothing.
            r.add(&rec(
                "2R3",
                "B-R3",
                "refund",
                9_999,
                "HKD",
                "1272",
                r#","origssn":"2""#,
            ));
            r.add(&rec(
                "3",
                "C",
                "payment",
                900,
                "HKD",
                "0000",
                r#","cancel":"3""#,
            ));
            r.add(&rec(
                "3R",
                "C-R",
                "refund",
                900,
                "HKD",
                "0000",
                r#","origssn":"3""#,
            ));
            let report = r.finish();
            let found: Vec<&str> = report.discrepancies.iter().map(Discrepancy::kind).collect();
            assert_eq!(found, kinds, "booked {booked}");
            let hkd = report.totals["HKD"];
            assert_eq!((hkd.paid, hkd.refunded, hkd.net()), (2_900, 2_400, 500));
        }
    }

    /// The books read a record as the rest of the SDK does: `cancel` 1 on a
    /// paid payment is a refund ([`PaymentState::from_record`]), an expired
    /// order (`1181`) is unpaid; a lower-case currency counts as the same one.
    #[test]
    fn states_as_payment_state_reads_them_and_currencies_in_upper_case() {
        let mut r = Reconciler::new([
            ExpectedOrder::new("R", 100, "hkd", OrderState::Refunded),
            ExpectedOrder::new("E", 200, "HKD", OrderState::Unpaid),
        ]);
        let refunded_cpm = rec("1", "R", "payment", 100, "HKD", "0000", r#","cancel":"1""#);
        assert_eq!(
            PaymentState::from_record(&refunded_cpm),
            PaymentState::Refunded
        );
        r.add(&refunded_cpm);
        r.add(&rec("2", "E", "payment", 200, "HKD", "1181", ""));
        let report = r.finish();
        assert!(report.is_clean(), "{:?}", report.discrepancies);
        assert_eq!(report.totals.keys().collect::<Vec<_>>(), ["HKD"]);
        let hkd = report.totals["HKD"];
        assert_eq!((hkd.expected, hkd.paid, hkd.matched), (100, 100, 100));
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
