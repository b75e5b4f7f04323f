//! What the customer does with an open payment at the mock's checkout
//! page: pay it, decline it, or let it expire. The page's buttons and the
//! control API (`POST /__mock/pay|decline|expire/{id}`) both call these,
//! so each choice changes the store and notifies the same way whichever
//! way it is made.

use std::sync::Arc;

use crate::error::MockError;
use crate::operations;
use crate::state::{Shared, lock};
use crate::store::{Order, OrderStatus, Plan};

/// The code a declined payment ends with (`1205`, the code of a
/// declined card or wallet payment).
const DECLINED: &str = "1205";

/// A customer's choice at the checkout page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Choice {
    Pay,
    Decline,
    Expire,
}

impl Choice {
    /// The choice named in a URL (`pay`, `decline`, `expire`).
    pub fn from_name(name: &str) -> Option<Choice> {
        match name {
            "pay" => Some(Choice::Pay),
            "decline" => Some(Choice::Decline),
            "expire" => Some(Choice::Expire),
            _ => None,
        }
    }

    /// Makes the choice for the open payment `id` (`syssn` or `out_trade_no`).
    pub fn make(self, shared: &Arc<Shared>, id: &str) -> Result<Order, MockError> {
        match self {
            Choice::Pay => operations::pay(shared, id),
            Choice::Decline => decline(shared, id),
            // The mock clock's expiry, as if the order's time had run out.
            Choice::Expire => operations::expire(shared, id),
        }
    }
}

/// The customer declines: the open payment `id` ends unpaid with
/// [`DECLINED`]. Nothing is notified: QFPay notifies payments and refunds,
/// not failures (§22.1).
fn decline(shared: &Arc<Shared>, id: &str) -> Result<Order, MockError> {
    // An order whose time ran out is expired before the customer can act.
    operations::catch_up(shared);
    let mut store = lock(&shared.store);
    let idx = operations::open_payment(&store, id)?;
    store.update(idx, |tx| {
        tx.plan = Plan::None;
        tx.order.status = OrderStatus::Failed {
            respcd: DECLINED.to_owned(),
        };
    });
    shared.commit(&mut store)?;
    store
        .order(idx)
        .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))
}
