//! Catalogue endpoints beyond the trade core (reference §7): signature- and
//! `mchid`-checked like every other, with plausible replies but no state.

use qfpay::StaticEndpoint;
use qfpay::api::{DownloadTradeBill, GetWeixinOpenid};
use qfpay::types::RespCode;
use serde_json::{Value, json};

use crate::reply::ApiError;
use crate::signing;
use crate::store::{Store, SyssnKind};
use crate::trade::Ctx;
use crate::verify::Verified;

/// What a catalogue endpoint answers.
pub(crate) enum Answer {
    Json(Value),
    /// `application/zip` body (statement download).
    Zip(Vec<u8>),
}

/// An empty but valid ZIP archive: just the end-of-central-directory record.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

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
    // The catalogue's paths, read from the endpoints' own descriptions.
    const TRADE_BILL: &str = DownloadTradeBill::SPEC.path;
    const WEIXIN_OPENID: &str = GetWeixinOpenid::SPEC.path;
    Ok(Answer::Json(match path {
        TRADE_BILL => {
            let d = p.req("trade_date")?;
            let b = d.as_bytes();
            let shape = b.len() == 10
                && b.iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            if !shape {
                return Err(ApiError::param("`trade_date` must be `YYYY-MM-DD`"));
            }
            return Ok(Answer::Zip(EMPTY_ZIP.to_vec()));
        }
        WEIXIN_OPENID => {
            p.req("code")?;
            ok(json!({ "openid": format!("oMock{}", &id("", &seed)[..24]) }))
        }
        "/trade/v1/payment_verify" => {
            let syssn = p.req("syssn")?;
            p.time("txdtm")?;
            p.req("out_trade_no")?;
            p.req("chnl_ext")?;
            ok(json!({ "syssn": syssn, "sysdtm": now }))
        }
        "/trade/v1/authtrade" | "/trade/v1/unfreeze" => {
            let syssn = p.req("syssn")?;
            let txamt = p.amount("txamt")?;
            ok(json!({
                "orig_syssn": syssn,
                "syssn": store.next_syssn(SyssnKind::Payment, &ctx.now),
                "txamt": txamt.to_string(),
                "txcurrcd": p.opt("txcurrcd").unwrap_or("HKD"),
                "sysdtm": now,
                "chnlsn": "",
                "cardcd": "",
            }))
        }
        "/payment_element/v1/create_payment_intent" => {
            p.amount("txamt")?;
            p.req("pay_type")?;
            p.req("out_trade_no")?;
            ok(json!({
                "payment_intent": id("", &seed),
                "intent_expiry": now,
                "sysdtm": now,
            }))
        }
        "/payment_element/v1/create_token_intent" => {
            p.req("customer_id")?;
            ok(json!({ "token_intent": id("", &seed), "intent_expiry": now, "sysdtm": now }))
        }
        "/customer/v1/create" => ok(json!({ "data": { "customer_id": id("cust_", &seed) } })),
        "/product/v1/create" => ok(json!({ "data": { "product_id": id("prod_", &seed) } })),
        "/subscription/v1/create" => ok(json!({
            "data": { "subscription_id": id("sub_", &seed), "state": "ACTIVE" }
        })),
        "/customer/v1/query"
        | "/product/v1/query"
        | "/subscription/v1/query"
        | "/subscription/v1/list"
        | "/subscription/billing_order/v1/list" => ok(json!({ "data": [] })),
        "/customer/v1/update" | "/product/v1/update" | "/subscription/v1/update" => {
            ok(json!({ "data": { "rowAffected": 1 } }))
        }
        "/customer/v1/delete" | "/product/v1/delete" => ok(json!({ "data": { "rowDeleted": 1 } })),
        "/subscription/v1/cancel" | "/subscription/v1/charge" => ok(json!({ "data": {} })),
        "/custom/v1/declare" | "/custom/v1/redeclare" => {
            let syssn = p.req("syssn")?;
            ok(json!({ "syssn": syssn }))
        }
        "/custom/v1/query" => {
            let syssn = p.req("syssn")?;
            ok(json!({ "syssn": syssn, "data": [] }))
        }
        "/ecr/v1/query" => ok(json!({ "data": {} })),
        p if p.starts_with("/ecr/v1/") => json!({
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
    }))
}
