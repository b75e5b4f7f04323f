//! The default transport: one `reqwest` connection pool, rustls for TLS.

use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use crate::endpoint::Method;
use crate::error::BuildError;

/// The default [`Transport`]: a `reqwest` client (rustls, no OpenSSL) with
/// one connection pool, shared by every clone of the [`Client`](crate::Client).
///
/// Redirects are not followed (QFPay's API never redirects; a 3xx becomes an
/// [`Error::Http`](crate::Error::Http)). Build your own `reqwest::Client` and
/// wrap it with [`ReqwestTransport::from_client`] to add a proxy or custom roots.
///
/// It starts no timer per request: the [`Client`](crate::Client) bounds every
/// attempt with [`HttpRequest::timeout`] around [`Transport::send`] (see
/// [the module docs](super#timeouts)); only the connect phase is bounded here,
/// by the `reqwest` client's connect timeout.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    /// A transport with the given `User-Agent` and connect timeout.
    pub fn new(user_agent: &str, connect_timeout: Duration) -> Result<Self, BuildError> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError::HttpClient(Box::new(e)))?;
        Ok(Self::from_client(client))
    }

    /// Wraps an existing `reqwest::Client` (its settings are used as they are;
    /// the [`Client`](crate::Client) still bounds each attempt with its timeout).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

fn map_error(error: reqwest::Error) -> TransportError {
    // The URL of a GET carries parameter values; keep it out of errors and logs.
    let error = error.without_url();
    if error.is_timeout() {
        TransportError::Timeout
    } else if error.is_connect() {
        TransportError::Connect(Box::new(error))
    } else {
        TransportError::Other(Box::new(error))
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let HttpRequest {
                method,
                url,
                headers,
                body,
                // Enforced by the client around this future: one timer per
                // attempt, not two.
                timeout: _,
            } = request;
            let method = match method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            };
            let mut outgoing = self
                .client
                .request(method.clone(), url.as_str())
                .build()
                .map_err(map_error)?;
            if method == reqwest::Method::POST {
                *outgoing.body_mut() = Some(body.into());
            }
            // Names and values were validated when they were built: handed
            // over as they are, not parsed again.
            *outgoing.headers_mut() = headers;
            let mut response = self.client.execute(outgoing).await.map_err(map_error)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(map_error)?.to_vec();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
