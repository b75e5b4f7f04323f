//! An `axum` extractor that verifies QFPay notifications (feature `axum`).
//!
//! Put [`VerifiedNotification`] last among a handler's arguments; the
//! router's state must give a [`Verifier`] ([`FromRef`]) — a [`ClientKey`]
//! as the state does, for a single key. The extractor
//! reads the raw body (at most [`MAX_BODY`](super::MAX_BODY) bytes), checks `X-QF-SIGN` over
//! those exact bytes and parses the event. A refused request is answered by
//! [`NotificationRejection`] — 413, 401 or 400 — and the handler never runs.
//!
//! ```
//! use axum::{Router, routing::post};
//! use qfpay::ClientKey;
//! use qfpay::notify::{Notification, SUCCESS_REPLY, axum::VerifiedNotification};
//!
//! async fn qfpay_notify(VerifiedNotification(event): VerifiedNotification) -> &'static str {
//!     if let Notification::Payment(payment) = &event
//!         && payment.is_success()
//!     {
//!         // Idempotently: QFPay may deliver the same event more than once.
//!         println!("paid: {} ({} {})", payment.out_trade_no, payment.txamt, payment.txcurrcd);
//!     }
//!     SUCCESS_REPLY // HTTP 200 "SUCCESS": QFPay stops retrying
//! }
//!
//! let app: Router = Router::new()
//!     .route("/qfpay/notify", post(qfpay_notify))
//!     .with_state(ClientKey::new("your client key"));
//! ```
//!
//! With several app codes, make the state a [`Verifier`] with each key
//! (`.with_state(Verifier::new().key(app_a, key_a).key(app_b, key_b))`).
//! With a larger state, implement `FromRef<AppState> for Verifier` (or
//! derive `axum::extract::FromRef` on the state with a `Verifier` field).
//!
//! If recording the event fails, return an error status instead of
//! `SUCCESS`: QFPay will deliver it again later (reference §22.1).

use std::future::poll_fn;
use std::pin::Pin;

use ::axum::body::{Body, HttpBody};
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::response::{IntoResponse, Response};

use super::Verifier;
use super::http::{check_content_length, signature_header};
use super::receive::LimitedBody;
use crate::ClientKey;

/// The extractor (one type for every framework): see the
/// [module documentation](self) for an example.
pub use super::verified::VerifiedNotification;

/// Why [`VerifiedNotification`] refused a request (413, 401 or 400): the
/// shared [`super::NotificationRejection`] with axum's body error.
pub type NotificationRejection = super::NotificationRejection<::axum::Error>;

impl IntoResponse for NotificationRejection {
    fn into_response(self) -> Response {
        let status = ::http::StatusCode::from_u16(self.http_status())
            .unwrap_or(::http::StatusCode::BAD_REQUEST);
        (status, self.to_string()).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedNotification
where
    S: Send + Sync,
    Verifier: FromRef<S>,
{
    type Rejection = NotificationRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        NotificationRejection::logged(extract(req, state).await)
    }
}

async fn extract<S>(req: Request, state: &S) -> Result<VerifiedNotification, NotificationRejection>
where
    Verifier: FromRef<S>,
{
    let (parts, body) = req.into_parts();
    check_content_length(&parts.headers)?;
    let body = read_limited(body).await?;
    let verifier = Verifier::from_ref(state);
    let event = verifier.verify(&body, signature_header(&parts.headers)?)?;
    Ok(VerifiedNotification(event))
}

/// A single key as the state: `.with_state(ClientKey::new(..))`.
impl FromRef<ClientKey> for Verifier {
    fn from_ref(key: &ClientKey) -> Verifier {
        Verifier::from(key.clone())
    }
}

/// Reads the body, stopping as soon as it exceeds [`MAX_BODY`](super::MAX_BODY).
async fn read_limited(mut body: Body) -> Result<Vec<u8>, NotificationRejection> {
    let mut out = LimitedBody::default();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(NotificationRejection::BodyUnreadable)?;
        if let Ok(data) = frame.into_data() {
            out.push(&data)?;
        }
    }
    Ok(out.into_bytes())
}
