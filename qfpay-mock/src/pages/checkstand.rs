//! The hosted checkout page (reference §17): the URL that the SDK's
//! `CheckoutUrl::url` builds, `{base}/checkstand/#/?<params>&sign=<sign>`.
//!
//! Its parameters are in the URL's fragment, which a browser never sends,
//! so `/checkstand/` answers a page whose one line of script hands the
//! fragment to `/checkstand/open` as a query string. That request is
//! checked as QFPay checks the page's — the signature over every non-empty
//! parameter but `sign` and `lang` (§5.2, any hex case), `paysource` ending
//! in `_checkout`, the required fields and the `mchid` rule for `mchntid` —
//! and becomes an unpaid payment whose checkout page (`checkout`) the
//! browser is sent to. A refusal is shown on the page and recorded with the
//! request, like a refused API request.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use qfpay::types::{Currency, RespCode};

use super::html::{esc, page};
use crate::clock;
use crate::config::App;
use crate::operations;
use crate::params::Params;
use crate::payment::DEFAULT_EXPIRED_TIME;
use crate::record::RequestSeq;
use crate::refusal::Refusal;
use crate::reply::ApiError;
use crate::signing::{self, Hash};
use crate::state::{Shared, lock};
use crate::store::{OrderStatus, Plan, SeedOrder, SyssnKind, Tx};
use crate::trade::duplicate;
use crate::verify::{self, MchidPolicy};

/// The `pay_type` a hosted checkout's payment is recorded with: the mock's
/// page offers no wallet choice, so it is paid as Alipay MPM.
const PAY_TYPE: &str = "800101";

/// `GET /checkstand/`: hands the fragment to `/checkstand/open`.
pub(crate) async fn shell() -> Response {
    page(
        StatusCode::OK,
        "Checkout",
        "<h1>qfpay-mock hosted checkout</h1>\
         <p id=\"note\">Opening the order in this URL's fragment (<code>#/?…</code>)…</p>\
         <script>var f=location.hash.replace(/^#\\/?\\??/,'');\
         if(f){location.replace('/checkstand/open?'+f);}\
         else{document.getElementById('note').textContent=\
         'This URL has no checkout parameters: open the URL that CheckoutUrl::url builds.';}</script>\
         <noscript>The hosted checkout reads its parameters from the URL's fragment, which needs script.</noscript>",
    )
}

/// `GET /checkstand/open?<the fragment's parameters>`.
pub(crate) async fn open(
    State(s): State<Arc<Shared>>,
    seq: Option<Extension<RequestSeq>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::from_form(query.as_deref().unwrap_or("").as_bytes());
    match create(&s, params) {
        Ok(syssn) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/__mock/checkout/{syssn}"))],
        )
            .into_response(),
        Err(refusal) => {
            let body = format!(
                "<h1>Checkout refused</h1><p><b>{}</b> {}</p>{}",
                esc(&refusal.respcd),
                esc(&refusal.reason),
                refusal
                    .signed_string
                    .as_deref()
                    .map(|s| format!(
                        "<p>Signed string: <code>{}</code><span class=\"key\">‹client key›</span></p>",
                        esc(s)
                    ))
                    .unwrap_or_default()
            );
            s.refuse(seq.map(|Extension(q)| q), *refusal);
            page(StatusCode::BAD_REQUEST, "Checkout refused", &body)
        }
    }
}

fn refused(error: &ApiError) -> Box<Refusal> {
    Box::new(Refusal::new(error.code.as_str(), error.message.clone()))
}

