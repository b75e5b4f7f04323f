//! Catalogue endpoints beyond the trade core (reference §7): signature- and
//! `mchid`-checked like every other. Pre-authorisation, Payment Element
//! intents, recurring payments and customs keep state in their own modules
//! (`preauth`, `intent`, `recurring`, `customs`); the WeChat helpers, the
//! legacy card verification and the ECR cloud calls answer plausibly
//! without state.

use qfpay::api::TradeDate;
use qfpay::types::RespCode;
use serde_json::{Value, json};

use crate::bill;
use crate::customs;
use crate::intent;
use crate::preauth;
use crate::reply::ApiError;
use crate::routes;
use crate::signing;
use crate::store::Store;
use crate::trade::{Ctx, Outcome};
use crate::verify::Verified;

/// What a catalogue endpoint answers.
pub(crate) enum Answer {
    /// JSON, and what to notify.
    Done(Outcome),
    /// `application/zip` body (the statement download, `bill.rs`).
    Zip(Vec<u8>),
}

fn ok(extra: Value) -> Value {
    let mut base = json!({ "respcd": "0000", "resperr": "success", "respmsg": "" });
    if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
        b.extend(e);
    }
    base
}

fn id(prefix: &str, seed: &str) -> String {
    format!("{prefix}{}", signing::token(seed, b"qfpay-mock-id"))
}

/// Whether `path` is one of the recurring API's (§19).
fn recurring_path(path: &str) -> bool {
    use routes::*;
    matches!(
        path,
        CUSTOMER_CREATE
            | CUSTOMER_UPDATE
            | CUSTOMER_QUERY
            | CUSTOMER_DELETE
            | PRODUCT_CREATE
            | PRODUCT_UPDATE
            | PRODUCT_QUERY
            | PRODUCT_DELETE
            | SUBSCRIPTION_CREATE
            | SUBSCRIPTION_UPDATE
            | SUBSCRIPTION_QUERY
            | SUBSCRIPTION_CANCEL
            | SUBSCRIPTION_CHARGE
            | BILLING_ORDERS
            | SUBSCRIPTION_LIST_DRAFT
    )
}

/// The recurring API (§19), stateful (`recurring`).
fn recurring(
    store: &mut Store,
    path: &str,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    use crate::recurring as r;
    use routes::*;
    match path {
        CUSTOMER_CREATE => r::customer_create(store, v, ctx),
        CUSTOMER_UPDATE => r::customer_update(store, v),
        CUSTOMER_QUERY => r::customer_query(store, v),
        CUSTOMER_DELETE => r::customer_delete(store, v, ctx),
        PRODUCT_CREATE => r::product_create(store, v, ctx),
        PRODUCT_UPDATE => r::product_update(store, v),
        PRODUCT_QUERY => r::product_query(store, v),
        PRODUCT_DELETE => r::product_delete(store, v),
        SUBSCRIPTION_CREATE => r::subscription_create(store, v, ctx),
        SUBSCRIPTION_UPDATE => r::subscription_update(store, v),
        SUBSCRIPTION_QUERY => r::subscription_query(store, v),
        SUBSCRIPTION_CANCEL => r::cancel(store, v, ctx),
        SUBSCRIPTION_CHARGE => r::charge(store, v, ctx),
        _ => r::billing_orders(store, v),
    }
}

/// Answers `path`, already verified.
pub(crate) fn answer(
    store: &mut Store,
    path: &str,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Answer, ApiError> {
    let p = &v.params;
    let now = ctx.now.to_string();
    let seed = format!("{path}{}{now}", v.canonical);
    // The paths, named by the endpoints they belong to.
    use routes::*;
    Ok(Answer::Done(Outcome::json(match path {
        TRADE_BILL => {
            let d = p.req("trade_date")?;
            TradeDate::parse(d).map_err(|e| ApiError::param(e.to_string()))?;
            return Ok(Answer::Zip(bill::statement(store, &v.app.code, d)?));
        }
        WEIXIN_OPENID => {
            p.req("code")?;
            ok(json!({ "openid": format!("oMock{}", &id("", &seed)[..24]) }))
        }
        PAYMENT_VERIFY => {
            let syssn = p.req("syssn")?;
            p.time("txdtm")?;
            p.req("out_trade_no")?;
            p.req("chnl_ext")?;
            ok(json!({ "syssn": syssn, "sysdtm": now }))
        }
        AUTH_TRADE => return preauth::capture(store, v, ctx).map(Answer::Done),
        UNFREEZE => return preauth::release(store, v, ctx).map(Answer::Done),
        PAYMENT_INTENT => return intent::create_payment(store, v, ctx).map(Answer::Done),
        TOKEN_INTENT => return intent::create_token(store, v, ctx).map(Answer::Done),
        CUSTOMS_DECLARE => return customs::declare(store, v, ctx).map(Answer::Done),
        CUSTOMS_QUERY => return customs::query(store, v).map(Answer::Done),
        CUSTOMS_REDECLARE => return customs::redeclare(store, v).map(Answer::Done),
        p if recurring_path(p) => return recurring(store, p, v, ctx).map(Answer::Done),
        ECR_QUERY => ok(json!({ "data": {} })),
        p if extra_of(p) == Some(Extra::EcrCloud) => json!({
            "respcd": "0000",
            "resperr": "Order push success",
            "respmsg": "",
        }),
        _ => {
            return Err(ApiError::new(
                RespCode::RequestFormatError,
                format!("`{path}` is not implemented by the mock"),
            ));
        }
    })))
}
