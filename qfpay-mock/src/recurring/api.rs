//! The recurring endpoints (§19): create, update, query (paged), delete;
//! subscribe, cancel, charge, list billing orders.
//!
//! An id that names no record of this merchant is refused with `1104`
//! naming the parameter: the reference documents no code of its own for
//! these objects, and `1268` ("order does not exist") is about orders.

use qfpay::types::{Currency, RespCode, SubscriptionState, TradeTime};
use serde_json::{Value, json};

use super::billing::{Trigger, bill, state_notice};
use super::{Customer, Item, Owner, Product, Subscription};
use crate::params::Params;
use crate::reply::ApiError;
use crate::store::{Event, Store};
use crate::table::page;
use crate::trade::{Ctx, Outcome, merchant};
use crate::verify::Verified;

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

fn product_json(p: &Product) -> Value {
    json!({
        "product_id": p.product_id, "name": p.name, "type": p.product_type,
        "description": p.description, "txamt": p.txamt.to_string(), "txcurrcd": p.txcurrcd,
        "interval": p.interval, "interval_count": p.interval_count, "usage_type": p.usage_type,
    })
}

/// The most intervals of each kind in a year (§19.2: `interval_count` ≤ 1 year).
fn max_count(interval: &str) -> Option<u32> {
    Some(match interval {
        "monthly" => 12,
        "yearly" => 1,
        "hours" => 365 * 24,
        "minutes" => 365 * 24 * 60,
        _ => return None,
    })
}

/// `POST /product/v1/create`.
pub(crate) fn product_create(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let name = p.text("name", 256, true)?.unwrap_or_default();
    let product_type = p.opt("type").unwrap_or("onetime");
    if !matches!(product_type, "onetime" | "recurring") {
        return Err(ApiError::param("`type` must be `onetime` or `recurring`"));
    }
    let txamt = p.amount("txamt")?;
    let txcurrcd = p.req("txcurrcd")?;
    if !Currency::from_code(txcurrcd).is_known() {
        return Err(ApiError::param(format!(
            "unknown currency `txcurrcd` `{txcurrcd}`"
        )));
    }
    let interval = p.opt("interval");
    let count = p.int("interval_count")?;
    if let Some(i) = interval
        && max_count(i).is_none()
    {
        return Err(ApiError::param(
            "`interval` must be monthly, yearly, minutes or hours",
        ));
    }
    let count = match (product_type, interval, count) {
        (_, Some(i), Some(n)) if n == 0 || n > u64::from(max_count(i).unwrap_or(0)) => {
            return Err(ApiError::param(format!(
                "`interval_count` must be 1 to one year of `{i}`"
            )));
        }
        ("recurring", None, _) | ("recurring", _, None) => {
            return Err(ApiError::param(
                "a recurring product needs `interval` and `interval_count`",
            ));
        }
        (_, _, n) => n.and_then(|n| u32::try_from(n).ok()),
    };
    let usage_type = p.opt("usage_type");
    if usage_type.is_some_and(|u| u != "licensed") {
        return Err(ApiError::param("`usage_type` must be `licensed`"));
    }
    let product = Product {
        product_id: store
            .recurring
            .products
            .fresh_id("prod_", &format!("{}{}", v.canonical, ctx.now)),
        owner: Owner::of(&merchant(v)),
        name: name.to_owned(),
        product_type: product_type.to_owned(),
        description: text(p, "description")?.unwrap_or_default().to_owned(),
        txamt,
        txcurrcd: txcurrcd.to_owned(),
        interval: interval.map(str::to_owned),
        interval_count: count,
        usage_type: usage_type.map(str::to_owned),
    };
    let data = json!({ "product_id": product.product_id });
    store.recurring.products.put(product);
    Ok(ok(data))
}

/// `POST /product/v1/update`: name and description.
pub(crate) fn product_update(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let id = p.text("product_id", 64, true)?.unwrap_or_default();
    let owner = Owner::of(&merchant(v));
    let mut product = owned(
        store.recurring.products.get(id),
        |r| &r.owner,
        &owner,
        "product_id",
        id,
    )?
    .clone();
    if let Some(name) = text(p, "name")? {
        product.name = name.to_owned();
    }
    if let Some(d) = text(p, "description")? {
        product.description = d.to_owned();
    }
    store.recurring.products.put(product);
    Ok(ok(json!({ "product_id": id, "rowAffected": 1 })))
}

