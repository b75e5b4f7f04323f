//! Catalogue endpoints beyond the trade core (reference §7): signature- and
//! `mchid`-checked like every other, with plausible replies but no state.

use qfpay::api::TradeDate;
use qfpay::types::RespCode;
use serde_json::{Value, json};

use crate::bill;
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
        PAYMENT_INTENT => {
            p.amount("txamt")?;
            p.req("pay_type")?;
            p.req("out_trade_no")?;
            ok(json!({
                "payment_intent": id("", &seed),
                "intent_expiry": now,
                "sysdtm": now,
            }))
        }
        TOKEN_INTENT => {
            p.req("customer_id")?;
            ok(json!({ "token_intent": id("", &seed), "intent_expiry": now, "sysdtm": now }))
        }
        CUSTOMER_CREATE => ok(json!({ "data": { "customer_id": id("cust_", &seed) } })),
        PRODUCT_CREATE => ok(json!({ "data": { "product_id": id("prod_", &seed) } })),
        SUBSCRIPTION_CREATE => ok(json!({
            "data": { "subscription_id": id("sub_", &seed), "state": "ACTIVE" }
        })),
        CUSTOMER_QUERY
        | PRODUCT_QUERY
        | SUBSCRIPTION_QUERY
        | SUBSCRIPTION_LIST_DRAFT
        | BILLING_ORDERS => ok(json!({ "data": [] })),
        CUSTOMER_UPDATE | PRODUCT_UPDATE | SUBSCRIPTION_UPDATE => {
            ok(json!({ "data": { "rowAffected": 1 } }))
        }
        CUSTOMER_DELETE | PRODUCT_DELETE => ok(json!({ "data": { "rowDeleted": 1 } })),
        SUBSCRIPTION_CANCEL | SUBSCRIPTION_CHARGE => ok(json!({ "data": {} })),
        CUSTOMS_DECLARE | CUSTOMS_REDECLARE => {
            let syssn = p.req("syssn")?;
            ok(json!({ "syssn": syssn }))
        }
        CUSTOMS_QUERY => {
            let syssn = p.req("syssn")?;
            ok(json!({ "syssn": syssn, "data": [] }))
        }
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
