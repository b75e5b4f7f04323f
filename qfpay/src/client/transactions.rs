//! [`Client::transactions`]: every transaction of a date-time range, as a
//! lazy stream of typed records — QFPay's paging rules (reference §10) kept
//! for the caller.
//!
//! A query's `start_time`/`end_time` must lie within one calendar month and
//! `page_size` stops at 100, so the range is cut into calendar-month windows
//! and each window is paged 100 records at a time until a short page. Pages
//! are fetched in order, one ahead of the caller: memory holds the page being
//! read, the one being fetched, and the `syssn`s already yielded in the
//! current window (see [`Transactions`]).
//!
//! A fetch brings its page's body with its records counted but not decoded
//! ([`RawPage`]): whether the page is full is all it takes to ask for the
//! next one, so the next request goes out before this page's records are
//! decoded, and decoding overlaps with the server's work on the next page.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use time::{Date, PrimitiveDateTime, Time};

use super::Client;
use crate::api::{Query, TradeRecord};
use crate::error::Error;
use crate::types::{OrderType, PayType, RespCode, TradeTime};

mod page;

use page::{PageQuery, RawPage};

/// The largest page QFPay serves (reference §10); every page is asked at this size.
pub const MAX_PAGE_SIZE: u32 = 100;

/// A group of record statuses (`respcd` of the record, reference §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RespcdFamily {
    /// `0000`.
    Success,
    /// `1143`, `1145`, `1298` (see [`RespCode::is_pending`]).
    Pending,
    /// Anything else (see [`RespCode::is_failure`]).
    Failure,
}

impl RespcdFamily {
    /// The family of `code`.
    pub fn of(code: &RespCode) -> Self {
        if code.is_accepted() {
            RespcdFamily::Success
        } else if code.is_pending() {
            RespcdFamily::Pending
        } else {
            RespcdFamily::Failure
        }
    }
}

/// Which transactions [`Client::transactions`] lists: a `sysdtm` range
/// (both ends included, any length) and optional filters.
///
/// ```
/// use qfpay::types::{OrderType, PayType, TradeTime};
/// use qfpay::{RespcdFamily, TransactionFilter};
/// # fn main() -> Result<(), qfpay::InvalidParam> {
/// let filter = TransactionFilter::new(
///     TradeTime::parse("2024-11-15 00:00:00")?,
///     TradeTime::parse("2025-02-14 23:59:59")?,
/// )
/// .pay_types([PayType::from_code("800101")])
/// .order_type(OrderType::Refund)
/// .respcd(RespcdFamily::Success);
/// # let _ = filter; Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransactionFilter {
    /// First `sysdtm` included.
    pub start: TradeTime,
    /// Last `sysdtm` included.
    pub end: TradeTime,
    /// Only these pay types (sent to QFPay); empty: all.
    pub pay_types: Vec<PayType>,
    /// Only payments or only refunds; `None`: both.
    pub order_type: Option<OrderType>,
    /// Only records whose `respcd` is in this family; `None`: all.
    pub respcd: Option<RespcdFamily>,
}

impl TransactionFilter {
    /// Every transaction with `start <= sysdtm <= end`.
    pub fn new(start: TradeTime, end: TradeTime) -> Self {
        TransactionFilter {
            start,
            end,
            pay_types: Vec::new(),
            order_type: None,
            respcd: None,
        }
    }

    /// Only these pay types.
    pub fn pay_types(mut self, pay_types: impl IntoIterator<Item = PayType>) -> Self {
        self.pay_types = pay_types.into_iter().collect();
        self
    }

    /// Only payments, or only refunds.
    pub fn order_type(mut self, order_type: OrderType) -> Self {
        self.order_type = Some(order_type);
        self
    }

    /// Only records whose status is in `family`.
    pub fn respcd(mut self, family: RespcdFamily) -> Self {
        self.respcd = Some(family);
        self
    }

    fn keeps(&self, r: &TradeRecord) -> bool {
        self.order_type
            .as_ref()
            .is_none_or(|t| r.order_type.as_ref() == Some(t))
            && self.respcd.is_none_or(|f| RespcdFamily::of(&r.respcd) == f)
    }
}

/// The last second of the calendar month of `t`.
fn month_end(t: PrimitiveDateTime) -> PrimitiveDateTime {
    let last = t.date().month().length(t.year());
    let date = t.date().replace_day(last).unwrap_or(t.date());
    PrimitiveDateTime::new(date, Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT))
}

