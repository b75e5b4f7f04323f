//! `POST /trade/v1/payment` (reference §8): every payment flow, its
//! documented limits, the scenario chosen by amount or `auth_code`, and the
//! reply's shape (QR code, pay URL, wallet parameters, or an immediate CPM
//! outcome).

use qfpay::types::{Currency, PayFamily, PayType, RespCode, TradeTime};
use serde_json::{Map, Value, json};
use std::time::Duration;

use crate::clock;

use crate::reply::ApiError;
use crate::scenario::{self, Scenario};
use crate::signing;
use crate::store::{Order, OrderStatus, OrderType, Plan, Store, SyssnKind, Tx, describe};
use crate::trade::{Ctx, Outcome, duplicate, merchant};
use crate::verify::Verified;

/// Minutes an unpaid order stays payable without `expired_time` (§8.1).
pub(crate) const DEFAULT_EXPIRED_TIME: u64 = 30;

/// A deterministic 32-hex-digit token derived from `seed` (nonces, ids).
fn token(seed: &str) -> String {
    signing::token(seed, b"qfpay-mock")
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
    let p = &v.params;
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
    let expired_time = p.int("expired_time")?;
    if let Some(e) = expired_time
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
        // Reference §8.1: "QR validity in minutes; default 30". A payment
        // the customer completes elsewhere (CPM) has nothing to expire.
        expires_at: (mode != Mode::Cpm).then(|| {
            let minutes = expired_time.unwrap_or(DEFAULT_EXPIRED_TIME);
            clock::later(&ctx.now, Duration::from_secs(minutes * 60)).to_string()
        }),
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
                fails_with,
            },
        ) => {
            order.status = OrderStatus::Pending {
                respcd: code.to_owned(),
            };
            if let Some(n) = paid_on_query {
                plan = Plan::PaidAfterQueries(n);
            }
            fail_on_pay = fails_with.map(str::to_owned);
        }
        (_, Scenario::Fail { code }) => fail_on_pay = Some(code.to_owned()),
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
        json: Value::Object(out).into(),
        events,
        delay,
    })
}
