//! `/product/v1/*` (reference §19.2).

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Amount, BillingInterval, Currency, ProductType, UsageType};

use crate::api::records::{DataResponse, ListResponse};

/// `POST /product/v1/create`: create a product (`data.product_id`, `prod_…`).
///
/// A recurring product needs `interval` and `interval_count` (≤ 1 year):
/// [`CreateProduct::recurring`] sets all three.
///
/// ```
/// use qfpay::api::CreateProduct;
/// use qfpay::types::{Amount, BillingInterval, Currency};
/// let req = CreateProduct::recurring("Gold", Amount::new(300), Currency::from_code("HKD"), BillingInterval::Monthly, 1);
/// assert_eq!(
///     qfpay::form_body(&req),
///     "interval=monthly&interval_count=1&name=Gold&txamt=300&txcurrcd=HKD&type=recurring"
/// );
/// ```
#[qf_endpoint(path = "/product/v1/create", method = "POST", response = DataResponse<ProductResult>)]
#[derive(Clone, Debug)]
pub struct CreateProduct {
    /// Name.
    pub name: String,
    /// `onetime` (default) or `recurring` (wire name `type`).
    #[qf(rename = "type")]
    pub product_type: Option<ProductType>,
    /// Description.
    pub description: Option<String>,
    /// Price in minor units.
    pub txamt: Amount,
    /// Currency.
    pub txcurrcd: Currency,
    /// Billing interval (mandatory for recurring products).
    pub interval: Option<BillingInterval>,
    /// Intervals per billing (mandatory for recurring products; ≤ 1 year).
    pub interval_count: Option<u32>,
    /// Only `licensed`.
    pub usage_type: Option<UsageType>,
}

impl CreateProduct {
    /// A recurring product billed every `interval_count` `interval`s.
    pub fn recurring(
        name: impl Into<String>,
        txamt: Amount,
        txcurrcd: Currency,
        interval: BillingInterval,
        interval_count: u32,
    ) -> Self {
        CreateProduct::builder()
            .name(name)
            .product_type(ProductType::Recurring)
            .txamt(txamt)
            .txcurrcd(txcurrcd)
            .interval(interval)
            .interval_count(interval_count)
            .build()
    }

    /// A one-time product.
    pub fn one_time(name: impl Into<String>, txamt: Amount, txcurrcd: Currency) -> Self {
        CreateProduct::builder()
            .name(name)
            .product_type(ProductType::OneTime)
            .txamt(txamt)
            .txcurrcd(txcurrcd)
            .build()
    }
}

/// `POST /product/v1/update` (`data`: `product_id`, `rowAffected`).
#[qf_endpoint(path = "/product/v1/update", method = "POST", response = DataResponse<ProductResult>)]
#[derive(Clone, Debug)]
pub struct UpdateProduct {
    /// The product.
    pub product_id: String,
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
}

/// `POST /product/v1/query`: list products, filtered and paged. (Older
/// docs print `/product/v1/create` for this call; the current path is used.)
#[qf_endpoint(path = "/product/v1/query", method = "POST", response = ListResponse<Product>, idempotent = true)]
#[derive(Clone, Debug)]
pub struct QueryProducts {
    /// Filter: product id.
    pub product_id: Option<String>,
    /// Filter: name.
    pub name: Option<String>,
    /// Filter: description.
    pub description: Option<String>,
    /// Filter: currency.
    pub txcurrcd: Option<Currency>,
    /// Filter: interval.
    pub interval: Option<BillingInterval>,
    /// Page (default 1).
    pub page: Option<u32>,
    /// Page size (default 10, max 100).
    pub page_size: Option<u32>,
}

/// `POST /product/v1/delete`: delete a product not used by any subscription
/// (`data`: `product_id`, `rowDeleted`). `product_id` is required, whatever
/// the table says (§27.1 #33).
#[qf_endpoint(path = "/product/v1/delete", method = "POST", response = DataResponse<ProductResult>)]
#[derive(Clone, Debug)]
pub struct DeleteProduct {
    /// The product.
    pub product_id: String,
}

qf_object! {
    record
    /// `data` of the product create / update / delete responses.
    pub struct ProductResult {
        shared { product_id, row_affected, row_deleted }
    }
}

qf_object! {
    record
    /// A product of `/product/v1/query`.
    pub struct Product {
        shared { product_id, name }
        /// `onetime` or `recurring` (wire name `type`).
        #[serde(default, rename = "type")]
        pub product_type: Option<ProductType>,
        /// Description.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub description: String,
        shared { txamt, txcurrcd }
        /// Billing interval.
        #[serde(default)]
        pub interval: Option<BillingInterval>,
        /// Intervals per billing.
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub interval_count: Option<u64>,
        /// Usage type.
        #[serde(default)]
        pub usage_type: Option<UsageType>,
    }
}