/// `POST /product/v1/query`.
pub(crate) fn product_query(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let want = |name: &str, value: Option<&str>| p.opt(name).is_none_or(|w| Some(w) == value);
    let records = store.recurring.products.iter().filter(|r| {
        r.owner == owner
            && want("product_id", Some(&r.product_id))
            && want("name", Some(&r.name))
            && want("description", Some(&r.description))
            && want("txcurrcd", Some(&r.txcurrcd))
            && want("interval", r.interval.as_deref())
    });
    listed(p, records, product_json)
}

/// `POST /product/v1/delete`: only a product no subscription uses (§19.2).
pub(crate) fn product_delete(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let id = v.params.text("product_id", 64, true)?.unwrap_or_default();
    let owner = Owner::of(&merchant(v));
    owned(
        store.recurring.products.get(id),
        |r| &r.owner,
        &owner,
        "product_id",
        id,
    )?;
    if let Some(s) = store
        .recurring
        .subscriptions()
        .iter()
        .find(|s| s.products.iter().any(|i| i.product_id == id))
    {
        // §19.2: "only if not used by any subscription". §23.1: 1136,
        // cannot be operated.
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            format!(
                "product `{id}` is used by subscription `{}`",
                s.subscription_id
            ),
        ));
    }
    store.recurring.products.remove(id);
    Ok(ok(json!({ "product_id": id, "rowDeleted": 1 })))
}

fn is_final(state: &str) -> bool {
    SubscriptionState::from_code(state).is_final()
}

/// Ends `sub` in `state` (no more billing) and notifies the change.
fn end(store: &mut Store, mut sub: Subscription, state: &str, now: &TradeTime) -> Event {
    sub.state = state.to_owned();
    let event = state_notice(&sub, now);
    store.recurring.put_subscription(sub);
    event
}

/// The products of a subscription request, checked: this merchant's
/// recurring products, one currency and one interval. Returns the items,
/// the amount of one billing, its currency, interval and count.
fn products(
    store: &Store,
    owner: &Owner,
    raw: &str,
) -> Result<(Vec<Item>, u64, String, String, u32), ApiError> {
    #[derive(serde::Deserialize)]
    struct Raw {
        product_id: String,
        quantity: Option<u64>,
    }
    let raw: Vec<Raw> = serde_json::from_str(raw).map_err(|e| {
        ApiError::param(format!(
            "`products` must be a JSON array of {{product_id, quantity}}: {e}"
        ))
    })?;
    if raw.is_empty() {
        return Err(ApiError::param("`products` is empty"));
    }
    let mut items = Vec::new();
    let mut total = 0u64;
    let mut plan: Option<(String, String, u32)> = None;
    for r in raw {
        let product = owned(
            store.recurring.products.get(&r.product_id),
            |p| &p.owner,
            owner,
            "products",
            &r.product_id,
        )?;
        let (Some(interval), Some(count)) = (&product.interval, product.interval_count) else {
            return Err(ApiError::param(format!(
                "`products`: `{}` is not a recurring product",
                r.product_id
            )));
        };
        let this = (product.txcurrcd.clone(), interval.clone(), count);
        if plan.as_ref().is_some_and(|p| *p != this) {
            return Err(ApiError::param(
                "`products` must share one currency and one billing interval",
            ));
        }
        plan = Some(this);
        let quantity = r.quantity.unwrap_or(1).max(1);
        total = total.saturating_add(product.txamt.saturating_mul(quantity));
        items.push(Item {
            product_id: r.product_id,
            quantity,
        });
    }
    let (currency, interval, count) = plan.ok_or_else(|| ApiError::param("`products` is empty"))?;
    Ok((items, total, currency, interval, count))
}

/// The card token `token_id` of `customer_id`.
fn token(store: &Store, owner: &Owner, customer_id: &str, token_id: &str) -> Result<(), ApiError> {
    let t = owned(
        store.recurring.tokens.get(token_id),
        |t| &t.owner,
        owner,
        "token_id",
        token_id,
    )?;
    if t.customer_id != customer_id {
        return Err(ApiError::param(format!(
            "`token_id` `{token_id}` is not a card of `{customer_id}`"
        )));
    }
    Ok(())
}

