//! The stateful trade endpoints: payment, query, refund, reversal/close, add_note.
//!
//! Each function validates the documented limits (reference §8, §10–§13)
//! and answers `1104` naming the parameter when one is broken.

use std::time::Duration;

use qfpay::types::{Currency, PayFamily, PayType, RespCode, TradeTime};
use qfpay::{ClientKey, RawParams, SignType, Signature};
use serde_json::{Map, Value, json};

use crate::reply::ApiError;
use crate::scenario::{self, Scenario};
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
}

/// A successful handling: the JSON to answer, what to notify, how long to wait.
pub(crate) struct Outcome {
    pub json: Value,
    pub events: Vec<Event>,
    pub delay: Option<Duration>,
}

impl Outcome {
    fn json(json: Value) -> Self {
        Outcome {
            json,
            events: Vec::new(),
            delay: None,
        }
    }
}

/// Parameter access with the reference's limits.
pub(crate) struct P<'a>(pub &'a RawParams);

impl<'a> P<'a> {
    /// A non-empty value (empty values count as absent).
    pub fn opt(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).filter(|v| !v.is_empty())
    }

    pub fn req(&self, name: &str) -> Result<&'a str, ApiError> {
        self.opt(name)
            .ok_or_else(|| ApiError::param(format!("`{name}` is required")))
    }

    /// Text of at most `max` characters without control characters.
    pub fn text(
        &self,
        name: &str,
        max: usize,
        required: bool,
    ) -> Result<Option<&'a str>, ApiError> {
        let v = if required {
            Some(self.req(name)?)
        } else {
            self.opt(name)
        };
        if let Some(v) = v {
            let n = v.chars().count();
            if n > max {
                return Err(ApiError::param(format!(
                    "`{name}` is {n} characters long, at most {max} are allowed"
                )));
            }
            if v.chars().any(char::is_control) {
                return Err(ApiError::param(format!(
                    "`{name}` contains a control character"
                )));
            }
        }
        Ok(v)
    }

    /// `Int(11)` minor units, greater than 0.
    pub fn amount(&self, name: &str) -> Result<u64, ApiError> {
        let v = self.req(name)?;
        if v.len() > 11 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::param(format!(
                "`{name}` must be an integer amount in minor units (at most 11 digits), got `{v}`"
            )));
        }
        match v.parse::<u64>() {
            Ok(0) | Err(_) => Err(ApiError::param(format!("`{name}` must be greater than 0"))),
            Ok(n) => Ok(n),
        }
    }

    pub fn time(&self, name: &'static str) -> Result<TradeTime, ApiError> {
        let v = self.req(name)?;
        TradeTime::parse_field(v, name).map_err(|e| ApiError::param(e.to_string()))
    }

    pub fn opt_time(&self, name: &'static str) -> Result<Option<TradeTime>, ApiError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => TradeTime::parse_field(v, name)
                .map(Some)
                .map_err(|e| ApiError::param(e.to_string())),
        }
    }

    fn url(&self, name: &str, max: usize) -> Result<Option<&'a str>, ApiError> {
        let v = self.text(name, max, false)?;
        if let Some(u) = v
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ApiError::param(format!("`{name}` must be an http(s) URL")));
        }
        Ok(v)
    }

    fn int(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| ApiError::param(format!("`{name}` must be an integer, got `{v}`"))),
        }
    }
}

fn merchant(v: &Verified<'_>) -> MerchantKey {
    (v.app.code.clone(), v.mchid.clone())
}

fn belongs(order: &Order, m: &MerchantKey) -> bool {
    order.app_code == m.0 && order.mchid == m.1
}

/// A deterministic 32-hex-digit token derived from `seed` (nonces, ids).
fn token(seed: &str) -> String {
    Signature::compute(
        SignType::Md5,
        seed.as_bytes(),
        &ClientKey::new("qfpay-mock"),
    )
    .to_hex_lower()
}

