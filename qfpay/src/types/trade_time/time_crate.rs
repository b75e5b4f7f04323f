//! [`TradeTime`] and [`TradeDate`](crate::api::TradeDate) with the `time`
//! crate (feature `time`): the clock in Hong Kong and the conversions. The
//! text is checked in the parent module, without `time`.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::{TradeTime, number};

/// Hong Kong time, UTC+8, in which QFPay reports its own times.
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub const HONG_KONG: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

impl TradeTime {
    /// The current time in Hong Kong (UTC+8).
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn now() -> Self {
        Self::now_in(HONG_KONG)
    }

    /// The current time at `offset`.
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn now_in(offset: UtcOffset) -> Self {
        let now = OffsetDateTime::now_utc().to_offset(offset);
        Self::from(PrimitiveDateTime::new(now.date(), now.time()))
    }

    /// As a `time` date-time (no zone).
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn to_primitive(&self) -> Option<PrimitiveDateTime> {
        let b = &self.0;
        let t = Time::from_hms(
            number(b, 11..13) as u8,
            number(b, 14..16) as u8,
            number(b, 17..19) as u8,
        );
        Some(PrimitiveDateTime::new(to_date(b)?, t.ok()?))
    }
}

/// The `time` date that `b` starts with (`YYYY-MM-DD`, already checked).
pub(crate) fn to_date(b: &[u8]) -> Option<Date> {
    let month = Month::try_from(number(b, 5..7) as u8).ok()?;
    Date::from_calendar_date(number(b, 0..4) as i32, month, number(b, 8..10) as u8).ok()
}

/// Written as `YYYY-MM-DD hh:mm:ss`; a date-time before year 0 or after
/// year 9999 (four digits) is written as the first or the last second of
/// that range.
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl From<PrimitiveDateTime> for TradeTime {
    fn from(dt: PrimitiveDateTime) -> Self {
        match dt.year() {
            ..0 => TradeTime(*b"0000-01-01 00:00:00"),
            10000.. => TradeTime(*b"9999-12-31 23:59:59"),
            year => {
                let mut out = *b"0000-00-00 00:00:00";
                let mut put = |at: usize, width: usize, mut v: u32| {
                    for i in (0..width).rev() {
                        out[at + i] = b'0' + (v % 10) as u8;
                        v /= 10;
                    }
                };
                put(0, 4, year.unsigned_abs());
                put(5, 2, u32::from(u8::from(dt.month())));
                put(8, 2, u32::from(dt.day()));
                put(11, 2, u32::from(dt.hour()));
                put(14, 2, u32::from(dt.minute()));
                put(17, 2, u32::from(dt.second()));
                TradeTime(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_and_saturates_outside_four_digit_years() {
        assert_eq!(TradeTime::now().as_str().len(), 19);
        let t = TradeTime::parse("0999-01-02 03:04:05").unwrap();
        let p = t.to_primitive().unwrap();
        assert_eq!(
            (
                p.year(),
                p.month(),
                p.day(),
                p.hour(),
                p.minute(),
                p.second()
            ),
            (999, Month::January, 2, 3, 4, 5)
        );
        assert_eq!(TradeTime::from(p), t);
        let at = |y| {
            PrimitiveDateTime::new(
                Date::from_calendar_date(y, Month::June, 1).unwrap(),
                Time::MIDNIGHT,
            )
        };
        assert_eq!(TradeTime::from(at(-1)).as_str(), "0000-01-01 00:00:00");
        assert_eq!(TradeTime::from(at(0)).as_str(), "0000-06-01 00:00:00");
        assert_eq!(TradeTime::from(at(9999)).as_str(), "9999-06-01 00:00:00");
        assert_eq!(
            TradeTime::from(PrimitiveDateTime::MIN).as_str(),
            "0000-01-01 00:00:00"
        );
        assert_eq!(
            TradeTime::from(PrimitiveDateTime::MAX).as_str(),
            "9999-12-31 23:59:59"
        );
    }
}