/// `POST /subscription/v1/create`: billed at `start_time` (default now),
/// then every interval on the mock clock.
pub(crate) fn subscription_create(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let customer_id = p.text("customer_id", 64, true)?.unwrap_or_default();
    owned(
        store.recurring.customers.get(customer_id),
        |c| &c.owner,
        &owner,
        "customer_id",
        customer_id,
    )?;
    let token_id = p.text("token_id", 64, true)?.unwrap_or_default();
    token(store, &owner, customer_id, token_id)?;
    let (items, txamt, txcurrcd, interval, interval_count) =
        products(store, &owner, p.req("products")?)?;
    let total = p.int("total_billing_cycles")?;
    if total == Some(0) {
        return Err(ApiError::param("`total_billing_cycles` must be at least 1"));
    }
    let start = p.opt_time("start_time")?.unwrap_or(ctx.now);
    let sub = Subscription {
        subscription_id: store
            .recurring
            .subscriptions()
            .fresh_id("sub_", &format!("{}{}", v.canonical, ctx.now)),
        owner,
        customer_id: customer_id.to_owned(),
        token_id: token_id.to_owned(),
        products: items,
        total_billing_cycles: total,
        start_time: start.to_string(),
        state: "ACTIVE".into(),
        next_billing: Some(start.to_string()),
        last_billing: None,
        last_billing_status: String::new(),
        completed_iterations: 0,
        failed_order: None,
        txamt,
        txcurrcd,
        interval,
        interval_count,
    };
    let id = sub.subscription_id.clone();
    let mut events = vec![state_notice(&sub, &ctx.now)];
    store.recurring.put_subscription(sub);
    // A start now or in the past bills at once (what is due is billed).
    events.extend(super::bill_due(store, &ctx.now, ctx.scenarios));
    let state = store
        .recurring
        .subscriptions()
        .get(&id)
        .map(|s| s.state.clone())
        .unwrap_or_default();
    Ok(with_events(
        json!({ "subscription_id": id, "state": state }),
        events,
    ))
}

/// `POST /subscription/v1/update`.
pub(crate) fn subscription_update(
    store: &mut Store,
    v: &Verified<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let id = p.text("subscription_id", 64, true)?.unwrap_or_default();
    let mut sub = owned(
        store.recurring.subscriptions().get(id),
        |s| &s.owner,
        &owner,
        "subscription_id",
        id,
    )?
    .clone();
    if let Some(total) = p.int("total_billing_cycles")? {
        sub.total_billing_cycles = Some(total.max(1));
    }
    if let Some(t) = p.opt("token_id") {
        token(store, &owner, &sub.customer_id, t)?;
        sub.token_id = t.to_owned();
    }
    if let Some(raw) = p.opt("products") {
        let (items, txamt, txcurrcd, interval, count) = products(store, &owner, raw)?;
        (
            sub.products,
            sub.txamt,
            sub.txcurrcd,
            sub.interval,
            sub.interval_count,
        ) = (items, txamt, txcurrcd, interval, count);
    }
    // A new start counts only before the first billing.
    if let Some(start) = p.opt_time("start_time")?
        && sub.completed_iterations == 0
        && sub.last_billing.is_none()
    {
        sub.start_time = start.to_string();
        sub.next_billing = Some(start.to_string());
    }
    store.recurring.put_subscription(sub);
    Ok(ok(json!({ "subscription_id": id, "rowAffected": 1 })))
}

fn subscription_json(s: &Subscription) -> Value {
    let iso = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| TradeTime::parse(t).ok())
            .map(|t| crate::clock::iso_utc(&t))
            .unwrap_or_default()
    };
    json!({
        "subscription_id": s.subscription_id, "customer_id": s.customer_id, "token_id": s.token_id,
        "products": s.products.iter().map(|i| json!({ "product_id": i.product_id, "quantity": i.quantity })).collect::<Vec<_>>(),
        "total_billing_cycles": s.total_billing_cycles, "state": s.state,
        "next_billing_time": if s.state == "ACTIVE" { iso(&s.next_billing) } else { String::new() },
        "last_billing_time": iso(&s.last_billing),
        "completed_billing_iteration": s.completed_iterations, "start_time": s.start_time,
        "last_billing_status": s.last_billing_status,
    })
}

/// `POST /subscription/v1/query` (the id filter under either spelling,
/// §27.1 #29; `state` in any case, the examples use lower case).
pub(crate) fn subscription_query(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let id = p
        .opt("subscription_id")
        .or_else(|| p.opt("subscritpion_id"));
    let records = store.recurring.subscriptions().iter().filter(|s| {
        s.owner == owner
            && id.is_none_or(|i| i == s.subscription_id)
            && p.opt("customer_id").is_none_or(|c| c == s.customer_id)
            && p.opt("token_id").is_none_or(|t| t == s.token_id)
            && p.opt("state")
                .is_none_or(|st| st.eq_ignore_ascii_case(&s.state))
    });
    listed(p, records, subscription_json)
}

