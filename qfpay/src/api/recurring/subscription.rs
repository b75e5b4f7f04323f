//! `/subscription/v1/*` and `/subscription/billing_order/v1/list` (reference §19.3).

use serde::{Deserialize, Serialize};

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Json, SubscriptionState, TradeTime, TriggerBy};

use crate::api::records::{DataResponse, ListResponse};

/// One product of a subscription: `{product_id, quantity}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionItem {
    /// The product (`prod_…`).
    pub product_id: String,
    /// Quantity (default 1).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::de::opt_u64_lenient"
    )]
    pub quantity: Option<u64>,
}

impl SubscriptionItem {
    /// `quantity` × `product_id`.
    pub fn new(product_id: impl Into<String>, quantity: u64) -> Self {
        SubscriptionItem {
            product_id: product_id.into(),
            quantity: Some(quantity),
        }
    }
}

/// `POST /subscription/v1/create`: subscribe a customer's card token to
/// products (`data`: `subscription_id`, `state`).
///
/// ```
/// use qfpay::api::{CreateSubscription, SubscriptionItem};
/// use qfpay::types::{Json, TradeTime};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let req = CreateSubscription::builder()
///     .customer_id("cust_1")
///     .token_id("tk_1")
///     .products(Json::new(vec![SubscriptionItem::new("prod_1", 1)])?)
///     .total_billing_cycles(2)
///     .start_time(TradeTime::parse_field("2020-05-14 12:32:56", "start_time")?)
///     .build();
/// assert_eq!(
///     qfpay::canonical_string(&req),
///     r#"customer_id=cust_1&products=[{"product_id":"prod_1","quantity":1}]&start_time=2020-05-14 12:32:56&token_id=tk_1&total_billing_cycles=2"#
/// );
/// # Ok(()) }
/// ```
#[qf_endpoint(path = "/subscription/v1/create", method = "POST", response = DataResponse<SubscriptionResult>)]
#[derive(Clone, Debug)]
pub struct CreateSubscription {
    /// The customer (`cust_…`).
    pub customer_id: String,
    /// The card token (`tk_…`).
    pub token_id: String,
    /// The products (a JSON array on the wire).
    pub products: Json<Vec<SubscriptionItem>>,
    /// Number of billing cycles (absent = unlimited).
    pub total_billing_cycles: Option<u32>,
    /// First charge time.
    pub start_time: Option<TradeTime>,
}

/// `POST /subscription/v1/update` (`data`: `subscription_id`, `rowAffected`).
#[qf_endpoint(path = "/subscription/v1/update", method = "POST", response = DataResponse<SubscriptionResult>)]
#[derive(Clone, Debug)]
pub struct UpdateSubscription {
    /// The subscription (`sub_…`).
    pub subscription_id: String,
    /// Number of billing cycles.
    pub total_billing_cycles: Option<u32>,
    /// First charge time.
    pub start_time: Option<TradeTime>,
    /// A new card token.
    pub token_id: Option<String>,
    /// New products.
    pub products: Option<Json<Vec<SubscriptionItem>>>,
}

/// `POST /subscription/v1/query`: list subscriptions, filtered and paged.
///
/// The docs spell the id filter `subscritpion_id` (sic); which name the
/// server expects is unverified (§27.1 #29). `subscription_id` sends the
/// correct spelling, `subscritpion_id` the documented one — set either or
/// both.
#[qf_endpoint(path = "/subscription/v1/query", method = "POST", response = ListResponse<Subscription>, idempotent = true)]
#[derive(Clone, Debug)]
pub struct QuerySubscriptions {
    /// Filter: subscription id (correct spelling).
    pub subscription_id: Option<String>,
    /// Filter: subscription id under the docs' misspelled name `subscritpion_id`.
    pub subscritpion_id: Option<String>,
    /// Filter: customer id.
    pub customer_id: Option<String>,
    /// Filter: card token (Chinese and older English pages only).
    pub token_id: Option<String>,
    /// Filter: state.
    pub state: Option<SubscriptionState>,
    /// Page (default 1).
    pub page: Option<u32>,
    /// Page size (default 10, max 100).
    pub page_size: Option<u32>,
}

