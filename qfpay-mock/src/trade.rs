//! The stateful trade endpoints besides payment (`payment.rs`): query,
//! refund, reversal/close, add_note; and what they share.
//!
//! Each function validates the documented limits (reference §8, §10–§13)
//! and answers `1104` naming the parameter when one is broken.

use std::time::Duration;

use qfpay::types::{PayType, RespCode, TradeTime};
use serde_json::json;

use crate::preauth;
use crate::query_record::{QueryRecord, QueryReply};
use crate::reply::{ApiError, Json};
use crate::scenario;
use crate::store::{
    Event, MerchantKey, Order, OrderStatus, OrderType, Plan, Store, SyssnKind, Tx, describe,
};
use crate::verify::Verified;

/// What the trade functions need besides the store.
pub(crate) struct Ctx<'a> {
    pub base_url: &'a str,
    pub scenarios: bool,
    pub slow_reply: Duration,
    pub now: TradeTime,
    /// List a time range newest first (see the builder).
    pub newest_first: bool,
}

/// A successful handling: the JSON to answer, what to notify, how long to wait.
pub(crate) struct Outcome {
    pub json: Json,
    pub events: Vec<Event>,
    pub delay: Option<Duration>,
}

impl Outcome {
    /// A reply with nothing to notify.
    pub fn json(json: impl Into<Json>) -> Self {
        Outcome {
            json: json.into(),
            events: Vec::new(),
            delay: None,
        }
    }
}

pub(crate) fn merchant(v: &Verified<'_>) -> MerchantKey {
    (v.app.code.clone(), v.mchid.clone())
}

pub(crate) fn belongs(order: &Order, m: &MerchantKey) -> bool {
    order.app_code == m.0 && order.mchid == m.1
}

/// `1102` for an identical replay, `2011` for a reused `out_trade_no`.
pub(crate) fn duplicate(
    store: &Store,
    idx: usize,
    fingerprint: &str,
    out_trade_no: &str,
) -> ApiError {
    match store.get(idx) {
        Some(t) if t.fingerprint == fingerprint => ApiError::new(
            RespCode::DuplicateRequest,
            format!("this request was already received (out_trade_no `{out_trade_no}`)"),
        ),
        _ => ApiError::new(
            RespCode::DuplicateSerialNumber,
            format!(
                "out_trade_no `{out_trade_no}` is already used by another payment or refund of this merchant"
            ),
        ),
    }
}

