//! A recording / replaying transport for tests — yours and ours.
//!
//! ```
//! use qfpay::transport::mock::RecordingTransport;
//! use qfpay::transport::HttpResponse;
//! use qfpay::{Client, Environment, Method, RawParams, RawRequest};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), qfpay::Error> {
//! let transport = RecordingTransport::new();
//! transport.push_response(HttpResponse::json(200, r#"{"respcd":"0000","resperr":"ok","respmsg":"","data":[]}"#));
//!
//! let client = Client::builder()
//!     .app_code("APPCODE0001")
//!     .client_key("TESTKEY0123456789")
//!     .environment(Environment::Custom("http://qfpay.test".into()))
//!     .transport(transport.clone())
//!     .build()?;
//!
//! let query = RawRequest::new(Method::Post, "/trade/v1/query", RawParams::from_pairs([("syssn", "1")]));
//! let response = client.call(&query).await?;
//! assert!(response.envelope.respcd.is_accepted());
//!
//! let sent = transport.requests();
//! assert_eq!(sent[0].path(), "/trade/v1/query");
//! assert_eq!(sent[0].body, b"syssn=1");
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// One queued answer.
enum Reply {
    Response(HttpResponse),
    Error(TransportError),
    /// Never answers (until the client's timeout fires).
    Hang,
    /// Answers after a delay.
    Delayed(Duration, HttpResponse),
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    requests: Vec<HttpRequest>,
}

/// Records every request and answers with queued responses, in order.
///
/// Cheap to clone; clones share the queue and the record, so keep one clone
/// to inspect after handing the other to
/// [`ClientBuilder::transport`](crate::ClientBuilder::transport). When the
/// queue is empty a request fails with a [`TransportErrorKind::Other`](super::TransportErrorKind::Other) error.
#[derive(Clone, Default)]
pub struct RecordingTransport {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("RecordingTransport")
            .field("queued", &state.replies.len())
            .field("recorded", &state.requests.len())
            .finish()
    }
}

impl RecordingTransport {
    /// An empty transport.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state inconsistent
        // (every critical section is a single push/pop), so poisoning is ignored.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a response.
    pub fn push_response(&self, response: HttpResponse) -> &Self {
        self.lock().replies.push_back(Reply::Response(response));
        self
    }

    /// Queues a `200` JSON response with `body`.
    pub fn push_json(&self, body: impl Into<Vec<u8>>) -> &Self {
        self.push_response(HttpResponse::json(200, body))
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().replies.push_back(Reply::Error(error));
        self
    }

    /// Queues a response delivered after `delay` (tokio timer).
    pub fn push_delayed(&self, delay: Duration, response: HttpResponse) -> &Self {
        self.lock()
            .replies
            .push_back(Reply::Delayed(delay, response));
        self
    }

    /// Queues an answer that never comes: the client's timeout fires.
    pub fn push_hang(&self) -> &Self {
        self.lock().replies.push_back(Reply::Hang);
        self
    }

    /// The requests sent so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// Takes the requests sent so far, leaving the record empty.
    pub fn take_requests(&self) -> Vec<HttpRequest> {
        std::mem::take(&mut self.lock().requests)
    }

    /// How many requests were sent.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// How many queued answers are left.
    pub fn pending_replies(&self) -> usize {
        self.lock().replies.len()
    }
}

impl Transport for RecordingTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = {
            let mut state = self.lock();
            state.requests.push(request);
            state.replies.pop_front()
        };
        Box::pin(async move {
            match reply {
                Some(Reply::Response(r)) => Ok(r),
                Some(Reply::Error(e)) => Err(e),
                Some(Reply::Delayed(delay, r)) => {
                    tokio::time::sleep(delay).await;
                    Ok(r)
                }
                Some(Reply::Hang) => {
                    std::future::pending::<()>().await;
                    Err(TransportError::timeout())
                }
                None => Err(TransportError::other(
                    "RecordingTransport: no response queued for this request",
                )),
            }
        })
    }
}
