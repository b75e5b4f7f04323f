//! Payment Element intents (reference §18): a payment intent becomes a
//! payment when the mock's customer pays it ([`crate::MockServer::pay`]); a
//! token intent becomes a saved card of a recurring customer
//! ([`crate::MockServer::save_card`]).

use std::time::Duration;

use qfpay::types::{Currency, PayType, RespCode, TradeTime};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::borrow::Cow;

use crate::clock;
use crate::operations;
use crate::persist::Record;
use crate::recurring::Owner;
use crate::reply::ApiError;
use crate::store::{Event, Order, SeedOrder, Store, SyssnKind};
use crate::trade::{Ctx, Outcome, merchant};
use crate::verify::Verified;

/// How long an intent can be used. The reference's example expires the
/// next day (§18.1: created `2022-11-14 16:15:16`, expiring
/// `2022-11-15 12:34:34`); the mock gives a full day.
const INTENT_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A payment or token intent, keyed by its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Intent {
    pub id: String,
    /// `payment` or `token`.
    pub kind: String,
    pub owner: Owner,
    pub sysdtm: String,
    pub intent_expiry: String,
    pub notify_url: Option<String>,
    // Payment intents.
    pub txamt: u64,
    pub txcurrcd: String,
    pub pay_type: String,
    pub out_trade_no: String,
    // Token intents.
    pub customer_id: Option<String>,
    pub token_expiry: Option<String>,
    pub token_reason: Option<String>,
    pub token_reference: Option<String>,
    /// What it became: the payment's `syssn` or the token's id.
    pub result: Option<String>,
}