/// `1102` for an identical replay, `2011` for a reused `out_trade_no`.
fn duplicate(store: &Store, idx: usize, fingerprint: &str, out_trade_no: &str) -> ApiError {
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

/// How the payment's response looks and whether it completes at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Consumer presented: completes (or fails, or pends) immediately.
    Cpm,
    /// `qrcode`.
    Qr,
    /// `pay_url`.
    Url,
    /// `pay_params` for the wallet SDK.
    Params,
}

fn mode(pay_type: &PayType, has_auth_code: bool) -> Mode {
    match pay_type.family() {
        PayFamily::Cpm => Mode::Cpm,
        PayFamily::PreAuth if has_auth_code => Mode::Cpm,
        PayFamily::Mpm | PayFamily::PreAuth => Mode::Qr,
        PayFamily::OnlineWeb if *pay_type == PayType::WechatMpm => Mode::Qr,
        PayFamily::OnlineWeb | PayFamily::Wap | PayFamily::H5 | PayFamily::Card => Mode::Url,
        PayFamily::JsApi | PayFamily::MiniProgram | PayFamily::InApp => Mode::Params,
        _ => Mode::Qr,
    }
}

fn pay_params(pay_type: &PayType, order: &Order) -> Value {
    let t = token(&order.syssn);
    let unix = TradeTime::parse(&order.sysdtm)
        .ok()
        .and_then(|t| t.to_primitive())
        .map(|p| p.assume_offset(qfpay::types::HONG_KONG).unix_timestamp())
        .unwrap_or(0);
    match pay_type {
        PayType::WechatJsapi | PayType::WechatMiniProgram => json!({
            "appId": format!("wx{}", &t[..16]),
            "timeStamp": unix.to_string(),
            "nonceStr": t,
            "package": format!("prepay_id=wx{}", order.syssn),
            "signType": "MD5",
            "paySign": t.to_ascii_uppercase(),
        }),
        PayType::AlipayServiceWindow => json!({ "tradeNO": order.syssn }),
        PayType::WechatInApp | PayType::WechatPayHkInApp => json!({
            "package": "Sign=WXPay",
            "timestamp": unix,
            "sign": t.to_ascii_uppercase(),
            "partnerid": "316525492",
            "appid": format!("wx{}", &t[..16]),
            "prepayid": format!("wx{}", order.syssn),
            "noncestr": t,
        }),
        _ => {
            let total_fee = serde_json::Number::from_f64(order.txamt as f64 / 100.0)
                .map(Value::Number)
                .unwrap_or(Value::Null);
            json!({
                "partner": "2088000000000000",
                "seller_id": "mock@qfpay.example",
                "subject": order.goods_name.clone().unwrap_or_default(),
                "body": order.goods_info.clone().unwrap_or_default(),
                "total_fee": total_fee,
                "notify_url": "",
                "service": "mobile.securitypay.pay",
                "payment_type": "1",
                "_input_charset": "UTF-8",
                "it_b_pay": "30m",
                "return_url": "",
                "payment_inst": "ALIPAYHK",
                "currency": order.txcurrcd,
                "product_code": "NEW_WAP_OVERSEAS_SELLER",
                "sign": t,
                "sign_type": "RSA",
                "forex_biz": "FP",
                "out_trade_no": order.syssn,
                "secondary_merchant_id": "mock",
                "secondary_merchant_name": "qfpay-mock",
                "secondary_merchant_industry": "5499",
            })
        }
    }
}

