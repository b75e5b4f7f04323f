//! `qfpay doctor` through the built binary: a mistake planted by plain code
//! (md-5 / sha2 directly) is named in one sentence with its fix; the key is
//! never printed. The table of every mistake on random values is the unit
//! test `doctor::tests`.

use md5::Md5;
use sha2::{Digest, Sha256};

mod support;
use support::*;

const DOCTOR_KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

/// The parameters of the published vector, in the order a program might
/// hold them, and the form body it would send.
const PAIRS: [&str; 5] = [
    "txamt=10",
    "txcurrcd=HKD",
    "pay_type=800101",
    "out_trade_no=01234567890123",
    "txdtm=2019-12-25 14:21:28",
];
const BODY: &str = "txamt=10&txcurrcd=HKD&pay_type=800101&out_trade_no=01234567890123&txdtm=2019-12-25+14%3A21%3A28";
const SORTED: &str =
    "out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25 14:21:28";

fn md5_hex(input: &str) -> String {
    hex::encode_upper(Md5::digest(input.as_bytes()))
}

fn sha256_hex(input: &str) -> String {
    hex::encode_upper(Sha256::digest(input.as_bytes()))
}

fn doctor(signature: &str) -> std::process::Command {
    let mut cmd = qfpay();
    cmd.args(["doctor", "--key", DOCTOR_KEY, "--signature", signature]);
    cmd
}

#[track_caller]
fn diagnosed(o: &std::process::Output, sentence: &str) {
    assert_exit(o, 1);
    let out = stdout(o);
    assert!(out.starts_with("diagnosis    "), "{out}");
    assert!(out.contains(sentence), "expected {sentence:?} in:\n{out}");
    assert!(
        out.contains(&format!("sign input   {SORTED}{{client_key}}")),
        "{out}"
    );
    assert!(!out.contains(DOCTOR_KEY) && !stderr(o).contains(DOCTOR_KEY));
}

#[test]
fn a_correct_signature_is_said_to_be_correct() {
    let sig = md5_hex(&format!("{SORTED}{DOCTOR_KEY}"));
    assert_eq!(sig, "47A4ACB65B092AB1D2C1010BA5C6845B");
    for body in [vec!["--form", BODY], PAIRS.to_vec()] {
        let o = run(doctor(&sig).args(&body));
        assert_exit(&o, 0);
        assert!(
            stdout(&o).starts_with("diagnosis    The signature is correct"),
            "{}",
            stdout(&o)
        );
        assert!(stdout(&o).contains("expected     X-QF-SIGN: 47A4ACB65B092AB1D2C1010BA5C6845B (MD5 with no X-QF-SIGNTYPE header)"));
    }
}

#[test]
fn values_percent_encoded_before_signing() {
    let encoded = SORTED.replace("14:21:28", "14%3A21%3A28").replace(' ', "+");
    let o = run(doctor(&md5_hex(&format!("{encoded}{DOCTOR_KEY}"))).args(["--form", BODY]));
    diagnosed(
        &o,
        "You percent-encoded the values before signing (you signed `txdtm=2019-12-25+14%3A21%3A28` \
         where QFPay signs `txdtm=2019-12-25 14:21:28`): sign the raw values and percent-encode only the body.",
    );
}

#[test]
fn insertion_order_and_the_missing_sha256_header() {
    let unsorted = PAIRS.join("&");
    let o = run(doctor(&sha256_hex(&format!("{unsorted}{DOCTOR_KEY}"))).args(PAIRS));
    diagnosed(
        &o,
        "You signed the parameters in the order you sent them (`txamt`, `txcurrcd`, `pay_type`, \
         `out_trade_no`, …) instead of sorted by name",
    );
    assert!(stdout(&o).contains(
        "You signed with SHA-256 but sent no X-QF-SIGNTYPE header, so QFPay checked MD5: add the \
         header `X-QF-SIGNTYPE: SHA256`."
    ));
    // The same signature with the header: only the order is wrong.
    let o = run(doctor(&sha256_hex(&format!("{unsorted}{DOCTOR_KEY}")))
        .args(["--sign-type-header", "SHA256"])
        .args(PAIRS));
    assert_exit(&o, 1);
    assert!(
        !stdout(&o).contains("X-QF-SIGNTYPE header, so"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn key_read_with_its_final_newline_from_a_file() {
    // The developer's program signed with the key file's newline; the doctor
    // reads the same file (and trims it, as every qfpay subcommand does).
    let key_file = temp_file("doctor-key.txt", format!("{DOCTOR_KEY}\n").as_bytes());
    let sig = md5_hex(&format!("{SORTED}{DOCTOR_KEY}\n"));
    let o = run(qfpay()
        .args(["doctor", "--signature", &sig, "--key-file"])
        .arg(&key_file)
        .args(["--form", BODY]));
    diagnosed(
        &o,
        "Your key carries a final newline: trim the key where you read it (a file or variable).",
    );
}

#[test]
fn mchid_signed_but_not_sent_with_the_mchid_from_the_environment() {
    let with_mchid = format!("mchid=ZaMVg12345&{SORTED}");
    let o = run(doctor(&md5_hex(&format!("{with_mchid}{DOCTOR_KEY}")))
        .env("QFPAY_MCHID", "ZaMVg12345")
        .args(["--form", BODY]));
    diagnosed(
        &o,
        "You signed `mchid=ZaMVg12345` but did not send it: add `mchid=ZaMVg12345` to the body",
    );
    assert!(!stdout(&o).contains("note "), "{}", stdout(&o));
}

#[test]
fn the_app_code_used_as_the_key() {
    let sig = md5_hex(&format!("{SORTED}{APP}"));
    let o = run(doctor(&sig).args(["--app-code", APP, "--form", BODY]));
    diagnosed(&o, "You signed with the app code instead of the client key");
}

#[test]
fn nothing_explains_another_key_and_the_expected_string_is_printed() {
    let sig = md5_hex(&format!("{SORTED}SOMEOTHERKEY"));
    let o = run(doctor(&sig).args(["--form", BODY]));
    diagnosed(
        &o,
        "None of the known mistakes (nor two of them together) gives this signature",
    );
    assert!(
        stderr(&o).contains("no known mistake explains it"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn doctor_usage_errors() {
    // No parameters at all.
    let o = run(&mut doctor("47A4ACB65B092AB1D2C1010BA5C6845B"));
    assert_exit(&o, 2);
    // Both a body and pairs.
    let o = run(doctor("47A4ACB65B092AB1D2C1010BA5C6845B").args(["--form", BODY, "a=1"]));
    assert_exit(&o, 2);
    // A JSON body: say what QFPay takes instead.
    let o = run(doctor("47A4ACB65B092AB1D2C1010BA5C6845B").args(["--form", r#"{"txamt": "10"}"#]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("this is JSON"), "{}", stderr(&o));
    // No key.
    let o = run(qfpay().args(["doctor", "--signature", "AB", "a=1"]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no client key"), "{}", stderr(&o));
}
