//! `/customer/v1/*` (reference §19.1).

use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::Json;

use super::BillingAddress;
use crate::api::records::{DataResponse, ListResponse};

/// `POST /customer/v1/create`: create a customer (`data.customer_id`, `cust_…`).
///
/// ```
/// use qfpay::api::CreateCustomer;
/// let req = CreateCustomer::builder().name("Peter").email("peter@example.com").build();
/// assert_eq!(qfpay::form_body(&req), "email=peter%40example.com&name=Peter");
/// ```
#[qf_endpoint(path = "/customer/v1/create", method = "POST", response = DataResponse<CustomerResult>)]
#[derive(Clone, Debug)]
pub struct CreateCustomer {
    /// Name.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Billing address (a JSON string on the wire).
    pub billing_address: Option<Json<BillingAddress>>,
}

/// `POST /customer/v1/update` (`data`: `customer_id`, `rowAffected`).
#[qf_endpoint(path = "/customer/v1/update", method = "POST", response = DataResponse<CustomerResult>)]
#[derive(Clone, Debug)]
pub struct UpdateCustomer {
    /// The customer.
    pub customer_id: String,
    /// Name.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Billing address (a JSON string on the wire).
    pub billing_address: Option<Json<BillingAddress>>,
}

/// `POST /customer/v1/query`: list customers, filtered and paged.
#[qf_endpoint(path = "/customer/v1/query", method = "POST", response = ListResponse<Customer>, idempotent = true)]
#[derive(Clone, Debug)]
pub struct QueryCustomers {
    /// Filter: customer id.
    pub customer_id: Option<String>,
    /// Filter: name.
    pub name: Option<String>,
    /// Filter: phone.
    pub phone: Option<String>,
    /// Filter: e-mail.
    pub email: Option<String>,
    /// Page (default 1).
    pub page: Option<u32>,
    /// Page size (default 10, max 100).
    pub page_size: Option<u32>,
}

/// `POST /customer/v1/delete`: delete a customer permanently; cancels its
/// subscriptions (`data`: `customer_id`, `rowDeleted`).
#[qf_endpoint(path = "/customer/v1/delete", method = "POST", response = DataResponse<CustomerResult>)]
#[derive(Clone, Debug)]
pub struct DeleteCustomer {
    /// The customer.
    pub customer_id: String,
}

qf_object! {
    record
    /// `data` of the customer create / update / delete responses.
    pub struct CustomerResult {
        shared { customer_id, row_affected, row_deleted }
    }
}

qf_object! {
    record
    /// A customer of `/customer/v1/query`.
    pub struct Customer {
        shared { customer_id, name }
        /// Phone.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub phone: String,
        /// E-mail.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub email: String,
        /// Billing address as received (an object, or parsed from a JSON string);
        /// see [`Customer::billing_address`].
        #[serde(
            default,
            rename = "billing_address",
            deserialize_with = "crate::types::de::opt_json_value"
        )]
        pub billing_address_raw: Option<serde_json::Value>,
    }
}

impl Customer {
    /// The billing address, if present and an object of known shape.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn billing_address(&self) -> Option<BillingAddress> {
        self.billing_address_raw
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
    }
}
