//! Asynchronous notifications (reference §22): verify QFPay's signature over
//! the raw body, get a typed event, reply `SUCCESS`.
//!
//! QFPay POSTs a JSON body to the merchant's notification URL when a payment
//! or refund **succeeds** (failures are never notified), when an Alipay
//! pre-authorisation is unfrozen, and for the recurring-payment events
//! (`subscription_payment` is sent for failed billing attempts too). The
//! request carries `X-QF-SIGN` = upper-case hex `MD5(raw body ‖ client key)`.
//!
//! [`verify`] is the whole receiving side in one call:
//!
//! 1. bodies longer than [`MAX_BODY`] are refused before anything is hashed;
//! 2. the header is parsed as hex (either case) — a missing and a malformed
//!    header are distinct errors;
//! 3. `MD5(raw bytes exactly as received ‖ key)` is compared with it in
//!    constant time ([`Signature`](crate::Signature)'s `==`);
//! 4. only then is the body parsed, into a [`Notification`].
//!
//! Never parse the JSON and serialise it again before checking (as some
//! sample code does): QFPay's bodies are Python `json.dumps` output (`", "`
//! separators, `\uXXXX` escapes), and any other serialiser produces other
//! bytes and another MD5.
//!
//! ```
//! use qfpay::ClientKey;
//! use qfpay::notify::{self, Notification, NotifyError};
//!
//! // The notification vector of `tests/data/signing.json`.
//! let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
//! let body = br#"{"status": "1", "pay_type": "800101", "sysdtm": "2020-06-15 10:32:58", "paydtm": "2020-06-15 10:33:35", "goods_name": "", "txcurrcd": "HKD", "txdtm": "2020-06-15 10:32:58", "mchid": "O37MRh6Qq5", "txamt": "10", "exchange_rate": "", "chnlsn2": "", "out_trade_no": "9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO", "syssn": "20200615000200020000641807", "cash_fee_type": "", "cancel": "0", "respcd": "0000", "goods_info": "", "cash_fee": "0", "notify_type": "payment", "chnlsn": "2020061522001453561406303428", "cardcd": "2088032341453564"}"#;
//! let x_qf_sign = Some("29B26554D9F1B1DAA15B2F95E3DF3976");
//!
//! match notify::verify(body, x_qf_sign, &key)? {
//!     Notification::Payment(payment) => {
//!         assert_eq!(payment.syssn, "20200615000200020000641807");
//!         assert_eq!(payment.txamt.minor_units(), 10);
//!         assert!(payment.is_success()); // respcd 0000, status 1
//!         // … book it, idempotently (see below), then reply 200 SUCCESS:
//!         let _reply = notify::SUCCESS_REPLY;
//!     }
//!     other => println!("not a payment: {:?}", other.notify_type()),
//! }
//!
//! // One changed byte and the signature no longer matches.
//! let tampered = String::from_utf8_lossy(body).replace(r#""10""#, r#""11""#);
//! assert!(matches!(
//!     notify::verify(tampered.as_bytes(), x_qf_sign, &key),
//!     Err(NotifyError::BadSignature)
//! ));
//! # Ok::<(), NotifyError>(())
//! ```
//!
//! # Reply `SUCCESS`, fast, and be idempotent
//!
//! * Answer HTTP **200** with the body [`SUCCESS_REPLY`] (`SUCCESS`, nothing
//!   else) once the event is safely recorded. Anything else — another status,
//!   another body, a timeout — makes QFPay deliver it again.
//! * QFPay retries **up to 7 times after the first attempt, 2 min, 10 min,
//!   10 min, 60 min, 2 h, 6 h and 15 h apart** ([`RETRY_INTERVALS`]; the
//!   last retry comes about 24 h 22 min after the first), then gives up.
//!   So record the event (or enqueue it durably) and reply; do slow work
//!   afterwards. Reply an error only when the event could not be recorded,
//!   to get it again later.
//! * The same notification can therefore arrive several times, also after
//!   you replied `SUCCESS` (a reply lost on the way). **Deduplicate by
//!   `syssn` + `notify_type`** ([`Notification::dedup_key`]) and make the
//!   handler idempotent: booking the same payment twice must be a no-op. A
//!   payment and its refunds have different `syssn`s.
//! * A notification is a hint, not the ledger: confirm important state with
//!   `/trade/v1/query` ([`api::Query`](crate::api::Query)), and query orders
//!   whose notification never came — a missing notification is no proof of
//!   failure.
//! * Notifications come to ports 80 and 443 only. QFPay's source IPs are
//!   published but may change; the signature is the authentication.
//!
//! # Receivers
//!
//! * `http::verify_request` (feature `http`, on with `client`): for any
//!   framework built on the `http` crate — headers and body bytes in, event
//!   out; `http::status_for` maps errors to 413/401/400.
//! * `axum` (feature `axum`): the extractor
//!   `qfpay::notify::axum::VerifiedNotification` reads the body with the
//!   [`MAX_BODY`] limit, verifies it and rejects with 413/401/400 before the
//!   handler runs.

mod event;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
#[cfg(any(feature = "http", feature = "actix"))]
mod receive;
#[cfg(any(feature = "axum", feature = "actix"))]
mod rejection;
mod surrogates;
#[cfg(any(feature = "axum", feature = "actix"))]
mod verified;
mod verifier;
mod verify;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;

#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub mod actix;

use std::time::Duration;

pub use event::{
    Notification, PaymentNotification, PaymentTokenNotification, PreAuthNotification,
    RefundNotification, SubscriptionNotification, SubscriptionPaymentNotification,
};
#[cfg(any(feature = "axum", feature = "actix"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum", feature = "actix"))))]
pub use rejection::NotificationRejection;
pub use verifier::Verifier;
pub use verify::{NotifyError, verify, verify_signature};

/// The largest notification body accepted, in bytes (64 KiB).
///
/// QFPay's notifications are well under 2 KiB; a longer body is refused with
/// [`NotifyError::TooLarge`] before anything is hashed or parsed, so a
/// flood of large POSTs to the public notification URL costs little.
pub const MAX_BODY: usize = 64 * 1024;

/// The reply QFPay expects, with HTTP status 200, once a notification is
/// handled: exactly `SUCCESS` (reference §22.1, §27.1 #9 — not the legacy
/// lower-case `success`). Anything else makes QFPay deliver it again.
pub const SUCCESS_REPLY: &str = "SUCCESS";

/// The request header carrying the notification's signature (HTTP header
/// names are case-insensitive).
pub const SIGNATURE_HEADER: &str = "X-QF-SIGN";

/// The gaps between QFPay's delivery attempts after the first one fails
/// (reference §22.1): 2 min, 10 min, 10 min, 60 min, 2 h, 6 h, 15 h — eight
/// attempts in all over about 24 h 22 min, stopping at the first
/// `200 SUCCESS`. (The reference calls them "intervals"; reading each as the
/// gap since the previous attempt is an inference.)
pub const RETRY_INTERVALS: [Duration; 7] = [
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(15 * 3600),
];
