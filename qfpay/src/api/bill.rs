//! `GET /download/v1/trade_bill` — the daily clearing statement (reference §14).

use std::fmt;

use crate::param::{PairSink, ParamValue};
use crate::qf_endpoint;
use crate::response::DecodeResponse;
use crate::sign::InvalidParam;
use crate::types::{check_date, has_shape};

/// A calendar date `YYYY-MM-DD` (`trade_date` of the statement download).
///
/// ```
/// use qfpay::api::TradeDate;
/// assert_eq!(TradeDate::parse("2017-10-17").unwrap().to_string(), "2017-10-17");
/// assert!(TradeDate::parse("2017-02-30").is_err());
/// assert!(TradeDate::parse("2017-10-17 00:00:00").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TradeDate([u8; 10]); // the checked text: its order is the dates' order

impl TradeDate {
    /// Parses exactly `YYYY-MM-DD`, checking that the date exists.
    pub fn parse(text: &str) -> Result<Self, InvalidParam> {
        let invalid = |reason: &'static str| InvalidParam {
            name: "trade_date",
            reason: reason.into(),
        };
        let b = match <[u8; 10]>::try_from(text.as_bytes()) {
            Ok(b) if has_shape(&b, "9999-99-99") => b,
            _ => return Err(invalid("expected `YYYY-MM-DD`")),
        };
        check_date(&b, invalid)?;
        Ok(TradeDate(b))
    }

    /// The text form.
    pub fn as_str(&self) -> &str {
        // Built only from ASCII digits and dashes.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00")
    }

    /// From a `time` date; a date before year 0 or after year 9999 (four
    /// digits) becomes the first or the last day of that range.
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn from_date(date: time::Date) -> Self {
        let at =
            crate::types::TradeTime::from(time::PrimitiveDateTime::new(date, time::Time::MIDNIGHT));
        let mut b = [0; 10];
        b.copy_from_slice(&at.as_str().as_bytes()[..10]);
        TradeDate(b)
    }

    /// As a `time` date.
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn date(&self) -> time::Date {
        // Checked when built: the fallback is never taken.
        crate::types::to_date(&self.0).unwrap_or(time::Date::MIN)
    }
}

impl fmt::Display for TradeDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for TradeDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TradeDate({self})")
    }
}

impl std::str::FromStr for TradeDate {
    type Err = InvalidParam;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl ParamValue for TradeDate {
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self.as_str());
    }
}

/// `GET /download/v1/trade_bill`: download one day's clearing statement.
///
/// **Production only.** The data covers every merchant of the payment
/// channel, so `mchid` is never sent (the client does not add its own). The
/// success body is a ZIP file, decoded as [`TradeBill`]; the file format is
/// not documented.
///
/// ```
/// use qfpay::api::{DownloadTradeBill, TradeDate};
/// use qfpay::{Method, StaticEndpoint};
///
/// let req = DownloadTradeBill::builder().trade_date(TradeDate::parse("2017-10-17").unwrap()).build();
/// assert_eq!(qfpay::form_body(&req), "trade_date=2017-10-17");
/// assert_eq!(DownloadTradeBill::SPEC.method, Method::Get);
/// assert!(!DownloadTradeBill::SPEC.sends_mchid);
/// ```
#[qf_endpoint(path = "/download/v1/trade_bill", method = "GET", response = TradeBill, mchid = false, idempotent = true)]
#[derive(Clone, Debug)]
pub struct DownloadTradeBill {
    /// The statement's day.
    pub trade_date: TradeDate,
}

/// The clearing statement: the raw bytes of the ZIP file QFPay returns.
///
/// Implements [`DecodeResponse`] by hand (it is not JSON). A body that is a
/// JSON object with a `respcd` — QFPay's way of saying no — is a decode
/// error carrying that code; any other body is taken as the file.
#[derive(Clone, PartialEq, Eq)]
pub struct TradeBill(Vec<u8>);

impl TradeBill {
    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The file's bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Reads the ZIP archive: its entries and their CSV rows by column name
    /// (feature `statement`).
    #[cfg(feature = "statement")]
    #[cfg_attr(docsrs, doc(cfg(feature = "statement")))]
    pub fn statement(
        &self,
    ) -> Result<crate::statement::Statement, crate::statement::StatementError> {
        crate::statement::Statement::from_zip(&self.0)
    }

    /// `true` when the bytes start with the ZIP signature `PK\x03\x04`
    /// (or `PK\x05\x06`, an empty archive).
    pub fn is_zip(&self) -> bool {
        self.0.starts_with(b"PK\x03\x04") || self.0.starts_with(b"PK\x05\x06")
    }
}

impl fmt::Debug for TradeBill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TradeBill({} bytes)", self.0.len())
    }
}

impl DecodeResponse for TradeBill {
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        let trimmed = body.trim_ascii_start();
        if trimmed.starts_with(b"{")
            && let Ok(Some(envelope)) = crate::response::read_envelope(trimmed)
        {
            use serde::de::Error;
            return Err(serde_json::Error::custom(format_args!(
                "the statement download answered JSON instead of a file: respcd {} ({})",
                envelope.respcd,
                envelope.resperr.chars().take(128).collect::<String>()
            )));
        }
        Ok(TradeBill(body.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_dates_are_checked_and_written_as_given() {
        let d = TradeDate::parse("2020-02-29").unwrap();
        assert_eq!(
            (d.as_str(), format!("{d:?}")),
            ("2020-02-29", "TradeDate(2020-02-29)".into())
        );
        assert!(TradeDate::parse("0999-01-02").unwrap() < d);
        for bad in [
            "2019-02-29",
            "2017-02-30",
            "2017-13-01",
            "2017-1-01",
            "2017-01-01 ",
            "",
        ] {
            assert_eq!(
                TradeDate::parse(bad).unwrap_err().name,
                "trade_date",
                "{bad}"
            );
        }
    }

    #[cfg(feature = "time")]
    #[test]
    fn trade_dates_convert_to_and_from_time_dates() {
        let d = TradeDate::parse("0999-12-31").unwrap();
        assert_eq!(
            d.date(),
            time::Date::from_calendar_date(999, time::Month::December, 31).unwrap()
        );
        assert_eq!(TradeDate::from_date(d.date()), d);
        assert_eq!(TradeDate::from_date(time::Date::MIN).as_str(), "0000-01-01");
        assert_eq!(TradeDate::from_date(time::Date::MAX).as_str(), "9999-12-31");
    }
}
