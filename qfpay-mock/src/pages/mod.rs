//! The pages a developer opens in a browser: the checkout page of a
//! payment (`checkout`) and the dashboard (`dashboard`). Plain
//! server-rendered HTML (`html`), no script.

mod checkout;
mod dashboard;
mod html;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__mock/", get(dashboard::show))
        .route(
            "/__mock/checkout/{id}",
            get(checkout::show).post(checkout::pay),
        )
        .route("/__mock/checkout/{id}/{choice}", post(checkout::choose))
}
