//! `qfpay notify send` through the built binary, against the project's own
//! axum receiver (`examples/notify_server/receiver.rs`, the very router the
//! example serves) on a loopback port.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use qfpay::notify::Notification;
use qfpay::{ClientKey, SignType, Signature};

mod support;
use support::*;

#[path = "../../examples/notify_server/receiver.rs"]
mod receiver;

/// The example receiver on a loopback port, and the lines it logged.
struct Receiver {
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
    _rt: tokio::runtime::Runtime,
}

impl Receiver {
    /// The example's router, behind `wrap` (e.g. a layer that fails at first).
    fn start_with(wrap: impl FnOnce(Router) -> Router) -> Receiver {
        let rt = runtime();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log: receiver::Log = Arc::new(move |line: String| sink.lock().unwrap().push(line));
        let app = wrap(receiver::router(ClientKey::new(KEY), log));
        Receiver::serve(rt, app, lines)
    }

    fn start() -> Receiver {
        Receiver::start_with(|router| router)
    }

    fn serve(rt: tokio::runtime::Runtime, app: Router, lines: Arc<Mutex<Vec<String>>>) -> Receiver {
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!(
            "http://{}{}",
            listener.local_addr().unwrap(),
            receiver::PATH
        );
        rt.spawn(async move { axum::serve(listener, app).await });
        Receiver {
            url,
            lines,
            _rt: rt,
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

fn send(url: &str, notify_type: &str) -> std::process::Command {
    let mut cmd = qfpay();
    cmd.args(["notify", "send", "--url", url, "--type", notify_type])
        .env("QFPAY_CLIENT_KEY", KEY);
    cmd
}

/// The body line of the output (after `POST …` and `X-QF-SIGN: …`) and the signature.
fn sent(out: &str) -> (String, String) {
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("POST http://127.0.0.1:"));
    let sign = lines.next().unwrap().strip_prefix("X-QF-SIGN: ").unwrap();
    let sign = sign.split(' ').next().unwrap().to_owned();
    (lines.next().unwrap().to_owned(), sign)
}

#[test]
fn every_type_is_delivered_signed_typed_and_acknowledged() {
    let rx = Receiver::start();
    let cases = [
        ("payment", "payment  "),
        ("refund", "refund   "),
        ("unfreeze", "unfreeze "),
        ("payment_token", "token    tk_"),
        ("subscription", "subscription sub_"),
        ("subscription_payment", "subscription payment sub_ord_"),
    ];
    for (notify_type, logged) in cases {
        let o = run(send(&rx.url, notify_type).args(["--retry-scale", "0"]));
        assert_exit(&o, 0);
        let out = stdout(&o);
        let (body, sign) = sent(&out);
        // Signed as QFPay signs: upper-case MD5(body ‖ key).
        let expected = Signature::compute(SignType::Md5, body.as_bytes(), &ClientKey::new(KEY));
        assert_eq!(sign, expected.to_string(), "{out}");
        // QFPay's style: Python json.dumps separators, every value a string.
        assert!(body.starts_with("{\"") && body.contains("\", \""), "{body}");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(value.as_object().unwrap().values().all(|v| v.is_string()));
        assert_eq!(value["notify_type"], notify_type);
        // The SDK types it as that notification, not `Other`.
        let event = Notification::from_json(body.as_bytes()).unwrap();
        assert_eq!(event.notify_type(), Some(notify_type));
        assert!(!matches!(event, Notification::Other { .. }), "{body}");
        // One attempt, acknowledged, and the receiver handled the event.
        assert!(
            out.contains("attempt 1/8  ") && out.contains("HTTP 200 \"SUCCESS\"  acknowledged"),
            "{out}"
        );
        assert!(!out.contains("attempt 2/8"), "{out}");
        assert!(
            out.ends_with("delivered: acknowledged at attempt 1\n"),
            "{out}"
        );
        let last = rx.lines().pop().unwrap_or_default();
        assert!(last.starts_with(logged), "{notify_type}: {last}");
    }
    assert_eq!(rx.lines().len(), 6);
}

#[test]
fn payment_body_has_the_mocks_field_order() {
    let rx = Receiver::start();
    let o = run(send(&rx.url, "payment").args(["--key", KEY]));
    assert_exit(&o, 0);
    let (body, _) = sent(&stdout(&o));
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json's map is sorted; the order on the wire is checked on the text.
    assert!(names.contains(&"chnlsn") && !names.contains(&"mchid"));
    assert!(
        body.starts_with(r#"{"status": "1", "pay_type": "800101", "sysdtm": ""#),
        "{body}"
    );
    assert!(
        body.contains(r#""cancel": "0", "respcd": "0000", "goods_info": "", "#),
        "{body}"
    );
}

#[test]
fn fields_override_in_place_or_are_added() {
    let rx = Receiver::start();
    let o = run(send(&rx.url, "refund").args([
        "--field",
        "txamt=250",
        "--field",
        "goods_name=咖啡",
        "--field",
        "mchid=M1",
        "--field",
        "orig_syssn=20250102000200020000000001",
    ]));
    assert_exit(&o, 0);
    let (body, _) = sent(&stdout(&o));
    assert!(body.contains(r#""goods_name": "\u5496\u5561""#), "{body}");
    assert!(
        body.contains(r#""txdtm": ""#) && body.contains(r#"", "mchid": "M1", "txamt": "250", "#),
        "{body}"
    );
    assert!(
        body.ends_with(r#""orig_syssn": "20250102000200020000000001"}"#),
        "{body}"
    );
    match Notification::from_json(body.as_bytes()).unwrap() {
        Notification::Refund(r) => {
            assert_eq!(r.txamt.minor_units(), 250);
            assert_eq!(r.mchid.as_deref(), Some("M1"));
            assert_eq!(r.orig_syssn.unwrap().as_str(), "20250102000200020000000001");
        }
        other => panic!("{other:?}"),
    }
    assert!(rx.lines()[0].contains(" 250 HKD"), "{:?}", rx.lines());
}

#[test]
fn malformed_fields_types_and_urls_are_usage_errors() {
    for (args, says) in [
        (
            vec!["--type", "payment", "--field", "txamt"],
            "expected NAME=VALUE",
        ),
        (
            vec!["--type", "payment", "--field", "=1"],
            "the name before `=` is empty",
        ),
        (
            vec!["--type", "chargeback"],
            "possible values: payment, refund, unfreeze",
        ),
        (
            vec!["--type", "payment", "--retry-scale=-1"],
            "not a factor",
        ),
        (vec!["--type", "payment", "--attempts", "9"], "--attempts"),
    ] {
        let o = run(qfpay()
            .args([
                "notify",
                "send",
                "--key",
                KEY,
                "--url",
                "http://127.0.0.1:9/n",
            ])
            .args(&args));
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = run(qfpay().args([
        "notify",
        "send",
        "--key",
        KEY,
        "--url",
        "127.0.0.1:9/n",
        "--type",
        "payment",
    ]));
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("must start with http://"),
        "{}",
        stderr(&o)
    );
    // The key is required, as for every subcommand that signs.
    let o = run(qfpay().args([
        "notify",
        "send",
        "--url",
        "http://127.0.0.1:9/n",
        "--type",
        "payment",
    ]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no client key"), "{}", stderr(&o));
}

#[test]
fn tamper_is_refused_by_the_example_and_reported_when_accepted() {
    let rx = Receiver::start();
    let o = run(send(&rx.url, "payment").arg("--tamper"));
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("(deliberately wrong)"), "{out}");
    assert!(
        out.contains("attempt 1/1  ") && out.contains("HTTP 401"),
        "{out}"
    );
    assert!(
        out.contains("refused: the receiver answered HTTP 401"),
        "{out}"
    );
    assert!(rx.lines().is_empty(), "the forged event was not handled");

    // A receiver that answers SUCCESS to anything.
    let careless = Receiver::serve(
        runtime(),
        Router::new().route(receiver::PATH, axum::routing::post(|| async { "SUCCESS" })),
        Arc::default(),
    );
    let o = run(send(&careless.url, "payment").arg("--tamper"));
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("ACCEPTED a notification with a wrong X-QF-SIGN"),
        "{}",
        stderr(&o)
    );
}

/// Answers 503 to the first `failures` requests, then lets them through.
fn failing_first(failures: usize) -> impl FnOnce(Router) -> Router {
    move |router| {
        let seen = Arc::new(AtomicUsize::new(0));
        router.layer(middleware::from_fn(move |req: Request, next: Next| {
            let seen = Arc::clone(&seen);
            async move {
                if seen.fetch_add(1, Ordering::SeqCst) < failures {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
                } else {
                    let response: Response = next.run(req).await;
                    response
                }
            }
        }))
    }
}

#[test]
fn retries_on_the_scaled_schedule_until_acknowledged() {
    let rx = Receiver::start_with(failing_first(2));
    let o = run(send(&rx.url, "subscription_payment").args(["--retry-scale", "0.001"]));
    assert_exit(&o, 0);
    let out = stdout(&o);
    let attempts: Vec<&str> = out.lines().filter(|l| l.starts_with("attempt ")).collect();
    assert_eq!(attempts.len(), 3, "{out}");
    assert!(
        attempts[0].contains("HTTP 503 \"busy\"  not acknowledged, next attempt in 0.120s"),
        "{out}"
    );
    assert!(
        attempts[1].contains("HTTP 503 \"busy\"  not acknowledged, next attempt in 0.600s"),
        "{out}"
    );
    assert!(
        attempts[2].contains("HTTP 200 \"SUCCESS\"  acknowledged"),
        "{out}"
    );
    // The gaps were waited: +0.12 s, then +0.72 s after the first attempt.
    let elapsed = |line: &str| -> f64 {
        let plus = line.split("  +").nth(1).unwrap();
        plus.split('s').next().unwrap().parse().unwrap()
    };
    assert!(elapsed(attempts[1]) >= 0.12, "{out}");
    assert!(elapsed(attempts[2]) >= 0.72, "{out}");
    assert!(
        out.ends_with("delivered: acknowledged at attempt 3\n"),
        "{out}"
    );
    assert_eq!(rx.lines().len(), 1, "handled once: {:?}", rx.lines());
}

#[test]
fn never_acknowledged_and_unreachable_receivers_fail() {
    let rx = Receiver::start_with(failing_first(usize::MAX));
    let o = run(send(&rx.url, "payment").args(["--retry-scale", "0", "--attempts", "3"]));
    assert_exit(&o, 1);
    assert_eq!(stdout(&o).matches("HTTP 503").count(), 3, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("not acknowledged after 3 attempts"),
        "{}",
        stderr(&o)
    );

    let url = format!("http://127.0.0.1:{}/qfpay/notify", closed_port());
    let o = run(send(&url, "payment").args(["--retry-scale", "0", "--attempts", "2"]));
    assert_exit(&o, 4);
    assert!(
        stdout(&o).contains("attempt 2/2") && stdout(&o).contains("no answer"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("could not be reached at any of 2 attempts"),
        "{}",
        stderr(&o)
    );
}
