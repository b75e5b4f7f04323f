//! `/customer/v1/*` (§19.1): create, update, query (paged), delete.

use serde_json::{Value, json};

use super::subscriptions::{end, is_final};
use super::{listed, ok, owned, text, with_events};
use crate::params::Params;
use crate::recurring::{Customer, Owner, Subscription};
use crate::reply::ApiError;
use crate::store::Store;
use crate::trade::{Ctx, Outcome, merchant};
use crate::verify::Verified;

/// `billing_address`: a JSON object sent as text.
fn address(p: &Params) -> Result<Option<String>, ApiError> {
    match p.opt("billing_address") {
        None => Ok(None),
        Some(a) if serde_json::from_str::<Value>(a).is_ok_and(|v| v.is_object()) => {
            Ok(Some(a.to_owned()))
        }
        Some(_) => Err(ApiError::param("`billing_address` must be a JSON object")),
    }
}

fn customer_json(c: &Customer) -> Value {
    let address = c
        .billing_address
        .as_deref()
        .and_then(|a| serde_json::from_str::<Value>(a).ok())
        .unwrap_or(Value::Null);
    json!({
        "customer_id": c.customer_id, "name": c.name, "phone": c.phone,
        "email": c.email, "billing_address": address,
    })
}

/// `POST /customer/v1/create`.
pub(crate) fn customer_create(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let customer = Customer {
        customer_id: store
            .recurring
            .customers
            .fresh_id("cust_", &format!("{}{}", v.canonical, ctx.now)),
        owner: Owner::of(&merchant(v)),
        name: text(p, "name")?.unwrap_or_default().to_owned(),
        phone: text(p, "phone")?.unwrap_or_default().to_owned(),
        email: text(p, "email")?.unwrap_or_default().to_owned(),
        billing_address: address(p)?,
    };
    let data = json!({ "customer_id": customer.customer_id });
    store.recurring.customers.put(customer);
    Ok(ok(data))
}

/// `POST /customer/v1/update`.
pub(crate) fn customer_update(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let id = p.text("customer_id", 64, true)?.unwrap_or_default();
    let owner = Owner::of(&merchant(v));
    let mut c = owned(
        store.recurring.customers.get(id),
        |c| &c.owner,
        &owner,
        "customer_id",
        id,
    )?
    .clone();
    for (name, field) in [
        ("name", &mut c.name),
        ("phone", &mut c.phone),
        ("email", &mut c.email),
    ] {
        if let Some(value) = text(p, name)? {
            *field = value.to_owned();
        }
    }
    if let Some(a) = address(p)? {
        c.billing_address = Some(a);
    }
    store.recurring.customers.put(c);
    Ok(ok(json!({ "customer_id": id, "rowAffected": 1 })))
}

/// `POST /customer/v1/query`.
pub(crate) fn customer_query(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let want = |name: &str, value: &str| p.opt(name).is_none_or(|w| w == value);
    let records = store.recurring.customers.iter().filter(|c| {
        c.owner == owner
            && want("customer_id", &c.customer_id)
            && want("name", &c.name)
            && want("phone", &c.phone)
            && want("email", &c.email)
    });
    listed(p, records, customer_json)
}

/// `POST /customer/v1/delete`: permanent; cancels the customer's
/// subscriptions (§19.1).
pub(crate) fn customer_delete(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let id = v.params.text("customer_id", 64, true)?.unwrap_or_default();
    let owner = Owner::of(&merchant(v));
    owned(
        store.recurring.customers.get(id),
        |c| &c.owner,
        &owner,
        "customer_id",
        id,
    )?;
    store.recurring.customers.remove(id);
    let theirs: Vec<Subscription> = store
        .recurring
        .subscriptions()
        .iter()
        .filter(|s| s.customer_id == id && !is_final(&s.state))
        .cloned()
        .collect();
    let events = theirs
        .into_iter()
        .map(|s| end(store, s, "CANCELLED", &ctx.now))
        .collect();
    Ok(with_events(
        json!({ "customer_id": id, "rowDeleted": 1 }),
        events,
    ))
}
