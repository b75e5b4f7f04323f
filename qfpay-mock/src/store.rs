//! Order state: payments and refunds, indexed by `syssn` and, per merchant,
//! by `out_trade_no` (one namespace for payments and refunds, reference §3).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use qfpay::types::{RespCode, TradeTime};
use serde::{Deserialize, Serialize};

use crate::customs::Declaration;
use crate::intent::Intent;
use crate::persist::Record;
use crate::preauth::Hold;
use crate::recurring::Recurring;
use crate::table::Table;

/// Payment or refund (the `order_type` of query records).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// A payment.
    Payment,
    /// A refund of a payment (`orig_syssn`).
    Refund,
}

/// Where an order stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderStatus {
    /// Created and waiting for the customer (MPM QR code, online, in-app,
    /// JSAPI…); query reports `1143`. Paid by [`crate::MockServer::pay`].
    Unpaid,
    /// A pending payment (`1143`, `1145` or `1298`), from a scenario.
    Pending {
        /// The pending code queries report.
        respcd: String,
    },
    /// Paid (payments) or accepted (refunds): `0000`.
    Succeeded,
    /// Failed with this code (never notified).
    Failed {
        /// The failure code.
        respcd: String,
    },
    /// Closed through `/trade/v1/close`; query reports `1264`.
    Closed,
    /// Cancelled through `/trade/v1/reversal`; query reports `1263`.
    Reversed,
    /// Not paid before its `expires_at` on the mock clock; query reports
    /// `1181` (order expired, reference §23.1).
    Expired,
}

impl OrderStatus {
    /// `true` for a paid payment or an accepted refund.
    pub fn is_success(&self) -> bool {
        matches!(self, OrderStatus::Succeeded)
    }

    /// `true` while the order can still be paid (unpaid or pending).
    pub fn is_open(&self) -> bool {
        matches!(self, OrderStatus::Unpaid | OrderStatus::Pending { .. })
    }

    /// The `respcd` a query record shows for this status.
    pub fn respcd(&self) -> &str {
        match self {
            OrderStatus::Unpaid => "1143",
            OrderStatus::Pending { respcd } | OrderStatus::Failed { respcd } => respcd,
            OrderStatus::Succeeded => "0000",
            OrderStatus::Closed => "1264",
            OrderStatus::Reversed => "1263",
            OrderStatus::Expired => "1181",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderStatus::Unpaid => f.write_str("unpaid"),
            OrderStatus::Pending { respcd } => write!(f, "pending ({respcd})"),
            OrderStatus::Succeeded => f.write_str("succeeded"),
            OrderStatus::Failed { respcd } => write!(f, "failed ({respcd})"),
            OrderStatus::Closed => f.write_str("closed"),
            OrderStatus::Reversed => f.write_str("reversed"),
            OrderStatus::Expired => f.write_str("expired"),
        }
    }
}

/// A snapshot of one payment or refund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// QFPay transaction number (26 digits).
    pub syssn: String,
    /// Payment or refund.
    pub order_type: OrderType,
    /// The app code it was created with.
    pub app_code: String,
    /// The merchant (`mchid`) it belongs to, for agent apps.
    pub mchid: Option<String>,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// `pay_type` (a refund repeats its payment's).
    pub pay_type: String,
    /// Amount in minor units.
    pub txamt: u64,
    /// Currency.
    pub txcurrcd: String,
    /// Merchant request time, as sent.
    pub txdtm: String,
    /// System time (Hong Kong).
    pub sysdtm: String,
    /// Payment time, once paid.
    pub paydtm: Option<String>,
    /// Status.
    pub status: OrderStatus,
    /// The `respcd` a query record shows.
    pub respcd: String,
    /// The `cancel` state of §23.2 (`0`, `1`, `2`, `3`, `5`).
    pub cancel: String,
    /// Payments: total amount refunded so far.
    pub refunded: u64,
    /// Payments: `syssn`s of its refunds.
    pub refunds: Vec<String>,
    /// Refunds: the payment refunded.
    pub orig_syssn: Option<String>,
    /// Remark set by `/trade/v1/add_note`.
    pub note: Option<String>,
    /// `goods_name`, if sent.
    pub goods_name: Option<String>,
    /// `goods_info`, if sent.
    pub goods_info: Option<String>,
    /// `udid`, if sent.
    pub udid: Option<String>,
    /// MPM: the QR code content returned (a mock checkout URL).
    pub qrcode: Option<String>,
    /// Online flows: the payment URL returned (a mock checkout URL).
    pub pay_url: Option<String>,
    /// `notify_url`, if sent.
    pub notify_url: Option<String>,
    /// Wallet transaction number (once paid).
    pub chnlsn: String,
    /// Payments awaiting the customer (MPM, online, in-app): when the
    /// order expires unpaid, on the mock clock (`expired_time` minutes
    /// after creation, default 30, reference §8.1).
    pub expires_at: Option<String>,
}

