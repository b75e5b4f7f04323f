//! `YYYY-MM-DD hh:mm:ss`, the only time format QFPay accepts.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::param::{PairSink, ParamValue};
use crate::param_error::InvalidParam;

/// A local date-time, always written as `YYYY-MM-DD hh:mm:ss` (24 h, no zone,
/// no `T`, no fraction) — the format of `txdtm`, `start_time`, `end_time`.
///
/// QFPay's own times (`sysdtm`) are Hong Kong time, so [`TradeTime::now`]
/// uses UTC+8.
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

/// Hong Kong time, UTC+8, in which QFPay reports its own times.
pub const HONG_KONG: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

impl TradeTime {
    /// The current time in Hong Kong (UTC+8).
    pub fn now() -> Self {
        Self::now_in(HONG_KONG)
    }

    /// The current time at `offset`.
    pub fn now_in(offset: UtcOffset) -> Self {
        let now = OffsetDateTime::now_utc().to_offset(offset);
        Self::from(PrimitiveDateTime::new(now.date(), now.time()))
    }

    /// Parses exactly `YYYY-MM-DD hh:mm:ss`, checking that the date exists.
    pub fn parse(text: &str) -> Result<Self, InvalidParam> {
        Self::parse_field(text, "txdtm")
    }

    /// Like [`TradeTime::parse`], naming `field` in the error.
    pub fn parse_field(text: &str, field: &'static str) -> Result<Self, InvalidParam> {
        // The checked text is the canonical form itself: kept as it is, not
        // rebuilt from the date-time it describes.
        let b = shaped(text, field)?;
        date_time(&b, field)?;
        Ok(TradeTime(b))
    }

    /// The text form.
    pub fn as_str(&self) -> &str {
        // Built only from ASCII digits and separators.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00 00:00:00")
    }

    /// As a `time` date-time (no zone).
    pub fn to_primitive(&self) -> Option<PrimitiveDateTime> {
        date_time(&self.0, "txdtm").ok()
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

/// The date-time that the shaped bytes `b` write, if the date exists and
/// the time is a 24-hour time.
fn date_time(b: &[u8; 19], field: &'static str) -> Result<PrimitiveDateTime, InvalidParam> {
    let date = date_of(b, |reason| invalid(field, reason))?;
    let (hour, minute, second) = (number(b, 11..13), number(b, 14..16), number(b, 17..19));
    let t = time::Time::from_hms(hour as u8, minute as u8, second as u8)
        .map_err(|_| invalid(field, "the time is not a valid 24-hour time"))?;
    Ok(PrimitiveDateTime::new(date, t))
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

/// The date `YYYY-MM-DD` that `b` starts with (its shape already checked),
/// if it exists.
pub(crate) fn date_of(
    b: &[u8],
    invalid: impl Fn(&'static str) -> InvalidParam,
) -> Result<time::Date, InvalidParam> {
    let month = u8::try_from(number(b, 5..7))
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(|| invalid("the month is not 01–12"))?;
    time::Date::from_calendar_date(number(b, 0..4) as i32, month, number(b, 8..10) as u8)
        .map_err(|_| invalid("the date does not exist"))
}

impl From<PrimitiveDateTime> for TradeTime {
    fn from(dt: PrimitiveDateTime) -> Self {
        let mut out = *b"0000-00-00 00:00:00";
        let mut put = |at: usize, width: usize, mut v: u32| {
            for i in (0..width).rev() {
                out[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, 4, dt.year().clamp(0, 9999) as u32);
        put(5, 2, u32::from(u8::from(dt.month())));
        put(8, 2, u32::from(dt.day()));
        put(11, 2, u32::from(dt.hour()));
        put(14, 2, u32::from(dt.minute()));
        put(17, 2, u32::from(dt.second()));
        TradeTime(out)
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
            "2019-13-01 00:00:00",
            "2019-12-25 14:21",
            "2019/12/25 14:21:28",
            "2019-12-25 14:21:28.000",
            "",
        ] {
            let err = TradeTime::parse(bad).unwrap_err();
            assert_eq!(err.name, "txdtm", "{bad}");
        }
        assert_eq!(TradeTime::now().as_str().len(), 19);
        assert_eq!(t.to_primitive().map(|p| p.year()), Some(999));
    }
}
