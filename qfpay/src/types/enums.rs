//! The smaller enumerations of the API reference (§23.5 other enumerations,
//! §23.6 subscription states), each an open code enum.

use super::code_enum::code_enum;

code_enum! {
    /// `order_type` of a query record (API reference §10, §23.5); also the
    /// values of the ECR cloud query's `tradetp` (§21).
    pub enum OrderType {
        Payment = "payment" => "Payment",
        Refund = "refund" => "Refund",
    }
}

code_enum! {
    /// `notify_type` of an asynchronous notification (API reference §22, §23.5).
    ///
    /// Payments and refunds are notified only when successful; recurring
    /// `subscription_payment` notifications are sent for failed attempts too (§22.1).
    pub enum NotifyType {
        Payment = "payment" => "Payment succeeded (pre-auth: captured)",
        Refund = "refund" => "Refund succeeded",
        Unfreeze = "unfreeze" => "Alipay pre-authorisation unfrozen",
        PaymentToken = "payment_token" => "Card token created or matched (recurring payments)",
        Subscription = "subscription" => "Subscription state changed",
        SubscriptionPayment = "subscription_payment" => "Subscription billing attempt (successful or failed)",
    }
}

code_enum! {
    /// `event` of a `payment_token` notification (API reference §22.5, §23.5).
    pub enum PaymentTokenEvent {
        New = "NEW" => "New token created",
        Match = "MATCH" => "Card already tokenised",
        Conflict = "CONFLICT" => "Card known but data differs",
    }
}

code_enum! {
    /// `trigger_by` of a subscription billing order (API reference §19.3, §23.5).
    pub enum TriggerBy {
        Auto = "auto" => "Charged automatically on schedule",
        Manual = "manual" => "Charged manually (`/subscription/v1/charge`)",
    }
}

code_enum! {
    /// Product `type` of the recurring-payments API (API reference §19.2, §23.5).
    pub enum ProductType {
        /// The default when omitted.
        OneTime = "onetime" => "One-time product",
        Recurring = "recurring" => "Recurring product (needs `interval` and `interval_count`)",
    }
}

code_enum! {
    /// Product `interval` of the recurring-payments API (API reference §19.2, §23.5).
    pub enum BillingInterval {
        Monthly = "monthly" => "Monthly",
        Yearly = "yearly" => "Yearly",
        /// Accepted by the sandbox only.
        Minutes = "minutes" => "Minutes (sandbox only)",
        /// Accepted by the sandbox only.
        Hours = "hours" => "Hours (sandbox only)",
    }
}

code_enum! {
    /// Product `usage_type` of the recurring-payments API (API reference §19.2, §23.5).
    pub enum UsageType {
        Licensed = "licensed" => "Licensed (the only documented value)",
    }
}

code_enum! {
    /// `pay_tag`: the Alipay wallet selector of `/trade/v1/payment`
    /// (API reference §8.1, §23.5).
    pub enum PayTag {
        /// The default when omitted.
        AlipayHk = "ALIPAYHK" => "Alipay HK wallet (default)",
        AlipayCn = "ALIPAYCN" => "Alipay mainland China wallet",
    }
}

code_enum! {
    /// `limit_pay` of `/trade/v1/payment` and the hosted checkout
    /// (API reference §8.1, §17, §23.5).
    pub enum LimitPay {
        NoCredit = "no_credit" => "Forbid credit cards (WeChat, mainland China only)",
    }
}

code_enum! {
    /// `lang` of the hosted checkout page (API reference §17, §23.5).
    /// Defaults to the browser's language; not signed.
    pub enum CheckoutLang {
        ZhHk = "zh-hk" => "Traditional Chinese (Hong Kong)",
        ZhCn = "zh-cn" => "Simplified Chinese",
        En = "en" => "English",
    }
}

code_enum! {
    /// `paysource` of the hosted checkout and Payment Element
    /// (API reference §17, §18, §23.5). The checkout requires a value ending in
    /// `_checkout` ([`PaySource::is_checkout`]).
    pub enum PaySource {
        RemotepayCheckout = "remotepay_checkout" => "Hosted checkout",
        PaymentElement = "payment_element" => "Payment Element",
        PaymentElementCheckout = "payment_element_checkout" => "Payment Element checkout",
    }
}

impl PaySource {
    /// `true` when the value ends in `_checkout`, as the hosted checkout
    /// requires (reference §17); applies to `Other` values too.
    pub fn is_checkout(&self) -> bool {
        self.as_str().ends_with("_checkout")
    }
}

code_enum! {
    /// `trade_type` of the customs declaration API (API reference §20, §23.5).
    ///
    /// The conditions in the docs mention `wechat`; the value is `weixin`
    /// (reference §27.1 #37).
    pub enum CustomsTradeType {
        Weixin = "weixin" => "WeChat Pay",
        Alipay = "alipay" => "Alipay",
    }
}

code_enum! {
    /// `action_type` of the customs declaration API, WeChat only
    /// (API reference §20, §23.5).
    pub enum CustomsActionType {
        Add = "ADD" => "New declaration",
        Modify = "MODIFY" => "Modify a declaration",
    }
}

