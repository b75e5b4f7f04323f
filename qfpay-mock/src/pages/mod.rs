//! The pages a developer opens in a browser: the checkout page of a
//! payment (`checkout`), the hosted checkout URL that leads to it
//! (`checkstand`) and the dashboard (`dashboard`). Plain server-rendered
//! HTML (`html`); the only script is the line that reads the hosted
//! checkout's fragment.

mod checkout;
mod checkstand;
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
        .route("/checkstand/", get(checkstand::shell))
        .route("/checkstand/open", get(checkstand::open))
}