impl Record for Intent {
    const KIND: &'static str = "intent";
    fn id(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

fn new_intent(store: &Store, v: &Verified<'_>, ctx: &Ctx<'_>, kind: &str) -> Intent {
    let id = store
        .intents
        .fresh_id("", &format!("{}{}", v.canonical, ctx.now));
    Intent {
        id,
        kind: kind.to_owned(),
        owner: Owner::of(&merchant(v)),
        sysdtm: ctx.now.to_string(),
        intent_expiry: clock::later(&ctx.now, INTENT_LIFETIME).to_string(),
        notify_url: None,
        txamt: 0,
        txcurrcd: String::new(),
        pay_type: String::new(),
        out_trade_no: String::new(),
        customer_id: None,
        token_expiry: None,
        token_reason: None,
        token_reference: None,
        result: None,
    }
}

/// `POST /payment_element/v1/create_payment_intent` (§18.1).
pub(crate) fn create_payment(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let txamt = p.amount("txamt")?;
    let txcurrcd = p.text("txcurrcd", 3, false)?.unwrap_or("HKD");
    if !Currency::from_code(txcurrcd).is_known() {
        return Err(ApiError::param(format!(
            "unknown currency `txcurrcd` `{txcurrcd}`"
        )));
    }
    let pay_type = p.req("pay_type")?;
    if !PayType::from_code(pay_type).is_known() {
        return Err(ApiError::param(format!("unknown `pay_type` `{pay_type}`")));
    }
    let out_trade_no = p.text("out_trade_no", 128, true)?.unwrap_or_default();
    p.url("return_url", 512)?;
    p.url("failed_url", 512)?;
    let notify_url = p.url("notify_url", 256)?;
    let m = merchant(v);
    let owner = Owner::of(&m);
    let taken = store.by_out_trade_no(&m, out_trade_no).is_some()
        || store
            .intents
            .iter()
            .any(|i| i.owner == owner && i.kind == "payment" && i.out_trade_no == out_trade_no);
    if taken {
        // §23.1: 2011, `out_trade_no` reuse.
        return Err(ApiError::new(
            RespCode::DuplicateSerialNumber,
            format!("out_trade_no `{out_trade_no}` is already used by this merchant"),
        ));
    }
    let intent = Intent {
        txamt,
        txcurrcd: txcurrcd.to_owned(),
        pay_type: pay_type.to_owned(),
        out_trade_no: out_trade_no.to_owned(),
        notify_url: notify_url.map(str::to_owned),
        ..new_intent(store, v, ctx, "payment")
    };
    let json = json!({
        "respcd": "0000",
        "resperr": "success",
        "respmsg": "",
        "txamt": intent.txamt.to_string(),
        "txcurrcd": intent.txcurrcd,
        "sysdtm": intent.sysdtm,
        "out_trade_no": intent.out_trade_no,
        "payment_intent": intent.id,
        "intent_expiry": intent.intent_expiry,
    });
    store.intents.put(intent);
    Ok(Outcome::json(json))
}

/// `POST /payment_element/v1/create_token_intent` (§18.2): for a customer
/// of this merchant.
pub(crate) fn create_token(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = &v.params;
    let customer_id = p.text("customer_id", 64, true)?.unwrap_or_default();
    let owner = Owner::of(&merchant(v));
    if !store
        .recurring
        .customers
        .get(customer_id)
        .is_some_and(|c| c.owner == owner)
    {
        return Err(ApiError::param(format!("no customer `{customer_id}`")));
    }
    let token_expiry = p.opt("token_expiry");
    let intent = Intent {
        customer_id: Some(customer_id.to_owned()),
        token_expiry: token_expiry.map(str::to_owned),
        token_reason: p.text("token_reason", 256, false)?.map(str::to_owned),
        token_reference: p.text("token_reference", 256, false)?.map(str::to_owned),
        notify_url: p.url("notify_url", 256)?.map(str::to_owned),
        ..new_intent(store, v, ctx, "token")
    };
    let json = json!({
        "respcd": "0000",
        "resperr": "success",
        "respmsg": "",
        "sysdtm": intent.sysdtm,
        "token_intent": intent.id,
        "intent_expiry": intent.intent_expiry,
    });
    store.intents.put(intent);
    Ok(Outcome::json(json))
}

/// The open intent of `kind` with this id (or, for a payment intent, this
/// `out_trade_no`), or why it cannot be used.
pub(crate) fn usable(
    store: &Store,
    id: &str,
    kind: &str,
    now: &TradeTime,
) -> Result<Option<Intent>, String> {
    let found = store
        .intents
        .get(id)
        .filter(|i| i.kind == kind)
        .or_else(|| {
            (kind == "payment")
                .then(|| {
                    store
                        .intents
                        .iter()
                        .rev()
                        .find(|i| i.kind == kind && i.out_trade_no == id)
                })
                .flatten()
        });
    let Some(intent) = found else {
        return Ok(None);
    };
    if let Some(r) = &intent.result {
        return Err(format!(
            "{kind} intent `{}` was already used (`{r}`)",
            intent.id
        ));
    }
    if intent.intent_expiry.as_str() < now.as_str() {
        return Err(format!(
            "{kind} intent `{}` expired at {}",
            intent.id, intent.intent_expiry
        ));
    }
    Ok(Some(intent.clone()))
}

/// The customer pays payment intent `intent`: a paid payment with its
/// amount, pay type and order number, notified like any payment.
pub(crate) fn pay(store: &mut Store, intent: &Intent, now: &TradeTime) -> (Order, Event) {
    let syssn = store.next_syssn(SyssnKind::Payment, now);
    let seed = SeedOrder::paid(syssn.clone(), intent.txamt)
        .currency(intent.txcurrcd.clone())
        .pay_type(intent.pay_type.clone());
    let merchant = (intent.owner.app_code.clone(), intent.owner.mchid.clone());
    let mut order =
        operations::paid_payment(store, &seed, merchant, intent.out_trade_no.clone(), now);
    order.txdtm = intent.sysdtm.clone();
    order.notify_url = intent.notify_url.clone();
    let idx = operations::record(store, order.clone());
    store.intents.update(&intent.id, |i| i.result = Some(syssn));
    let order = store.order(idx).unwrap_or(order);
    (order.clone(), Event::Paid(Box::new(order)))
}
