//! `respcd`: the result code of every QFPay response (API reference §6, §23.1).

use super::code_enum::code_enum;

code_enum! {
    /// The `respcd` result code carried by every QFPay response and notification
    /// (API reference §23.1, current table of 52 codes).
    ///
    /// `respcd` is text and is compared as text (`"0000"`, never the number 0);
    /// `resperr`/`respmsg` may be English or Chinese and must never be branched on.
    ///
    /// # Handling (reference §6)
    ///
    /// | code | meaning | client action |
    /// |---|---|---|
    /// | `0000` | success | done — for MPM/online/app flows this only means the order was created; the final result comes from the notification or a query |
    /// | `1143`, `1145`, `1298` | pending | poll `/trade/v1/query` (by `syssn`, else `out_trade_no`) with back-off and a deadline; see [`RespCode::is_pending`] |
    /// | anything else, including unknown codes | failure | treat as failed; for `1295`–`1297` a query before giving up is prudent ([`RespCode::is_outcome_uncertain`]) |
    ///
    /// Reversal/close is the last resort when the status cannot be determined,
    /// and a `0000` is never reversed. `1143` meant "transaction does not exist"
    /// in the legacy overseas API (§27.1 #11); this type follows the current meaning.
    ///
    /// There is deliberately no `is_retryable`: the reference never says a request
    /// may be resent as is (a payment or refund needs a fresh `out_trade_no`, and
    /// reuse yields `1102`/`2011`); the "retry later" wording of `1205`, `1296` and
    /// `1297` addresses the payer. HTTP 429 (rate limiting) is the retryable case
    /// and is not a `respcd`.
    ///
    /// ```
    /// use qfpay::types::RespCode;
    ///
    /// let code: RespCode = serde_json::from_str(r#""1145""#)?;
    /// assert!(code.is_pending());
    /// assert_eq!(code, RespCode::Processing);
    ///
    /// let unknown = RespCode::from_code("1109"); // legacy-only code
    /// assert!(unknown.is_failure());
    /// assert_eq!(unknown.as_str(), "1109");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum RespCode {
        Ok = "0000" => "Success",
        SystemMaintenance = "1100" => "System under maintenance",
        ReversalError = "1101" => "Reversal error",
        /// Typically a reused `out_trade_no` (reference §27.3 #3).
        DuplicateRequest = "1102" => "Duplicate request",
        RequestFormatError = "1103" => "Request format error",
        RequestParameterError = "1104" => "Request parameter error",
        DeviceNotActivated = "1105" => "Device not activated",
        InvalidDevice = "1106" => "Invalid device (ECR cloud: terminal not bound)",
        DeviceNotAllowed = "1107" => "Device not allowed",
        SignatureError = "1108" => "Signature error",
        AlreadyRefunded = "1125" => "Already refunded",
        TransactionNotFound = "1136" => "Transaction does not exist or cannot be operated",
        /// Same wording as `1264` ([`RespCode::OrderAlreadyClosed`]).
        OrderClosed = "1142" => "Order already closed",
        /// **Pending**: poll `/trade/v1/query`. (Legacy API: "transaction does not exist".)
        NotPaidYet = "1143" => "Not paid yet / customer entering password (pending, query)",
        /// **Pending**: poll `/trade/v1/query`.
        Processing = "1145" => "Processing, please wait (pending, query)",
        WechatPayError = "1147" => "WeChat Pay transaction error",
        CancellationNotSupported = "1150" => "T0 billing: cancellation not supported",
        RefundDenied = "1155" => "Refund request denied",
        OrderExpired = "1181" => "Order expired",
        InsufficientBalance = "1201" => "Insufficient balance; use another method",
        InvalidPaymentCode = "1202" => "Payment code wrong/expired; refresh and retry",
        MerchantAccountError = "1203" => "Merchant account error (payment account configuration)",
        BankError = "1204" => "Bank error; check the wallet",
        TransactionFailed = "1205" => "Transaction failed; retry later (also card declines, e.g. fraud suspicion)",
        UseUnionPayOverseasCode = "1212" => "Use the UnionPay overseas payment code",
        StoreUnavailable = "1241" => "Store missing or in wrong status; do not pay",
        StoreMisconfigured = "1242" => "Store misconfigured; cannot pay",
        StoreDisabled = "1243" => "Store disabled",
        TransactionForbidden = "1250" => "Transaction forbidden; contact QFPay",
        StoreBeingFixed = "1251" => "Store misconfigured; being fixed",
        OrderSystemError = "1252" => "System error while placing the order",
        ProblemBeingResolved = "1254" => "Problem being resolved",
        OrderAlreadyPaid = "1260" => "Order already paid; check before retrying",
        OrderNotPaid = "1261" => "Order not paid; check before retrying",
        /// Same wording as `1125` ([`RespCode::AlreadyRefunded`]).
        OrderAlreadyRefunded = "1262" => "Order already refunded",
        OrderAlreadyCancelled = "1263" => "Order already cancelled",
        /// Same wording as `1142` ([`RespCode::OrderClosed`]).
        OrderAlreadyClosed = "1264" => "Order already closed",
        RefundNotAllowed = "1265" => "Refund not allowed (transactions 23:30–00:30, special promotions)",
        WrongAmount = "1266" => "Amount wrong",
        OrderInfoMismatch = "1267" => "Order information mismatch",
        OrderNotFound = "1268" => "Order does not exist",
        InsufficientUnsettledAmount = "1269" => "Today's unsettled amount insufficient for refund",
        CurrencyNoPartialRefund = "1270" => "Currency does not support partial refund",
        TransactionNoPartialRefund = "1271" => "Transaction does not support partial refund",
        RefundExceedsRefundable = "1272" => "Refund exceeds refundable amount",
        BlockedByBank = "1294" => "Possibly non-compliant; blocked by the bank",
        AwaitingNetworkResponse = "1295" => "Slow connection, waiting for network response",
        SlowConnection = "1296" => "Slow connection; retry later or use another method",
        BankSystemBusy = "1297" => "Banking system busy; retry later or use another method",
        /// **Pending** per the newer published status-code page (reference §6); poll.
        SlowConnectionConfirmLater = "1298" => "Slow connection; payer should not pay twice and should confirm later (pending)",
        CustomerPaymentCodeInvalid = "2005" => "Customer payment code wrong/expired",
        /// Typically `out_trade_no` reuse (reference §27.3 #3).
        DuplicateSerialNumber = "2011" => "Duplicate transaction serial number (typically `out_trade_no` reuse)",
    }
}