impl Order {
    /// Payments: the amount that can still be refunded (0 unless paid).
    pub fn refundable(&self) -> u64 {
        if self.order_type == OrderType::Payment && self.status.is_success() {
            self.txamt.saturating_sub(self.refunded)
        } else {
            0
        }
    }

    fn refresh(&mut self, cpm: bool) {
        self.respcd = self.status.respcd().to_owned();
        self.cancel = match (&self.status, self.order_type) {
            (_, OrderType::Refund) => "0",
            (OrderStatus::Reversed | OrderStatus::Closed, _) => {
                if cpm {
                    "1"
                } else {
                    "2"
                }
            }
            (OrderStatus::Succeeded, _) if self.refunded >= self.txamt && self.refunded > 0 => "3",
            (OrderStatus::Succeeded, _) if self.refunded > 0 => "5",
            _ => "0",
        }
        .to_owned();
    }
}

/// An already-paid payment to put in the store before a test (for example
/// the `syssn` a fixed request refers to, such as QFPay's Postman collection).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SeedOrder {
    /// The `syssn` to use (any digits; must not exist yet).
    pub syssn: String,
    /// Amount in minor units.
    pub txamt: u64,
    /// Currency; default `HKD`.
    #[serde(default = "default_currency")]
    pub txcurrcd: String,
    /// `pay_type`; default `800101`.
    #[serde(default = "default_pay_type")]
    pub pay_type: String,
    /// Order number; default `SEED-<syssn>`.
    #[serde(default)]
    pub out_trade_no: Option<String>,
    /// App code; default the first configured app.
    #[serde(default)]
    pub app_code: Option<String>,
    /// Merchant; default the app's first `mchid`, if it has any.
    #[serde(default)]
    pub mchid: Option<String>,
}

fn default_currency() -> String {
    "HKD".into()
}
fn default_pay_type() -> String {
    "800101".into()
}

impl SeedOrder {
    /// A paid HKD payment of `txamt` with pay type `800101`.
    pub fn paid(syssn: impl Into<String>, txamt: u64) -> Self {
        SeedOrder {
            syssn: syssn.into(),
            txamt,
            txcurrcd: default_currency(),
            pay_type: default_pay_type(),
            out_trade_no: None,
            app_code: None,
            mchid: None,
        }
    }

    /// Sets the currency.
    pub fn currency(mut self, txcurrcd: impl Into<String>) -> Self {
        self.txcurrcd = txcurrcd.into();
        self
    }

    /// Sets the pay type.
    pub fn pay_type(mut self, pay_type: impl Into<String>) -> Self {
        self.pay_type = pay_type.into();
        self
    }

    /// Sets the merchant order number.
    pub fn out_trade_no(mut self, out_trade_no: impl Into<String>) -> Self {
        self.out_trade_no = Some(out_trade_no.into());
        self
    }

    /// Sets the app code (and optionally the merchant) it belongs to.
    pub fn merchant(mut self, app_code: impl Into<String>, mchid: Option<&str>) -> Self {
        self.app_code = Some(app_code.into());
        self.mchid = mchid.map(str::to_owned);
        self
    }
}

/// `(app code, mchid)`: the scope of `out_trade_no` uniqueness.
pub(crate) type MerchantKey = (String, Option<String>);

/// What a later query does to a pending payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Plan {
    /// Nothing.
    None,
    /// Paid when this many more queries have returned it.
    PaidAfterQueries(u32),
}

/// An order plus what only the mock needs; saved whole in a state file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Tx {
    pub order: Order,
    /// Consumer-presented: cancel state `1` rather than `2`.
    pub cpm: bool,
    pub plan: Plan,
    /// When paid through `pay` (or a query), fail with this code instead.
    pub fail_on_pay: Option<String>,
    /// Canonical string of the creating request: an identical replay is `1102`.
    pub fingerprint: String,
}