/// `POST /trade/v1/payment` (reference §8).
pub(crate) fn payment(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = P(&v.params);
    let txamt = p.amount("txamt")?;
    let txcurrcd = p.req("txcurrcd")?;
    if !Currency::from_code(txcurrcd).is_known() {
        return Err(ApiError::param(format!(
            "unknown currency `txcurrcd` `{txcurrcd}`"
        )));
    }
    let pay_type_s = p.req("pay_type")?;
    let pay_type = PayType::from_code(pay_type_s);
    if !pay_type.is_known() {
        return Err(ApiError::param(format!(
            "unknown `pay_type` `{pay_type_s}`"
        )));
    }
    let out_trade_no = p.text("out_trade_no", 128, true)?.unwrap_or_default();
    let txdtm = p.time("txdtm")?;
    let auth_code = p.text("auth_code", 128, false)?;
    let goods_name = p.text("goods_name", 64, false)?;
    let goods_info = p.text("goods_info", 256, false)?;
    let udid = p.text("udid", 40, false)?;
    let notify_url = p.url("notify_url", 256)?;
    p.url("return_url", 512)?;
    p.text("limit_pay", 16, false)?;
    p.text("pay_tag", 16, false)?;
    p.text("rmb_tag", 1, false)?;
    let sub_openid = p.text("sub_openid", 128, false)?;
    let openid = p.text("openid", 64, false)?;
    if let Some(e) = p.int("expired_time")?
        && !(5..=120).contains(&e)
    {
        return Err(ApiError::param("`expired_time` must be 5 to 120 minutes"));
    }
    if let Some(x) = p.opt("extend_info")
        && !serde_json::from_str::<Value>(x).is_ok_and(|v| v.is_object())
    {
        return Err(ApiError::param("`extend_info` must be a JSON object"));
    }
    if pay_type.requires_auth_code() && auth_code.is_none() {
        return Err(ApiError::param(format!(
            "`auth_code` is required for pay_type {pay_type}"
        )));
    }
    if pay_type.requires_sub_openid() && sub_openid.is_none() {
        return Err(ApiError::param(format!(
            "`sub_openid` is required for pay_type {pay_type}"
        )));
    }
    if pay_type.requires_openid() && openid.is_none() {
        return Err(ApiError::param(format!(
            "`openid` is required for pay_type {pay_type}"
        )));
    }
    if pay_type.requires_extend_info() && p.opt("extend_info").is_none() {
        return Err(ApiError::param(format!(
            "`extend_info` is required for pay_type {pay_type}"
        )));
    }

    let m = merchant(v);
    if let Some(idx) = store.by_out_trade_no(&m, out_trade_no) {
        return Err(duplicate(store, idx, &v.canonical, out_trade_no));
    }

    let mode = mode(&pay_type, auth_code.is_some());
    let scenario = if ctx.scenarios {
        scenario::pick(
            if mode == Mode::Cpm { auth_code } else { None },
            txamt,
            ctx.slow_reply,
        )
    } else {
        Scenario::Normal
    };

    let syssn = store.next_syssn(SyssnKind::Payment, &ctx.now);
    let checkout = format!("{}/__mock/checkout/{syssn}", ctx.base_url);
    let mut order = Order {
        syssn: syssn.clone(),
        order_type: OrderType::Payment,
        app_code: m.0.clone(),
        mchid: m.1.clone(),
        out_trade_no: out_trade_no.to_owned(),
        pay_type: pay_type.as_str().to_owned(),
        txamt,
        txcurrcd: txcurrcd.to_owned(),
        txdtm: txdtm.to_string(),
        sysdtm: ctx.now.to_string(),
        paydtm: None,
        status: OrderStatus::Unpaid,
        respcd: String::new(),
        cancel: String::new(),
        refunded: 0,
        refunds: Vec::new(),
        orig_syssn: None,
        note: None,
        goods_name: goods_name.map(str::to_owned),
        goods_info: goods_info.map(str::to_owned),
        udid: udid.map(str::to_owned),
        qrcode: (mode == Mode::Qr).then(|| checkout.clone()),
        pay_url: (mode == Mode::Url).then(|| checkout.clone()),
        notify_url: notify_url.map(str::to_owned),
        chnlsn: String::new(),
    };
    let mut plan = Plan::None;
    let mut fail_on_pay = None;
    let mut delay = None;
    let mut pay_now = false;
    match (mode, scenario) {
        (Mode::Cpm, Scenario::Normal) => pay_now = true,
        (Mode::Cpm, Scenario::Slow { delay: d }) => {
            pay_now = true;
            delay = Some(d);
        }
        (Mode::Cpm, Scenario::Fail { code }) => {
            order.status = OrderStatus::Failed {
                respcd: code.to_owned(),
            };
        }
        (
            _,
            Scenario::Pending {
                code,
                paid_on_query,
            },
        ) => {
            order.status = OrderStatus::Pending {
                respcd: code.to_owned(),
            };
            if let Some(n) = paid_on_query {
                plan = Plan::PaidAfterQueries(n);
            }
        }
        (_, Scenario::Fail { code }) => fail_on_pay = Some(code),
        (_, Scenario::Slow { delay: d }) => delay = Some(d),
        (_, Scenario::Normal) => {}
    }
    let idx = store.insert(Tx {
        order,
        cpm: mode == Mode::Cpm,
        plan,
        fail_on_pay,
        fingerprint: v.canonical.clone(),
    });
    let mut events = Vec::new();
    if pay_now {
        events.extend(store.pay(idx, &ctx.now));
    }
    let order = store
        .order(idx)
        .ok_or_else(|| ApiError::new(RespCode::OrderSystemError, "order lost"))?;

    let respcd = if mode == Mode::Cpm {
        order.respcd.clone()
    } else {
        "0000".to_owned()
    };
    let mut out = Map::new();
    out.insert("respcd".into(), respcd.clone().into());
    out.insert("resperr".into(), describe(&respcd).into());
    out.insert("respmsg".into(), "".into());
    out.insert("pay_type".into(), order.pay_type.clone().into());
    out.insert("txdtm".into(), order.txdtm.clone().into());
    out.insert("out_trade_no".into(), order.out_trade_no.clone().into());
    out.insert("syssn".into(), order.syssn.clone().into());
    out.insert("sysdtm".into(), order.sysdtm.clone().into());
    out.insert(
        "paydtm".into(),
        order
            .paydtm
            .clone()
            .unwrap_or_else(|| order.sysdtm.clone())
            .into(),
    );
    out.insert("txcurrcd".into(), order.txcurrcd.clone().into());
    // The CPM example of the reference sends `txamt` as a number, the others as a string.
    out.insert(
        "txamt".into(),
        if mode == Mode::Cpm {
            json!(order.txamt)
        } else {
            json!(order.txamt.to_string())
        },
    );
    out.insert(
        "udid".into(),
        order
            .udid
            .clone()
            .unwrap_or_else(|| "qiantai2".into())
            .into(),
    );
    out.insert("chnlsn".into(), order.chnlsn.clone().into());
    out.insert("chnlsn2".into(), "".into());
    out.insert("cardcd".into(), "".into());
    out.insert("surcharge_fee".into(), json!(0));
    out.insert("surcharge_rate".into(), json!(0));
    match mode {
        Mode::Cpm => {}
        Mode::Qr => {
            out.insert("qrcode".into(), checkout.clone().into());
            if pay_type == PayType::PaymeMpm {
                out.insert(
                    "payme_logo".into(),
                    format!("{}/__mock/logo.png", ctx.base_url).into(),
                );
                out.insert("pay_url".into(), "".into());
            }
        }
        Mode::Url => {
            out.insert("pay_url".into(), checkout.clone().into());
        }
        Mode::Params => {
            out.insert("pay_params".into(), pay_params(&pay_type, &order));
        }
    }
    Ok(Outcome {
        json: Value::Object(out),
        events,
        delay,
    })
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

fn query_record(o: &Order) -> Value {
    let mut r = json!({
        "syssn": o.syssn,
        "out_trade_no": o.out_trade_no,
        "chnlsn": o.chnlsn,
        "chnlsn2": "",
        "goods_name": o.goods_name.clone().unwrap_or_default(),
        "goods_info": o.goods_info.clone().unwrap_or_default(),
        "goods_detail": "",
        "txcurrcd": o.txcurrcd,
        "pay_type": o.pay_type,
        "order_type": match o.order_type { OrderType::Payment => "payment", OrderType::Refund => "refund" },
        "txdtm": o.txdtm,
        "txamt": o.txamt.to_string(),
        "sysdtm": o.sysdtm,
        "cancel": o.cancel,
        "respcd": o.respcd,
        "errmsg": describe(&o.respcd),
        "udid": o.udid.clone().unwrap_or_else(|| "qiantai2".into()),
        "cardtp": "5",
        "clisn": "",
    });
    if let Value::Object(m) = &mut r {
        if let Some(p) = &o.paydtm {
            m.insert("paydtm".into(), p.clone().into());
        }
        if let Some(s) = &o.orig_syssn {
            m.insert("origssn".into(), s.clone().into());
        }
        if let Some(n) = &o.note {
            m.insert("note".into(), n.clone().into());
        }
    }
    r
}

/// `POST /trade/v1/query` (reference §10).
pub(crate) fn query(
    store: &mut Store,
    v: &Verified<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, ApiError> {
    let p = P(&v.params);
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
    // A query by id (the usual one) looks its ids up in the store's indexes
    // (both unique: syssns, and out_trade_nos per merchant) instead of
    // scanning every transaction under the lock; the filter below is the
    // same either way, and results stay in creation order.
    let mut candidates: Vec<usize> = if !syssns.is_empty() {
        syssns.iter().filter_map(|s| store.by_syssn(s)).collect()
    } else if !out_trade_nos.is_empty() {
        out_trade_nos
            .iter()
            .filter_map(|o| store.by_out_trade_no(&m, o))
            .collect()
    } else {
        store.all().map(|(i, _)| i).collect()
    };
    candidates.sort_unstable();
    candidates.dedup();
    let matches: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| {
            store.get(i).is_some_and(|t| {
                let o = &t.order;
                belongs(o, &m)
                    && (syssns.is_empty() || syssns.contains(&o.syssn.as_str()))
                    && (out_trade_nos.is_empty()
                        || out_trade_nos.contains(&o.out_trade_no.as_str()))
                    && (pay_types.is_empty() || pay_types.contains(&o.pay_type.as_str()))
                    && respcd.is_none_or(|c| c == o.respcd)
                    && range.as_ref().is_none_or(|(lo, hi)| {
                        o.sysdtm.as_str() >= lo.as_str() && o.sysdtm.as_str() <= hi.as_str()
                    })
            })
        })
        .collect();

    let skip = usize::try_from((page - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let take = usize::try_from(page_size).unwrap_or(100);
    let mut events = Vec::new();
    let mut data = Vec::new();
    for idx in matches.into_iter().skip(skip).take(take) {
        events.extend(store.queried(idx, &ctx.now));
        // A pending payment may become paid by this very query; the record
        // shows its state after the query.
        if let Some(o) = store.order(idx) {
            data.push(query_record(&o));
        }
    }
    Ok(Outcome {
        json: json!({
            "respcd": "0000",
            "resperr": "success",
            "respmsg": "",
            "page": page.to_string(),
            "page_size": page_size.to_string(),
            "data": data,
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
    let p = P(&v.params);
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
        other => {
            return Err(ApiError::new(
                RespCode::OrderNotPaid,
                format!("only paid (0000) transactions can be refunded; this one is {other}"),
            ));
        }
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
        paydtm: Some(ctx.now.to_string()),
        status: OrderStatus::Succeeded,
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
    };
    let event = store.add_refund(
        idx,
        Tx {
            order: refund,
            cpm: false,
            plan: Plan::None,
            fail_on_pay: None,
            fingerprint: v.canonical.clone(),
        },
    );
    let Some(Event::Refunded { refund, .. }) = &event else {
        return Err(ApiError::new(RespCode::OrderSystemError, "refund lost"));
    };
    let json = json!({
        "orig_syssn": orig.syssn,
        "sysdtm": refund.sysdtm,
        "paydtm": refund.paydtm.clone().unwrap_or_default(),
        "txdtm": refund.txdtm,
        "udid": refund.udid.clone().unwrap_or_else(|| "qiantai2".into()),
        "txcurrcd": refund.txcurrcd,
        "txamt": refund.txamt.to_string(),
        "resperr": "success",
        "respmsg": "",
        "out_trade_no": refund.out_trade_no,
        "syssn": refund.syssn,
        "respcd": "0000",
        "chnlsn": refund.chnlsn,
        "cardcd": "",
        "cash_fee": "",
        "cash_fee_type": "",
        "cash_refund_fee": refund.txamt.to_string(),
        "cash_refund_fee_type": refund.txcurrcd,
    });
    Ok(Outcome {
        json,
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
    let p = P(&v.params);
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
    let p = P(&v.params);
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
