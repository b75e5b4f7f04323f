//! `/subscription/v1/*` (§19.3): subscribe, update, query (paged),
//! cancel, charge a failed billing again.

use qfpay::types::{RespCode, SubscriptionState, TradeTime};
use serde_json::{Value, json};

use super::tokens::token;
use super::{listed, ok, owned, with_events};
use crate::recurring::billing::{Trigger, bill, state_notice};
use crate::recurring::{Item, Owner, Subscription};
use crate::reply::ApiError;
use crate::store::{Event, Store};
use crate::trade::{Ctx, Outcome, merchant};
use crate::verify::Verified;

pub(super) fn is_final(state: &str) -> bool {
    SubscriptionState::from_code(state).is_final()
}

/// Ends `sub` in `state` (no more billing) and notifies the change.
pub(super) fn end(store: &mut Store, mut sub: Subscription, state: &str, now: &TradeTime) -> Event {
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
    events.extend(crate::recurring::bill_due(store, &ctx.now, ctx.scenarios));
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

/// The request's `subscription_id`, its merchant, and a copy of that
/// merchant's subscription (unknown, or another merchant's, is refused).
fn requested<'p>(
    store: &Store,
    v: &'p Verified<'_>,
) -> Result<(&'p str, Owner, Subscription), ApiError> {
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
    Ok((id, owner, sub))
}

/// `POST /subscription/v1/update`.
pub(crate) fn subscription_update(
    store: &mut Store,
    v: &Verified<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let (id, owner, mut sub) = requested(store, v)?;
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
    let (id, _, sub) = requested(store, v)?;
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
    let (id, _, sub) = requested(store, v)?;
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
