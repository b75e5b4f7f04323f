//! Length-limited text parameters that check themselves at construction.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::param::{PairSink, ParamValue};
use crate::param_error::InvalidParam;

/// Rules every bounded text shares: not empty, at most `max` characters, no
/// control characters (which includes CR and LF).
fn check_text(text: &str, field: &'static str, max: usize) -> Result<(), InvalidParam> {
    let invalid = |reason: String| InvalidParam {
        name: field,
        reason: reason.into(),
    };
    if text.is_empty() {
        return Err(invalid("must not be empty".into()));
    }
    let count = text.chars().count();
    if count > max {
        return Err(invalid(format!(
            "is {count} characters long, at most {max} are allowed"
        )));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(invalid(format!(
            "contains the control character U+{:04X}",
            u32::from(c)
        )));
    }
    Ok(())
}

fn no_extra_rule(_: &str) -> Result<(), &'static str> {
    Ok(())
}

/// `mchid` values are hashed ids made of letters and digits (reference §4);
/// a separator in one would corrupt the signing string of a careless peer.
fn ascii_alphanumeric(text: &str) -> Result<(), &'static str> {
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err("may contain only ASCII letters, digits, `_` and `-`")
    }
}

fn url(text: &str) -> Result<(), &'static str> {
    if text.starts_with("https://") || text.starts_with("http://") {
        Ok(())
    } else {
        Err("must be an absolute http(s) URL")
    }
}

macro_rules! bounded_text {
    ($(
        $(#[$doc:meta])*
        $name:ident { field: $field:literal, max: $max:literal, rule: $rule:path }
    )*) => {$(
        $(#[$doc])*
        #[doc = concat!("\n\nAt most ", stringify!($max), " characters, not empty, no control characters; errors name `", $field, "`.")]
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name {
            text: String,
            /// Whether `text` keeps this type's limits. Decided once, when the
            /// value is made, so that writing it into every request costs
            /// nothing; `false` only for values read from QFPay's JSON, which
            /// is taken as sent. A function of `text`, so the derived
            /// comparisons agree with comparing the text.
            within_limits: bool,
        }

        impl $name {
            /// The wire name this type's errors refer to.
            pub const FIELD: &'static str = $field;
            /// Maximum length in characters.
            pub const MAX_CHARS: usize = $max;

            /// Checks and wraps `value`.
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidParam> {
                let text = value.into();
                Self::validate(&text)?;
                Ok($name { text, within_limits: true })
            }

            fn validate(text: &str) -> Result<(), InvalidParam> {
                check_text(text, $field, $max)?;
                $rule(text).map_err(|reason| InvalidParam { name: $field, reason: reason.into() })
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// The text, owned.
            pub fn into_string(self) -> String {
                self.text
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.text
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidParam;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = InvalidParam;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidParam;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.text == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.text == *other
            }
        }

        /// A value read from JSON (which takes QFPay's data as sent) may be
        /// outside [`new`](Self::new)'s limits; a request refuses to carry it.
        impl ParamValue for $name {
            #[inline]
            fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
                if !self.within_limits {
                    if let Err(e) = Self::validate(&self.text) {
                        out.reject(name, e.reason);
                    }
                }
                out.pair(name, &self.text);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.text)
            }
        }

        /// Responses are taken as sent, without the request-side limits:
        /// QFPay's data is never refused.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::de::text(d).map(|text: String| {
                    let within_limits = Self::validate(&text).is_ok();
                    $name { text, within_limits }
                })
            }
        }
    )*};
}

bounded_text! {
    /// The merchant's order number: unique per merchant across payments *and*
    /// refunds (reference §3, §27.3 #3). See [`OutTradeNo::generate`].
    OutTradeNo { field: "out_trade_no", max: 128, rule: no_extra_rule }
    /// QFPay's transaction number: an opaque string (26 digits in practice,
    /// too large for `u64`), never an integer.
    Syssn { field: "syssn", max: 40, rule: no_extra_rule }
    /// A merchant id given to agents and multi-store merchants (reference §4).
    MchId { field: "mchid", max: 16, rule: ascii_alphanumeric }
    /// The code scanned from the customer's wallet (CPM); single-use.
    AuthCode { field: "auth_code", max: 128, rule: no_extra_rule }
    /// Goods description. QFPay advises at most 20 characters without special
    /// characters (reference §27.3 #21); the documented limit of 64 is enforced.
    GoodsName { field: "goods_name", max: 64, rule: no_extra_rule }
    /// Device id shown in the merchant portal.
    Udid { field: "udid", max: 40, rule: no_extra_rule }
    /// Notification URL for one transaction (≤ 255, reference §27.1 #26).
    NotifyUrl { field: "notify_url", max: 255, rule: url }
    /// Browser redirect after an online payment (≤ 512; Alipay WAP ≤ 200).
    ReturnUrl { field: "return_url", max: 512, rule: url }
    /// A WeChat openid (`sub_openid`, mandatory for 800207 and 800213).
    SubOpenid { field: "sub_openid", max: 128, rule: no_extra_rule }
}

impl OutTradeNo {
    /// A fresh order number: 32 characters of `[0-9A-Z]` (the length every
    /// wallet channel accepts), unique within this process and, by its time
    /// stamp and random part, across processes.
    ///
    /// ```
    /// let a = qfpay::types::OutTradeNo::generate();
    /// let b = qfpay::types::OutTradeNo::generate();
    /// assert_ne!(a, b);
    /// assert_eq!(a.as_str().len(), 32);
    /// ```
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn generate() -> Self {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);

        let now = time::OffsetDateTime::now_utc().to_offset(super::trade_time::HONG_KONG);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        // RandomState is seeded from the OS once per process: enough entropy
        // to keep two processes started in the same millisecond apart.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_i128(now.unix_timestamp_nanos());
        let random = hasher.finish();

        let mut out = String::with_capacity(32);
        out.push_str(&format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second(),
            now.millisecond()
        ));
        push_base36(&mut out, count % 36u64.pow(4), 4);
        push_base36(&mut out, random, 11);
        OutTradeNo {
            text: out,
            within_limits: true,
        }
    }
}

#[cfg(feature = "time")] // used by `OutTradeNo::generate` alone
fn push_base36(out: &mut String, mut v: u64, width: usize) {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut buf = [b'0'; 13];
    for slot in buf[..width].iter_mut().rev() {
        *slot = DIGITS[(v % 36) as usize];
        v /= 36;
    }
    out.extend(buf[..width].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_field() {
        let e = OutTradeNo::new("x".repeat(129)).unwrap_err();
        assert_eq!(e.name, "out_trade_no");
        assert!(e.reason.contains("129"), "{e}");
        assert_eq!(OutTradeNo::new("").unwrap_err().name, "out_trade_no");
        assert_eq!(OutTradeNo::new("a\r\nb").unwrap_err().name, "out_trade_no");
        assert!(OutTradeNo::new("測".repeat(128)).is_ok());
        assert_eq!(MchId::new("ab&c=d").unwrap_err().name, "mchid");
        assert!(MchId::new("ZaMVg12345").is_ok());
        assert_eq!(NotifyUrl::new("ftp://x").unwrap_err().name, "notify_url");
    }

    #[cfg(feature = "time")]
    #[test]
    fn generated_numbers_are_32_chars_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let n = OutTradeNo::generate();
            assert_eq!(n.as_str().len(), 32);
            assert!(n.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(seen.insert(n));
        }
    }
}
