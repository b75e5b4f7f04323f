//! Deterministic scenarios chosen by the request, like Stripe's test cards.
//! The table is in the crate README; keep the two in step.

use std::time::Duration;

/// What a payment request turns into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scenario {
    /// CPM: paid at once. Other flows: created, unpaid until `pay`.
    Normal,
    /// The payment is pending with `code`; the `n`-th query that returns it
    /// shows it paid — or failed with `fails_with` (`None`: never, until
    /// `pay`, close or reversal).
    Pending {
        code: &'static str,
        paid_on_query: Option<u32>,
        fails_with: Option<&'static str>,
    },
    /// The payment fails with `code` (CPM: at once; other flows: when paid).
    Fail { code: &'static str },
    /// Like `Normal`, but the reply comes after `delay`.
    Slow { delay: Duration },
}

/// Default number of queries before a pending payment is paid.
pub(crate) const DEFAULT_PENDING_QUERIES: u32 = 2;
/// Longest delay `MOCK-SLOW-<ms>` may ask for.
pub(crate) const MAX_SLOW: Duration = Duration::from_secs(60);

/// The scenario for a payment: `auth_code` triggers (CPM only) win over
/// amount triggers.
pub(crate) fn pick(auth_code: Option<&str>, txamt: u64, slow_reply: Duration) -> Scenario {
    if let Some(s) = auth_code.and_then(by_auth_code) {
        return s;
    }
    by_amount(txamt, slow_reply).unwrap_or(Scenario::Normal)
}

fn pending(code: &'static str, n: Option<u32>) -> Scenario {
    Scenario::Pending {
        code,
        paid_on_query: n,
        fails_with: None,
    }
}

/// A refund of this amount is pending with the code; the `n`-th query that
/// returns it shows it done (`1143`, `1145`; the 2nd query).
pub(crate) fn refund_pending(txamt: u64) -> Option<(&'static str, u32)> {
    match txamt {
        1143 => Some(("1143", DEFAULT_PENDING_QUERIES)),
        1145 => Some(("1145", DEFAULT_PENDING_QUERIES)),
        _ => None,
    }
}

fn by_amount(txamt: u64, slow_reply: Duration) -> Option<Scenario> {
    Some(match txamt {
        1143 => pending("1143", Some(DEFAULT_PENDING_QUERIES)),
        1145 => pending("1145", Some(DEFAULT_PENDING_QUERIES)),
        1298 => pending("1298", Some(DEFAULT_PENDING_QUERIES)),
        1181 => Scenario::Fail { code: "1181" },
        1201 => Scenario::Fail { code: "1201" },
        1202 => Scenario::Fail { code: "1202" },
        1205 => Scenario::Fail { code: "1205" },
        1297 => Scenario::Fail { code: "1297" },
        2005 => Scenario::Fail { code: "2005" },
        1295 => Scenario::Slow { delay: slow_reply },
        _ => return None,
    })
}

fn by_auth_code(code: &str) -> Option<Scenario> {
    let upper = code.trim().to_ascii_uppercase();
    let rest = upper.strip_prefix("MOCK-")?;
    let (word, n) = match rest.rsplit_once('-') {
        Some((w, digits)) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            (w, digits.parse::<u64>().ok())
        }
        _ => (rest, None),
    };
    let queries = |n: Option<u64>| {
        Some(
            n.map(|n| u32::try_from(n).unwrap_or(u32::MAX).max(1))
                .unwrap_or(DEFAULT_PENDING_QUERIES),
        )
    };
    Some(match word {
        "PENDING" => pending("1143", queries(n)),
        "PROCESSING" => pending("1145", queries(n)),
        "CONFIRM-LATER" => pending("1298", queries(n)),
        "NEVER-PAID" if n.is_none() => pending("1143", None),
        "PENDING-FAIL" => Scenario::Pending {
            code: "1143",
            paid_on_query: queries(n),
            fails_with: Some("1205"),
        },
        "INSUFFICIENT" if n.is_none() => Scenario::Fail { code: "1201" },
        "EXPIRED" if n.is_none() => Scenario::Fail { code: "1202" },
        "INVALID" if n.is_none() => Scenario::Fail { code: "2005" },
        "DECLINED" if n.is_none() => Scenario::Fail { code: "1205" },
        "BANK-BUSY" if n.is_none() => Scenario::Fail { code: "1297" },
        "SLOW" => Scenario::Slow {
            delay: Duration::from_millis(n.unwrap_or(2000)).min(MAX_SLOW),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers() {
        let slow = Duration::from_secs(2);
        assert_eq!(pick(None, 100, slow), Scenario::Normal);
        assert_eq!(pick(Some("134857901234567"), 100, slow), Scenario::Normal);
        assert_eq!(
            pick(Some("mock-pending-5"), 100, slow),
            pending("1143", Some(5))
        );
        assert_eq!(
            pick(Some("MOCK-PENDING"), 100, slow),
            pending("1143", Some(2))
        );
        assert_eq!(
            pick(Some("MOCK-NEVER-PAID"), 100, slow),
            pending("1143", None)
        );
        assert_eq!(
            pick(Some("MOCK-PENDING-FAIL-3"), 100, slow),
            Scenario::Pending {
                code: "1143",
                paid_on_query: Some(3),
                fails_with: Some("1205"),
            }
        );
        assert_eq!(refund_pending(1145), Some(("1145", 2)));
        assert_eq!(refund_pending(100), None);
        assert_eq!(
            pick(Some("MOCK-INSUFFICIENT"), 100, slow),
            Scenario::Fail { code: "1201" }
        );
        assert_eq!(
            pick(Some("MOCK-SLOW-250"), 100, slow),
            Scenario::Slow {
                delay: Duration::from_millis(250)
            }
        );
        assert_eq!(
            pick(Some("MOCK-SLOW-99999999"), 100, slow),
            Scenario::Slow { delay: MAX_SLOW }
        );
        assert_eq!(pick(None, 1201, slow), Scenario::Fail { code: "1201" });
        // auth_code wins over amount
        assert_eq!(
            pick(Some("MOCK-DECLINED"), 1201, slow),
            Scenario::Fail { code: "1205" }
        );
        assert_eq!(
            pick(Some("MOCK-UNKNOWN"), 1201, slow),
            Scenario::Fail { code: "1201" }
        );
        assert_eq!(pick(None, 1295, slow), Scenario::Slow { delay: slow });
    }
}
