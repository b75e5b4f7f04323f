//! Card tokens (§18.2): saved by the customer (`billing::save_card`),
//! named by a subscription, which checks them here.

use super::owned;
use crate::recurring::Owner;
use crate::reply::ApiError;
use crate::store::Store;

/// The card token `token_id` of `customer_id`.
pub(super) fn token(
    store: &Store,
    owner: &Owner,
    customer_id: &str,
    token_id: &str,
) -> Result<(), ApiError> {
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