impl RespCode {
    /// `true` only for `0000`: QFPay accepted the request.
    ///
    /// Not "paid": for MPM, online, JSAPI, H5 and in-app payments `0000`
    /// means the order was created and the customer has not paid yet
    /// (reference §6). Read a payment's answer as a
    /// [`PaymentState`](crate::PaymentState) instead.
    pub fn is_accepted(&self) -> bool {
        matches!(self, Self::Ok)
    }

    /// `true` for the pending codes `1143`, `1145` and `1298` (reference §6, §27.3 #5):
    /// poll `/trade/v1/query` until the result is final.
    ///
    /// The repository pages list only `1143`/`1145` as "keep querying"; the newer
    /// published status-code page groups `1298` with them, and the reference says
    /// to treat it as pending.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            Self::NotPaidYet | Self::Processing | Self::SlowConnectionConfirmLater
        )
    }

    /// `true` when the code is neither success nor pending — the reference's
    /// "anything else: failure" rule (§6), which includes unknown codes (§27.3 #6).
    pub fn is_failure(&self) -> bool {
        !self.is_accepted() && !self.is_pending()
    }

    /// `true` when the outcome of the transaction is not settled by this code:
    /// the pending codes plus `1295`, `1296` and `1297`, whose "slow connection /
    /// bank busy" wording the reference (§6) reads as uncertainty — a query is
    /// prudent before treating the order as failed.
    pub fn is_outcome_uncertain(&self) -> bool {
        self.is_pending()
            || matches!(
                self,
                Self::AwaitingNetworkResponse | Self::SlowConnection | Self::BankSystemBusy
            )
    }

    /// `true` for the codes the newer published site groups as request or
    /// signature problems: `1102`–`1104`, `1108`, `2011` (reference §23.1).
    pub fn is_request_error(&self) -> bool {
        matches!(
            self,
            Self::DuplicateRequest
                | Self::RequestFormatError
                | Self::RequestParameterError
                | Self::SignatureError
                | Self::DuplicateSerialNumber
        )
    }

    /// `true` for the codes the newer published site groups as order-state
    /// conflicts: `1125`, `1142`, `1181`, `1260`–`1264`, `1266`–`1268`
    /// (not `1265`; reference §23.1).
    pub fn is_order_state_conflict(&self) -> bool {
        matches!(
            self,
            Self::AlreadyRefunded
                | Self::OrderClosed
                | Self::OrderExpired
                | Self::OrderAlreadyPaid
                | Self::OrderNotPaid
                | Self::OrderAlreadyRefunded
                | Self::OrderAlreadyCancelled
                | Self::OrderAlreadyClosed
                | Self::WrongAmount
                | Self::OrderInfoMismatch
                | Self::OrderNotFound
        )
    }
}

