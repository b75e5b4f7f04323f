//! Money as integer minor units.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::param::{PairSink, ParamValue};

/// An amount in the currency's minor unit (`100` = 1.00 HKD; `100` = 100 JPY).
///
/// QFPay's `Int(11)`: sent as a decimal string; received as a string or a
/// number (both are accepted). As a request parameter, zero and values above
/// 99,999,999,999 are refused before anything is sent.
///
/// ```
/// let a = qfpay::types::Amount::new(2200);
/// assert_eq!(a.to_string(), "2200");
/// assert_eq!(serde_json::from_str::<qfpay::types::Amount>("\"10\"").unwrap().minor_units(), 10);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u64);

impl Amount {
    /// The largest amount QFPay's `Int(11)` holds.
    pub const MAX: Amount = Amount(99_999_999_999);

    /// An amount of `minor` minor units.
    pub const fn new(minor: u64) -> Self {
        Amount(minor)
    }

    /// The amount in minor units.
    pub const fn minor_units(self) -> u64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// `self - other`, or `None` if `other` is larger.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl From<u32> for Amount {
    fn from(minor: u32) -> Self {
        Amount(u64::from(minor))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for Amount {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(Amount)
    }
}

impl ParamValue for Amount {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        if self.0 == 0 {
            out.reject(name, "the amount must be greater than 0".into());
        } else if self.0 > Self::MAX.0 {
            out.reject(name, "the amount exceeds QFPay's 11 digits".into());
        }
        out.pair(name, itoa::Buffer::new().format(self.0));
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::de::u64_lenient(d).map(Amount)
    }
}
