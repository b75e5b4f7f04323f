//! The recurring endpoints (§19), one file per object: customers,
//! products, card tokens (checked when a subscription names one),
//! subscriptions (create, update, query, cancel, charge) and their billing
//! orders; here, the replies they share.
//!
//! An id that names no record of this merchant is refused with `1104`
//! naming the parameter: the reference documents no code of its own for
//! these objects, and `1268` ("order does not exist") is about orders.

mod billing_orders;
mod customers;
mod products;
mod subscriptions;
mod tokens;

use serde_json::{Value, json};

use super::Owner;
use crate::params::Params;
use crate::reply::ApiError;
use crate::store::Event;
use crate::table::page;
use crate::trade::Outcome;

pub(crate) use billing_orders::billing_orders;
pub(crate) use customers::{customer_create, customer_delete, customer_query, customer_update};
pub(crate) use products::{product_create, product_delete, product_query, product_update};
pub(crate) use subscriptions::{
    cancel, charge, subscription_create, subscription_query, subscription_update,
};

fn ok(data: Value) -> Outcome {
    Outcome::json(json!({ "respcd": "0000", "resperr": "success", "respmsg": "", "data": data }))
}

fn with_events(data: Value, events: Vec<Event>) -> Outcome {
    Outcome { events, ..ok(data) }
}

/// A paged list reply (`page`, `page_size` echoed as the trade query does).
fn listed<T>(
    p: &Params,
    records: impl Iterator<Item = T>,
    show: impl Fn(T) -> Value,
) -> Result<Outcome, ApiError> {
    let (page_no, size) = p.paging()?;
    let data: Vec<Value> = page(records, page_no, size).into_iter().map(show).collect();
    let mut out = ok(Value::Array(data));
    if let Some(m) = out.json.as_object_mut() {
        m.insert("page".into(), page_no.to_string().into());
        m.insert("page_size".into(), size.to_string().into());
    }
    Ok(out)
}

fn unknown(name: &str, id: &str) -> ApiError {
    ApiError::param(format!("`{name}`: no record `{id}` of this merchant"))
}

/// The record `id` (found by `get`) when it belongs to `owner`.
fn owned<'a, T>(
    get: Option<&'a T>,
    owner_of: impl Fn(&T) -> &Owner,
    owner: &Owner,
    name: &str,
    id: &str,
) -> Result<&'a T, ApiError> {
    get.filter(|r| owner_of(r) == owner)
        .ok_or_else(|| unknown(name, id))
}

fn text<'a>(p: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    p.text(name, 256, false)
}
