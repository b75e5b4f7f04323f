//! Pre-authorisation (reference §15): a paid payment of a pre-auth pay
//! type (the Alipay freeze, `801801`–`801814`) is a hold; `authtrade`
//! captures part or all of it once, `unfreeze` releases the uncaptured rest
//! once, and nothing is done to a released hold.
//!
//! Each refusal answers the code of the reference's table (§23.1) closest
//! to the rule broken; the comment at each one says which line it follows.

use std::borrow::Cow;

use qfpay::types::{PayFamily, PayType, RespCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::operations;
use crate::persist::Record;
use crate::reply::ApiError;
use crate::store::{Event, MerchantKey, Order, OrderStatus, OrderType, Store, SyssnKind};
use crate::trade::{Ctx, Outcome, belongs, merchant};
use crate::verify::Verified;

/// One step taken on a hold: its own transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Step {
    pub syssn: String,
    pub txamt: u64,
    pub sysdtm: String,
}

/// A pre-authorised amount and what was done with it, keyed by the
/// pre-authorisation's `syssn`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Hold {
    pub syssn: String,
    pub out_trade_no: String,
    /// The amount pre-authorised.
    pub amount: u64,
    pub txcurrcd: String,
    /// The capture (`authtrade`), at most one.
    pub capture: Option<Step>,
    /// The release (`unfreeze`), at most one; the hold is over after it.
    pub release: Option<Step>,
}

impl Record for Hold {
    const KIND: &'static str = "hold";
    fn id(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.syssn)
    }
}

impl Hold {
    /// What is still held: pre-authorised − captured (0 once released).
    pub fn held(&self) -> u64 {
        if self.release.is_some() {
            return 0;
        }
        self.amount
            .saturating_sub(self.capture.as_ref().map_or(0, |c| c.txamt))
    }
}

fn is_pre_auth(order: &Order) -> bool {
    order.order_type == OrderType::Payment
        && PayType::from_code(&order.pay_type).family() == PayFamily::PreAuth
}

/// Whether `syssn` is the capture of some hold (a payment, refundable).
fn is_capture(store: &Store, syssn: &str) -> bool {
    store
        .holds
        .iter()
        .any(|h| h.capture.as_ref().is_some_and(|c| c.syssn == syssn))
}

/// Why a refund of `order` is refused, when it is a pre-authorisation:
/// "refunds of captured amounts use /trade/v1/refund with the capture's
/// syssn" (§15.1) — `1155`, refund request denied.
pub(crate) fn refund_refusal(store: &Store, order: &Order) -> Option<ApiError> {
    (is_pre_auth(order) && !is_capture(store, &order.syssn)).then(|| {
        ApiError::new(
            RespCode::RefundDenied,
            format!(
                "`{}` is a pre-authorisation: capture it with /trade/v1/authtrade and refund the capture's syssn",
                order.syssn
            ),
        )
    })
}

/// The hold of the pre-authorisation `syssn` of merchant `m` (opened at the
/// first use of a paid pre-auth payment), with its order.
fn hold(store: &mut Store, m: &MerchantKey, syssn: &str) -> Result<(Hold, Order), ApiError> {
    let order = store
        .by_syssn(syssn)
        .and_then(|i| store.order(i))
        .filter(|o| belongs(o, m))
        // §23.1: 1268, order does not exist.
        .ok_or_else(|| {
            ApiError::new(RespCode::OrderNotFound, format!("no transaction `{syssn}`"))
        })?;
    if !is_pre_auth(&order) || is_capture(store, syssn) {
        // §23.1: 1136, "transaction does not exist or cannot be operated".
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            format!(
                "`{syssn}` is not a pre-authorisation (pay type {})",
                order.pay_type
            ),
        ));
    }
    match &order.status {
        OrderStatus::Succeeded => {}
        // §23.1: 1261, order not paid: nothing is authorised yet.
        s if s.is_open() => {
            return Err(ApiError::new(
                RespCode::OrderNotPaid,
                "the pre-authorisation is not authorised yet",
            ));
        }
        // §23.1: 1136, cannot be operated.
        other => {
            return Err(ApiError::new(
                RespCode::TransactionNotFound,
                format!("the pre-authorisation is {other}"),
            ));
        }
    }
    if store.holds.get(syssn).is_none() {
        store.holds.put(Hold {
            syssn: order.syssn.clone(),
            out_trade_no: order.out_trade_no.clone(),
            amount: order.txamt,
            txcurrcd: order.txcurrcd.clone(),
            capture: None,
            release: None,
        });
    }
    let hold = store
        .holds
        .get(syssn)
        .cloned()
        .ok_or_else(|| ApiError::new(RespCode::OrderSystemError, "hold lost"))?;
    Ok((hold, order))
}

/// The reply of both calls, shaped like the reference's example (§15.1).
fn reply(step: &Order, orig_syssn: &str, respmsg: &str) -> Value {
    json!({
        "sysdtm": step.sysdtm,
        "paydtm": step.sysdtm,
        "udid": step.udid.clone().unwrap_or_else(|| "qiantai2".into()),
        "txcurrcd": step.txcurrcd,
        "txdtm": step.txdtm,
        "txamt": step.txamt.to_string(),
        "resperr": "success",
        "respmsg": respmsg,
        "out_trade_no": step.out_trade_no,
        "syssn": step.syssn,
        "orig_syssn": orig_syssn,
        "respcd": "0000",
        "chnlsn": "",
        "cardcd": "",
    })
}

