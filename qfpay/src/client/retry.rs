//! Which requests may be re-sent, and how long to wait between attempts.

use std::time::Duration;

/// How the client retries idempotent reads (queries, the statement download)
/// after HTTP 429, a 5xx status, a timeout or a connection error.
///
/// Delays grow exponentially from `base_delay`, capped at `max_delay`, with
/// "full jitter" (a uniformly random delay between half and all of the
/// computed one). A `Retry-After` on a 429 is honoured when it is not longer
/// than `max_delay`; otherwise the error is returned at once. Payments,
/// refunds and every other write are never retried, whatever the policy.
///
/// ```
/// use std::time::Duration;
/// use qfpay::RetryPolicy;
///
/// let policy = RetryPolicy::new(5, Duration::from_millis(100), Duration::from_secs(2));
/// assert_eq!(RetryPolicy::default().max_attempts, 3);
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// # let _ = policy;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`1` = no retry). `0` counts as `1`.
    pub max_attempts: u32,
    /// The delay before the first retry (before jitter).
    pub base_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base delay, 5 s maximum delay.
    fn default() -> Self {
        Self::new(3, Duration::from_millis(200), Duration::from_secs(5))
    }
}

impl RetryPolicy {
    /// `max_attempts` in all (the first included), delays from `base_delay`
    /// doubling up to `max_delay`.
    pub const fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        RetryPolicy {
            max_attempts,
            base_delay,
            max_delay,
        }
    }

    /// Never retry.
    pub const fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
        }
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failed
    /// (`attempt` ≥ 1), before jitter.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        self.base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay)
    }

    /// The jittered delay before the next attempt, or `None` when the server
    /// asked for a longer pause than `max_delay` allows.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let backoff = jitter(self.backoff(attempt));
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// A uniformly random duration in `[d/2, d]`.
pub(crate) fn jitter(d: Duration) -> Duration {
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    if nanos < 2 {
        return d;
    }
    let half = nanos / 2;
    Duration::from_nanos(half + random_u64() % (nanos - half + 1))
}

/// A random number good enough for jitter: the process-random SipHash keys
/// of `RandomState` over a counter and the clock. Not for cryptography.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(since.as_nanos());
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(400));
        assert_eq!(p.backoff(9), Duration::from_millis(1000));
        assert_eq!(p.backoff(u32::MAX), Duration::from_millis(1000));
        for attempt in 1..6 {
            let d = p.delay(attempt, None).unwrap();
            assert!(
                d >= p.backoff(attempt) / 2 && d <= p.backoff(attempt),
                "{d:?}"
            );
        }
        assert_eq!(p.delay(1, Some(Duration::from_secs(5))), None);
        assert!(
            p.delay(1, Some(Duration::from_millis(900))).unwrap() >= Duration::from_millis(900)
        );
    }
}
