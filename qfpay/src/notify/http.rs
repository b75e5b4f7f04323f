//! Framework-neutral receiving with the `http` crate's types.
//!
//! For a framework built on `http` (hyper, tower services, …): collect the
//! body (at most [`MAX_BODY`](super::MAX_BODY) bytes — stop reading beyond
//! it), then
//!
//! ```
//! use qfpay::ClientKey;
//! use qfpay::notify::{self, http::{status_for, verify_request}};
//!
//! fn receive(req: &http::request::Parts, body: &[u8], key: &ClientKey) -> http::Response<String> {
//!     match verify_request(&req.headers, body, key) {
//!         Ok(event) => {
//!             // … record the event idempotently (see `Notification::dedup_key`) …
//!             # let _ = event;
//!             notify::http::success_response()
//!         }
//!         Err(error) => {
//!             let mut reply = http::Response::new(error.to_string());
//!             *reply.status_mut() = status_for(&error);
//!             reply
//!         }
//!     }
//! }
//! # let key = ClientKey::new("TESTKEY0123456789");
//! # let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
//! # let (parts, ()) = http::Request::post("/notify")
//! #     .header("X-QF-SIGN", "EF25A73D6EA314AA0C6F58CEE0A28C05")
//! #     .body(()).unwrap().into_parts();
//! # assert_eq!(receive(&parts, body, &key).body(), "SUCCESS");
//! # let (parts, ()) = http::Request::post("/notify").body(()).unwrap().into_parts();
//! # assert_eq!(receive(&parts, body, &key).status(), 401);
//! ```

use ::http::{HeaderMap, Response, StatusCode, header};

use super::receive::{check_content_length_value, signature_value};
use super::{Notification, NotifyError, SIGNATURE_HEADER, SUCCESS_REPLY};
use crate::ClientKey;

/// The `X-QF-SIGN` header's value: `Ok(None)` when absent, an error when it
/// is not visible ASCII (it cannot be hex then).
pub fn signature_header(headers: &HeaderMap) -> Result<Option<&str>, NotifyError> {
    signature_value(headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes()))
}

/// Verifies a notification request from its headers and raw body bytes:
/// [`super::verify`] with the `X-QF-SIGN` header taken from `headers`.
///
/// A `Content-Length` above [`MAX_BODY`](super::MAX_BODY) is refused even if `body` was cut
/// short, so pass the body as received.
pub fn verify_request(
    headers: &HeaderMap,
    body: &[u8],
    key: &ClientKey,
) -> Result<Notification, NotifyError> {
    check_content_length(headers)?;
    super::verify(body, signature_header(headers)?, key)
}

/// Refuses a request whose `Content-Length` announces more than
/// [`MAX_BODY`](super::MAX_BODY) bytes, before its body is read.
pub fn check_content_length(headers: &HeaderMap) -> Result<(), NotifyError> {
    check_content_length_value(headers.get(header::CONTENT_LENGTH).map(|v| v.as_bytes()))
}

/// The status to reply with when a notification is refused:
/// [`NotifyError::http_status`] as a [`StatusCode`]: 413 for
/// [`TooLarge`](NotifyError::TooLarge), 401 for a missing, malformed or wrong
/// signature, 400 for a body that is not JSON, 500 for an empty key.
///
/// QFPay retries anything but 200 + `SUCCESS`; a 4xx here is for the logs
/// and for whoever else is knocking.
pub fn status_for(error: &NotifyError) -> StatusCode {
    StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// HTTP 200 with the body `SUCCESS` (`text/plain`), the reply that stops
/// QFPay's retries.
pub fn success_response<B: From<&'static str>>() -> Response<B> {
    let mut response = Response::new(B::from(SUCCESS_REPLY));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_length_checks() {
        let mut headers = HeaderMap::new();
        assert!(matches!(signature_header(&headers), Ok(None)));
        headers.insert(
            "x-qf-sign",
            header::HeaderValue::from_bytes(b"\xffAB").unwrap_or_else(|_| unreachable!()),
        );
        assert!(matches!(
            signature_header(&headers),
            Err(NotifyError::MalformedSignature(_))
        ));
        headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(65537u32));
        let err = check_content_length(&headers).map(|_| ()).unwrap_err();
        assert!(matches!(err, NotifyError::TooLarge { len: 65537, .. }));
        assert_eq!(status_for(&err), StatusCode::PAYLOAD_TOO_LARGE);
        let ok: Response<String> = success_response();
        assert_eq!(
            (ok.status(), ok.body().as_str()),
            (StatusCode::OK, "SUCCESS")
        );
    }
}