/// `POST /trade/v1/authtrade`: captures `txamt` of a hold, once.
pub(crate) fn capture(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let syssn = p.text("syssn", 40, true)?.unwrap_or_default();
    let txamt = p.amount("txamt")?;
    let txcurrcd = p.text("txcurrcd", 3, false)?;
    // The Alipay deduct sends these (§15.2); the card capture does not.
    let out_trade_no = p.text("out_trade_no", 128, false)?;
    let txdtm = p.opt_time("txdtm")?;
    let udid = p.text("udid", 40, false)?;
    let m = merchant(v);
    let (hold, order) = hold(store, &m, syssn)?;
    if hold.release.is_some() {
        // §15.1: capture "then optionally release the rest" — nothing is held
        // after a release. §23.1: 1136, cannot be operated.
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            "the pre-authorisation was released; nothing is held",
        ));
    }
    if let Some(c) = &hold.capture {
        // A hold is captured once: the capture is its payment (§15.1
        // "notify_type = payment (captured)"). §23.1: 1260, already paid.
        return Err(ApiError::new(
            RespCode::OrderAlreadyPaid,
            format!("the pre-authorisation was already captured (`{}`)", c.syssn),
        ));
    }
    if txcurrcd.is_some_and(|c| c != hold.txcurrcd) {
        return Err(ApiError::param(format!(
            "`txcurrcd` must be the pre-authorisation's, {}",
            hold.txcurrcd
        )));
    }
    if txamt > hold.held() {
        // §15.2: "txamt ≤ frozen amount". §23.1: 1266, amount wrong.
        return Err(ApiError::new(
            RespCode::WrongAmount,
            format!("capture of {txamt} exceeds the {} held", hold.held()),
        ));
    }
    let m_key = (order.app_code.clone(), order.mchid.clone());
    let out_trade_no = match out_trade_no {
        Some(o) if store.by_out_trade_no(&m_key, o).is_some() => {
            // §23.1: 2011, out_trade_no reuse.
            return Err(ApiError::new(
                RespCode::DuplicateSerialNumber,
                format!("out_trade_no `{o}` is already used by this merchant"),
            ));
        }
        Some(o) => o.to_owned(),
        None => format!("{}-capture", hold.out_trade_no),
    };
    let csyssn = store.next_syssn(SyssnKind::Payment, &ctx.now);
    let now = ctx.now.to_string();
    let captured = Order {
        syssn: csyssn.clone(),
        out_trade_no,
        txamt,
        txdtm: txdtm.map_or_else(|| now.clone(), |t| t.to_string()),
        sysdtm: now.clone(),
        paydtm: Some(now.clone()),
        status: OrderStatus::Succeeded,
        refunded: 0,
        refunds: Vec::new(),
        note: None,
        udid: udid.map(str::to_owned),
        qrcode: None,
        pay_url: None,
        chnlsn: store.chnlsn(&csyssn),
        expires_at: None,
        ..order.clone()
    };
    let idx = operations::record(store, captured);
    let captured = store
        .order(idx)
        .ok_or_else(|| ApiError::new(RespCode::OrderSystemError, "capture lost"))?;
    store.holds.update(syssn, |h| {
        h.capture = Some(Step {
            syssn: csyssn,
            txamt,
            sysdtm: now,
        });
    });
    Ok(Outcome {
        json: reply(&captured, syssn, "Capture received").into(),
        events: vec![Event::Paid(Box::new(captured))],
        delay: None,
    })
}

/// `POST /trade/v1/unfreeze`: releases the uncaptured rest, once.
pub(crate) fn release(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let syssn = p.text("syssn", 40, true)?.unwrap_or_default();
    let out_trade_no = p.text("out_trade_no", 128, true)?.unwrap_or_default();
    let txamt = p.amount("txamt")?;
    let txdtm = p.time("txdtm")?;
    let m = merchant(v);
    let (hold, order) = hold(store, &m, syssn)?;
    if hold.out_trade_no != out_trade_no {
        // §15.1: "out_trade_no: original merchant order number". §23.1:
        // 1267, order information mismatch.
        return Err(ApiError::new(
            RespCode::OrderInfoMismatch,
            format!("`out_trade_no` `{out_trade_no}` is not the pre-authorisation's"),
        ));
    }
    if let Some(r) = &hold.release {
        // §15.1: "allowed once". §23.1: 1136, cannot be operated.
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            format!("the pre-authorisation was already released (`{}`)", r.syssn),
        ));
    }
    let rest = hold.held();
    if rest == 0 {
        // §15.1: only the uncaptured amount is released. §23.1: 1136.
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            "the pre-authorisation was captured in full; nothing is left to release",
        ));
    }
    if txamt != rest {
        // §15.1: "releases only the uncaptured amount (pre-authorised −
        // captured)". §23.1: 1266, amount wrong.
        return Err(ApiError::new(
            RespCode::WrongAmount,
            format!("the uncaptured amount is {rest}, not {txamt}"),
        ));
    }
    let rsyssn = store.next_syssn(SyssnKind::Cancel, &ctx.now);
    let now = ctx.now.to_string();
    // The release as a transaction for its notification and reply: the
    // hold's order with the release's own syssn and amount.
    let released = Order {
        syssn: rsyssn.clone(),
        txamt: rest,
        txdtm: txdtm.to_string(),
        sysdtm: now.clone(),
        paydtm: Some(now.clone()),
        ..order
    };
    store.holds.update(syssn, |h| {
        h.release = Some(Step {
            syssn: rsyssn,
            txamt: rest,
            sysdtm: now,
        });
    });
    Ok(Outcome {
        json: reply(&released, syssn, "Void received").into(),
        events: vec![Event::Unfrozen(Box::new(released))],
        delay: None,
    })
}