/// Something that happened and must be notified.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    Paid(Box<Order>),
    Refunded {
        refund: Box<Order>,
        payment: Box<Order>,
    },
    /// The uncaptured rest of a pre-authorisation was released: the hold's
    /// order with the release's `syssn` and amount (`notify_type`
    /// `unfreeze`, reference §15.1, §22.4).
    Unfrozen(Box<Order>),
    /// A notification whose body is already written (recurring, §22.5).
    Notice(Box<Notice>),
}

/// A notification written by the flow that caused it.
#[derive(Clone, Debug)]
pub(crate) struct Notice {
    pub app_code: String,
    /// The notify URL the record asked for, if any.
    pub notify_url: Option<String>,
    pub notify_type: String,
    /// What the notification is about (a `syssn`, else the record's id).
    pub syssn: String,
    pub out_trade_no: String,
    pub body: Vec<u8>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum SyssnKind {
    Payment,
    Refund,
    Cancel,
}

#[derive(Default)]
pub(crate) struct Store {
    /// The catalogue's state beyond payments and refunds, one table per
    /// kind of record (`table`), each owned by its flow's module.
    pub holds: Table<Hold>,
    pub recurring: Recurring,
    pub intents: Table<Intent>,
    pub customs: Table<Declaration>,
    seq: u64,
    txs: Vec<Tx>,
    by_syssn: HashMap<String, usize>,
    by_out_trade_no: HashMap<(MerchantKey, String), usize>,
    /// `(sysdtm, index)`: a time-range listing visits the range's
    /// transactions, not the whole store, on every page (`sysdtm` never
    /// changes once created).
    by_time: BTreeSet<(String, usize)>,
    /// Per merchant, its transactions in `(sysdtm, index)` order: a page of
    /// a merchant's time range is two binary searches and a slice, whatever
    /// its offset (paging by number to the end of a month of 10,000
    /// transactions must not walk the month on every page).
    by_merchant_time: HashMap<MerchantKey, Vec<usize>>,
    /// With a state file: the transactions inserted or updated since the
    /// last write-through (`persist`). `None` in memory: nothing tracked.
    changed: Option<Vec<usize>>,
    /// `(expires_at, index)` of the orders that may expire: what the clock
    /// visits when it moves, never the whole store.
    by_expiry: BTreeSet<(String, usize)>,
}

impl Record for Tx {
    const KIND: &'static str = "order";
    fn id(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.order.syssn)
    }
}

impl Store {
    /// A fresh 26-digit `syssn`: `YYYYMMDD` (HK date), 4 digits of kind,
    /// `0002`, 10 digits of sequence — the shape of the reference's examples.
    pub fn next_syssn(&mut self, kind: SyssnKind, now: &TradeTime) -> String {
        loop {
            self.seq += 1;
            let t = now.as_str();
            let kind = match kind {
                SyssnKind::Payment => "0002",
                SyssnKind::Refund => "0003",
                SyssnKind::Cancel => "0004",
            };
            let s = format!(
                "{}{}{}{kind}0002{:010}",
                &t[0..4],
                &t[5..7],
                &t[8..10],
                self.seq % 10_000_000_000
            );
            if !self.by_syssn.contains_key(&s) {
                return s;
            }
        }
    }

    /// A wallet-like channel number (28 digits) for a paid order.
    pub fn chnlsn(&self, syssn: &str) -> String {
        let digits: String = syssn.chars().filter(char::is_ascii_digit).collect();
        format!("42{digits:0>26}").chars().take(28).collect()
    }

    pub fn insert(&mut self, mut tx: Tx) -> usize {
        let idx = self.txs.len();
        tx.order.refresh(tx.cpm);
        self.by_syssn.insert(tx.order.syssn.clone(), idx);
        let merchant = (tx.order.app_code.clone(), tx.order.mchid.clone());
        let txs = &self.txs;
        let list = self.by_merchant_time.entry(merchant.clone()).or_default();
        // Usually the last place (creation order is time order); a seeded
        // past of the current month can land earlier.
        let at = list.partition_point(|&i| sysdtm(txs, i) <= tx.order.sysdtm.as_str());
        list.insert(at, idx);
        self.by_out_trade_no
            .insert((merchant, tx.order.out_trade_no.clone()), idx);
        self.by_time.insert((tx.order.sysdtm.clone(), idx));
        if let Some(at) = &tx.order.expires_at
            && tx.order.status.is_open()
        {
            self.by_expiry.insert((at.clone(), idx));
        }
        self.txs.push(tx);
        self.touched(idx);
        idx
    }

