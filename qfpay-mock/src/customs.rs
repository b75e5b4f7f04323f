//! Customs declarations (reference §20): a declaration of a paid payment
//! (or of one sub-order of it) at one customs office is stored, queried and
//! re-pushed.

use qfpay::types::RespCode;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::persist::Record;
use crate::recurring::Owner;
use crate::reply::ApiError;
use crate::store::{OrderType, Store};
use crate::trade::{Ctx, Outcome, belongs, merchant};
use crate::verify::Verified;

/// The department every mock declaration is verified by (the reference's
/// example, §20).
const DEPARTMENT: &str = "OTHERS";

/// A declaration, keyed by payment, customs office and sub-order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Declaration {
    /// `<syssn>/<customs>/<sub_order_no>`.
    pub id: String,
    pub owner: Owner,
    /// `weixin` or `alipay`.
    pub trade_type: String,
    pub syssn: String,
    pub customs: String,
    pub mch_customs_no: String,
    pub sub_order_no: String,
    /// The declared parameters, as sent (`amount`, `fee_type`, `order_fee`, …).
    pub details: Vec<(String, String)>,
    pub verify_department_trade_id: String,
    pub declared_at: String,
    /// How many times it was re-pushed (`/custom/v1/redeclare`).
    pub redeclared: u32,
}

impl Record for Declaration {
    const KIND: &'static str = "customs_declaration";
    fn id(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

fn key(syssn: &str, customs: &str, sub_order_no: &str) -> String {
    format!("{syssn}/{customs}/{sub_order_no}")
}

/// The parameters every call names a declaration by.
struct Named<'a> {
    trade_type: &'a str,
    syssn: &'a str,
    customs: &'a str,
    sub_order_no: &'a str,
}

fn named<'a>(v: &'a Verified<'_>) -> Result<Named<'a>, ApiError> {
    let p = &v.params;
    let trade_type = p.text("trade_type", 8, true)?.unwrap_or_default();
    if !matches!(trade_type, "weixin" | "alipay") {
        return Err(ApiError::param("`trade_type` must be `weixin` or `alipay`"));
    }
    Ok(Named {
        trade_type,
        syssn: p.text("syssn", 32, true)?.unwrap_or_default(),
        customs: p.text("customs", 20, true)?.unwrap_or_default(),
        sub_order_no: p.text("sub_order_no", 64, false)?.unwrap_or_default(),
    })
}

/// The declaration `n` of this merchant, else `1268` (§23.1: does not exist).
fn existing<'s>(
    store: &'s Store,
    v: &Verified<'_>,
    n: &Named<'_>,
) -> Result<&'s Declaration, ApiError> {
    let owner = Owner::of(&merchant(v));
    store
        .customs
        .get(&key(n.syssn, n.customs, n.sub_order_no))
        .filter(|d| d.owner == owner && d.trade_type == n.trade_type)
        .ok_or_else(|| {
            ApiError::new(
                RespCode::OrderNotFound,
                format!(
                    "no {} declaration of `{}` at `{}`",
                    n.trade_type, n.syssn, n.customs
                ),
            )
        })
}

fn reply(d: &Declaration) -> Value {
    json!({
        "respcd": "0000", "resperr": "success", "respmsg": "", "syssn": d.syssn,
        "verify_department": DEPARTMENT, "verify_department_trade_id": d.verify_department_trade_id,
    })
}

