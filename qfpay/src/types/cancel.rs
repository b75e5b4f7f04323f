//! `cancel`: the cancellation/refund state of a transaction (API reference §23.2).

use super::code_enum::code_enum;

code_enum! {
    /// The `cancel` field of query records, notifications and the ECR cloud
    /// query (API reference §23.2).
    ///
    /// Sent as a one-character string (`"0"`) by the trade API and notifications,
    /// and as an integer (`0`) by the ECR cloud query (§21); both deserialise.
    pub enum CancelState {
        NotCancelled = "0" => "Not cancelled",
        CpmReversedOrRefunded = "1" => "CPM: reversed or refunded",
        MpmCancelled = "2" => "MPM: cancelled",
        Refunded = "3" => "Refunded",
        PreAuthFinished = "4" => "Alipay pre-auth order finished",
        PartiallyRefunded = "5" => "Partially refunded",
    }
}

impl CancelState {
    /// `true` for `0` (not cancelled); `false` for every other state,
    /// including unknown ones.
    pub fn is_not_cancelled(&self) -> bool {
        matches!(self, Self::NotCancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::CancelState;
    use crate::types::code_enum::test_support::assert_code_table;

    #[test]
    fn table_round_trips() {
        assert_code_table(
            CancelState::known(),
            CancelState::Other,
            CancelState::as_str,
            CancelState::from_integer,
        );
        assert_eq!(CancelState::known().len(), 6);
    }

    #[test]
    fn string_and_integer_forms() {
        let c: CancelState = serde_json::from_str("\"0\"").expect("string");
        assert_eq!(c, CancelState::NotCancelled);
        assert!(c.is_not_cancelled());
        let c: CancelState = serde_json::from_str("0").expect("integer");
        assert_eq!(c, CancelState::NotCancelled);
        let c: CancelState = serde_json::from_str("5").expect("integer");
        assert_eq!(c, CancelState::PartiallyRefunded);
        let c: CancelState = serde_json::from_str("6").expect("integer");
        assert_eq!(c, CancelState::Other("6".into()));
        assert!(!c.is_not_cancelled());
        assert_eq!(CancelState::Refunded.to_string(), "3");
    }
}
