//! The mock's clock: real time plus an offset that only grows
//! ([`Clock::advance`]). Everything time-dependent in the mock reads it:
//! `sysdtm`/`paydtm`, order expiry, subscription billing, and the waits
//! between notification retries — so a test advances the clock instead of
//! sleeping through real minutes.
//!
//! A leaf like `state`: what happens when time passes (`catch_up`) is in
//! `operations`.

use std::time::Duration;

use qfpay::types::{HONG_KONG, TradeTime};
use time::{OffsetDateTime, PrimitiveDateTime};
use tokio::sync::watch;

/// Real time + an offset. The offset is a watch value, so that a task
/// waiting on the mock clock ([`Clock::sleep_until`]) wakes when it moves.
#[derive(Debug)]
pub(crate) struct Clock {
    offset: watch::Sender<Duration>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            offset: watch::Sender::new(Duration::ZERO),
        }
    }
}

impl Clock {
    /// How far the clock is ahead of real time.
    pub fn offset(&self) -> Duration {
        *self.offset.borrow()
    }

    /// Sets the offset (a restored state's); waiters re-check their deadline.
    #[allow(dead_code)] // for restoring a saved state (persistence)
    pub fn set_offset(&self, offset: Duration) {
        self.offset.send_replace(offset);
    }

    /// Moves the clock forward by `by`; waiters re-check their deadline.
    pub fn advance(&self, by: Duration) {
        self.offset
            .send_modify(|o| *o = o.checked_add(by).unwrap_or(Duration::MAX));
    }

    /// The mock's current instant (UTC).
    pub fn now_utc(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.checked_add(time::Duration::try_from(self.offset()).unwrap_or(time::Duration::MAX))
            .unwrap_or(now)
    }

    /// The mock's current time in Hong Kong, as QFPay reports times.
    pub fn now(&self) -> TradeTime {
        trade_time(self.now_utc())
    }

    /// Waits until the mock clock reaches `deadline`: a real sleep for the
    /// time left, cut short (and re-measured) whenever the clock is advanced.
    pub async fn sleep_until(&self, deadline: OffsetDateTime) {
        // Subscribing marks the current offset as seen: an advance after
        // this line wakes the `changed()` below.
        let mut moved = self.offset.subscribe();
        loop {
            let left = deadline - self.now_utc();
            let Ok(left) = Duration::try_from(left) else {
                return; // negative: due
            };
            if left.is_zero() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(left) => {}
                changed = moved.changed() => {
                    if changed.is_err() {
                        // The clock is gone (server dropped): plain real time.
                        tokio::time::sleep(left).await;
                        return;
                    }
                }
            }
        }
    }
}

/// `t` as Hong Kong `YYYY-MM-DD hh:mm:ss`.
pub(crate) fn trade_time(t: OffsetDateTime) -> TradeTime {
    let hk = t.to_offset(HONG_KONG);
    TradeTime::from(PrimitiveDateTime::new(hk.date(), hk.time()))
}

/// A Hong Kong `YYYY-MM-DD hh:mm:ss` as an instant.
pub(crate) fn instant(t: &TradeTime) -> Option<OffsetDateTime> {
    t.to_primitive().map(|p| p.assume_offset(HONG_KONG))
}

/// `t` + `d`, as Hong Kong time (`t` itself when out of range).
pub(crate) fn later(t: &TradeTime, d: Duration) -> TradeTime {
    instant(t)
        .and_then(|i| i.checked_add(time::Duration::try_from(d).ok()?))
        .map_or(*t, trade_time)
}

/// A Hong Kong time as ISO 8601 UTC (`2024-11-21T11:13:06Z`), the format
/// of the subscription query's billing times (reference §19.3).
pub(crate) fn iso_utc(t: &TradeTime) -> String {
    instant(t)
        .map(|i| {
            let u = i.to_offset(time::UtcOffset::UTC);
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                u.year(),
                u8::from(u.month()),
                u.day(),
                u.hour(),
                u.minute(),
                u.second()
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_and_conversions_round_trip() {
        let clock = Clock::default();
        let before = clock.now_utc();
        clock.advance(Duration::from_secs(3600));
        let moved = clock.now_utc() - before;
        assert!(moved >= time::Duration::seconds(3600), "{moved}");
        assert_eq!(clock.offset(), Duration::from_secs(3600));
        let t = TradeTime::parse("2024-11-21 19:13:06").unwrap();
        assert_eq!(iso_utc(&t), "2024-11-21T11:13:06Z");
        assert_eq!(
            later(&t, Duration::from_secs(300)).as_str(),
            "2024-11-21 19:18:06"
        );
        assert_eq!(instant(&t).map(trade_time), Some(t));
    }

    #[tokio::test]
    async fn a_sleeper_wakes_when_the_clock_passes_its_deadline() {
        let clock = std::sync::Arc::new(Clock::default());
        let deadline = clock.now_utc() + time::Duration::hours(2);
        let c = std::sync::Arc::clone(&clock);
        let sleeper = tokio::spawn(async move { c.sleep_until(deadline).await });
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(2 * 3600 + 1));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woken by advance")
            .expect("no panic");
    }
}