#[cfg(test)]
mod tests {
    use super::RespCode;
    use crate::types::code_enum::test_support::assert_code_table;

    #[test]
    fn table_round_trips() {
        assert_code_table(
            RespCode::known(),
            RespCode::Other,
            RespCode::as_str,
            RespCode::from_integer,
        );
    }

    #[test]
    fn has_the_52_documented_codes() {
        assert_eq!(RespCode::known().len(), 52);
        assert!(RespCode::known().iter().all(|c| c.as_str().len() == 4));
    }

    #[test]
    fn success_and_pending() {
        assert!(RespCode::from_code("0000").is_accepted());
        assert!(!RespCode::from_code("0000").is_pending());
        let pending: Vec<&str> = RespCode::known()
            .iter()
            .filter(|c| c.is_pending())
            .map(RespCode::as_str)
            .collect();
        assert_eq!(pending, ["1143", "1145", "1298"]);
        assert!(RespCode::from_code("1143").is_outcome_uncertain());
        assert!(RespCode::from_code("1297").is_outcome_uncertain());
        assert!(!RespCode::from_code("1205").is_outcome_uncertain());
        assert!(RespCode::from_code("1108").is_failure());
        assert!(RespCode::from_code("1108").is_request_error());
        assert!(!RespCode::from_code("1265").is_order_state_conflict());
        assert!(RespCode::from_code("1264").is_order_state_conflict());
    }

    #[test]
    fn unknown_codes_are_failures_but_kept() {
        let legacy = RespCode::from_code("1109");
        assert_eq!(legacy, RespCode::Other("1109".to_owned()));
        assert!(legacy.is_failure());
        assert!(!legacy.is_accepted());
        assert_eq!(legacy.to_string(), "1109");
        assert_eq!(
            serde_json::to_string(&legacy).ok().as_deref(),
            Some("\"1109\"")
        );
    }

    #[test]
    fn serde_from_string_and_integer() {
        let c: RespCode = serde_json::from_str("\"1145\"").expect("string");
        assert_eq!(c, RespCode::Processing);
        let c: RespCode = serde_json::from_str("1145").expect("integer");
        assert_eq!(c, RespCode::Processing);
        // `"respcd": 0` (the docs' unquoted 0000 would be invalid JSON) means success.
        let c: RespCode = serde_json::from_str("0").expect("integer zero");
        assert_eq!(c, RespCode::Ok);
        assert_eq!(
            serde_json::to_string(&RespCode::Ok).ok().as_deref(),
            Some("\"0000\"")
        );
    }

    #[test]
    fn display_and_text_comparison() {
        assert_eq!(RespCode::SignatureError.to_string(), "1108");
        assert!(RespCode::Ok == "0000");
        assert_eq!(
            RespCode::SignatureError.description(),
            Some("Signature error")
        );
    }
}
