//! Payment Element intents (reference §18): created server-side, then used
//! by QFPay's browser SDK.

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Amount, Currency, NotifyUrl, OutTradeNo, PayType, ReturnUrl};

/// `POST /payment_element/v1/create_payment_intent`: a payment intent for
/// the Element JS SDK (`payment.pay` / `walletPay`).
#[qf_endpoint(
    path = "/payment_element/v1/create_payment_intent",
    method = "POST",
    response = PaymentIntentResponse
)]
#[derive(Clone, Debug)]
pub struct CreatePaymentIntent {
    /// Amount in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Option<Currency>,
    /// Pay type, e.g. `802801` (card).
    pub pay_type: PayType,
    /// Merchant order number.
    pub out_trade_no: OutTradeNo,
    /// Redirect on success.
    pub return_url: Option<ReturnUrl>,
    /// Redirect on failure.
    pub failed_url: Option<String>,
    /// Notification URL.
    pub notify_url: Option<NotifyUrl>,
}

qf_object! {
    reply
    /// The response of `create_payment_intent` (§18.1). (The docs' example
    /// shows the placeholder `"123"` as `txcurrcd`.)
    pub struct PaymentIntentResponse {
        /// The intent to hand to the browser SDK.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub payment_intent: String,
        shared { intent_expiry, txamt, txcurrcd, sysdtm, out_trade_no }
    }
}

/// `POST /payment_element/v1/create_token_intent` (hidden page, §18.2): a
/// card-tokenisation intent for a customer of the recurring API. (Tokens are
/// now usually created in payment mode by passing `customer_id` to the SDK.)
#[qf_endpoint(
    path = "/payment_element/v1/create_token_intent",
    method = "POST",
    response = TokenIntentResponse
)]
#[derive(Clone, Debug)]
pub struct CreateTokenIntent {
    /// From `/customer/v1/create`.
    pub customer_id: String,
    /// Token expiry date.
    pub token_expiry: Option<String>,
    /// Reason for tokenisation.
    pub token_reason: Option<String>,
    /// Merchant reference.
    pub token_reference: Option<String>,
    /// Notification URL.
    pub notify_url: Option<NotifyUrl>,
}

qf_object! {
    reply
    /// The response of `create_token_intent` (§18.2).
    pub struct TokenIntentResponse {
        /// The intent to hand to the browser SDK.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub token_intent: String,
        shared { intent_expiry, sysdtm }
    }
}
