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
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
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
        Ok(ReqwestTransport { client })
    }

    /// Wraps an existing `reqwest::Client` (its settings are used as they are;
    /// the per-request timeout is still applied).
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
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            };
            let mut builder = self
                .client
                .request(method, request.url.as_str())
                .timeout(request.timeout);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if request.method == Method::Post {
                builder = builder.body(request.body);
            }
            let response = builder.send().await.map_err(map_error)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response.bytes().await.map_err(map_error)?.to_vec();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
