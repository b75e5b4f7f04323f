//! The actix-web extractor (feature `actix`) end to end on loopback: the
//! mock's signed notifications of two apps verify through one `Verifier`
//! and reach the handler; forged ones are answered 401 and never do; a
//! body over the limit is 413 and a receiver without a verifier answers 500.

mod notify_common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};
use notify_common::{Send, post};
use qfpay::notify::actix::VerifiedNotification;
use qfpay::notify::{MAX_BODY, Notification, SUCCESS_REPLY};

type Seen = Arc<Mutex<Vec<Notification>>>;

async fn handler(
    seen: web::Data<Seen>,
    VerifiedNotification(event): VerifiedNotification,
) -> &'static str {
    seen.lock().unwrap().push(event);
    SUCCESS_REPLY
}

/// An actix-web receiver on loopback, on a thread running its own actix
/// system; with the two-key verifier unless `verifier` is false.
fn start(seen: Seen, verifier: bool) -> (SocketAddr, ServerHandle) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                let app = App::new()
                    .app_data(web::Data::new(Arc::clone(&seen)))
                    .route("/qfpay/notify", web::post().to(handler));
                if verifier {
                    app.app_data(notify_common::two_key_verifier())
                } else {
                    app
                }
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
            let addr = server.addrs()[0];
            let server = server.run();
            tx.send((addr, server.handle())).unwrap();
            let _ = server.await;
        });
    });
    rx.recv().unwrap()
}

#[tokio::test]
async fn mock_signed_notifications_verify_and_forged_ones_are_refused() {
    let seen = Seen::default();
    let (addr, server) = start(Arc::clone(&seen), true);
    let paid = notify_common::mock_signed_and_forged(addr).await;

    // Only the two verified notifications reached the handler.
    let seen = seen.lock().unwrap().clone();
    let syssns: Vec<_> = seen
        .iter()
        .map(|event| match event {
            Notification::Payment(p) => p.syssn.as_str().to_owned(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(syssns, paid);

    // Over the limit, announced: 413 before the body is read.
    let reply = post(
        addr,
        "/qfpay/notify",
        &[("X-QF-SIGN", &"A".repeat(32))],
        Send::AnnounceOnly(MAX_BODY + 1),
    )
    .await;
    assert_eq!(reply.status, 413, "{reply:?}");
    server.stop(false).await;
}

#[tokio::test]
async fn without_a_verifier_nothing_is_accepted() {
    let seen = Seen::default();
    let (addr, server) = start(Arc::clone(&seen), false);
    let reply = post(
        addr,
        "/qfpay/notify",
        &[("X-QF-SIGN", &"A".repeat(32))],
        Send::Whole(b"{}"),
    )
    .await;
    assert_eq!(reply.status, 500, "{reply:?}");
    assert!(reply.body.contains("Verifier"), "{reply:?}");
    assert!(seen.lock().unwrap().is_empty());
    server.stop(false).await;
}
