//! The dashboard at `/__mock/`: the latest orders with their refunds, the
//! notifications with every delivery attempt, and the request log with why
//! each refused request was refused.
//!
//! Only the latest `limit` entries of each list (default 50, `?limit=N`)
//! are copied, each list under its own lock taken once and released before
//! any HTML is written, so a dashboard left open does not slow the API as
//! orders accumulate.

use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::html::{amount, esc, page, state_class};
use crate::notification::{DeliveryState, Notification};
use crate::record::RecordedRequest;
use crate::refusal::Refusal;
use crate::state::{Shared, lock};
use crate::store::{Order, OrderType};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 1000;

#[derive(Deserialize)]
pub(crate) struct Params {
    limit: Option<usize>,
}

/// What the dashboard shows, copied out of the shared state.
struct Snapshot {
    orders: Vec<Order>,
    order_count: usize,
    notifications: Vec<Notification>,
    notification_count: usize,
    requests: Vec<RecordedRequest>,
    refused: Vec<RecordedRequest>,
    request_count: u64,
}

impl Snapshot {
    fn take(s: &Shared, limit: usize) -> Snapshot {
        let (orders, order_count) = {
            let store = lock(&s.store);
            (store.latest(limit), store.len())
        };
        let (notifications, notification_count) = {
            let list = lock(&s.notifications);
            let latest = list.iter().rev().take(limit).cloned().collect();
            (latest, list.len())
        };
        let (requests, refused) = {
            let list = lock(&s.requests);
            let latest = list.iter().rev().take(limit).cloned().collect();
            let refused = list
                .iter()
                .rev()
                .filter(|r| r.refusal.is_some())
                .take(limit)
                .cloned()
                .collect();
            (latest, refused)
        };
        Snapshot {
            orders,
            order_count,
            notifications,
            notification_count,
            requests,
            refused,
            request_count: s.request_seq.load(Ordering::Relaxed),
        }
    }
}

/// `GET /__mock/`.
pub(crate) async fn show(State(s): State<Arc<Shared>>, Query(p): Query<Params>) -> Response {
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let snap = Snapshot::take(&s, limit);
    let apps: Vec<_> = s.config.apps.iter().map(|a| esc(&a.code)).collect();
    let mut body = format!(
        "<h1>qfpay-mock dashboard</h1><p>Serving <code>{}</code> for app codes <code>{}</code> · \
         JSON: <a href=\"/__mock/orders\">orders</a>, <a href=\"/__mock/notifications\">notifications</a>, \
         <a href=\"/__mock/requests\">requests</a>, <a href=\"/__mock\">index</a></p>",
        esc(&s.base_url),
        apps.join(", "),
    );
    orders(&mut body, &snap);
    notifications(&mut body, &snap);
    refused(&mut body, &snap);
    requests(&mut body, &snap);
    page(StatusCode::OK, "Dashboard", &body)
}

/// `shown of total` as a heading's suffix.
fn count(shown: usize, total: impl std::fmt::Display) -> String {
    format!(" <span class=\"muted\">(latest {shown} of {total})</span>")
}