    /// From now on, remembers which transactions change (for a state file).
    pub fn track_changes(&mut self) {
        self.changed = Some(Vec::new());
        self.holds.track_changes();
        self.intents.track_changes();
        self.customs.track_changes();
        self.recurring.track_changes();
    }

    /// The transactions changed since the last call, each once.
    pub fn take_changed(&mut self) -> Vec<&Tx> {
        let mut changed = self
            .changed
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        changed.sort_unstable();
        changed.dedup();
        changed
            .into_iter()
            .filter_map(|i| self.txs.get(i))
            .collect()
    }

    fn touched(&mut self, idx: usize) {
        if let Some(changed) = &mut self.changed {
            changed.push(idx);
        }
    }

    /// Expires the open orders whose `expires_at` is not after `now`
    /// (failures are never notified, §22.1, so no event).
    pub fn expire_due(&mut self, now: &TradeTime) {
        while let Some(first) = self.by_expiry.first()
            && first.0.as_str() <= now.as_str()
        {
            let idx = first.1;
            self.by_expiry.pop_first();
            self.expire(idx);
        }
    }

    /// Expires order `idx` now if it is still open; whether it was.
    pub fn expire(&mut self, idx: usize) -> bool {
        self.update(idx, |tx| {
            let open = tx.order.status.is_open() && !tx.cpm;
            if open {
                tx.plan = Plan::None;
                tx.order.status = OrderStatus::Expired;
            }
            open
        })
        .unwrap_or(false)
    }

    pub fn get(&self, idx: usize) -> Option<&Tx> {
        self.txs.get(idx)
    }

    pub fn order(&self, idx: usize) -> Option<Order> {
        self.txs.get(idx).map(|t| t.order.clone())
    }

    pub fn syssn_exists(&self, syssn: &str) -> bool {
        self.by_syssn.contains_key(syssn)
    }

    pub fn by_syssn(&self, syssn: &str) -> Option<usize> {
        self.by_syssn.get(syssn).copied()
    }

    /// The transaction of `merchant` using `out_trade_no` (payment or refund).
    pub fn by_out_trade_no(&self, merchant: &MerchantKey, out_trade_no: &str) -> Option<usize> {
        self.by_out_trade_no
            .get(&(merchant.clone(), out_trade_no.to_owned()))
            .copied()
    }

    /// Control API lookup: a `syssn`, else the latest transaction of any
    /// merchant with this `out_trade_no`.
    pub fn find(&self, id: &str) -> Option<usize> {
        if let Some(i) = self.by_syssn(id) {
            return Some(i);
        }
        self.txs.iter().rposition(|t| t.order.out_trade_no == id)
    }

    /// The transactions whose `sysdtm` lies in `lo..=hi` (both
    /// `YYYY-MM-DD hh:mm:ss`, which sorts chronologically as text), in
    /// `sysdtm` order.
    pub fn in_time_range(&self, lo: &str, hi: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
        self.by_time
            .range((lo.to_owned(), 0)..=(hi.to_owned(), usize::MAX))
            .map(|(_, i)| *i)
    }

    /// The transactions of `merchant` whose `sysdtm` lies in `lo..=hi`, in
    /// `sysdtm` order (ties in creation order), as a slice to page through.
    pub fn merchant_time_range(&self, merchant: &MerchantKey, lo: &str, hi: &str) -> &[usize] {
        let Some(list) = self.by_merchant_time.get(merchant) else {
            return &[];
        };
        let from = list.partition_point(|&i| sysdtm(&self.txs, i) < lo);
        let to = list.partition_point(|&i| sysdtm(&self.txs, i) <= hi);
        list.get(from..to).unwrap_or(&[])
    }

    pub fn orders(&self) -> Vec<Order> {
        self.txs.iter().map(|t| t.order.clone()).collect()
    }

    /// How many payments and refunds there are.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// The `n` latest payments and refunds, newest first (the dashboard
    /// copies these, not the whole store, under the lock).
    pub fn latest(&self, n: usize) -> Vec<Order> {
        self.txs
            .iter()
            .rev()
            .take(n)
            .map(|t| t.order.clone())
            .collect()
    }

