//! One client connection: HTTP/1.1 with keep-alive, and the pipeline every
//! request goes through — read the body, record it, apply an injected
//! fault, route (control API or QFPay API).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::injection::{self, Outcome};
use crate::reply::plain_text;
use crate::state::{Shared, lock};
#[cfg(feature = "proxy")]
use crate::tunnel;

/// What serving one connection needs.
#[derive(Clone)]
pub(crate) struct Conn {
    shared: Arc<Shared>,
    router: Router,
    shutdown: watch::Receiver<bool>,
    /// Held, never read: dropping the last clone tells the accept loop all
    /// connections ended.
    _alive: tokio::sync::mpsc::Sender<()>,
}

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Conn {
    pub(crate) fn new(
        shared: Arc<Shared>,
        router: Router,
        shutdown: watch::Receiver<bool>,
        alive: tokio::sync::mpsc::Sender<()>,
    ) -> Self {
        Conn {
            shared,
            router,
            shutdown,
            _alive: alive,
        }
    }

    /// Serves HTTP/1.1 on `io` until it closes; on shutdown, finishes the
    /// request in flight and closes. Boxed: a `CONNECT` tunnel serves its
    /// TLS stream with this from inside the request pipeline.
    pub(crate) fn serve<I>(self, io: I) -> BoxFuture
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        Box::pin(async move {
            let mut shutdown = self.shutdown.clone();
            let service = {
                let conn = self.clone();
                hyper::service::service_fn(move |req| pipeline(conn.clone(), req))
            };
            let http = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(io), service)
                .with_upgrades();
            tokio::pin!(http);
            if *shutdown.borrow_and_update() {
                http.as_mut().graceful_shutdown();
            }
            tokio::select! {
                _ = http.as_mut() => {}
                _ = shutdown.changed() => {
                    http.as_mut().graceful_shutdown();
                    let _ = http.await;
                }
            }
            drop(self);
        })
    }
}

/// Per request: read the body, record, apply a fault, route.
async fn pipeline(conn: Conn, req: Request<Incoming>) -> Outcome {
    if req.method() == Method::CONNECT {
        #[cfg(feature = "proxy")]
        {
            let mut req = req;
            let inner = conn.clone();
            let serve: tunnel::ServeFn = Box::new(move |tls| inner.serve(tls));
            return Ok(tunnel::connect(&conn.shared, &mut req, serve));
        }
        #[cfg(not(feature = "proxy"))]
        return Ok(plain_text(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            if conn.shared.config.accept_connect {
                "CONNECT needs qfpay-mock's `proxy` feature"
            } else {
                "CONNECT is disabled"
            },
        ));
    }
    let Conn { shared, router, .. } = conn;
    let (mut parts, body) = req.into_parts();
    let bytes = match Limited::new(body, shared.config.max_body).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            return Ok(plain_text(
                StatusCode::PAYLOAD_TOO_LARGE,
                "text/plain; charset=utf-8",
                "request body too large or unreadable",
            ));
        }
    };
    let path = parts.uri.path();
    let control = path == "/__mock" || path.starts_with("/__mock/");
    let fault = if control {
        None
    } else {
        lock(&shared.faults).take(path)
    };
    if !control && let Some(seq) = shared.record(&parts, &bytes, fault.as_ref()) {
        parts.extensions.insert(seq);
    }
    if let Some(outcome) = fault.as_ref().and_then(injection::instead) {
        return outcome;
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let resp: Response<Body> = match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    injection::after(fault, resp).await
}