/// Midnight of the first day of the month after `t`'s (`None` past year 9999).
fn next_month(t: PrimitiveDateTime) -> Option<PrimitiveDateTime> {
    let (year, month) = match t.month().next() {
        time::Month::January => (t.year() + 1, time::Month::January),
        m => (t.year(), m),
    };
    let date = Date::from_calendar_date(year, month, 1).ok()?;
    (year <= 9999).then(|| date.midnight())
}

/// One calendar-month window being paged.
struct Window {
    start: TradeTime,
    end: TradeTime,
    /// The next page to ask for.
    page: u32,
    /// `syssn`s yielded in this window: a record that moves to the next page
    /// while paging (a newer payment pushed it down) comes twice and is
    /// yielded once. Bounded by the window's (one month's) record count and
    /// dropped when the window ends.
    seen: HashSet<String>,
}

type PageFuture = Pin<Box<dyn Future<Output = Result<RawPage, Error>> + Send>>;

/// The page being fetched. In a task of the current tokio runtime when there
/// is one, so that the request, the server's work and the decoding go on
/// while the caller reads the page before; polled in place otherwise.
enum Fetch {
    Task(tokio::task::JoinHandle<Result<RawPage, Error>>),
    InPlace(PageFuture),
}

impl Fetch {
    fn start(page: PageFuture) -> Self {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Fetch::Task(runtime.spawn(page)),
            Err(_) => Fetch::InPlace(page),
        }
    }

    /// The page, or `None` when its task was cancelled (its runtime shut
    /// down) and the request is to be made again in place.
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<RawPage, Error>>> {
        match self {
            Fetch::InPlace(page) => page.as_mut().poll(cx).map(Some),
            Fetch::Task(task) => match ready!(Pin::new(task).poll(cx)) {
                Ok(page) => Poll::Ready(Some(page)),
                // The task's panic is the caller's, as it would be in place.
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => Poll::Ready(None),
            },
        }
    }
}

impl Drop for Fetch {
    /// A dropped stream stops its page's request.
    fn drop(&mut self) {
        if let Fetch::Task(task) = self {
            task.abort();
        }
    }
}

/// The lazy stream returned by [`Client::transactions`]: yields each
/// record of the range once, oldest window first, in QFPay's order within a
/// window.
///
/// Nothing is fetched before the first poll. Pages are fetched in order
/// through [`Client::call`] (the query is idempotent, so transient failures
/// are retried per the client's [`RetryPolicy`](crate::RetryPolicy)), one
/// ahead: when a page arrives, the next one is asked for (in a task of the
/// current tokio runtime) before this one's records are decoded, so the
/// server works on it while the caller decodes and reads this one, and no
/// further until the caller has read it — a stream left unpolled holds at most two
/// pages. An error that remains is yielded once, after the records before
/// it, and ends the stream. Records without a `syssn` cannot be
/// de-duplicated and are yielded as received.
///
/// It implements [`futures_core::Stream`]; without a stream combinator
/// crate, [`next_record`](Self::next_record) reads it in a `while let` loop.
#[must_use = "a stream does nothing until polled"]
pub struct Transactions {
    client: Client,
    filter: TransactionFilter,
    /// Start of the next window; `None` once the range is exhausted.
    next_start: Option<PrimitiveDateTime>,
    end: PrimitiveDateTime,
    window: Option<Window>,
    buffer: VecDeque<TradeRecord>,
    /// The next page, being fetched.
    fetch: Option<Fetch>,
    finished: bool,
    pages: u64,
    records: u64,
}

impl std::fmt::Debug for Transactions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transactions")
            .field("filter", &self.filter)
            .field("pages", &self.pages)
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Every transaction whose `sysdtm` lies in the filter's range, as a
    /// lazy [`Stream`] of records: the range is cut into calendar-month
    /// windows, each paged [`MAX_PAGE_SIZE`] records at a time, duplicates
    /// (by `syssn`) removed. See [`Transactions`].
    ///
    /// ```no_run
    /// use qfpay::types::TradeTime;
    /// use qfpay::TransactionFilter;
    /// # async fn run(client: qfpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = TransactionFilter::new(
    ///     TradeTime::parse("2024-12-01 00:00:00")?,
    ///     TradeTime::parse("2025-01-31 23:59:59")?,
    /// );
    /// let mut records = client.transactions(filter);
    /// while let Some(record) = records.next_record().await {
    ///     let record = record?;
    ///     println!("{:?} {:?}", record.syssn, record.txamt);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn transactions(&self, filter: TransactionFilter) -> Transactions {
        let (start, end) = (filter.start.to_primitive(), filter.end.to_primitive());
        let (next_start, end) = match (start, end) {
            (Some(s), Some(e)) if s <= e => (Some(s), e),
            // An empty range (start after end) lists nothing.
            (_, e) => (None, e.unwrap_or(PrimitiveDateTime::MIN)),
        };
        Transactions {
            client: self.clone(),
            filter,
            next_start,
            end,
            window: None,
            buffer: VecDeque::new(),
            fetch: None,
            finished: false,
            pages: 0,
            records: 0,
        }
    }
}

