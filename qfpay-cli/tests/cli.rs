//! Command-level tests of the `qfpay` binary: every subcommand as a
//! subprocess, against the workspace's signing vectors and an in-process
//! qfpay-mock server. No internet.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Deserialize;

mod support;
use support::*;

// ---------------------------------------------------------------------------
// signing vectors
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
struct Vectors {
    requests: Vec<RequestVector>,
    notifications: Vec<NotificationVector>,
}

#[derive(Deserialize)]
struct RequestVector {
    name: String,
    key: String,
    params: serde_json::Map<String, serde_json::Value>,
    canonical: String,
    md5: String,
    sha256: String,
}

#[derive(Deserialize)]
struct NotificationVector {
    key: String,
    body: String,
    x_qf_sign: String,
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(workspace_file("tests/data/signing.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

impl RequestVector {
    fn pairs(&self) -> Vec<String> {
        self.params
            .iter()
            .map(|(n, v)| format!("{n}={}", v.as_str().unwrap()))
            .collect()
    }

    fn has_empty_value(&self) -> bool {
        self.params.values().any(|v| v.as_str() == Some(""))
    }
}

// ---------------------------------------------------------------------------
// sign
// ---------------------------------------------------------------------------

#[test]
fn every_request_vector_signs_as_published_md5_and_sha256() {
    let v = vectors();
    assert!(v.requests.len() >= 10);
    for case in &v.requests {
        // The published legacy vector signs an empty value (`channel_type=`);
        // the SDK never does, so it is reproduced with --keep-empty, as the
        // SDK's own tests reproduce it with `keep_empty_values(true)`.
        let keep = case.has_empty_value();
        for (sign_type, expected) in [("md5", &case.md5), ("sha256", &case.sha256)] {
            let mut cmd = qfpay();
            cmd.args(["sign", "--key", &case.key, "--sign-type", sign_type]);
            if keep {
                cmd.arg("--keep-empty");
            }
            cmd.arg("--").args(case.pairs());
            let o = run(&mut cmd);
            assert_exit(&o, 0);
            assert_eq!(
                stdout(&o),
                format!("{expected}\n"),
                "{} {sign_type}",
                case.name
            );
        }
        // Key from the environment, default sign type (MD5).
        let mut cmd = qfpay();
        cmd.arg("sign").env("QFPAY_CLIENT_KEY", &case.key);
        if keep {
            cmd.arg("--keep-empty");
        }
        let o = run(cmd.arg("--").args(case.pairs()));
        assert_exit(&o, 0);
        assert_eq!(stdout(&o).trim(), case.md5, "{} env key", case.name);
    }
}

#[test]
fn explain_shows_the_canonical_string_with_the_key_as_a_placeholder() {
    let v = vectors();
    for case in &v.requests {
        let keep = case.has_empty_value();
        let key_file = temp_file(
            &format!("key-{}", case.name),
            format!("{}\n", case.key).as_bytes(),
        );
        let mut cmd = qfpay();
        cmd.args(["sign", "--explain", "--key-file"]).arg(&key_file);
        if keep {
            cmd.arg("--keep-empty");
        }
        let o = run(cmd.arg("--").args(case.pairs()));
        assert_exit(&o, 0);
        let out = stdout(&o);
        assert!(
            out.contains(&format!("sign input   {}{{client_key}}\n", case.canonical)),
            "{}:\n{out}",
            case.name
        );
        assert!(
            out.ends_with(&format!("signature    {}\n", case.md5)),
            "{out}"
        );
        assert!(!out.contains(&case.key), "the key leaked:\n{out}");
        assert!(!stderr(&o).contains(&case.key));
    }
}

#[test]
fn explain_output_in_full() {
    let o = run(qfpay().args([
        "sign",
        "--explain",
        "--sign-type",
        "sha256",
        "--key",
        "0E32A59A8B454940A2FF3900C1D2E3F4",
        "txamt=10",
        "goods_name=a&b=c+d%20e/f?g#h",
        "pay_type=800101",
        "udid=",
        "out_trade_no=01234567890123",
        "txcurrcd=HKD",
        "txdtm=2019-12-25 14:21:28",
    ]));
    assert_exit(&o, 0);
    let expected = "\
sign type    SHA-256 (send `X-QF-SIGNTYPE: SHA256`)
parameters   6 signed, sorted by name (byte order), raw values:
  goods_name=a&b=c+d%20e/f?g#h
  out_trade_no=01234567890123
  pay_type=800101
  txamt=10
  txcurrcd=HKD
  txdtm=2019-12-25 14:21:28
dropped      `udid` has an empty value: the SDK neither sends nor signs it (--keep-empty keeps it)
sign input   goods_name=a&b=c+d%20e/f?g#h&out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25 14:21:28{client_key}
             (canonical string + client key, hashed as UTF-8; the key is not shown)
form body    goods_name=a%26b%3Dc%2Bd%2520e%2Ff%3Fg%23h&out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28
header       X-QF-SIGNTYPE: SHA256
signature    CF4C5FD0862ABB2F8398646E0F9D19336A53DAE3293168CA0C8DBC281B34000A
";
    assert_eq!(stdout(&o), expected);
}

#[test]
fn empty_values_follow_the_sdk_rule_unless_kept() {
    let v = vectors();
    let legacy = v
        .requests
        .iter()
        .find(|c| c.name == "published-legacy-signup")
        .unwrap();
    // Without --keep-empty: the SDK rule (empty `channel_type` dropped) gives
    // another signature, and --explain says why.
    let o = run(qfpay()
        .args(["sign", "--explain", "--key", &legacy.key, "--"])
        .args(legacy.pairs()));
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains("dropped      `channel_type` has an empty value"),
        "{out}"
    );
    assert!(!out.contains("channel_type="), "{out}");
    assert!(!out.contains(&legacy.md5), "{out}");
    // With it: QFPay's published answer, and the explanation says it is kept.
    let o = run(qfpay()
        .args([
            "sign",
            "--explain",
            "--keep-empty",
            "--key",
            &legacy.key,
            "--",
        ])
        .args(legacy.pairs()));
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("empty        `channel_type` is kept"), "{out}");
    assert!(out.contains("&channel_type=&"), "{out}");
    assert!(out.ends_with(&format!("signature    {}\n", legacy.md5)));
    // Lower case, as the published document printed it.
    let o = run(qfpay()
        .args([
            "sign",
            "--keep-empty",
            "--lowercase",
            "--key",
            &legacy.key,
            "--",
        ])
        .args(legacy.pairs()));
    assert_eq!(stdout(&o).trim(), legacy.md5.to_ascii_lowercase());
}

#[test]
fn values_split_at_the_first_equals_and_form_bodies_are_decoded() {
    // `goods_name=a&b=c+d%20e/f?g#h` from the vectors, given as a form body.
    let by_pairs = run(qfpay().args(["sign", "--key", "k", "goods_name=x=y=z", "txamt=10"]));
    let by_form = run(qfpay().args([
        "sign",
        "--key",
        "k",
        "--form",
        "txamt=10&goods_name=x%3Dy%3Dz",
    ]));
    let mixed = run(qfpay().args([
        "sign",
        "--key",
        "k",
        "--form",
        "txamt=10",
        "goods_name=x=y=z",
    ]));
    assert_exit(&by_pairs, 0);
    assert_eq!(stdout(&by_pairs), stdout(&by_form));
    assert_eq!(stdout(&by_pairs), stdout(&mixed));
}

#[test]
fn bad_sign_input_exits_with_usage_or_io_codes() {
    // Malformed pair: no `=`.
    let o = run(qfpay().args(["sign", "--key", "k", "txamt"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("expected NAME=VALUE"), "{}", stderr(&o));
    // Empty name.
    let o = run(qfpay().args(["sign", "--key", "k", "=10"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("name before `=` is empty"));
    // Unknown sign type.
    let o = run(qfpay().args(["sign", "--key", "k", "--sign-type", "rot13", "a=1"]));
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("unknown sign type `rot13`"),
        "{}",
        stderr(&o)
    );
    // No key anywhere.
    let o = run(qfpay().args(["sign", "a=1"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no client key"));
    // Empty key.
    let o = run(qfpay().args(["sign", "--key", "", "a=1"]));
    assert_exit(&o, 2);
    // Missing key file: I/O.
    let o = run(qfpay().args(["sign", "--key-file", "/nonexistent/qfpay/key", "a=1"]));
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("cannot read key file `/nonexistent/qfpay/key`"));
    // --key and --key-file together.
    let o = run(qfpay().args(["sign", "--key", "k", "--key-file", "f", "a=1"]));
    assert_exit(&o, 2);
}

// ---------------------------------------------------------------------------
// verify-notification
// ---------------------------------------------------------------------------

#[test]
fn notification_vector_verifies_from_a_file_and_from_stdin() {
    let v = vectors();
    let n = &v.notifications[0];
    let body = temp_file("notification.json", n.body.as_bytes());

    let o = run(qfpay()
        .args([
            "verify-notification",
            "--key",
            &n.key,
            "--signature",
            &n.x_qf_sign,
        ])
        .arg(&body));
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("20200615000200020000641807"), "{out}");
    assert!(out.to_ascii_lowercase().contains("payment"), "{out}");
    assert!(!out.contains(&n.key));

    // Standard input, lower-case signature, key from the environment.
    for file_arg in [None, Some("-")] {
        let mut cmd = qfpay();
        cmd.args([
            "verify-notification",
            "--signature",
            &n.x_qf_sign.to_ascii_lowercase(),
        ])
        .env("QFPAY_CLIENT_KEY", &n.key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        if let Some(arg) = file_arg {
            cmd.arg(arg);
        }
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(n.body.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert_exit(&o, 0);
        assert!(stdout(&o).contains("20200615000200020000641807"));
    }
}

#[test]
fn tampered_or_malformed_notifications_fail() {
    let v = vectors();
    let n = &v.notifications[0];

    // One byte changed in the body.
    let tampered = n.body.replace("\"txamt\": \"10\"", "\"txamt\": \"19\"");
    assert_ne!(tampered, n.body);
    let file = temp_file("tampered.json", tampered.as_bytes());
    let o = run(qfpay()
        .args([
            "verify-notification",
            "--key",
            &n.key,
            "--signature",
            &n.x_qf_sign,
        ])
        .arg(&file));
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("does not match"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(&n.key));

    // Wrong key.
    let file = temp_file("genuine.json", n.body.as_bytes());
    let o = run(qfpay()
        .args([
            "verify-notification",
            "--key",
            "WRONGKEY",
            "--signature",
            &n.x_qf_sign,
        ])
        .arg(&file));
    assert_exit(&o, 1);

    // Not hex / wrong length.
    let bad_hex = format!("{}ZZ", &n.x_qf_sign[..30]);
    for sig in [bad_hex.as_str(), "ABC"] {
        let o = run(qfpay()
            .args(["verify-notification", "--key", &n.key, "--signature", sig])
            .arg(&file));
        assert_exit(&o, 1);
        assert!(stderr(&o).contains("malformed"), "{}", stderr(&o));
    }

    // A saved body that gained a final newline: the error says so.
    let with_newline = temp_file("newline.json", format!("{}\n", n.body).as_bytes());
    let o = run(qfpay()
        .args([
            "verify-notification",
            "--key",
            &n.key,
            "--signature",
            &n.x_qf_sign,
        ])
        .arg(&with_newline));
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("without its final line break"),
        "{}",
        stderr(&o)
    );

    // Missing file: I/O.
    let o = run(qfpay().args([
        "verify-notification",
        "--key",
        &n.key,
        "--signature",
        &n.x_qf_sign,
        "/nonexistent/qfpay/body.json",
    ]));
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("/nonexistent/qfpay/body.json"));
}

#[test]
fn a_notification_sent_by_the_mock_verifies() {
    let rt = runtime();
    let server = start_mock(&rt);
    let base = server.base_url().to_owned();
    let o = run(against(&base, "pay").args(["--pay-type", "800101", "--amount", "250"]));
    assert_exit(&o, 0);
    let syssn = json(&o)["syssn"].as_str().unwrap().to_owned();
    server.pay(&syssn).unwrap();
    let note = server
        .notifications()
        .into_iter()
        .find(|n| n.syssn == syssn)
        .expect("a notification for the paid order");
    let file = temp_file("mock-notification.json", note.body.as_bytes());
    let o = run(qfpay()
        .args([
            "verify-notification",
            "--key",
            KEY,
            "--signature",
            &note.signature,
        ])
        .arg(&file));
    assert_exit(&o, 0);
    assert!(stdout(&o).contains(&syssn), "{}", stdout(&o));
    assert!(stdout(&o).contains("250"), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------
// call, pay, query, refund against the mock
// ---------------------------------------------------------------------------

#[test]
fn call_pay_query_refund_against_the_mock() {
    let rt = runtime();
    let server = start_mock(&rt);
    let base = server.base_url().to_owned();

    // A raw call: MPM payment, MD5.
    let o = run(against(&base, "call").args([
        "--sign-type",
        "md5",
        "/trade/v1/payment",
        "pay_type=800101",
        "txamt=300",
        "txcurrcd=HKD",
        "out_trade_no=CLI-ORDER-0001",
        "txdtm=2025-01-02 03:04:05",
        "goods_name=",
    ]));
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("`goods_name` has an empty value and is not sent"));
    let answer = json(&o);
    assert_eq!(answer["respcd"], "0000");
    let syssn = answer["syssn"].as_str().unwrap().to_owned();
    assert!(
        !stdout(&o).contains('\x1b'),
        "no colour when not a terminal"
    );
    let sent = server.requests();
    let last = sent.last().unwrap();
    assert_eq!(last.path, "/trade/v1/payment");
    assert!(!last.body.contains("goods_name"));
    assert!(!last.headers.iter().any(|(n, _)| n == "x-qf-signtype"));

    // The customer pays; the typed query sees it.
    server.pay(&syssn).unwrap();
    let o = run(against(&base, "query").args(["--syssn", &syssn]));
    assert_exit(&o, 0);
    let answer = json(&o);
    assert_eq!(answer["respcd"], "0000");
    assert_eq!(answer["data"][0]["syssn"], syssn.as_str());
    assert_eq!(answer["data"][0]["respcd"], "0000");

    // Typed refund of part of it (SHA-256, the default).
    let o = run(against(&base, "refund").args(["--syssn", &syssn, "--amount", "100"]));
    assert_exit(&o, 0);
    assert_eq!(json(&o)["respcd"], "0000");
    assert!(
        !stdout(&o).contains("null"),
        "typed answers leave out absent fields:\n{}",
        stdout(&o)
    );
    let last = server.requests().pop().unwrap();
    assert!(
        last.headers
            .iter()
            .any(|(n, v)| n == "x-qf-signtype" && v == "SHA256")
    );

    // Refunding more than what is left: QFPay-level error, exit 1, the whole
    // answer on stdout.
    let o = run(against(&base, "refund").args(["--syssn", &syssn, "--amount", "1000"]));
    assert_exit(&o, 1);
    assert_ne!(json(&o)["respcd"], "0000");
    assert!(stderr(&o).contains("/trade/v1/refund"), "{}", stderr(&o));

    // A GET with the query string (the mock's close accepts GET, as the
    // reference documents), --color always.
    let o = run(against(&base, "pay").args(["--pay-type", "800201", "--amount", "500"]));
    assert_exit(&o, 0);
    let open_syssn = json(&o)["syssn"].as_str().unwrap().to_owned();
    let o = run(against(&base, "call").args([
        "--method",
        "GET",
        "--color",
        "always",
        "/trade/v1/close",
        &format!("syssn={open_syssn}"),
        "txamt=500",
        "txdtm=2025-01-02 03:04:05",
    ]));
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("\x1b["), "{}", stdout(&o));
    let last = server.requests().pop().unwrap();
    assert_eq!(last.method, "GET");
    assert!(last.query.unwrap_or_default().contains("txamt=500"));

    // A method the catalogue does not give the path: refused before sending.
    let o = run(against(&base, "call").args(["--method", "GET", "/trade/v1/query", "syssn=1"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("by POST, not GET"), "{}", stderr(&o));

    // An HTTP error status with a JSON body: exit 1, the body printed.
    let o = run(against(&base, "call").args(["/trade/v1/no_such_endpoint", "syssn=1"]));
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("HTTP status 404"), "{}", stderr(&o));
    // The JSON answer is shown decoded on standard output, not as an
    // escaped excerpt in the message.
    assert!(
        stderr(&o).contains("the JSON answer is printed on standard output"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("\\\""), "{}", stderr(&o));
    assert!(json(&o)["respcd"].is_string());
}

#[test]
fn wrong_key_gives_the_1108_answer_and_never_prints_the_key() {
    let rt = runtime();
    let server = start_mock(&rt);
    let base = server.base_url().to_owned();
    let wrong = "WRONGKEY-DO-NOT-PRINT-0001";
    let o = run(against(&base, "call").env("QFPAY_CLIENT_KEY", wrong).args([
        "-v",
        "/trade/v1/payment",
        "pay_type=800101",
        "txamt=300",
        "txcurrcd=HKD",
        "out_trade_no=CLI-ORDER-0002",
        "txdtm=2025-01-02 03:04:05",
    ]));
    assert_exit(&o, 1);
    assert_eq!(json(&o)["respcd"], "1108");
    assert!(stderr(&o).contains("1108"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the app code and the client key do not belong together"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("qfpay doctor"), "{}", stderr(&o));
    for text in [stdout(&o), stderr(&o)] {
        assert!(!text.contains(wrong), "key leaked:\n{text}");
        assert!(!text.contains(KEY), "server key leaked:\n{text}");
    }
    // -v showed the request.
    assert!(stderr(&o).contains("> POST "), "{}", stderr(&o));
    assert!(stderr(&o).contains("X-QF-SIGN: "));
}

#[test]
fn dry_run_prints_the_signed_request_and_sends_nothing() {
    let port = closed_port();
    let o = run(against(&format!("http://127.0.0.1:{port}"), "call")
        .args([
            "--dry-run",
            "--sign-type",
            "md5",
            "--mchid",
            "ZaMVg12345",
            "/trade/v1/refund",
            "syssn=20191227000200020061752831",
            "out_trade_no=12345678",
            "txamt=10",
            "txdtm=2019-12-27 10:39:39",
        ])
        .env("QFPAY_CLIENT_KEY", "0E32A59A8B454940A2FF3900C1D2E3F4"));
    assert_exit(&o, 0);
    let out = stdout(&o);
    // The `refund` vector of signing.json (mchid added by the client).
    assert!(
        out.starts_with(&format!("POST http://127.0.0.1:{port}/trade/v1/refund\n")),
        "{out}"
    );
    assert!(
        out.contains("X-QF-SIGN: 162168455D37181CB4E7E04D16711B8C\n"),
        "{out}"
    );
    assert!(out.contains("X-QF-APPCODE: APPCODE0001\n"));
    assert!(!out.contains("X-QF-SIGNTYPE"));
    assert!(out.ends_with(
        "\nmchid=ZaMVg12345&out_trade_no=12345678&syssn=20191227000200020061752831&txamt=10&txdtm=2019-12-27+10%3A39%3A39\n"
    ), "{out}");
    assert!(!out.contains("0E32A59A8B454940A2FF3900C1D2E3F4"));
}

/// `get_weixin_openid` is MD5 only (reference §5.2): a call by path signs
/// it with MD5 and sends no `X-QF-SIGNTYPE`, whatever the configured hash,
/// and takes the catalogue's method (GET) without `--method`.
#[test]
fn call_by_path_follows_the_catalogue_rules() {
    let port = closed_port();
    let key = "0E32A59A8B454940A2FF3900C1D2E3F4";
    let o = run(against(&format!("http://127.0.0.1:{port}"), "call")
        .args([
            "--dry-run",
            "--sign-type",
            "sha256",
            "/tool/v1/get_weixin_openid",
            "code=abc",
        ])
        .env("QFPAY_CLIENT_KEY", key));
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "GET http://127.0.0.1:{port}/tool/v1/get_weixin_openid?code=abc\n"
        )),
        "{out}"
    );
    assert!(!out.contains("X-QF-SIGNTYPE"), "{out}");
    let md5 = hex::encode_upper(<md5::Md5 as md5::Digest>::digest(format!("code=abc{key}")));
    assert!(out.contains(&format!("X-QF-SIGN: {md5}\n")), "{out}");

    // A method the catalogue does not give the path is refused before sending.
    let o = run(against(&format!("http://127.0.0.1:{port}"), "call")
        .args([
            "--dry-run",
            "--method",
            "POST",
            "/tool/v1/get_weixin_openid",
            "code=abc",
        ])
        .env("QFPAY_CLIENT_KEY", key));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("GET"), "{}", stderr(&o));
}

#[test]
fn call_input_errors() {
    let rt = runtime();
    let server = start_mock(&rt);
    let base = server.base_url().to_owned();

    // Malformed pair.
    let o = run(against(&base, "call").args(["/trade/v1/query", "syssn"]));
    assert_exit(&o, 2);
    // Missing app code.
    let o = run(qfpay().args(["call", "--base-url", &base, "--key", "k", "/trade/v1/query"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("--app-code"));
    // Bad base URL; --env and --base-url together.
    let o = run(against("ftp://x", "call").arg("/trade/v1/query"));
    assert_exit(&o, 2);
    let o = run(against(&base, "call").args(["--env", "sandbox", "/trade/v1/query"]));
    assert_exit(&o, 2);
    // Path without a leading slash: refused before sending.
    let o = run(against(&base, "call").arg("trade/v1/query"));
    assert_exit(&o, 2);
    // A CPM pay type without an auth code: the typed request refuses it.
    let o = run(against(&base, "pay").args(["--pay-type", "800208", "--amount", "10"]));
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains(
            "pay type 800208 is paid by scanning the code the customer shows: add --auth-code CODE"
        ),
        "{}",
        stderr(&o)
    );
    // Zero amount.
    let o = run(against(&base, "refund").args(["--syssn", "1", "--amount", "0"]));
    assert_exit(&o, 2);
    // Bad time.
    let o = run(against(&base, "query").args(["--start-time", "2025-13-01"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("start_time"));
    // Nothing reached the server.
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn unreachable_host_is_a_network_error() {
    let port = closed_port();
    let started = Instant::now();
    let o = run(against(&format!("http://127.0.0.1:{port}"), "call").args([
        "--timeout",
        "5",
        "/trade/v1/payment",
        "txamt=10",
    ]));
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("/trade/v1/payment"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(KEY));
    // Queries are retried by the SDK; --no-retry keeps this fast.
    let o = run(against(&format!("http://127.0.0.1:{port}"), "query").args([
        "--no-retry",
        "--syssn",
        "1",
    ]));
    assert_exit(&o, 4);
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ---------------------------------------------------------------------------
// mock
// ---------------------------------------------------------------------------

#[test]
fn mock_subcommand_serves_until_killed() {
    let mut child = qfpay()
        .args([
            "mock",
            "--addr",
            "127.0.0.1:0",
            "--app-code",
            APP,
            "--client-key",
            KEY,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let o = run(against(&url, "pay").args(["--pay-type", "800101", "--amount", "10"]));
    let _ = child.kill();
    let _ = child.wait();
    assert_exit(&o, 0);
    assert_eq!(json(&o)["respcd"], "0000");
}

#[test]
fn mock_subcommand_reports_a_busy_address() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let o = run(qfpay().args([
        "mock",
        "--addr",
        &addr,
        "--app-code",
        APP,
        "--client-key",
        KEY,
    ]));
    assert_exit(&o, 3);
    assert!(stderr(&o).contains(&addr));
    drop(listener);
}

// ---------------------------------------------------------------------------
// help
// ---------------------------------------------------------------------------

#[test]
fn help_documents_every_subcommand_and_the_exit_codes() {
    let o = run(qfpay().arg("--help"));
    assert_exit(&o, 0);
    let out = stdout(&o);
    for sub in [
        "sign",
        "verify-notification",
        "call",
        "pay",
        "query",
        "refund",
        "mock",
        "doctor",
        "completions",
        "man",
    ] {
        assert!(out.contains(sub), "{sub} missing:\n{out}");
        let o = run(qfpay().args([sub, "--help"]));
        assert_exit(&o, 0);
        assert!(stdout(&o).contains("Usage: qfpay "), "{sub}");
    }
    for code in [
        "0  success",
        "1  negative",
        "2  usage",
        "3  I/O",
        "4  network",
    ] {
        assert!(out.contains(code), "{code}:\n{out}");
    }
    let o = run(qfpay().args(["sign", "--help"]));
    let out = stdout(&o);
    assert!(out.contains("Default sign type: md5"), "{out}");
    assert!(out.contains("QFPAY_CLIENT_KEY"));
    let o = run(qfpay().arg("--version"));
    assert_exit(&o, 0);
    assert!(stdout(&o).starts_with("qfpay "));
}

// ---------------------------------------------------------------------------
// one way to configure; messages for a shell user
// ---------------------------------------------------------------------------

/// `qfpay call --dry-run` with only variables (and maybe flags) for the target.
fn dry_run_target(vars: &[(&str, &str)], flags: &[&str]) -> std::process::Output {
    let mut cmd = qfpay();
    cmd.arg("call").args(flags).args([
        "--dry-run",
        "/trade/v1/query",
        "syssn=20191227000200020061752831",
    ]);
    cmd.env("QFPAY_APP_CODE", APP).env("QFPAY_CLIENT_KEY", KEY);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    run(&mut cmd)
}

#[test]
fn the_target_comes_from_flags_over_the_sdk_variables() {
    let o = dry_run_target(&[("QFPAY_BASE_URL", "http://127.0.0.1:9/mock")], &[]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).starts_with("POST http://127.0.0.1:9/mock/trade/v1/query\n"),
        "{}",
        stdout(&o)
    );
    let o = dry_run_target(&[("QFPAY_ENV", "sandbox")], &[]);
    assert!(stdout(&o).starts_with("POST https://openapi-int.qfapi.com/trade/v1/query\n"));
    // A flag wins over either variable.
    let o = dry_run_target(
        &[("QFPAY_BASE_URL", "http://127.0.0.1:9")],
        &["--env", "production"],
    );
    assert!(stdout(&o).starts_with("POST https://openapi-hk.qfapi.com/trade/v1/query\n"));
    let o = dry_run_target(
        &[("QFPAY_ENV", "sandbox")],
        &["--base-url", "http://127.0.0.1:9"],
    );
    assert!(stdout(&o).starts_with("POST http://127.0.0.1:9/trade/v1/query\n"));
    // As in the SDK's Client::from_env: one variable or the other, and
    // QFPAY_ENV names an environment.
    let o = dry_run_target(
        &[
            ("QFPAY_ENV", "sandbox"),
            ("QFPAY_BASE_URL", "http://127.0.0.1:9"),
        ],
        &[],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("set QFPAY_ENV or QFPAY_BASE_URL, not both"),
        "{}",
        stderr(&o)
    );
    let o = dry_run_target(&[("QFPAY_ENV", "staging")], &[]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("QFPAY_ENV: `staging`"),
        "{}",
        stderr(&o)
    );
    let o = dry_run_target(&[("QFPAY_BASE_URL", "ftp://x")], &[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("QFPAY_BASE_URL: "), "{}", stderr(&o));
    // Neither: never a quiet default.
    let o = dry_run_target(&[], &[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no environment"), "{}", stderr(&o));
}

#[test]
fn the_key_comes_from_a_file_named_by_qfpay_client_key_file() {
    let file = temp_file("key-var.txt", b"0E32A59A8B454940A2FF3900C1D2E3F4\n");
    let pairs = [
        "txamt=10",
        "txcurrcd=HKD",
        "pay_type=800101",
        "out_trade_no=01234567890123",
        "txdtm=2019-12-25 14:21:28",
    ];
    let o = run(qfpay()
        .arg("sign")
        .args(pairs)
        .env("QFPAY_CLIENT_KEY_FILE", &file));
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "47A4ACB65B092AB1D2C1010BA5C6845B\n");
    // --key wins over the variables; both variables at once is refused.
    let o = run(qfpay()
        .args(["sign", "--key", "0E32A59A8B454940A2FF3900C1D2E3F4"])
        .args(pairs)
        .env("QFPAY_CLIENT_KEY_FILE", "/nonexistent"));
    assert_exit(&o, 0);
    let o = run(qfpay()
        .arg("sign")
        .args(pairs)
        .env("QFPAY_CLIENT_KEY", "K")
        .env("QFPAY_CLIENT_KEY_FILE", &file));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("not both"), "{}", stderr(&o));
}

#[test]
fn the_mock_takes_the_key_as_every_subcommand_does() {
    let file = temp_file("mock-key.txt", format!("{KEY}\n").as_bytes());
    let mut with_file = qfpay();
    with_file.args([
        "mock",
        "--addr",
        "127.0.0.1:0",
        "--app-code",
        APP,
        "--key-file",
    ]);
    with_file.arg(&file);
    let mut with_var = qfpay();
    with_var
        .args(["mock", "--addr", "127.0.0.1:0", "--app-code", APP])
        .env("QFPAY_CLIENT_KEY", KEY);
    let mut with_flag = qfpay();
    with_flag.args([
        "mock",
        "--addr",
        "127.0.0.1:0",
        "--app-code",
        APP,
        "--key",
        KEY,
    ]);
    for mut cmd in [with_file, with_var, with_flag] {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
        let o = url
            .as_deref()
            .map(|url| run(against(url, "pay").args(["--pay-type", "800101", "--amount", "10"])));
        let _ = child.kill();
        let _ = child.wait();
        let o = o.unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        assert_exit(&o, 0);
    }
    // No key at all: the same message as the other subcommands.
    let o = run(qfpay().args(["mock", "--addr", "127.0.0.1:0", "--app-code", APP]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no client key"), "{}", stderr(&o));
}

#[test]
fn sign_without_parameters_is_a_usage_error() {
    let o = run(qfpay().args(["sign", "--key", "k"]));
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("no parameters to sign"),
        "{}",
        stderr(&o)
    );
    let o = run(qfpay().args(["sign", "--key", "k", "--form", ""]));
    assert_exit(&o, 2);
}

#[test]
fn a_connection_error_names_the_host_and_port() {
    let port = closed_port();
    let o = run(against(&format!("http://127.0.0.1:{port}"), "query").args([
        "--no-retry",
        "--syssn",
        "1",
    ]));
    assert_exit(&o, 4);
    assert!(
        stderr(&o).contains(&format!("127.0.0.1:{port}")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_html_error_page_is_quoted_once() {
    // A loopback server answering every request with an HTML 502.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let body = "<html>\n<h1>Bad \"gateway\"</h1>\n</html>";
            let _ = write!(
                stream,
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let o = run(against(&format!("http://{addr}"), "call").args(["/trade/v1/payment", "txamt=1"]));
    let _ = server.join();
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains(
            r#"HTTP status 502: the answer begins: <html>\n<h1>Bad "gateway"</h1>\n</html>"#
        ),
        "{err}"
    );
}

#[test]
fn help_texts_agree_on_pending_codes_and_the_signature_length() {
    let o = run(qfpay().arg("--help"));
    // The exit-code table wraps its lines.
    let words = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("pending (1143, 1145, 1298)"), "{words}");
    for sub in ["call", "pay", "query", "refund"] {
        let o = run(qfpay().args([sub, "--help"]));
        let out = stdout(&o);
        assert!(out.contains("pending (1143, 1145, 1298)"), "{sub}:\n{out}");
        assert!(!out.contains("(1143, 1145)"), "{sub}:\n{out}");
    }
    let o = run(qfpay().args(["verify-notification", "--help"]));
    assert!(stdout(&o).contains("32 hex digits (MD5)"), "{}", stdout(&o));
    let o = run(qfpay().args(["doctor", "--help"]));
    assert!(
        stdout(&o).contains("32 hex digits (MD5) or 64 (SHA-256)"),
        "{}",
        stdout(&o)
    );
    // No help text spells the pending codes another way or leaves one out.
    for sub in [
        vec!["--help"],
        vec!["doctor", "--help"],
        vec!["notify", "send", "--help"],
        vec!["transactions", "--help"],
        vec!["reconcile", "--help"],
    ] {
        let out = stdout(&run(qfpay().args(&sub)));
        assert!(!out.contains("1143/"), "{sub:?}:\n{out}");
        assert!(!out.contains("(1143, 1145)"), "{sub:?}:\n{out}");
    }
}

// ---------------------------------------------------------------------------
// completions and man pages
// ---------------------------------------------------------------------------

#[test]
fn completions_and_man_pages_come_from_the_parser() {
    for (shell, marker) in [
        ("bash", "_qfpay()"),
        ("zsh", "#compdef qfpay"),
        ("fish", "complete -c qfpay"),
    ] {
        let o = run(qfpay().args(["completions", shell]));
        assert_exit(&o, 0);
        let out = stdout(&o);
        assert!(out.contains(marker), "{shell}:\n{out}");
        // Every subcommand and the shared credential flags are completed.
        for word in [
            "doctor",
            "verify-notification",
            "mock",
            "notify",
            "retry-scale",
            "tamper",
            "key-file",
            "base-url",
        ] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    let o = run(qfpay().args(["completions", "tcsh"]));
    assert_exit(&o, 2);

    let o = run(qfpay().arg("man"));
    assert_exit(&o, 0);
    let page = stdout(&o);
    assert!(page.contains(".TH qfpay 1"), "{page}");
    assert!(page.contains("doctor"), "{page}");
    let dir = temp_file("man-placeholder", b"").with_file_name("man-pages");
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(qfpay().args(["man", "--out-dir"]).arg(&dir));
    assert_exit(&o, 0);
    let doctor = std::fs::read_to_string(dir.join("qfpay-doctor.1")).unwrap();
    assert!(doctor.contains("\\-\\-signature"), "{doctor}");
    let notify_send = std::fs::read_to_string(dir.join("qfpay-notify-send.1")).unwrap();
    assert!(notify_send.contains("\\-\\-tamper"), "{notify_send}");
    assert!(
        notify_send.contains("subscription_payment"),
        "{notify_send}"
    );
}
