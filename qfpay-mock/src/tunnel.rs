//! `CONNECT` handling: the mock acts as an HTTPS proxy **to itself** — it
//! answers `CONNECT host:port` with 200, terminates TLS with a self-signed
//! certificate and serves its own API inside. It never connects anywhere
//! else.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio_rustls::server::TlsStream;

use crate::reply::plain_text;
use crate::state::Shared;

/// The decrypted stream of a tunnel.
pub(crate) type Tunnelled = TlsStream<TokioIo<Upgraded>>;

/// Serves HTTP on a stream until it closes (the connection server, passed in
/// so that this module does not depend on it).
pub(crate) type ServeFn =
    Box<dyn FnOnce(Tunnelled) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// Answers a `CONNECT` request and, once the client upgrades, serves the
/// TLS stream inside with `serve`.
pub(crate) fn connect(
    shared: &Shared,
    req: &mut Request<Incoming>,
    serve: ServeFn,
) -> Response<Body> {
    const TEXT: &str = "text/plain; charset=utf-8";
    if !shared.config.accept_connect {
        return plain_text(StatusCode::METHOD_NOT_ALLOWED, TEXT, "CONNECT is disabled");
    }
    let Ok(acceptor) = shared.tls.get_or_init(make_tls_acceptor).clone() else {
        return plain_text(
            StatusCode::INTERNAL_SERVER_ERROR,
            TEXT,
            "cannot create the TLS certificate",
        );
    };
    let upgrade = hyper::upgrade::on(req);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let Ok(tls) = acceptor.accept(TokioIo::new(upgraded)).await else {
            return;
        };
        serve(tls).await;
    });
    Response::new(Body::empty())
}

/// A TLS acceptor with a fresh self-signed certificate (clients must skip
/// verification, e.g. `newman --insecure`).
fn make_tls_acceptor() -> Result<tokio_rustls::TlsAcceptor, String> {
    use tokio_rustls::rustls;
    let names: Vec<String> = [
        "localhost",
        "127.0.0.1",
        "openapi-hk.qfapi.com",
        "test-openapi-hk.qfapi.com",
        "openapi-int.qfapi.com",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| e.to_string())?;
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}
