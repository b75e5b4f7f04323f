//! `txcurrcd`: the transaction currency (API reference §23.4).

use super::code_enum::code_enum;

code_enum! {
    /// The `txcurrcd` currency code (ISO 4217 alphabetic, String(3)) of
    /// requests, responses and notifications (API reference §23.4).
    ///
    /// The thirteen codes of the reference's table plus `NZD` and `PHP`, which it
    /// mentions for Alipay pre-authorisation only (§8.14, §27.1 #28). Any other
    /// currency is kept in `Other`; whether a currency is accepted depends on the
    /// merchant's configuration and the `pay_type`.
    ///
    /// The ECR cloud query returns **numeric** ISO codes (`"344"` = HKD, §21);
    /// those deserialise to `Other("344")` (kept verbatim, as for every code
    /// table) — use [`Currency::to_alphabetic`] or [`Currency::from_numeric_code`]
    /// to map them.
    pub enum Currency {
        Aed = "AED" => "UAE dirham",
        Cny = "CNY" => "Chinese yuan",
        Eur = "EUR" => "Euro",
        Hkd = "HKD" => "Hong Kong dollar",
        /// ISO 4217 gives 2 decimals, but the sub-unit is not used in practice;
        /// the scale QFPay applies is ambiguous (reference §23.4).
        Idr = "IDR" => "Indonesian rupiah",
        /// ISO 4217 exponent 0; whole yen per the reference's "smallest unit"
        /// rule, which is only inferred (reference §23.4).
        Jpy = "JPY" => "Japanese yen",
        Mmk = "MMK" => "Myanmar kyat",
        Myr = "MYR" => "Malaysian ringgit",
        Sgd = "SGD" => "Singapore dollar",
        Thb = "THB" => "Thai baht",
        Usd = "USD" => "US dollar",
        Cad = "CAD" => "Canadian dollar",
        Aud = "AUD" => "Australian dollar",
        /// Mentioned only for Alipay pre-authorisation (reference §8.14).
        Nzd = "NZD" => "New Zealand dollar",
        /// Mentioned only for Alipay pre-authorisation (reference §8.14).
        Php = "PHP" => "Philippine peso",
    }
}

impl Currency {
    /// Number of decimal places of the currency's minor unit, from ISO 4217
    /// (`JPY` 0, every other listed currency 2); `None` for `Other`.
    ///
    /// The reference never gives exponents: `txamt` is "the smallest unit of the
    /// transaction currency, integers only" (§8.1, §23.4). These values are ISO
    /// 4217's, not QFPay's — in particular confirm `JPY` and `IDR` with QFPay
    /// before relying on them for display, and never hard-code "÷ 100".
    pub fn minor_units(&self) -> Option<u8> {
        match self {
            Self::Jpy => Some(0),
            Self::Aed
            | Self::Cny
            | Self::Eur
            | Self::Hkd
            | Self::Idr
            | Self::Mmk
            | Self::Myr
            | Self::Sgd
            | Self::Thb
            | Self::Usd
            | Self::Cad
            | Self::Aud
            | Self::Nzd
            | Self::Php => Some(2),
            Self::Other(_) => None,
        }
    }

    /// The ISO 4217 numeric code (e.g. 344 for `HKD`), as the ECR cloud query
    /// reports currencies (reference §21); `None` for `Other`.
    pub fn numeric_code(&self) -> Option<u16> {
        Some(match self {
            Self::Aed => 784,
            Self::Cny => 156,
            Self::Eur => 978,
            Self::Hkd => 344,
            Self::Idr => 360,
            Self::Jpy => 392,
            Self::Mmk => 104,
            Self::Myr => 458,
            Self::Sgd => 702,
            Self::Thb => 764,
            Self::Usd => 840,
            Self::Cad => 124,
            Self::Aud => 36,
            Self::Nzd => 554,
            Self::Php => 608,
            Self::Other(_) => return None,
        })
    }

    /// The known currency with this ISO 4217 numeric code, if any.
    pub fn from_numeric_code(code: u16) -> Option<Self> {
        Self::known()
            .iter()
            .find(|c| c.numeric_code() == Some(code))
            .cloned()
    }

    /// Maps an `Other` holding the ISO numeric code of a known currency (as the
    /// ECR cloud query returns, e.g. `"344"` or `"036"`) to the alphabetic
    /// variant (`Hkd`, `Aud`); every other value is returned unchanged.
    pub fn to_alphabetic(&self) -> Self {
        if let Self::Other(raw) = self
            && !raw.is_empty()
            && raw.len() <= 3
            && raw.bytes().all(|b| b.is_ascii_digit())
            && let Some(known) = raw.parse().ok().and_then(Self::from_numeric_code)
        {
            return known;
        }
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::Currency;
    use crate::types::code_enum::test_support::assert_code_table;

    #[test]
    fn table_round_trips() {
        assert_code_table(
            Currency::known(),
            Currency::Other,
            Currency::as_str,
            Currency::from_integer,
        );
        assert_eq!(Currency::known().len(), 15);
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(Currency::Jpy.minor_units(), Some(0));
        assert_eq!(Currency::Hkd.minor_units(), Some(2));
        assert_eq!(Currency::Other("KWD".into()).minor_units(), None);
        assert!(Currency::known().iter().all(|c| c.minor_units().is_some()));
    }

    #[test]
    fn numeric_codes() {
        let mut seen = std::collections::HashSet::new();
        for c in Currency::known() {
            let n = c
                .numeric_code()
                .expect("known currencies have numeric codes");
            assert!(seen.insert(n));
            assert_eq!(Currency::from_numeric_code(n).as_ref(), Some(c));
        }
        assert_eq!(Currency::from_numeric_code(1), None);
    }

    #[test]
    fn ecr_numeric_currency_is_kept_then_mapped() {
        let c: Currency = serde_json::from_str("\"344\"").expect("string");
        assert_eq!(c, Currency::Other("344".into()));
        assert_eq!(c.to_alphabetic(), Currency::Hkd);
        let c: Currency = serde_json::from_str("344").expect("integer");
        assert_eq!(c, Currency::Other("344".into()));
        assert_eq!(c.to_alphabetic(), Currency::Hkd);
        assert_eq!(Currency::Other("036".into()).to_alphabetic(), Currency::Aud);
        assert_eq!(
            Currency::Other("999".into()).to_alphabetic(),
            Currency::Other("999".into())
        );
        assert_eq!(
            Currency::Other("ABC".into()).to_alphabetic(),
            Currency::Other("ABC".into())
        );
        assert_eq!(Currency::Eur.to_alphabetic(), Currency::Eur);
    }

    #[test]
    fn exact_matching_and_display() {
        // The docs' placeholder "123" (§27.2) and lower case stay verbatim.
        assert_eq!(Currency::from_code("123"), Currency::Other("123".into()));
        assert_eq!(Currency::from_code("hkd"), Currency::Other("hkd".into()));
        assert_eq!(Currency::Hkd.to_string(), "HKD");
        let c: Currency = serde_json::from_str("\"EUR\"").expect("string");
        assert_eq!(c, Currency::Eur);
    }
}