    /// Mutates a transaction and recomputes its derived fields.
    pub fn update<R>(&mut self, idx: usize, f: impl FnOnce(&mut Tx) -> R) -> Option<R> {
        let tx = self.txs.get_mut(idx)?;
        let r = f(tx);
        let cpm = tx.cpm;
        tx.order.refresh(cpm);
        self.touched(idx);
        Some(r)
    }

    /// The customer pays an open payment (or it fails with its scenario's
    /// code); a pending refund completes. Returns the event to notify, if
    /// paid or refunded.
    pub fn pay(&mut self, idx: usize, now: &TradeTime) -> Option<Event> {
        let chnlsn = self.txs.get(idx).map(|t| self.chnlsn(&t.order.syssn))?;
        let order_type = self.update(idx, |tx| {
            if !tx.order.status.is_open() {
                return None;
            }
            tx.plan = Plan::None;
            if let Some(code) = &tx.fail_on_pay {
                tx.order.status = OrderStatus::Failed {
                    respcd: code.clone(),
                };
                return None;
            }
            tx.order.status = OrderStatus::Succeeded;
            tx.order.paydtm = Some(now.to_string());
            if tx.order.order_type == OrderType::Payment {
                tx.order.chnlsn = chnlsn;
            }
            Some(tx.order.order_type)
        })??;
        let order = self.order(idx)?;
        match order_type {
            OrderType::Payment => Some(Event::Paid(Box::new(order))),
            OrderType::Refund => {
                let payment = order
                    .orig_syssn
                    .as_deref()
                    .and_then(|s| self.by_syssn(s))
                    .and_then(|i| self.order(i))?;
                Some(Event::Refunded {
                    refund: Box::new(order),
                    payment: Box::new(payment),
                })
            }
        }
    }

    /// A query returned this payment: advance its pending plan.
    pub fn queried(&mut self, idx: usize, now: &TradeTime) -> Option<Event> {
        // Most queries change nothing: leave those untouched (not rewritten
        // to a state file).
        if self.txs.get(idx)?.plan == Plan::None {
            return None;
        }
        let due = self.update(idx, |tx| match tx.plan {
            Plan::PaidAfterQueries(n) if tx.order.status.is_open() => {
                let left = n.saturating_sub(1);
                tx.plan = Plan::PaidAfterQueries(left);
                left == 0
            }
            _ => false,
        })?;
        if due { self.pay(idx, now) } else { None }
    }

    /// Records a refund of `payment_idx` (its amount counts at once, so a
    /// pending refund cannot be refunded twice over). `None` when the
    /// payment is gone; `Some(None)` for a pending refund (notified when done).
    pub fn add_refund(&mut self, payment_idx: usize, refund: Tx) -> Option<Option<Event>> {
        let refund_syssn = refund.order.syssn.clone();
        let amount = refund.order.txamt;
        let done = refund.order.status.is_success();
        let ridx = self.insert(refund);
        self.update(payment_idx, |tx| {
            tx.order.refunded = tx.order.refunded.saturating_add(amount);
            tx.order.refunds.push(refund_syssn);
        })?;
        if !done {
            return Some(None);
        }
        Some(Some(Event::Refunded {
            refund: Box::new(self.order(ridx)?),
            payment: Box::new(self.order(payment_idx)?),
        }))
    }
}

/// The `sysdtm` of the transaction at `i` (every index in an index is in
/// `txs`; `""` cannot happen).
fn sysdtm(txs: &[Tx], i: usize) -> &str {
    txs.get(i).map_or("", |t| t.order.sysdtm.as_str())
}

/// Description of a code for `resperr`/`errmsg`.
pub(crate) fn describe(code: &str) -> &'static str {
    if code == "0000" {
        return "success";
    }
    RespCode::from_code(code).description().unwrap_or("error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syssn_shape() {
        let mut s = Store::default();
        let now = TradeTime::parse("2025-01-02 03:04:05").unwrap();
        let a = s.next_syssn(SyssnKind::Payment, &now);
        let b = s.next_syssn(SyssnKind::Refund, &now);
        assert_eq!(a, "20250102000200020000000001");
        assert_eq!(b, "20250102000300020000000002");
        assert_eq!(a.len(), 26);
        assert_eq!(s.chnlsn(&a).len(), 28);
    }
}