fn orders(out: &mut String, snap: &Snapshot) {
    let _ = write!(
        out,
        "<h2 id=\"orders\">Orders{}</h2><table><tr><th>syssn</th><th>type</th><th>out_trade_no</th>\
         <th>amount</th><th>state</th><th>refunds</th><th>goods</th><th>created</th><th>paid</th></tr>",
        count(snap.orders.len(), snap.order_count)
    );
    for o in &snap.orders {
        let refunds = match o.order_type {
            OrderType::Payment if o.refunds.is_empty() => String::new(),
            OrderType::Payment => format!(
                "{} refunded: {}",
                esc(&amount(o.refunded, &o.txcurrcd)),
                o.refunds
                    .iter()
                    .map(|r| format!("<code>{}</code>", esc(r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            OrderType::Refund => format!(
                "refund of <code>{}</code>",
                esc(o.orig_syssn.as_deref().unwrap_or(""))
            ),
        };
        let kind = match o.order_type {
            OrderType::Payment => "payment",
            OrderType::Refund => "refund",
        };
        let _ = write!(
            out,
            "<tr><td><a href=\"/__mock/checkout/{syssn}\"><code>{syssn}</code></a></td><td>{kind}</td>\
             <td><code>{otn}</code></td><td>{amount}</td><td><span class=\"{class}\">{status}</span> {respcd}</td>\
             <td>{refunds}</td><td>{goods}</td><td>{sysdtm}</td><td>{paydtm}</td></tr>",
            syssn = esc(&o.syssn),
            otn = esc(&o.out_trade_no),
            amount = esc(&amount(o.txamt, &o.txcurrcd)),
            class = state_class(o.status.is_success(), o.status.is_open()),
            status = esc(&o.status.to_string()),
            respcd = esc(&o.respcd),
            goods = esc(o.goods_name.as_deref().unwrap_or("")),
            sysdtm = esc(&o.sysdtm),
            paydtm = esc(o.paydtm.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</table>");
}

fn notifications(out: &mut String, snap: &Snapshot) {
    let _ = write!(
        out,
        "<h2 id=\"notifications\">Notifications{}</h2><table><tr><th>#</th><th>type</th><th>syssn</th>\
         <th>to</th><th>state</th><th>attempts: when, receiver's answer</th></tr>",
        count(snap.notifications.len(), snap.notification_count)
    );
    for n in &snap.notifications {
        let class = state_class(
            n.state == DeliveryState::Delivered,
            n.state == DeliveryState::Pending,
        );
        let mut attempts = String::new();
        for a in &n.attempts {
            let answer = match (&a.status, &a.error) {
                (_, Some(e)) => format!("error: {}", esc(e)),
                (Some(st), None) => format!("HTTP {st} <code>{}</code>", esc(&a.response_body)),
                (None, None) => "no answer".to_owned(),
            };
            let _ = write!(
                attempts,
                "<div>#{} at {}: {answer}</div>",
                a.number,
                esc(&a.at)
            );
        }
        let state = serde_json::to_value(n.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td>\
             <td><span class=\"{class}\">{}</span></td><td>{attempts}</td></tr>",
            n.id,
            esc(&n.notify_type),
            esc(&n.syssn),
            esc(n.url.as_deref().unwrap_or("(none)")),
            esc(&state),
        );
    }
    out.push_str("</table>");
}

fn refused(out: &mut String, snap: &Snapshot) {
    let _ = write!(
        out,
        "<h2 id=\"refused\">Refused requests <span class=\"muted\">(latest {})</span></h2>",
        snap.refused.len()
    );
    if snap.refused.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
        return;
    }
    out.push_str(
        "<table><tr><th>#</th><th>request</th><th>why</th><th>signed string (key redacted)</th>\
         <th>signature expected / received</th><th>mchid rule</th></tr>",
    );
    for r in &snap.refused {
        let Some(why) = &r.refusal else { continue };
        let _ = write!(
            out,
            "<tr class=\"refusal\">{}<td>{}</td>",
            request_cells(r),
            reason(why)
        );
        refusal_details(out, why);
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// The number and the request line of `r`, as two cells.
fn request_cells(r: &RecordedRequest) -> String {
    format!(
        "<td>{}</td><td>{} <code>{}</code></td>",
        r.seq,
        esc(&r.method),
        esc(&r.path)
    )
}

/// The code and the reason of a refusal.
fn reason(why: &Refusal) -> String {
    format!("<b>{}</b> {}", esc(&why.respcd), esc(&why.reason))
}

fn refusal_details(out: &mut String, why: &Refusal) {
    let signed = match &why.signed_string {
        Some(s) => format!(
            "<code>{}</code><span class=\"key\">‹client key›</span>",
            esc(s)
        ),
        None => "<span class=\"muted\">not reached</span>".to_owned(),
    };
    let _ = write!(
        out,
        "<td>{signed}</td><td>expected <code>{}</code><br>received <code>{}</code></td><td>{}</td>",
        esc(why.expected_signature.as_deref().unwrap_or("—")),
        esc(why.received_signature.as_deref().unwrap_or("(none)")),
        esc(why.mchid_rule.as_deref().unwrap_or("")),
    );
}

fn requests(out: &mut String, snap: &Snapshot) {
    let _ = write!(
        out,
        "<h2 id=\"requests\">Requests{}</h2><table><tr><th>#</th><th>request</th><th>app code</th>\
         <th>fault</th><th>refused</th></tr>",
        count(snap.requests.len(), snap.request_count)
    );
    for r in &snap.requests {
        let _ = write!(
            out,
            "<tr>{}<td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            request_cells(r),
            esc(r.header("x-qf-appcode").unwrap_or("")),
            esc(r.fault.as_deref().unwrap_or("")),
            r.refusal.as_ref().map(reason).unwrap_or_default(),
        );
    }
    out.push_str("</table>");
}
