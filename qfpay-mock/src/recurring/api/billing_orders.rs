//! `/subscription/billing_order/v1/list` (§19.3): a subscription's
//! billing attempts.

use serde_json::json;

use super::{listed, owned};
use crate::recurring::Owner;
use crate::reply::ApiError;
use crate::store::Store;
use crate::trade::{Outcome, merchant};
use crate::verify::Verified;

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
