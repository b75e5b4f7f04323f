//! The axum extractor end to end on a loopback server: verified
//! notifications reach the handler and get `200 SUCCESS`; anything else is
//! answered 401/413/400 and never reaches it.

mod notify_common;

use notify_common::{Receiver, Send, post};
use qfpay::notify::{MAX_BODY, Notification};
use qfpay::{ClientKey, SignType, Signature};

const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";
const PATH: &str = "/qfpay/notify";

fn payment_body() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/notify/unicode.body"
    ))
    .unwrap()
}

fn sign(body: &[u8]) -> String {
    Signature::compute(SignType::Md5, body, &ClientKey::new(KEY)).to_string()
}

#[tokio::test]
async fn a_verified_notification_reaches_the_handler() {
    let rx = Receiver::start(KEY, 0).await;
    let body = payment_body();
    let sig = sign(&body);
    let reply = post(rx.addr, PATH, &[("X-QF-SIGN", &sig)], Send::Whole(&body)).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "SUCCESS"));
    // Lower-case hex and a lower-case header name work too.
    let lower = sig.to_ascii_lowercase();
    let reply = post(rx.addr, PATH, &[("x-qf-sign", &lower)], Send::Whole(&body)).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "SUCCESS"));
    // Chunked transfer encoding is read whole before hashing.
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sig)],
        Send::Chunked {
            body: &body,
            chunk: 7,
            finish: true,
        },
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "SUCCESS"));

    assert_eq!(rx.calls(), 3);
    let seen = rx.seen();
    let Notification::Payment(p) = &seen[0] else {
        panic!("{seen:?}")
    };
    assert_eq!(p.goods_name, "咖啡😀");
    assert_eq!(p.syssn, "20240210000300020000000042");
    assert!(seen.iter().all(|e| *e == seen[0]));
}

#[tokio::test]
async fn refused_notifications_never_reach_the_handler() {
    let rx = Receiver::start(KEY, 0).await;
    let body = payment_body();
    let sig = sign(&body);

    // Missing, malformed and wrong signatures: 401.
    let reply = post(rx.addr, PATH, &[], Send::Whole(&body)).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    assert!(reply.body.contains("X-QF-SIGN"), "{reply:?}");
    let reply = post(rx.addr, PATH, &[("X-QF-SIGN", "12345")], Send::Whole(&body)).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &"Z".repeat(32))],
        Send::Whole(&body),
    )
    .await;
    assert_eq!(reply.status, 401, "{reply:?}");
    let mut tampered = body.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x20;
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sig)],
        Send::Whole(&tampered),
    )
    .await;
    assert_eq!(reply.status, 401, "{reply:?}");
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sig)],
        Send::Whole(&body[..body.len() - 1]),
    )
    .await;
    assert_eq!(reply.status, 401, "{reply:?}");
    let other_key = Signature::compute(SignType::Md5, &body, &ClientKey::new("OTHER")).to_string();
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &other_key)],
        Send::Whole(&body),
    )
    .await;
    assert_eq!(reply.status, 401, "{reply:?}");
    assert!(!reply.body.contains(KEY));

    // Valid signature, not JSON: 400, without echoing the body.
    let junk = b"<html>not json</html>";
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sign(junk))],
        Send::Whole(junk),
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(!reply.body.contains("html"), "{reply:?}");

    // Too large: by Content-Length (no body is sent at all) …
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sig)],
        Send::AnnounceOnly(MAX_BODY + 1),
    )
    .await;
    assert_eq!(reply.status, 413, "{reply:?}");
    // … and while streaming a chunked body that never ends.
    let big = vec![b' '; MAX_BODY + 16 * 1024];
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sign(&big))],
        Send::Chunked {
            body: &big,
            chunk: 16 * 1024,
            finish: false,
        },
    )
    .await;
    assert_eq!(reply.status, 413, "{reply:?}");

    assert_eq!(rx.calls(), 0, "no refused notification reached the handler");

    // Exactly MAX_BODY bytes is fine.
    let mut max = vec![b' '; MAX_BODY];
    max[..body.len()].copy_from_slice(&body);
    let reply = post(
        rx.addr,
        PATH,
        &[("X-QF-SIGN", &sign(&max))],
        Send::Whole(&max),
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "SUCCESS"));
    assert_eq!(rx.calls(), 1);
}

#[tokio::test]
async fn the_rejection_is_usable_on_its_own() {
    use axum::extract::FromRequest;
    use axum::response::IntoResponse;
    use qfpay::notify::axum::VerifiedNotification;

    let key = ClientKey::new(KEY);
    let request = axum::http::Request::post(PATH)
        .header("X-QF-SIGN", "00")
        .body(axum::body::Body::from(payment_body()))
        .unwrap();
    let rejection = VerifiedNotification::from_request(request, &key)
        .await
        .unwrap_err();
    assert_eq!(rejection.http_status(), 401);
    assert!(rejection.notify_error().is_some());
    assert_eq!(rejection.into_response().status(), 401);

    let body = payment_body();
    let request = axum::http::Request::post(PATH)
        .header("X-QF-SIGN", sign(&body))
        .body(axum::body::Body::from(body))
        .unwrap();
    let VerifiedNotification(event) = VerifiedNotification::from_request(request, &key)
        .await
        .unwrap();
    assert_eq!(event.notify_type(), Some("payment"));
}

/// One verifier with the keys of two apps: the mock's signed notifications
/// of both reach the handler; forged ones and a stranger's are answered 401.
#[tokio::test]
async fn one_verifier_for_two_apps_takes_the_mock_s_and_refuses_forgeries() {
    let rx = Receiver::start_with(notify_common::two_key_verifier(), 0).await;
    let paid = notify_common::mock_signed_and_forged(rx.addr).await;
    let seen: Vec<String> = rx
        .seen()
        .iter()
        .map(|event| match event {
            Notification::Payment(p) => p.syssn.as_str().to_owned(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(seen, paid);
}