/// Checks the checkout's parameters and creates its unpaid payment (or
/// finds the one an earlier opening of the same URL created): its `syssn`.
fn create(s: &Arc<Shared>, mut params: Params) -> Result<String, Box<Refusal>> {
    let sig_err = |m: &str| refused(&ApiError::new(RespCode::SignatureError, m));
    let sent = params.remove("sign").unwrap_or_default();
    params.remove("lang");
    let app = params
        .opt("appcode")
        .and_then(|code| s.app(code))
        .ok_or_else(|| sig_err("`appcode` is missing or not a configured app code"))?;
    let hash = Hash::from_header(Some(params.opt("sign_type").unwrap_or("?")))
        .ok_or_else(|| sig_err("`sign_type` must be `sha256` or `md5`"))?;
    let canonical = signing::canonical(params.pairs(), false);
    let expected = signing::sign(hash, canonical.as_bytes(), &app.key);
    let with_details = |mut r: Box<Refusal>| {
        r.signed_string = Some(canonical.clone());
        r.expected_signature = Some(expected.clone());
        r.received_signature = Some(sent.clone()).filter(|s| !s.is_empty());
        r
    };
    if sent.trim().is_empty() {
        return Err(with_details(sig_err(
            "the URL has no `sign`: it must end with the signature CheckoutUrl::url appends",
        )));
    }
    if !expected.eq_ignore_ascii_case(sent.trim()) {
        return Err(with_details(sig_err(&format!(
            "`sign` does not match the {} of the sorted parameters (all but `sign` and `lang`) plus the client key",
            hash.name()
        ))));
    }
    let mchid = verify::mchid_rule(app, MchidPolicy::Rule, params.get("mchntid")).map_err(|b| {
        let mut r = with_details(refused(&b.error()));
        r.mchid_rule = Some(format!("{} (as `mchntid`)", b.text()));
        r
    })?;
    order(s, app, mchid, &params, &canonical).map_err(|e| with_details(refused(&e)))
}

/// The payment of a checked checkout, created unpaid as an MPM order is
/// (expiring after `expired_time` minutes of the mock clock, default 30),
/// and written through before the browser is sent on.
fn order(
    s: &Arc<Shared>,
    app: &App,
    mchid: Option<String>,
    p: &Params,
    fingerprint: &str,
) -> Result<String, ApiError> {
    let paysource = p.req("paysource")?;
    if !paysource.ends_with("_checkout") {
        return Err(ApiError::param(format!(
            "`paysource` `{paysource}` must end in `_checkout`"
        )));
    }
    let txamt = p.amount("txamt")?;
    let txcurrcd = p.req("txcurrcd")?;
    if !Currency::from_code(txcurrcd).is_known() {
        return Err(ApiError::param(format!(
            "unknown currency `txcurrcd` `{txcurrcd}`"
        )));
    }
    let out_trade_no = p.text("out_trade_no", 128, true)?.unwrap_or_default();
    let txdtm = p.time("txdtm")?;
    for url in ["return_url", "failed_url", "notify_url"] {
        p.req(url)?;
        p.url(url, 256)?;
    }
    let goods_name = p.text("goods_name", 64, false)?;
    let udid = p.text("udid", 40, false)?;
    let minutes = p.int("expired_time")?.unwrap_or(DEFAULT_EXPIRED_TIME);
    if !(5..=120).contains(&minutes) {
        return Err(ApiError::param("`expired_time` must be 5 to 120 minutes"));
    }

    // An order whose time ran out expires before it is shown again.
    operations::catch_up(s);
    let merchant = (app.code.clone(), mchid);
    let now = s.clock.now();
    let mut store = lock(&s.store);
    if let Some(idx) = store.by_out_trade_no(&merchant, out_trade_no) {
        // The same URL opened again (a reload): its payment.
        return match store.get(idx) {
            Some(t) if t.fingerprint == fingerprint => Ok(t.order.syssn.clone()),
            _ => Err(duplicate(&store, idx, fingerprint, out_trade_no)),
        };
    }
    let syssn = store.next_syssn(SyssnKind::Payment, &now);
    let seed = SeedOrder::paid(syssn.clone(), txamt)
        .currency(txcurrcd)
        .pay_type(PAY_TYPE);
    let mut order =
        operations::paid_payment(&store, &seed, merchant, out_trade_no.to_owned(), &now);
    order.status = OrderStatus::Unpaid;
    order.paydtm = None;
    order.chnlsn = String::new();
    order.txdtm = txdtm.to_string();
    order.goods_name = goods_name.map(str::to_owned);
    order.udid = udid.map(str::to_owned);
    order.notify_url = p.opt("notify_url").map(str::to_owned);
    order.pay_url = Some(format!("{}/__mock/checkout/{syssn}", s.base_url));
    order.expires_at = Some(clock::later(&now, Duration::from_secs(minutes * 60)).to_string());
    store.insert(Tx {
        order,
        cpm: false,
        plan: Plan::None,
        fail_on_pay: None,
        fingerprint: fingerprint.to_owned(),
    });
    s.commit(&mut store).map_err(|e| {
        ApiError::new(
            RespCode::OrderSystemError,
            format!("the mock could not write its {e}"),
        )
    })?;
    Ok(syssn)
}
