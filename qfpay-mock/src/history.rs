//! A seeded, deterministic past: payments and refunds spread over several
//! calendar months, put in the store at start so that listing by time range
//! (`/trade/v1/query` with `start_time`/`end_time`, paged) has something to
//! page through.

use qfpay::types::TradeTime;
use time::{Date, Month, PrimitiveDateTime, Time};

use crate::error::MockError;
use crate::operations;
use crate::state::{Shared, lock};
use crate::store::{Order, OrderStatus, OrderType, SeedOrder, SyssnKind};

/// Pay types the history draws from (WeChat, Alipay, FPS, Alipay HK MPM).
const PAY_TYPES: [&str; 4] = ["800201", "800101", "802001", "801512"];

/// Which past a [`crate::MockServerBuilder::history`] creates.
///
/// The same `seed` and settings give the same transactions (amounts, times,
/// pay types, `syssn`s, order numbers) on every run and machine. In each
/// month, `per_month` payments at random times of that month; every 5th is
/// partly refunded an hour later (a separate `refund` record, which may fall
/// in the next month), every 13th is closed (`respcd` `1264`), and every 7th
/// is in `USD` rather than `HKD`. Times of the current month stay before
/// the server's start. They belong to the first configured app (and its
/// first `mchid`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct History {
    /// The random seed.
    pub seed: u64,
    /// The first month, as `(year, month 1–12)`.
    pub first_month: (i32, u8),
    /// How many consecutive months.
    pub months: u32,
    /// Payments per month.
    pub per_month: u32,
}

impl History {
    /// `per_month` payments (plus refunds) in each of `months` months from
    /// `first_month` (`(year, 1–12)`).
    pub fn new(seed: u64, first_month: (i32, u8), months: u32, per_month: u32) -> Self {
        History {
            seed,
            first_month,
            months,
            per_month,
        }
    }
}

fn month_start(first: (i32, u8), offset: u32) -> Result<Date, MockError> {
    let index = i64::from(first.0) * 12 + i64::from(first.1) - 1 + i64::from(offset);
    let year = i32::try_from(index.div_euclid(12))
        .map_err(|_| MockError::Config("history: year out of range".into()))?;
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| MockError::Config("history: month must be 1–12".into()))?;
    Date::from_calendar_date(year, month, 1).map_err(|e| MockError::Config(format!("history: {e}")))
}

fn trade_time(t: PrimitiveDateTime) -> Result<TradeTime, MockError> {
    let text = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    TradeTime::parse(&text).map_err(|e| MockError::Config(format!("history: {e}")))
}

/// `YYYY-MM-DD hh:mm:ss` as a date-time (`None` cannot happen for a valid `TradeTime`).
fn primitive(t: &TradeTime) -> Option<PrimitiveDateTime> {
    let s = t.as_str();
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u8>().ok());
    let year = s.get(0..4)?.parse::<i32>().ok()?;
    let date = Date::from_calendar_date(year, Month::try_from(n(5..7)?).ok()?, n(8..10)?).ok()?;
    let time = Time::from_hms(n(11..13)?, n(14..16)?, n(17..19)?).ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

/// Fills the store with `history` (called once, before serving).
pub(crate) fn fill(shared: &Shared, history: &History) -> Result<(), MockError> {
    if !(1..=12).contains(&history.first_month.1) {
        return Err(MockError::Config(format!(
            "history: month {} is not 1–12",
            history.first_month.1
        )));
    }
    let app = shared
        .config
        .apps
        .first()
        .ok_or_else(|| MockError::Config("no app configured".into()))?;
    let mchid = app.mchids.first().cloned();
    let now = shared.clock.now();
    let mut rng = fastrand::Rng::with_seed(history.seed);
    // (time, payment, its refund if any), sorted by time before insertion
    // so that the store's creation order is chronological, as a real
    // history would be.
    let mut rows: Vec<(String, Order)> = Vec::new();
    let mut store = lock(&shared.store);
    for m in 0..history.months {
        let start = month_start(history.first_month, m)?.midnight();
        let end = month_start(history.first_month, m + 1)?.midnight();
        let mut span = (end - start).whole_seconds();
        // Within the current month: only before now.
        if let Some(n) = primitive(&now)
            && n >= start
            && n < end
        {
            span = (n - start).whole_seconds().max(1);
        }
        for i in 0..history.per_month {
            let at = start + time::Duration::seconds(rng.i64(0..span));
            let sysdtm = trade_time(at)?;
            let syssn = store.next_syssn(SyssnKind::Payment, &sysdtm);
            let txamt = rng.u64(100..=500_000);
            let closed = i % 13 == 12;
            let currency = if i % 7 == 6 { "USD" } else { "HKD" };
            let out_trade_no = format!(
                "H{}-{}{:02}-{i:05}",
                history.seed,
                at.year(),
                u8::from(at.month())
            );
            let seed = SeedOrder::paid(syssn.clone(), txamt)
                .currency(currency)
                .pay_type(PAY_TYPES[rng.usize(..PAY_TYPES.len())]);
            let merchant = (app.code.clone(), mchid.clone());
            let mut payment =
                operations::paid_payment(&store, &seed, merchant, out_trade_no, &sysdtm);
            if closed {
                payment.paydtm = None;
                payment.status = OrderStatus::Closed;
                payment.chnlsn = String::new();
            }
            if i % 5 == 4 && !closed {
                let rat = trade_time(at + time::Duration::hours(1))?;
                let rsyssn = store.next_syssn(SyssnKind::Refund, &rat);
                let ramt = (txamt / 2).max(1);
                payment.refunded = ramt;
                payment.refunds.push(rsyssn.clone());
                let refund = Order {
                    syssn: rsyssn,
                    order_type: OrderType::Refund,
                    out_trade_no: format!("{}-R", payment.out_trade_no),
                    txamt: ramt,
                    txdtm: rat.to_string(),
                    sysdtm: rat.to_string(),
                    paydtm: Some(rat.to_string()),
                    status: OrderStatus::Succeeded,
                    refunded: 0,
                    refunds: Vec::new(),
                    orig_syssn: Some(syssn.clone()),
                    ..payment.clone()
                };
                rows.push((rat.to_string(), refund));
            }
            rows.push((sysdtm.to_string(), payment));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, order) in rows {
        operations::record(&mut store, order);
    }
    shared.commit(&mut store)
}
