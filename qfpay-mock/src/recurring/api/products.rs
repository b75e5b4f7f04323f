//! `/product/v1/*` (§19.2): create, update, query (paged), delete.

use qfpay::types::{Currency, RespCode};
use serde_json::{Value, json};

use super::{listed, ok, owned, text};
use crate::recurring::{Owner, Product};
use crate::reply::ApiError;
use crate::store::Store;
use crate::trade::{Ctx, Outcome, merchant};
use crate::verify::Verified;

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