fn split_list(v: Option<&str>) -> Vec<&str> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// `POST /trade/v1/query` (reference §10).
pub(crate) fn query(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let syssns = split_list(p.text("syssn", 4096, false)?);
    let out_trade_nos = split_list(p.text("out_trade_no", 4096, false)?);
    let pay_types = split_list(p.text("pay_type", 1024, false)?);
    let respcd = p.text("respcd", 4, false)?;
    let page = p.int("page")?.unwrap_or(1);
    let page_size = p.int("page_size")?.unwrap_or(10);
    if page == 0 {
        return Err(ApiError::param("`page` starts at 1"));
    }
    if page_size == 0 {
        return Err(ApiError::param("`page_size` must be at least 1"));
    }
    // The English table says "max 100" without saying what happens above;
    // the Chinese page says larger values are capped at 100. The tolerant
    // reading: cap (and answer the capped `page_size`), never refuse.
    let page_size = page_size.min(100);
    let start = p.opt_time("start_time")?;
    let end = p.opt_time("end_time")?;

    // The range filters `sysdtm`, within one calendar month; ignored when
    // `syssn` is given (reference §10, §27.1 #13). Times are compared as
    // text: `YYYY-MM-DD hh:mm:ss` sorts chronologically, and the day `31`
    // bounds every month.
    let range = if syssns.is_empty() {
        let now = ctx.now.to_string();
        let (lo, hi) = match (start, end) {
            (Some(s), Some(e)) => (s.to_string(), e.to_string()),
            (Some(s), None) => (s.to_string(), format!("{}-31 23:59:59", &s.as_str()[..7])),
            (None, Some(e)) => (format!("{}-01 00:00:00", &e.as_str()[..7]), e.to_string()),
            (None, None) => (
                format!("{}-01 00:00:00", &now[..7]),
                format!("{}-31 23:59:59", &now[..7]),
            ),
        };
        if lo[..7] != hi[..7] {
            return Err(ApiError::param(
                "`start_time` and `end_time` must lie within one calendar month",
            ));
        }
        if lo > hi {
            return Err(ApiError::param("`start_time` is after `end_time`"));
        }
        Some((lo, hi))
    } else {
        None
    };

    let m = merchant(v);
    let keep = |i: usize| {
        store.get(i).is_some_and(|t| {
            let o = &t.order;
            belongs(o, &m)
                && (syssns.is_empty() || syssns.contains(&o.syssn.as_str()))
                && (out_trade_nos.is_empty() || out_trade_nos.contains(&o.out_trade_no.as_str()))
                && (pay_types.is_empty() || pay_types.contains(&o.pay_type.as_str()))
                && respcd.is_none_or(|c| c == o.respcd)
                && range.as_ref().is_none_or(|(lo, hi)| {
                    o.sysdtm.as_str() >= lo.as_str() && o.sysdtm.as_str() <= hi.as_str()
                })
        })
    };
    // A page beyond the end answers an empty list (not an error).
    let skip = usize::try_from((page - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let take = usize::try_from(page_size).unwrap_or(100);
    // Nothing scans the whole store under the lock. A query by id (the
    // usual one) looks its ids up in the store's indexes (both unique:
    // syssns, and out_trade_nos per merchant), in creation order. A time
    // range is a slice of the merchant's time index: `sysdtm` order, ties
    // in creation order (the same as creation order, `sysdtm` being the
    // creation time), backwards for `newest_first`. Without a pay type or
    // `respcd` filter a page is cut straight from it at its offset; with
    // one, the range is filtered up to the page's end.
    let listed: Vec<usize> = match &range {
        Some((lo, hi)) if syssns.is_empty() && out_trade_nos.is_empty() => {
            let walk = store.merchant_time_range(&m, lo, hi);
            // Both orders skip to the offset in O(1) (`nth` on a slice).
            let ordered: Box<dyn Iterator<Item = usize>> = if ctx.newest_first {
                Box::new(walk.iter().rev().copied())
            } else {
                Box::new(walk.iter().copied())
            };
            if pay_types.is_empty() && respcd.is_none() {
                ordered.skip(skip).take(take).collect()
            } else {
                ordered.filter(|&i| keep(i)).skip(skip).take(take).collect()
            }
        }
        _ => {
            let mut ids: Vec<usize> = if syssns.is_empty() {
                out_trade_nos
                    .iter()
                    .filter_map(|o| store.by_out_trade_no(&m, o))
                    .collect()
            } else {
                syssns.iter().filter_map(|s| store.by_syssn(s)).collect()
            };
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter()
                .filter(|&i| keep(i))
                .skip(skip)
                .take(take)
                .collect()
        }
    };

    // A pending payment may become paid by this very query; the records
    // show their state after the query.
    let events = listed
        .iter()
        .filter_map(|&idx| store.queried(idx, &ctx.now))
        .collect();
    let data: Vec<QueryRecord<'_>> = listed
        .iter()
        .filter_map(|&idx| store.get(idx))
        .map(|tx| QueryRecord::of(&tx.order))
        .collect();
    Ok(Outcome {
        json: Json::serialize(&QueryReply {
            data,
            page: page.to_string(),
            page_size: page_size.to_string(),
            respcd: "0000",
            resperr: "success",
            respmsg: "",
        }),
        events,
        delay: None,
    })
}

fn find_in_merchant(
    store: &Store,
    m: &MerchantKey,
    syssn: Option<&str>,
    out_trade_no: Option<&str>,
) -> Result<usize, ApiError> {
    let by_syssn = match syssn {
        Some(s) => match store.by_syssn(s) {
            Some(i) if store.get(i).is_some_and(|t| belongs(&t.order, m)) => Some(i),
            _ => {
                return Err(ApiError::new(
                    RespCode::OrderNotFound,
                    format!("no transaction `{s}`"),
                ));
            }
        },
        None => None,
    };
    let by_otn = match out_trade_no {
        Some(o) => match store.by_out_trade_no(m, o) {
            Some(i) => Some(i),
            None => {
                return Err(ApiError::new(
                    RespCode::OrderNotFound,
                    format!("no transaction with out_trade_no `{o}`"),
                ));
            }
        },
        None => None,
    };
    match (by_syssn, by_otn) {
        (Some(a), Some(b)) if a != b => Err(ApiError::new(
            RespCode::OrderInfoMismatch,
            "`syssn` and `out_trade_no` name different transactions",
        )),
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(ApiError::param("`syssn` or `out_trade_no` is required")),
    }
}

/// `POST /trade/v1/refund` (reference §11).
pub(crate) fn refund(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let syssn = p.text("syssn", 128, true)?.unwrap_or_default();
    let out_trade_no = p.text("out_trade_no", 128, true)?.unwrap_or_default();
    let txamt = p.amount("txamt")?;
    let txdtm = p.time("txdtm")?;
    let udid = p.text("udid", 40, false)?;

    let m = merchant(v);
    if let Some(idx) = store.by_out_trade_no(&m, out_trade_no) {
        return Err(duplicate(store, idx, &v.canonical, out_trade_no));
    }
    let idx = find_in_merchant(store, &m, Some(syssn), None)?;
    let orig = store
        .order(idx)
        .ok_or_else(|| ApiError::new(RespCode::OrderNotFound, "order lost"))?;
    if orig.order_type != OrderType::Payment {
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            format!("`{syssn}` is a refund; refund its payment instead"),
        ));
    }
    match &orig.status {
        OrderStatus::Succeeded => {}
        OrderStatus::Closed => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyClosed,
                "the order was closed",
            ));
        }
        OrderStatus::Reversed => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyCancelled,
                "the order was reversed",
            ));
        }
        OrderStatus::Expired => {
            return Err(ApiError::new(
                RespCode::OrderExpired,
                "the order expired unpaid",
            ));
        }
        other => {
            return Err(ApiError::new(
                RespCode::OrderNotPaid,
                format!("only paid (0000) transactions can be refunded; this one is {other}"),
            ));
        }
    }
    if let Some(refused) = preauth::refund_refusal(store, &orig) {
        return Err(refused);
    }
    if PayType::from_code(&orig.pay_type).is_non_refundable() {
        return Err(ApiError::new(
            RespCode::RefundDenied,
            format!("pay_type {} does not support refunds", orig.pay_type),
        ));
    }
    let refundable = orig.refundable();
    if refundable == 0 {
        return Err(ApiError::new(
            RespCode::OrderAlreadyRefunded,
            "the order is fully refunded",
        ));
    }
    if txamt > refundable {
        return Err(ApiError::new(
            RespCode::RefundExceedsRefundable,
            format!("refund of {txamt} exceeds the refundable {refundable}"),
        ));
    }

    // A scenario may keep the refund pending for a few queries.
    let pending = if ctx.scenarios {
        scenario::refund_pending(txamt)
    } else {
        None
    };
    let rsyssn = store.next_syssn(SyssnKind::Refund, &ctx.now);
    let refund = Order {
        syssn: rsyssn,
        order_type: OrderType::Refund,
        app_code: m.0.clone(),
        mchid: m.1.clone(),
        out_trade_no: out_trade_no.to_owned(),
        pay_type: orig.pay_type.clone(),
        txamt,
        txcurrcd: orig.txcurrcd.clone(),
        txdtm: txdtm.to_string(),
        sysdtm: ctx.now.to_string(),
        paydtm: pending.is_none().then(|| ctx.now.to_string()),
        status: match pending {
            Some((code, _)) => OrderStatus::Pending {
                respcd: code.to_owned(),
            },
            None => OrderStatus::Succeeded,
        },
        respcd: String::new(),
        cancel: String::new(),
        refunded: 0,
        refunds: Vec::new(),
        orig_syssn: Some(orig.syssn.clone()),
        note: None,
        goods_name: orig.goods_name.clone(),
        goods_info: None,
        udid: udid.map(str::to_owned),
        qrcode: None,
        pay_url: None,
        notify_url: orig.notify_url.clone(),
        chnlsn: orig.chnlsn.clone(),
        expires_at: None,
    };
    let respcd = pending.map_or("0000", |(code, _)| code);
    let event = store
        .add_refund(
            idx,
            Tx {
                order: refund.clone(),
                cpm: false,
                plan: pending.map_or(Plan::None, |(_, n)| Plan::PaidAfterQueries(n)),
                fail_on_pay: None,
                fingerprint: v.canonical.clone(),
            },
        )
        .ok_or_else(|| ApiError::new(RespCode::OrderSystemError, "refund lost"))?;
    let json = json!({
        "orig_syssn": orig.syssn,
        "sysdtm": refund.sysdtm,
        "paydtm": refund.paydtm.clone().unwrap_or_default(),
        "txdtm": refund.txdtm,
        "udid": refund.udid.clone().unwrap_or_else(|| "qiantai2".into()),
        "txcurrcd": refund.txcurrcd,
        "txamt": refund.txamt.to_string(),
        "resperr": describe(respcd),
        "respmsg": "",
        "out_trade_no": refund.out_trade_no,
        "syssn": refund.syssn,
        "respcd": respcd,
        "chnlsn": refund.chnlsn,
        "cardcd": "",
        "cash_fee": "",
        "cash_fee_type": "",
        "cash_refund_fee": refund.txamt.to_string(),
        "cash_refund_fee_type": refund.txcurrcd,
    });
    Ok(Outcome {
        json: json.into(),
        events: event.into_iter().collect(),
        delay: None,
    })
}