impl Transactions {
    /// The next record, or `None` at the end.
    pub fn next_record(
        &mut self,
    ) -> impl Future<Output = Option<Result<TradeRecord, Error>>> + Send + '_ {
        std::future::poll_fn(move |cx| Pin::new(&mut *self).poll_next(cx))
    }

    /// Pages received so far (not counting the one fetched ahead).
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Records yielded so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Opens the next window, or returns `false` when the range is done.
    fn open_window(&mut self) -> bool {
        let Some(start) = self.next_start else {
            return false;
        };
        let end = month_end(start).min(self.end);
        self.next_start = next_month(start).filter(|n| *n <= self.end);
        self.window = Some(Window {
            start: TradeTime::from(start),
            end: TradeTime::from(end),
            page: 1,
            seen: HashSet::new(),
        });
        true
    }

    /// Starts fetching the next page, opening the next window if need be;
    /// `false` when the range is done.
    fn fetch_next(&mut self) -> bool {
        if self.window.is_none() && !self.open_window() {
            return false;
        }
        let Some(w) = &self.window else {
            return false;
        };
        self.fetch = Some(Fetch::start(self.request(w)));
        true
    }

    fn request(&self, w: &Window) -> PageFuture {
        let f = &self.filter;
        let mut q = Query::builder()
            .start_time(w.start)
            .end_time(w.end)
            .page(w.page)
            .page_size(MAX_PAGE_SIZE)
            .build();
        if !f.pay_types.is_empty() {
            q.pay_type = Some(f.pay_types.clone().into());
        }
        // Only success has a single code; the other families are filtered here.
        if f.respcd == Some(RespcdFamily::Success) {
            q.respcd = Some(RespCode::Ok);
        }
        Box::pin(self.client.call(&PageQuery(q)))
    }

    /// Takes a page in: asks for the next one (a full page: the same
    /// window's next; a short one ends the window) and only then decodes
    /// this one's records, de-duplicated, into the buffer.
    fn take_page(&mut self, page: RawPage) -> Result<(), Error> {
        self.pages += 1;
        let short = page.len < MAX_PAGE_SIZE as usize;
        if let Some(w) = self.window.as_mut() {
            w.page = w.page.saturating_add(1);
        }
        // A short page's window ends here; its `seen` set still serves
        // this page's records.
        let mut ended = if short { self.window.take() } else { None };
        // One ahead: the next page comes while this one is decoded and read.
        self.fetch_next();
        let records = page.records()?;
        let mut seen = ended.as_mut().or(self.window.as_mut()).map(|w| &mut w.seen);
        for r in records {
            let fresh = match (&r.syssn, seen.as_mut()) {
                (Some(s), Some(seen)) => seen.insert(s.as_str().to_owned()),
                _ => true,
            };
            if fresh && self.filter.keeps(&r) {
                self.buffer.push_back(r);
            }
        }
        Ok(())
    }
}

impl Stream for Transactions {
    type Item = Result<TradeRecord, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(r) = this.buffer.pop_front() {
                this.records += 1;
                return Poll::Ready(Some(Ok(r)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            let Some(fetch) = this.fetch.as_mut() else {
                if !this.fetch_next() {
                    this.finished = true;
                }
                continue;
            };
            let Some(result) = ready!(fetch.poll(cx)) else {
                // Its runtime is gone: ask again, polled in place (the
                // window still stands where that request left it).
                let again = this
                    .window
                    .as_ref()
                    .map(|w| Fetch::InPlace(this.request(w)));
                this.fetch = again;
                continue;
            };
            this.fetch = None;
            if let Err(e) = result.and_then(|page| this.take_page(page)) {
                this.finished = true;
                // The page asked for ahead is not wanted any more.
                this.fetch = None;
                return Poll::Ready(Some(Err(e)));
            }
        }
    }
}