/// `POST /subscription/v1/cancel`: cancel immediately (response `data`
/// undocumented, kept as JSON).
#[qf_endpoint(path = "/subscription/v1/cancel", method = "POST", response = DataResponse<serde_json::Value>)]
#[derive(Clone, Debug)]
pub struct CancelSubscription {
    /// The subscription.
    pub subscription_id: String,
}

/// `POST /subscription/v1/charge`: manually charge a failed order of a
/// subscription in `UNPAID`, `INCOMPLETE` or `PAST_DUE`
/// ([`SubscriptionState::can_be_charged`]). Charged before the next billing
/// date the subscription continues `ACTIVE`; after it, it is cancelled.
#[qf_endpoint(path = "/subscription/v1/charge", method = "POST", response = DataResponse<serde_json::Value>)]
#[derive(Clone, Debug)]
pub struct ChargeSubscription {
    /// The subscription.
    pub subscription_id: String,
    /// The failed order to charge.
    pub subscription_order_id: Option<String>,
}

/// `POST /subscription/billing_order/v1/list`: a subscription's billing
/// orders (supersedes the 2024 draft `/subscription/v1/list`).
#[qf_endpoint(path = "/subscription/billing_order/v1/list", method = "POST", response = ListResponse<BillingOrder>, idempotent = true)]
#[derive(Clone, Debug)]
pub struct ListBillingOrders {
    /// The subscription.
    pub subscription_id: String,
    /// Page (default 1).
    pub page: Option<u32>,
    /// Page size (default 10, max 100).
    pub page_size: Option<u32>,
}

qf_object! {
    record
    /// `data` of the subscription create / update responses.
    pub struct SubscriptionResult {
        shared { subscription_id }
        /// State after creation: `ACTIVE`, `INCOMPLETE` or `COMPLETED`.
        #[serde(default)]
        pub state: Option<SubscriptionState>,
        shared { row_affected }
    }
}

qf_object! {
    record
    /// A subscription of `/subscription/v1/query`.
    ///
    /// `next_billing_time` / `last_billing_time` are ISO 8601 UTC
    /// (`2024-11-21T11:13:06Z`), unlike every other time of the API; they are
    /// kept as text.
    pub struct Subscription {
        shared { subscription_id, customer_id }
        /// The card token.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub token_id: String,
        /// The products.
        #[serde(default, deserialize_with = "crate::types::de::vec_or_one")]
        pub products: Vec<SubscriptionItem>,
        /// Billing cycles (`None`: unlimited).
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub total_billing_cycles: Option<u64>,
        /// State (§23.6).
        #[serde(default)]
        pub state: Option<SubscriptionState>,
        /// Next billing, ISO 8601 UTC.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub next_billing_time: String,
        /// Last billing, ISO 8601 UTC.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub last_billing_time: String,
        /// Completed billing iterations (`completed_billing_iteration` in the
        /// table, `completed_iteration` in the example; both are read).
        #[serde(
            default,
            alias = "completed_iteration",
            deserialize_with = "crate::types::de::opt_u64_lenient"
        )]
        pub completed_billing_iteration: Option<u64>,
        /// First charge time, as text.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub start_time: String,
        /// Example only.
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub is_available: Option<u64>,
        shared { userid }
        /// Result of the last billing, e.g. `SUCCESS` (example only).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub last_billing_status: String,
        /// Retries so far (example only).
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub retry_attempts: Option<u64>,
    }
}

qf_object! {
    record
    /// A billing order of `/subscription/billing_order/v1/list`.
    pub struct BillingOrder {
        /// `sub_ord_<id part of subscription_id>_<4-digit sequence>`; treat as opaque.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub subscription_order_id: String,
        shared { subscription_id }
        /// `auto` or `manual`.
        #[serde(default)]
        pub trigger_by: Option<TriggerBy>,
        /// Sequence number.
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub sequence_no: Option<u64>,
    }
}