/// `POST /custom/v1/declare`. A second declaration of the same (sub-)order
/// needs `action_type=MODIFY` (WeChat's "ADD (new) or MODIFY", §20), else
/// it is refused `1102` (duplicate request).
pub(crate) fn declare(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let n = named(v)?;
    let mch_customs_no = p.text("mch_customs_no", 20, true)?.unwrap_or_default();
    let action = p.opt("action_type");
    if action.is_some_and(|a| !matches!(a, "ADD" | "MODIFY")) {
        return Err(ApiError::param("`action_type` must be `ADD` or `MODIFY`"));
    }
    let required: &[&str] = if n.trade_type == "weixin" {
        if p.opt("fee_type").is_some_and(|f| f != "CNY") {
            return Err(ApiError::param("`fee_type` must be `CNY`"));
        }
        &["fee_type"]
    } else {
        &["mch_customs_name", "out_request_no", "amount"]
    };
    for name in required {
        p.req(name).map_err(|_| {
            ApiError::param(format!(
                "`{name}` is required for trade_type {}",
                n.trade_type
            ))
        })?;
    }
    if let Some(a) = p.opt("amount")
        && !is_major_amount(a)
    {
        return Err(ApiError::param(
            "`amount` must be in major units with decimals, e.g. `2.00`",
        ));
    }
    let fee = |name| p.int(name);
    if let (Some(order), Some(product), Some(transport)) = (
        fee("order_fee")?,
        fee("product_fee")?,
        fee("transport_fee")?,
    ) && order != product.saturating_add(transport)
    {
        return Err(ApiError::param(
            "`order_fee` must equal `product_fee` + `transport_fee`",
        ));
    }
    let m = merchant(v);
    let payment = store
        .by_syssn(n.syssn)
        .and_then(|i| store.order(i))
        .filter(|o| belongs(o, &m) && o.order_type == OrderType::Payment)
        .ok_or_else(|| {
            ApiError::new(RespCode::OrderNotFound, format!("no payment `{}`", n.syssn))
        })?;
    if !payment.status.is_success() {
        // §23.1: 1261, order not paid.
        return Err(ApiError::new(
            RespCode::OrderNotPaid,
            "only a paid payment can be declared",
        ));
    }
    if fee("order_fee")?.is_some_and(|f| f > payment.txamt) {
        return Err(ApiError::param("`order_fee` exceeds the payment's amount"));
    }
    let id = key(n.syssn, n.customs, n.sub_order_no);
    let before = store.customs.get(&id).cloned();
    match (&before, action) {
        (Some(_), Some("MODIFY")) | (None, None | Some("ADD")) => {}
        (Some(_), _) => {
            return Err(ApiError::new(
                RespCode::DuplicateRequest,
                "already declared: send action_type=MODIFY, or re-push it with /custom/v1/redeclare",
            ));
        }
        (None, _) => {
            return Err(ApiError::new(
                RespCode::OrderNotFound,
                "no declaration to modify",
            ));
        }
    }
    let details = [
        "action_type",
        "mch_customs_name",
        "out_request_no",
        "amount",
        "fee_type",
        "order_fee",
        "product_fee",
        "transport_fee",
    ]
    .iter()
    .filter_map(|name| p.opt(name).map(|v| ((*name).to_owned(), v.to_owned())))
    .collect();
    let declaration = Declaration {
        id,
        owner: Owner::of(&m),
        trade_type: n.trade_type.to_owned(),
        syssn: n.syssn.to_owned(),
        customs: n.customs.to_owned(),
        mch_customs_no: mch_customs_no.to_owned(),
        sub_order_no: n.sub_order_no.to_owned(),
        details,
        verify_department_trade_id: payment.chnlsn.clone(),
        declared_at: ctx.now.to_string(),
        redeclared: before.map_or(0, |b| b.redeclared),
    };
    let json = reply(&declaration);
    store.customs.put(declaration);
    Ok(Outcome::json(json))
}

/// `YYYY.DD`-style major units: digits, optionally `.` and 1–2 digits.
fn is_major_amount(a: &str) -> bool {
    let (whole, frac) = a.split_once('.').unwrap_or((a, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(a.contains('.') && frac.is_empty())
}

/// `/custom/v1/query`: the declarations of the payment at that office
/// (one sub-order's when `sub_order_no` is given).
pub(crate) fn query(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let n = named(v)?;
    let owner = Owner::of(&merchant(v));
    let data: Vec<Value> = store
        .customs
        .iter()
        .filter(|d| {
            d.owner == owner
                && d.trade_type == n.trade_type
                && d.syssn == n.syssn
                && d.customs == n.customs
                && (n.sub_order_no.is_empty() || d.sub_order_no == n.sub_order_no)
        })
        .map(|d| {
            json!({
                "resperr": "", "errmsg": null, "sub_order_no": d.sub_order_no,
                "verify_department": DEPARTMENT, "verify_department_trade_id": d.verify_department_trade_id,
                "redeclared": d.redeclared,
            })
        })
        .collect();
    if data.is_empty() {
        existing(store, v, &n)?;
    }
    Ok(Outcome::json(json!({
        "respcd": "0000", "resperr": "success", "respmsg": "", "syssn": n.syssn, "data": data,
    })))
}

/// `POST /custom/v1/redeclare`: re-pushes an existing declaration
/// (`mch_customs_no` must be its own, else `1267`, information mismatch).
pub(crate) fn redeclare(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let n = named(v)?;
    let mch_customs_no = v
        .params
        .text("mch_customs_no", 20, true)?
        .unwrap_or_default();
    let d = existing(store, v, &n)?;
    if d.mch_customs_no != mch_customs_no {
        return Err(ApiError::new(
            RespCode::OrderInfoMismatch,
            format!("`mch_customs_no` `{mch_customs_no}` is not the declaration's"),
        ));
    }
    let id = d.id.clone();
    store.customs.update(&id, |d| d.redeclared += 1);
    Ok(Outcome::json(json!({
        "respcd": "0000", "resperr": "success", "respmsg": "", "syssn": n.syssn,
    })))
}