/// `POST /subscription/v1/cancel`: at once.
pub(crate) fn cancel(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let owner = Owner::of(&merchant(v));
    let id = v
        .params
        .text("subscription_id", 64, true)?
        .unwrap_or_default();
    let sub = owned(
        store.recurring.subscriptions().get(id),
        |s| &s.owner,
        &owner,
        "subscription_id",
        id,
    )?
    .clone();
    match sub.state.as_str() {
        // §23.1: 1263, already cancelled.
        "CANCELLED" => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyCancelled,
                "the subscription is already cancelled",
            ));
        }
        // §23.6: no way out of a final state. §23.1: 1136, cannot be operated.
        s if is_final(s) => {
            return Err(ApiError::new(
                RespCode::TransactionNotFound,
                format!("the subscription is {s}"),
            ));
        }
        _ => {}
    }
    let event = end(store, sub, "CANCELLED", &ctx.now);
    Ok(with_events(
        json!({ "subscription_id": id, "state": "CANCELLED" }),
        vec![event],
    ))
}

/// `POST /subscription/v1/charge`: bills the failed order again (it
/// succeeds: the customer has fixed the card). Before the next scheduled
/// billing the subscription continues `ACTIVE`; after it, it is cancelled
/// (§19.3).
pub(crate) fn charge(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let id = p.text("subscription_id", 64, true)?.unwrap_or_default();
    let sub = owned(
        store.recurring.subscriptions().get(id),
        |s| &s.owner,
        &owner,
        "subscription_id",
        id,
    )?
    .clone();
    let (true, Some(failed)) = (
        SubscriptionState::from_code(&sub.state).can_be_charged(),
        sub.failed_order.clone(),
    ) else {
        // §19.3: "only for a subscription with a failed order in state
        // UNPAID, INCOMPLETE or PAST_DUE". §23.1: 1136, cannot be operated.
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            format!(
                "subscription `{id}` is {} with no failed order to charge",
                sub.state
            ),
        ));
    };
    if let Some(asked) = p.opt("subscription_order_id")
        && asked != failed
    {
        // §23.1: 1267, order information mismatch.
        return Err(ApiError::new(
            RespCode::OrderInfoMismatch,
            format!("`subscription_order_id` `{asked}` is not the failed order `{failed}`"),
        ));
    }
    let late = sub
        .next_billing
        .as_deref()
        .is_none_or(|next| next <= ctx.now.as_str());
    let mut events = bill(store, sub, &ctx.now, Trigger::Manual, ctx.scenarios);
    let charged = store.recurring.subscriptions().get(id).cloned();
    if late && let Some(s) = charged.filter(|s| !is_final(&s.state)) {
        events.push(end(store, s, "CANCELLED", &ctx.now));
    }
    let state = store
        .recurring
        .subscriptions()
        .get(id)
        .map(|s| s.state.clone())
        .unwrap_or_default();
    let syssn = store
        .recurring
        .billing_orders
        .iter()
        .rev()
        .find(|b| b.subscription_id == id)
        .map(|b| b.syssn.clone())
        .unwrap_or_default();
    let data = json!({ "subscription_id": id, "subscription_order_id": failed, "syssn": syssn, "state": state });
    Ok(with_events(data, events))
}

/// `POST /subscription/billing_order/v1/list` (and the 2024 draft
/// `/subscription/v1/list`, which spells the id `subscritpion_id`).
pub(crate) fn billing_orders(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let owner = Owner::of(&merchant(v));
    let id = p
        .opt("subscription_id")
        .or_else(|| p.opt("subscritpion_id"))
        .ok_or_else(|| ApiError::param("`subscription_id` is required"))?;
    owned(
        store.recurring.subscriptions().get(id),
        |s| &s.owner,
        &owner,
        "subscription_id",
        id,
    )?;
    let records = store
        .recurring
        .billing_orders
        .iter()
        .filter(|b| b.subscription_id == id);
    listed(p, records, |b| {
        json!({
            "subscription_order_id": b.subscription_order_id, "subscription_id": b.subscription_id,
            "trigger_by": b.trigger_by, "sequence_no": b.sequence_no, "syssn": b.syssn,
            "respcd": b.respcd, "txamt": b.txamt.to_string(), "txcurrcd": b.txcurrcd, "sysdtm": b.sysdtm,
        })
    })
}
