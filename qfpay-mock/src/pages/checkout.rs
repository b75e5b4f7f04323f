//! The checkout page a payment's `qrcode` or `pay_url` opens
//! (`/__mock/checkout/{id}`): what is paid, and the customer's three
//! choices — Pay, Decline, Let it expire — each a form posted to
//! `/__mock/checkout/{id}/{choice}`, answered with a redirect back to the
//! page, which then shows the outcome.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::html::{amount, esc, page, state_class};
use crate::customer::Choice;
use crate::error::MockError;
use crate::state::{Shared, lock};
use crate::store::Order;

/// `GET /__mock/checkout/{id}`.
pub(crate) async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let order = {
        let store = lock(&s.store);
        store.find(&id).and_then(|i| store.order(i))
    };
    match order {
        Some(o) => page(StatusCode::OK, "Checkout", &render(&o)),
        None => not_found(&id),
    }
}

/// `POST /__mock/checkout/{id}/{choice}`.
pub(crate) async fn choose(
    State(s): State<Arc<Shared>>,
    Path((id, choice)): Path<(String, String)>,
) -> Response {
    let Some(choice) = Choice::from_name(&choice) else {
        return page(
            StatusCode::NOT_FOUND,
            "Checkout",
            &format!(
                "<h1>Unknown choice <code>{}</code></h1><p>Use pay, decline or expire.</p>",
                esc(&choice)
            ),
        );
    };
    made(choice.make(&s, &id), &id)
}

/// `POST /__mock/checkout/{id}`: pays (the form of earlier versions).
pub(crate) async fn pay(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    made(Choice::Pay.make(&s, &id), &id)
}

/// Back to the page (303, so a reload does not post again), or why not.
fn made(result: Result<Order, MockError>, id: &str) -> Response {
    match result {
        Ok(o) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/__mock/checkout/{}", o.syssn))],
        )
            .into_response(),
        Err(MockError::OrderNotFound(_)) => not_found(id),
        Err(e) => page(
            StatusCode::CONFLICT,
            "Checkout",
            &format!(
                "<h1>Not possible</h1><p>{}</p><p><a href=\"/__mock/checkout/{}\">Back to the order</a></p>",
                esc(&e.to_string()),
                esc(id)
            ),
        ),
    }
}

fn not_found(id: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Checkout",
        &format!("<h1>No order <code>{}</code></h1>", esc(id)),
    )
}

/// The page's body for `o`.
pub(crate) fn render(o: &Order) -> String {
    let goods = o.goods_name.as_deref().unwrap_or("");
    let goods = if goods.is_empty() {
        "<span class=\"muted\">(no goods name)</span>".to_owned()
    } else {
        esc(goods).into_owned()
    };
    let status = esc(&o.status.to_string()).into_owned();
    let class = state_class(o.status.is_success(), o.status.is_open());
    let action = |choice: &str| format!("/__mock/checkout/{}/{choice}", esc(&o.syssn));
    let choices = if o.status.is_open() {
        format!(
            "<form method=\"post\" action=\"{}\"><button id=\"pay\" class=\"pay\" type=\"submit\">Pay {}</button></form>\
             <form method=\"post\" action=\"{}\"><button id=\"decline\" type=\"submit\">Decline</button></form>\
             <form method=\"post\" action=\"{}\"><button id=\"expire\" type=\"submit\">Let it expire</button></form>",
            action("pay"),
            esc(&amount(o.txamt, &o.txcurrcd)),
            action("decline"),
            action("expire"),
        )
    } else {
        String::new()
    };
    format!(
        "<h1>qfpay-mock checkout</h1><div class=\"card\">\
         <div id=\"goods\">{goods}</div>\
         <div class=\"amount\" id=\"amount\">{amount}</div>\
         <div>Currency <b id=\"currency\">{currency}</b> · {txamt} minor units</div>\
         <div>Order <code>{otn}</code><br>syssn <code>{syssn}</code> · pay type {pay_type}</div>\
         <p>Status: <span id=\"status\" class=\"{class}\">{status}</span></p>\
         <div class=\"choices\">{choices}</div></div>\
         <p class=\"muted\"><a href=\"/__mock/\">Dashboard</a></p>",
        amount = esc(&amount(o.txamt, &o.txcurrcd)),
        currency = esc(&o.txcurrcd),
        txamt = o.txamt,
        otn = esc(&o.out_trade_no),
        syssn = esc(&o.syssn),
        pay_type = esc(&o.pay_type),
    )
}
