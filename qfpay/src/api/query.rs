//! `POST /trade/v1/query` — transaction enquiry (reference §10).

use std::fmt;

use crate::param::{PairSink, ParamValue};
use crate::qf_endpoint;
use crate::types::{OutTradeNo, PayType, RespCode, Syssn, TradeTime};

use super::records::{ListResponse, TradeRecord};

/// Several values sent as one comma-separated parameter (`syssn`,
/// `out_trade_no`, `pay_type` filters of the query, reference §10).
///
/// An empty list sends nothing.
///
/// ```
/// use qfpay::api::CommaSeparated;
/// use qfpay::types::Syssn;
/// let list: CommaSeparated<Syssn> = vec![Syssn::new("1").unwrap(), Syssn::new("2").unwrap()].into();
/// assert_eq!(list.to_string(), "1,2");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CommaSeparated<T>(Vec<T>);

impl<T> CommaSeparated<T> {
    /// The values.
    pub fn values(&self) -> &[T] {
        &self.0
    }

    /// `true` when the list is empty (nothing is sent).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> From<Vec<T>> for CommaSeparated<T> {
    fn from(values: Vec<T>) -> Self {
        CommaSeparated(values)
    }
}

impl<T> From<T> for CommaSeparated<T> {
    fn from(value: T) -> Self {
        CommaSeparated(vec![value])
    }
}

impl<T> FromIterator<T> for CommaSeparated<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        CommaSeparated(iter.into_iter().collect())
    }
}

impl<T: fmt::Display> fmt::Display for CommaSeparated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, value) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            fmt::Display::fmt(value, f)?;
        }
        Ok(())
    }
}

impl<T: fmt::Debug> fmt::Debug for CommaSeparated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CommaSeparated").field(&self.0).finish()
    }
}

impl<T: fmt::Display> ParamValue for CommaSeparated<T> {
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        if !self.0.is_empty() {
            out.pair(name, &self.to_string());
        }
    }
}

/// `POST /trade/v1/query`: look up payments, refunds and cancellations by
/// `syssn`, by `out_trade_no` (use it when `syssn` is unknown, e.g. after a
/// timeout), or by time range, with paging.
///
/// `start_time`/`end_time` filter on `sysdtm` and must lie within one
/// calendar month (default: the current month); they are ignored when
/// `syssn` is given. Querying by `out_trade_no` alone searches only the
/// current month (reference §27.1 #13).
///
/// ```
/// use qfpay::api::Query;
/// use qfpay::types::{Syssn, TradeTime};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let query = Query::builder()
///     .syssn(Syssn::new("20191227000200020061752831")?)
///     .start_time(TradeTime::parse_field("2019-12-27 00:00:00", "start_time")?)
///     .end_time(TradeTime::parse_field("2019-12-27 23:59:59", "end_time")?)
///     .build();
/// assert_eq!(
///     qfpay::form_body(&query),
///     "end_time=2019-12-27+23%3A59%3A59&start_time=2019-12-27+00%3A00%3A00&syssn=20191227000200020061752831"
/// );
/// // Several transactions at once, comma-separated on the wire:
/// let query = Query::by_syssns([Syssn::new("1")?, Syssn::new("2")?]);
/// assert_eq!(qfpay::form_body(&query), "syssn=1%2C2");
/// # Ok(()) }
/// ```
#[qf_endpoint(path = "/trade/v1/query", method = "POST", response = QueryResponse, idempotent = true)]
#[derive(Clone, Debug)]
pub struct Query {
    /// One or more QFPay transaction numbers.
    pub syssn: Option<CommaSeparated<Syssn>>,
    /// One or more merchant order numbers.
    pub out_trade_no: Option<CommaSeparated<OutTradeNo>>,
    /// One or more pay types.
    pub pay_type: Option<CommaSeparated<PayType>>,
    /// Only transactions with this result code (default: all).
    pub respcd: Option<RespCode>,
    /// Start of the `sysdtm` range (default: start of the current month).
    pub start_time: Option<TradeTime>,
    /// End of the `sysdtm` range (default: end of the current month).
    pub end_time: Option<TradeTime>,
    /// Page number (default 1).
    pub page: Option<u32>,
    /// Page size (default 10; QFPay caps it at 100).
    pub page_size: Option<u32>,
}

impl Query {
    /// One transaction by QFPay transaction number.
    pub fn by_syssn(syssn: Syssn) -> Self {
        Query::builder().syssn(syssn).build()
    }

    /// Several transactions by QFPay transaction number.
    pub fn by_syssns(syssns: impl IntoIterator<Item = Syssn>) -> Self {
        Query::builder()
            .syssn(syssns.into_iter().collect::<CommaSeparated<_>>())
            .build()
    }

    /// One order by merchant order number (current month unless a range is set).
    pub fn by_out_trade_no(out_trade_no: OutTradeNo) -> Self {
        Query::builder().out_trade_no(out_trade_no).build()
    }

    /// Every transaction whose `sysdtm` lies in `start..=end` (within one month).
    pub fn time_range(start: TradeTime, end: TradeTime) -> Self {
        Query::builder().start_time(start).end_time(end).build()
    }
}

/// The response of `/trade/v1/query` (§10): the records in `data` (a single
/// object is read as one record), with `page` and `page_size` when sent.
pub type QueryResponse = ListResponse<TradeRecord>;

/// The records of a `/trade/v1/query` response.
impl ListResponse<TradeRecord> {
    /// The record of the transaction `syssn`, if returned.
    pub fn find_syssn(&self, syssn: &str) -> Option<&TradeRecord> {
        self.data
            .iter()
            .find(|r| r.syssn.as_ref().is_some_and(|s| s.as_str() == syssn))
    }

    /// The records of the order `out_trade_no` (a payment and its refunds
    /// have different numbers, so usually one).
    pub fn find_out_trade_no<'a>(
        &'a self,
        out_trade_no: &'a str,
    ) -> impl Iterator<Item = &'a TradeRecord> + 'a {
        self.data.iter().filter(move |r| {
            r.out_trade_no
                .as_ref()
                .is_some_and(|o| o.as_str() == out_trade_no)
        })
    }
}