code_enum! {
    /// `channel` of the ECR cloud payment push (API reference §21, §23.5).
    pub enum EcrChannel {
        CardPayment = "card_payment" => "Card payment (Visa/Mastercard)",
        Wx = "wx" => "WeChat Pay",
        Alipay = "alipay" => "Alipay",
        Payme = "payme" => "PayMe",
        Union = "union" => "UnionPay QuickPass",
        Fps = "fps" => "FPS",
        /// Octopus payments cannot be refunded through ECR (reference §21).
        Octopus = "octopus" => "Octopus",
        UnionpayCard = "unionpay_card" => "UnionPay card",
        AmexCard = "amex_card" => "American Express card",
    }
}

code_enum! {
    /// `scan_type` of the ECR cloud payment push (API reference §21, §23.5).
    pub enum EcrScanType {
        QrcodePay = "QRCODE_PAY" => "QR code payment",
        ScanPay = "SCAN_PAY" => "Scan payment",
    }
}

code_enum! {
    /// `state` of a subscription (API reference §19.3, §22.5, §23.6).
    ///
    /// Responses and notifications use upper case; the query-filter examples in
    /// the docs use lower case (`active`, misspelled `incompelete`), which this
    /// type keeps as `Other` — matching is exact.
    ///
    /// Transitions (from the docs' state diagram, partly interpreted): a new
    /// subscription is `ACTIVE` when the first payment succeeds, `INCOMPLETE`
    /// when it fails, or `TRIAL`; `INCOMPLETE` → `ACTIVE` on a later payment or
    /// `INCOMPLETE_EXPIRED`; `ACTIVE` → `PAST_DUE` when a retry fails → `UNPAID`
    /// when retries are exhausted → `ACTIVE` when the payment is re-sent;
    /// `ACTIVE` → `COMPLETED` after the last cycle, `CANCELLED` on a manual
    /// cancel, `PAUSE` and back.
    pub enum SubscriptionState {
        Active = "ACTIVE" => "Active",
        Incomplete = "INCOMPLETE" => "Incomplete: the first payment failed",
        Completed = "COMPLETED" => "Completed: all billing cycles done",
        Unpaid = "UNPAID" => "Unpaid: retries exhausted",
        PastDue = "PAST_DUE" => "Past due: a retry failed",
        /// From the state diagram; the exact API spelling is unconfirmed.
        IncompleteExpired = "INCOMPLETE_EXPIRED" => "Incomplete and expired without payment",
        /// From the state diagram; the exact API spelling is unconfirmed.
        Cancelled = "CANCELLED" => "Cancelled manually",
        /// From the state diagram; the exact API spelling is unconfirmed.
        Pause = "PAUSE" => "Paused",
        /// From the state diagram; the exact API spelling is unconfirmed.
        Trial = "TRIAL" => "Trial period",
    }
}

impl SubscriptionState {
    /// `true` for the states `/subscription/v1/charge` accepts (a failed order
    /// in `UNPAID`, `INCOMPLETE` or `PAST_DUE`; reference §19.3).
    pub fn can_be_charged(&self) -> bool {
        matches!(self, Self::Unpaid | Self::Incomplete | Self::PastDue)
    }

    /// `true` for the states the docs' state diagram leaves no way out of:
    /// `COMPLETED`, `CANCELLED`, `INCOMPLETE_EXPIRED` (reference §23.6; the
    /// diagram is partly interpreted). Unknown states are not final.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Cancelled | Self::IncompleteExpired
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::code_enum::test_support::assert_code_table;

    macro_rules! check {
        ($($ty:ident: $count:literal),+ $(,)?) => {
            $(
                assert_code_table($ty::known(), $ty::Other, $ty::as_str, $ty::from_integer);
                assert_eq!($ty::known().len(), $count, stringify!($ty));
            )+
        };
    }

    #[test]
    fn every_table_round_trips() {
        check!(
            OrderType: 2,
            NotifyType: 6,
            PaymentTokenEvent: 3,
            TriggerBy: 2,
            ProductType: 2,
            BillingInterval: 4,
            UsageType: 1,
            PayTag: 2,
            LimitPay: 1,
            CheckoutLang: 3,
            PaySource: 3,
            CustomsTradeType: 2,
            CustomsActionType: 2,
            EcrChannel: 9,
            EcrScanType: 2,
            SubscriptionState: 9,
        );
    }

    #[test]
    fn notify_type_from_json() {
        let n: NotifyType = serde_json::from_str("\"subscription_payment\"").expect("string");
        assert_eq!(n, NotifyType::SubscriptionPayment);
        let n: NotifyType = serde_json::from_str("\"chargeback\"").expect("string");
        assert_eq!(n, NotifyType::Other("chargeback".into()));
        assert_eq!(NotifyType::PaymentToken.to_string(), "payment_token");
    }

    #[test]
    fn subscription_states() {
        let s: SubscriptionState = serde_json::from_str("\"PAST_DUE\"").expect("string");
        assert_eq!(s, SubscriptionState::PastDue);
        assert!(s.can_be_charged());
        assert!(!SubscriptionState::Active.can_be_charged());
        assert!(SubscriptionState::Completed.is_final());
        assert!(!SubscriptionState::Other("NEW_STATE".into()).is_final());
        // Lower case (query-filter examples) is kept verbatim.
        assert_eq!(
            SubscriptionState::from_code("active"),
            SubscriptionState::Other("active".into())
        );
    }

    #[test]
    fn pay_source_checkout_suffix() {
        assert!(PaySource::RemotepayCheckout.is_checkout());
        assert!(PaySource::PaymentElementCheckout.is_checkout());
        assert!(!PaySource::PaymentElement.is_checkout());
        assert!(PaySource::from_code("shop_checkout").is_checkout());
    }
}
