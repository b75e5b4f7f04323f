//! `YYYY-MM-DD hh:mm:ss`, the only time format QFPay accepts.
//!
//! The text is checked here, by hand and without the `time` crate, so that
//! signing needs no date library; `time_crate` adds the clock and the
//! conversions (feature `time`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::param::{PairSink, ParamValue};
use crate::param_error::InvalidParam;

#[cfg(feature = "time")]
mod time_crate;
#[cfg(feature = "time")]
pub use time_crate::HONG_KONG;
#[cfg(feature = "time")]
pub(crate) use time_crate::to_date;

/// A local date-time, always written as `YYYY-MM-DD hh:mm:ss` (24 h, no zone,
/// no `T`, no fraction) — the format of `txdtm`, `start_time`, `end_time`.
///
/// QFPay's own times (`sysdtm`) are Hong Kong time, so [`TradeTime::now`]
/// (feature `time`) uses UTC+8.
///
/// ```
/// use qfpay::types::TradeTime;
/// let t = TradeTime::parse("2019-12-25 14:21:28").unwrap();
/// assert_eq!(t.to_string(), "2019-12-25 14:21:28");
/// assert!(TradeTime::parse("2019-12-25T14:21:28").is_err());
/// assert!(TradeTime::parse("2019-02-29 00:00:00").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TradeTime([u8; 19]);

impl TradeTime {
    /// Parses exactly `YYYY-MM-DD hh:mm:ss`, checking that the date exists.
    pub fn parse(text: &str) -> Result<Self, InvalidParam> {
        Self::parse_field(text, "txdtm")
    }

    /// Like [`TradeTime::parse`], naming `field` in the error.
    pub fn parse_field(text: &str, field: &'static str) -> Result<Self, InvalidParam> {
        // The checked text is the canonical form itself: kept as it is, not
        // rebuilt from the date-time it describes.
        let b = shaped(text, field)?;
        check_date(&b, |reason| invalid(field, reason))?;
        let (hour, minute, second) = (number(&b, 11..13), number(&b, 14..16), number(&b, 17..19));
        if hour > 23 || minute > 59 || second > 59 {
            return Err(invalid(field, "the time is not a valid 24-hour time"));
        }
        Ok(TradeTime(b))
    }

    /// The text form.
    pub fn as_str(&self) -> &str {
        // Built only from ASCII digits and separators.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00 00:00:00")
    }
}

fn invalid(field: &'static str, reason: &'static str) -> InvalidParam {
    InvalidParam {
        name: field,
        reason: reason.into(),
    }
}

/// `text` as 19 bytes of the shape `YYYY-MM-DD hh:mm:ss` (digits not yet
/// checked as a date).
fn shaped(text: &str, field: &'static str) -> Result<[u8; 19], InvalidParam> {
    let b: [u8; 19] = text
        .as_bytes()
        .try_into()
        .map_err(|_| invalid(field, "expected `YYYY-MM-DD hh:mm:ss` (19 characters)"))?;
    if !has_shape(&b, "9999-99-99 99:99:99") {
        return Err(invalid(field, "expected `YYYY-MM-DD hh:mm:ss`"));
    }
    Ok(b)
}

/// Whether `b` has the shape of `pattern`: `9` stands for any ASCII digit,
/// every other byte for itself.
pub(crate) fn has_shape(b: &[u8], pattern: &str) -> bool {
    b.len() == pattern.len()
        && b.iter().zip(pattern.bytes()).all(|(c, p)| match p {
            b'9' => c.is_ascii_digit(),
            _ => *c == p,
        })
}

/// The number the ASCII digits `b[r]` write (the shape already checked).
fn number(b: &[u8], r: std::ops::Range<usize>) -> u32 {
    b[r].iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
}

/// Checks that the date `YYYY-MM-DD` that `b` starts with (its shape
/// already checked) exists.
pub(crate) fn check_date(
    b: &[u8],
    invalid: impl Fn(&'static str) -> InvalidParam,
) -> Result<(), InvalidParam> {
    let (year, month, day) = (number(b, 0..4), number(b, 5..7), number(b, 8..10));
    if !(1..=12).contains(&month) {
        return Err(invalid("the month is not 01–12"));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(invalid("the date does not exist"));
    }
    Ok(())
}

/// The length of `month` (1–12) of `year` in the proleptic Gregorian
/// calendar. Proven against `time::Date::from_calendar_date` by the test
/// `days_in_month_agrees_with_the_time_crate`.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for TradeTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for TradeTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TradeTime({})", self.as_str())
    }
}

impl std::str::FromStr for TradeTime {
    type Err = InvalidParam;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl ParamValue for TradeTime {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self.as_str());
    }
}

impl Serialize for TradeTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TradeTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        TradeTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_padding_and_rejects_bad_shapes() {
        let t = TradeTime::parse("0999-01-02 03:04:05").unwrap();
        assert_eq!(t.as_str(), "0999-01-02 03:04:05");
        for bad in [
            "2019-12-25 24:00:00",
            "2019-12-25 23:60:00",
            "2019-12-25 23:59:60",
            "2019-13-01 00:00:00",
            "2019-00-01 00:00:00",
            "2019-12-25 14:21",
            "2019/12/25 14:21:28",
            "2019-12-25 14:21:28.000",
            "",
        ] {
            let err = TradeTime::parse(bad).unwrap_err();
            assert_eq!(err.name, "txdtm", "{bad}");
        }
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        for bad in [
            "2017-02-30",
            "2019-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-01-00",
            "2024-01-32",
        ] {
            let err = TradeTime::parse_field(&format!("{bad} 00:00:00"), "start_time").unwrap_err();
            assert_eq!(
                (err.name, &*err.reason),
                ("start_time", "the date does not exist"),
                "{bad}"
            );
        }
        for good in [
            "2020-02-29",
            "2000-02-29",
            "0000-02-29",
            "9999-12-31",
            "2024-04-30",
        ] {
            assert!(
                TradeTime::parse(&format!("{good} 23:59:59")).is_ok(),
                "{good}"
            );
        }
    }

    /// The hand-written calendar rule against the `time` crate's, for every
    /// day (and the day before the first and after the last) of 1600–2400.
    #[cfg(feature = "time")]
    #[test]
    fn days_in_month_agrees_with_the_time_crate() {
        for year in 1600..=2400u32 {
            for month in 1..=12u32 {
                let m = time::Month::try_from(month as u8).unwrap();
                for day in 0..=32u32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let ours = check_date(text.as_bytes(), |r| invalid("d", r)).is_ok();
                    let theirs = time::Date::from_calendar_date(year as i32, m, day as u8).is_ok();
                    assert_eq!(ours, theirs, "{text}");
                }
            }
        }
    }

    /// The 24-hour rule against the `time` crate's.
    #[cfg(feature = "time")]
    #[test]
    fn the_time_check_agrees_with_the_time_crate() {
        for (h, m, s) in
            (0..=25).flat_map(|h| (0..=61).flat_map(move |m| [0, 59, 60].map(|s| (h, m, s))))
        {
            let ours = TradeTime::parse(&format!("2024-01-01 {h:02}:{m:02}:{s:02}")).is_ok();
            assert_eq!(ours, time::Time::from_hms(h, m, s).is_ok(), "{h}:{m}:{s}");
        }
    }
}
