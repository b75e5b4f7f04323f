//! The receiver itself: verify, deduplicate, record, reply `200 SUCCESS`.
//!
//! A module of its own so that `qfpay notify send`'s tests
//! (`qfpay-cli/tests/notify.rs`) run this very router.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use qfpay::ClientKey;
use qfpay::notify::axum::VerifiedNotification;
use qfpay::notify::{Notification, SUCCESS_REPLY, Verifier};

/// The path the receiver listens on.
pub const PATH: &str = "/qfpay/notify";

/// Where the receiver writes one line per event (standard output in the
/// example; a list in the tests). A real shop books the event instead.
pub type Log = Arc<dyn Fn(String) + Send + Sync>;

#[derive(Clone)]
struct AppState {
    /// The keys notifications may be signed with (a merchant with several
    /// app codes adds one per app: `Verifier::new().key(app_code, key)…`).
    verifier: Verifier,
    /// `(syssn, notify_type)` of the events already handled. A real shop
    /// keeps this in its database, written in the same transaction as the
    /// order update.
    handled: Arc<Mutex<HashSet<(String, String)>>>,
    log: Log,
}

impl FromRef<AppState> for Verifier {
    fn from_ref(state: &AppState) -> Verifier {
        state.verifier.clone()
    }
}

/// The receiver's routes: `POST /qfpay/notify` verified with `key`.
pub fn router(key: ClientKey, log: Log) -> Router {
    let state = AppState {
        verifier: Verifier::from(key),
        handled: Arc::default(),
        log,
    };
    Router::new()
        .route(PATH, post(qfpay_notify))
        .with_state(state)
}

/// Only verified notifications get here; the extractor answers 401 (bad or
/// missing signature), 413 (over 64 KiB) or 400 (not JSON) by itself.
async fn qfpay_notify(
    State(state): State<AppState>,
    VerifiedNotification(event): VerifiedNotification,
) -> (StatusCode, &'static str) {
    if let Some(key) = event.dedup_key() {
        let first_time = match state.handled.lock() {
            Ok(mut handled) => handled.insert(key.clone()),
            // A poisoned lock: answer an error, QFPay will deliver again.
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "try again"),
        };
        if !first_time {
            (state.log)(format!("duplicate {} {} — already handled", key.1, key.0));
            return (StatusCode::OK, SUCCESS_REPLY);
        }
    }
    (state.log)(describe(&event));
    (StatusCode::OK, SUCCESS_REPLY)
}

/// One line about an event, starting with what it is.
fn describe(event: &Notification) -> String {
    match event {
        Notification::Payment(p) => format!(
            "payment  {} order {} {} {} (pay_type {}, paid {})",
            p.syssn,
            p.out_trade_no,
            p.txamt,
            p.txcurrcd,
            p.pay_type,
            p.paydtm.map(|t| t.to_string()).unwrap_or_default()
        ),
        Notification::Refund(r) => format!(
            "refund   {} order {} {} {}",
            r.syssn, r.out_trade_no, r.txamt, r.txcurrcd
        ),
        Notification::PreAuth(u) => {
            format!("unfreeze {} order {} {}", u.syssn, u.out_trade_no, u.txamt)
        }
        Notification::PaymentToken(t) => format!("token    {} {}", t.tokenid, t.event),
        Notification::Subscription(s) => {
            format!("subscription {} → {}", s.subscription_id, s.state)
        }
        Notification::SubscriptionPayment(s) => format!(
            "subscription payment {} {} {} ({})",
            s.subscription_order_id,
            s.txamt,
            s.txcurrcd,
            if s.is_success() { "paid" } else { "failed" }
        ),
        other => format!(
            "other    notify_type {:?}: {:?}",
            other.notify_type(),
            other
        ),
    }
}
