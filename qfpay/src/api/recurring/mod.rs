//! Recurring payments: customers, products, subscriptions (reference §19).
//!
//! Documented for the sandbox host only. The request encoding is not
//! described on these pages; the SDK sends the standard signed form, with
//! `products` and `billing_address` as JSON strings (§19, §27.1 #48).
//! Flow: create a customer → tokenise a card through Payment Element
//! (`token_id` arrives in a `payment_token` notification) → create a
//! product → create a subscription.

mod customer;
mod product;
mod subscription;

pub use customer::{
    CreateCustomer, Customer, CustomerResult, DeleteCustomer, QueryCustomers, UpdateCustomer,
};
pub use product::{
    CreateProduct, DeleteProduct, Product, ProductResult, QueryProducts, UpdateProduct,
};
pub use subscription::{
    BillingOrder, CancelSubscription, ChargeSubscription, CreateSubscription, ListBillingOrders,
    QuerySubscriptions, Subscription, SubscriptionItem, SubscriptionResult, UpdateSubscription,
};

/// The builders of the recurring request types (re-exported by `api::builders`).
pub(crate) mod builders {
    pub use super::customer::{
        CreateCustomerBuilder, DeleteCustomerBuilder, QueryCustomersBuilder, UpdateCustomerBuilder,
    };
    pub use super::product::{
        CreateProductBuilder, DeleteProductBuilder, QueryProductsBuilder, UpdateProductBuilder,
    };
    pub use super::subscription::{
        CancelSubscriptionBuilder, ChargeSubscriptionBuilder, CreateSubscriptionBuilder,
        ListBillingOrdersBuilder, QuerySubscriptionsBuilder, UpdateSubscriptionBuilder,
    };
}

use crate::response::qf_object;

qf_object! {
    record, Default
    /// A billing address, sent as one JSON string (`billing_address`).
    ///
    /// The recurring pages do not list its keys; these are the ones of QFPay's
    /// card flows (§9.3, §18.3). Other keys go in `extra`. Responses may carry
    /// it as an object or as a JSON string (§27.1 #32); both are read.
    pub struct BillingAddress {
        /// First address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address1: Option<String>,
        /// Second address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address2: Option<String>,
        /// Third address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address3: Option<String>,
        /// City.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        /// Postal code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub postal_code: Option<String>,
        /// ISO 3166 alpha-2 country code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country_code: Option<String>,
    }
}