/// `/trade/v1/reversal` (`close == false`) and `/trade/v1/close` (reference §12).
pub(crate) fn cancel(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
    close: bool,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let syssn = p.text("syssn", 40, false)?;
    let out_trade_no = p.text("out_trade_no", 128, false)?;
    if syssn.is_none() && out_trade_no.is_none() {
        return Err(ApiError::param("`syssn` or `out_trade_no` is required"));
    }
    let txamt = p.amount("txamt")?;
    let txdtm = p.time("txdtm")?;
    let udid = p.text("udid", 40, false)?;
    let m = merchant(v);
    let idx = find_in_merchant(store, &m, syssn, out_trade_no)?;
    let orig = store
        .order(idx)
        .ok_or_else(|| ApiError::new(RespCode::OrderNotFound, "order lost"))?;
    if orig.order_type != OrderType::Payment {
        return Err(ApiError::new(
            RespCode::TransactionNotFound,
            "a refund cannot be reversed or closed",
        ));
    }
    if txamt != orig.txamt {
        return Err(ApiError::new(
            RespCode::WrongAmount,
            format!(
                "`txamt` {txamt} differs from the transaction's {}",
                orig.txamt
            ),
        ));
    }
    match &orig.status {
        OrderStatus::Unpaid | OrderStatus::Pending { .. } => {}
        OrderStatus::Succeeded => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyPaid,
                "a successful transaction cannot be reversed or closed; refund it instead",
            ));
        }
        OrderStatus::Closed => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyClosed,
                "the order is already closed",
            ));
        }
        OrderStatus::Reversed => {
            return Err(ApiError::new(
                RespCode::OrderAlreadyCancelled,
                "the order is already reversed",
            ));
        }
        OrderStatus::Expired => {
            return Err(ApiError::new(
                RespCode::OrderExpired,
                "the order expired unpaid; there is nothing to cancel",
            ));
        }
        OrderStatus::Failed { respcd } => {
            return Err(ApiError::new(
                RespCode::TransactionNotFound,
                format!("the transaction failed ({respcd}); there is nothing to cancel"),
            ));
        }
    }
    store.update(idx, |tx| {
        tx.plan = Plan::None;
        tx.order.status = if close {
            OrderStatus::Closed
        } else {
            OrderStatus::Reversed
        };
    });
    let csyssn = store.next_syssn(SyssnKind::Cancel, &ctx.now);
    Ok(Outcome::json(json!({
        "surcharge_fee": "0",
        "surcharge_rate": "0",
        "resperr": "success",
        "respmsg": "",
        "respcd": "0000",
        "txdtm": txdtm.to_string(),
        "syssn": csyssn,
        "orig_syssn": orig.syssn,
        "out_trade_no": orig.out_trade_no,
        "sysdtm": ctx.now.to_string(),
        "txcurrcd": orig.txcurrcd,
        "txamt": orig.txamt.to_string(),
        "udid": udid.map(str::to_owned).unwrap_or_else(|| "qiantai2".into()),
        "chnlsn": "",
        "chnlsn2": "",
        "cardcd": "",
    })))
}

/// `POST /trade/v1/add_note` (reference §13).
pub(crate) fn add_note(store: &mut Store, v: &Verified<'_>) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let code = p.text("code", 32, true)?.unwrap_or_default();
    if code != v.app.code {
        return Err(ApiError::param(
            "`code` must be the app code of X-QF-APPCODE",
        ));
    }
    let syssn = p.text("syssn", 40, true)?.unwrap_or_default();
    let note = p.text("note", 200, true)?.unwrap_or_default();
    let idx = store
        .by_syssn(syssn)
        .filter(|&i| store.get(i).is_some_and(|t| t.order.app_code == v.app.code))
        .ok_or_else(|| {
            ApiError::new(RespCode::OrderNotFound, format!("no transaction `{syssn}`"))
        })?;
    store.update(idx, |tx| tx.order.note = Some(note.to_owned()));
    Ok(Outcome::json(json!({
        "resperr": "Success",
        "respcd": "0000",
        "respmsg": "",
        "syssn": syssn,
        "data": { "syssn": syssn },
    })))
}
