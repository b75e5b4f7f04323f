//! An `actix-web` extractor that verifies QFPay notifications (feature `actix`).
//!
//! Register a [`Verifier`] as application data (`App::app_data(verifier)`,
//! or wrapped in `web::Data`) and take [`VerifiedNotification`] as a
//! handler argument. The extractor reads the raw body (at most
//! [`MAX_BODY`](super::MAX_BODY) bytes), checks `X-QF-SIGN` over those exact
//! bytes against the verifier's keys and parses the event — the same
//! verification as the axum extractor's. A refused request is answered by
//! [`NotificationRejection`] — 413, 401 or 400 (500 without a verifier) —
//! and the handler never runs.
//!
//! ```no_run
//! use actix_web::{App, HttpServer, web};
//! use qfpay::ClientKey;
//! use qfpay::notify::{Notification, SUCCESS_REPLY, Verifier, actix::VerifiedNotification};
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
//! # async fn run() -> std::io::Result<()> {
//! let verifier = Verifier::new().key("your app code", ClientKey::new("your client key"));
//! HttpServer::new(move || {
//!     App::new()
//!         .app_data(verifier.clone())
//!         .route("/qfpay/notify", web::post().to(qfpay_notify))
//! })
//! .bind(("127.0.0.1", 8080))?
//! .run()
//! .await
//! # }
//! ```
//!
//! If recording the event fails, return an error status instead of
//! `SUCCESS`: QFPay will deliver it again later (reference §22.1).

use std::future::{Future, poll_fn};
use std::pin::Pin;

use ::actix_web::dev::Payload;
use ::actix_web::error::PayloadError;
use ::actix_web::http::StatusCode;
use ::actix_web::http::header::CONTENT_LENGTH;
use ::actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures_core::Stream;

use super::receive::{LimitedBody, check_content_length_value, signature_value};
use super::{SIGNATURE_HEADER, Verifier};

/// The extractor (one type for every framework): see the
/// [module documentation](self) for an example.
pub use super::verified::VerifiedNotification;

/// Why [`VerifiedNotification`] refused a request (413, 401, 400, or 500
/// without a verifier): the shared [`super::NotificationRejection`] with
/// actix-web's body error.
pub type NotificationRejection = super::NotificationRejection<PayloadError>;

impl ResponseError for NotificationRejection {
    /// [`NotificationRejection::http_status`](super::NotificationRejection::http_status).
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}

impl FromRequest for VerifiedNotification {
    type Error = NotificationRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let verifier = req.app_data::<Verifier>().cloned().or_else(|| {
            req.app_data::<web::Data<Verifier>>()
                .map(|data| Verifier::clone(data))
        });
        let header = |name| req.headers().get(name).map(|v| v.as_bytes().to_vec());
        let length = header(CONTENT_LENGTH.as_str());
        let signature = header(SIGNATURE_HEADER);
        let payload = payload.take();
        Box::pin(async move {
            NotificationRejection::logged(extract(verifier, length, signature, payload).await)
        })
    }
}

async fn extract(
    verifier: Option<Verifier>,
    length: Option<Vec<u8>>,
    signature: Option<Vec<u8>>,
    mut payload: Payload,
) -> Result<VerifiedNotification, NotificationRejection> {
    let verifier = verifier.ok_or(NotificationRejection::NoVerifier)?;
    check_content_length_value(length.as_deref())?;
    let mut body = LimitedBody::default();
    while let Some(chunk) = poll_fn(|cx| Pin::new(&mut payload).poll_next(cx)).await {
        body.push(&chunk.map_err(NotificationRejection::BodyUnreadable)?)?;
    }
    let signature = signature_value(signature.as_deref())?;
    let event = verifier.verify(&body.into_bytes(), signature)?;
    Ok(VerifiedNotification(event))
}
