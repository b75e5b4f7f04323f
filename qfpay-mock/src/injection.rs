//! What an injected [`Fault`] does to a request's reply: some replace the
//! reply before the request is handled, others change the reply after.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use http_body_util::BodyExt;

use crate::fault::Fault;
use crate::reply::plain_text;

/// The connection is closed without a response (fault injection).
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// What a request ends as when a fault applies.
pub(crate) type Outcome = Result<Response<Body>, DropConnection>;

/// This HTTP status with its reason phrase as a plain-text body.
fn status_reply(status: u16) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = Response::new(Body::from(format!("{status}")));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The reply that replaces handling the request, for the faults that do
/// (`None`: handle it, then apply [`after`]).
pub(crate) fn instead(fault: &Fault) -> Option<Outcome> {
    Some(match fault {
        Fault::DropConnection => Err(DropConnection),
        Fault::TooManyRequests { retry_after_secs } => {
            let mut r = plain_text(
                StatusCode::TOO_MANY_REQUESTS,
                "text/plain; charset=utf-8",
                "Too Many Requests",
            );
            if let Some(s) = retry_after_secs
                && let Ok(v) = HeaderValue::from_str(&s.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(r)
        }
        Fault::Status { status } => Ok(status_reply(*status)),
        Fault::NonJson => Ok(plain_text(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n",
        )),
        _ => return None,
    })
}

/// The reply to send once the request was handled and answered `resp`.
pub(crate) async fn after(fault: Option<Fault>, resp: Response<Body>) -> Outcome {
    match fault {
        Some(Fault::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(resp)
        }
        Some(Fault::DropAfterProcessing) => Err(DropConnection),
        // The payment or refund was made; the gateway in front fails anyway.
        Some(Fault::StatusAfterProcessing { status }) => Ok(status_reply(status)),
        Some(Fault::TruncatedJson) => {
            let (mut parts, body) = resp.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            Ok(Response::from_parts(parts, Body::from(cut)))
        }
        Some(Fault::WrongSignature) => {
            let (mut parts, body) = resp.into_parts();
            let current = parts
                .headers
                .get("x-qf-sign")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("00000000000000000000000000000000")
                .to_owned();
            let mut wrong: Vec<char> = current.chars().collect();
            if let Some(c) = wrong.first_mut() {
                *c = if *c == '0' { '1' } else { '0' };
            }
            let wrong: String = wrong.into_iter().collect();
            if let Ok(v) = HeaderValue::from_str(&wrong) {
                parts.headers.insert("x-qf-sign", v);
            }
            Ok(Response::from_parts(parts, body))
        }
        _ => Ok(resp),
    }
}
