//! Control endpoints under `/__mock/`: unsigned, for tests and for clients
//! in other languages. Listed in the README.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::customer::Choice;
use crate::error::MockError;
use crate::fault::{FaultId, FaultRule};
use crate::operations;
use crate::pages;
use crate::params::{Params, source};
use crate::routes;
use crate::state::{Shared, lock};
use crate::store::SeedOrder;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__mock", get(index))
        .route("/__mock/orders", get(orders).post(seed))
        .route("/__mock/orders/{id}", get(order))
        .route("/__mock/pay/{id}", post(pay))
        .route("/__mock/decline/{id}", post(decline))
        .route("/__mock/expire/{id}", post(expire))
        .route("/__mock/save_card/{id}", post(save_card))
        .route("/__mock/clock", get(clock))
        .route("/__mock/clock/advance", post(advance))
        .route("/__mock/requests", get(requests).delete(clear_requests))
        .route("/__mock/notifications", get(notifications))
        .route(
            "/__mock/faults",
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route("/__mock/faults/{id}", delete(remove_fault))
        .merge(pages::router())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn mock_error(e: MockError) -> Response {
    let status = match e {
        MockError::OrderNotFound(_) => StatusCode::NOT_FOUND,
        MockError::NotPayable { .. } | MockError::Seed(_) | MockError::Intent(_) => {
            StatusCode::CONFLICT
        }
        _ => StatusCode::BAD_REQUEST,
    };
    error(status, e.to_string())
}

async fn index(State(s): State<Arc<Shared>>) -> Response {
    Json(json!({
        "qfpay_mock": env!("CARGO_PKG_VERSION"),
        "base_url": s.base_url,
        "app_codes": s.config.apps.iter().map(|a| a.code.clone()).collect::<Vec<_>>(),
        "endpoints": routes::paths().collect::<Vec<_>>(),
        // The paths above that the SDK's catalogue does not declare, and why.
        "extra_endpoints": routes::extras().collect::<std::collections::BTreeMap<_, _>>(),
        "control": [
            "GET /__mock/orders", "GET /__mock/orders/{id}", "POST /__mock/orders",
            "GET /__mock/ (dashboard)",
            "POST /__mock/pay/{id}", "POST /__mock/decline/{id}", "POST /__mock/expire/{id}",
            "POST /__mock/save_card/{token_intent}",
            "GET /__mock/checkout/{id}", "POST /__mock/checkout/{id}/{pay|decline|expire}",
            "GET /__mock/clock", "POST /__mock/clock/advance (seconds=N)",
            "GET|DELETE /__mock/requests", "GET /__mock/notifications",
            "GET|POST|DELETE /__mock/faults", "DELETE /__mock/faults/{id}",
        ],
    }))
    .into_response()
}

async fn orders(State(s): State<Arc<Shared>>) -> Response {
    Json(lock(&s.store).orders()).into_response()
}

async fn order(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = lock(&s.store);
    match store.find(&id).and_then(|i| store.order(i)) {
        Some(o) => Json(o).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no order `{id}`")),
    }
}

async fn seed(State(s): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let seed: SeedOrder = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected a seed order as JSON: {e}"),
            );
        }
    };
    match operations::seed(&s, seed) {
        Ok(o) => (StatusCode::CREATED, Json(o)).into_response(),
        Err(e) => mock_error(e),
    }
}

async fn pay(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    customer_chose(&s, Choice::Pay, &id)
}

async fn decline(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    customer_chose(&s, Choice::Decline, &id)
}

async fn expire(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    customer_chose(&s, Choice::Expire, &id)
}

fn customer_chose(s: &Arc<Shared>, choice: Choice, id: &str) -> Response {
    match choice.make(s, id) {
        Ok(o) => Json(o).into_response(),
        Err(e) => mock_error(e),
    }
}

async fn save_card(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match operations::save_card(&s, &id) {
        Ok(token_id) => {
            (StatusCode::CREATED, Json(json!({ "token_id": token_id }))).into_response()
        }
        Err(e) => mock_error(e),
    }
}

/// The mock clock: its time (Hong Kong) and how far it is ahead of real time.
fn clock_json(s: &Shared) -> Response {
    Json(json!({
        "now": s.clock.now().to_string(),
        "offset_seconds": s.clock.offset().as_secs(),
    }))
    .into_response()
}

async fn clock(State(s): State<Arc<Shared>>) -> Response {
    clock_json(&s)
}

/// `seconds=N` in the form body or the query string.
async fn advance(State(s): State<Arc<Shared>>, uri: Uri, body: axum::body::Bytes) -> Response {
    let params = Params::from_form(source(false, uri.query().unwrap_or(""), &body));
    let seconds = match params.get("seconds").map(|v| v.trim().parse::<u64>()) {
        Some(Ok(n)) => n,
        Some(Err(_)) | None => {
            return error(
                StatusCode::BAD_REQUEST,
                "expected `seconds=N` (a whole number of seconds) in the form body or the query string",
            );
        }
    };
    operations::advance(&s, Duration::from_secs(seconds));
    clock_json(&s)
}

async fn requests(State(s): State<Arc<Shared>>) -> Response {
    Json(lock(&s.requests).iter().cloned().collect::<Vec<_>>()).into_response()
}

async fn clear_requests(State(s): State<Arc<Shared>>) -> Response {
    lock(&s.requests).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn notifications(State(s): State<Arc<Shared>>) -> Response {
    Json(lock(&s.notifications).clone()).into_response()
}

async fn faults(State(s): State<Arc<Shared>>) -> Response {
    let list: Vec<_> = lock(&s.faults)
        .list()
        .into_iter()
        .map(|(id, rule)| json!({ "id": id.0, "rule": rule }))
        .collect();
    Json(list).into_response()
}

async fn add_fault(State(s): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "expected {{\"fault\": {{\"kind\": ...}}, \"path\": ..., \"times\": ...}}: {e}"
                ),
            );
        }
    };
    let id = lock(&s.faults).add(rule);
    (StatusCode::CREATED, Json(json!({ "id": id.0 }))).into_response()
}

async fn clear_faults(State(s): State<Arc<Shared>>) -> Response {
    lock(&s.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_fault(State(s): State<Arc<Shared>>, Path(id): Path<u64>) -> Response {
    if lock(&s.faults).remove(FaultId(id)) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("no fault {id}"))
    }
}
