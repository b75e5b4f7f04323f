//! Requests are verified exactly as reference §5.1.

mod common;

use common::*;
use qfpay::{ClientKey, RawParams, SignType, Signature};

fn payment_params(c: &Caller) -> RawParams {
    c.params(&[
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800101"),
        ("out_trade_no", &otn()),
        ("txdtm", &now()),
        ("goods_name", "測試 a&b=c"),
    ])
}

#[tokio::test]
async fn md5_and_sha256_in_either_hex_case_are_accepted() {
    let server = server().await;
    for (t, lower) in [
        (SignType::Md5, false),
        (SignType::Md5, true),
        (SignType::Sha256, false),
        (SignType::Sha256, true),
    ] {
        let c = Caller::merchant(&server).with_sign_type(t, lower);
        let p = payment_params(&c);
        let sig = c.sign(&p);
        assert_eq!(sig.len(), if t == SignType::Md5 { 32 } else { 64 });
        let a = c
            .send("POST", "/trade/v1/payment", &p, Some(&sig), true)
            .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.respcd(), "0000", "{t:?} lower={lower}: {}", a.json());
        // The reply is signed with the same algorithm over the raw body.
        let reply_sig = a.header("x-qf-sign").expect("signed reply");
        let expected = Signature::compute(t, &a.body, &ClientKey::new(KEY));
        assert!(expected.matches_hex(reply_sig));
        assert_eq!(a.header("x-qf-signtype"), t.header_value());
    }
}

#[tokio::test]
async fn the_reference_md5_vector_is_accepted() {
    // reference §5.1 worked vector (key TESTKEY0123456789)
    let server = qfpay_mock::MockServer::builder()
        .app("APPCODE0001", "TESTKEY0123456789", None)
        .start()
        .await
        .unwrap();
    let mut c = Caller::merchant(&server);
    c.app = "APPCODE0001".into();
    c.key = "TESTKEY0123456789".into();
    let p = RawParams::from_pairs([
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800101"),
        ("out_trade_no", "ORDER0001"),
        ("txdtm", "2025-01-02 03:04:05"),
    ]);
    let a = c
        .send(
            "POST",
            "/trade/v1/payment",
            &p,
            Some("A80FE4E16B6ECC50FCDAF08A20CF760E"),
            true,
        )
        .await;
    assert_eq!(a.respcd(), "0000", "{}", a.json());
    c.sign_type = SignType::Sha256;
    let p = RawParams::from_pairs([
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800101"),
        ("out_trade_no", "ORDER0002"),
        ("txdtm", "2025-01-02 03:04:05"),
    ]);
    let sig = c.sign(&p);
    let a = c
        .send("POST", "/trade/v1/payment", &p, Some(&sig), true)
        .await;
    assert_eq!(a.respcd(), "0000");
}

async fn refused(a: Answer, why: &str) {
    assert_eq!(a.status, 200, "{why}");
    let j = a.json();
    assert_eq!(j["respcd"], "1108", "{why}: {j}");
}

#[tokio::test]
async fn wrong_signatures_are_refused_with_1108() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let p = payment_params(&c);
    let good = c.sign(&p);

    // one hex digit changed
    let mut bad = good.clone().into_bytes();
    bad[5] = if bad[5] == b'0' { b'1' } else { b'0' };
    let bad = String::from_utf8(bad).unwrap();
    refused(
        c.send("POST", "/trade/v1/payment", &p, Some(&bad), true)
            .await,
        "flipped digit",
    )
    .await;

    // missing X-QF-SIGN
    refused(
        c.send("POST", "/trade/v1/payment", &p, None, true).await,
        "no sign",
    )
    .await;
    // missing X-QF-APPCODE
    refused(
        c.send("POST", "/trade/v1/payment", &p, Some(&good), false)
            .await,
        "no app code",
    )
    .await;
    // not hex
    refused(
        c.send("POST", "/trade/v1/payment", &p, Some(&"z".repeat(32)), true)
            .await,
        "not hex",
    )
    .await;

    // unknown app code
    let mut other = c.clone();
    other.app = "NOTANAPP".into();
    refused(
        other
            .send("POST", "/trade/v1/payment", &p, Some(&good), true)
            .await,
        "unknown app",
    )
    .await;

    // signed with the wrong key
    let mut wrong_key = c.clone();
    wrong_key.key = "SOMEOTHERKEY".into();
    let sig = wrong_key.sign(&p);
    refused(
        c.send("POST", "/trade/v1/payment", &p, Some(&sig), true)
            .await,
        "wrong key",
    )
    .await;

    // a parameter changed after signing
    let mut tampered = p.clone();
    tampered.remove("txamt");
    tampered.insert("txamt", "1");
    refused(
        c.send("POST", "/trade/v1/payment", &tampered, Some(&good), true)
            .await,
        "tampered",
    )
    .await;

    // a SHA-256 digest without X-QF-SIGNTYPE (the server assumes MD5)
    let sha = c.clone().with_sign_type(SignType::Sha256, false);
    let sig = sha.sign(&p);
    refused(
        c.send("POST", "/trade/v1/payment", &p, Some(&sig), true)
            .await,
        "sha without header",
    )
    .await;

    // unknown X-QF-SIGNTYPE
    let a = c
        .http
        .post(format!("{}/trade/v1/payment", c.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", &good)
        .header("X-QF-SIGNTYPE", "RSA")
        .body(qfpay::form_body(&p))
        .send()
        .await
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&a.bytes().await.unwrap()).unwrap();
    assert_eq!(j["respcd"], "1108", "{j}");

    // Nothing was created by any of these.
    assert!(server.orders().is_empty());
}

#[tokio::test]
async fn signature_error_names_the_signed_string_but_not_the_key() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let p = c.params(&[("syssn", "1")]);
    let a = c
        .send("POST", "/trade/v1/query", &p, Some(&"0".repeat(32)), true)
        .await;
    let text = s(&a.json(), "resperr");
    assert!(text.contains("`syssn=1`"), "{text}");
    assert!(!text.contains(KEY));
    // a refused request of a known app is still signed
    assert!(a.header("x-qf-sign").is_some());
}

#[tokio::test]
async fn empty_values_may_be_signed_omitted_or_kept() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let key = ClientKey::new(KEY);
    for keep in [false, true] {
        // `goods_name=` is on the wire in both cases.
        let p = c.params(&[
            ("txamt", "100"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800101"),
            ("out_trade_no", &otn()),
            ("txdtm", &now()),
            ("goods_name", ""),
        ]);
        let mut wire = qfpay::sign::SignBuffer::new().keep_empty_values(true);
        wire.encode(&p, None).unwrap();
        assert!(wire.body().starts_with("goods_name=&"));
        let mut signer = qfpay::sign::SignBuffer::new().keep_empty_values(keep);
        signer.encode(&p, None).unwrap();
        assert_eq!(signer.canonical().starts_with("goods_name=&"), keep);
        let resp = c
            .http
            .post(format!("{}/trade/v1/payment", c.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-QF-APPCODE", APP)
            .header(
                "X-QF-SIGN",
                signer.signature(&key, SignType::Md5).to_string(),
            )
            .body(wire.body().to_owned())
            .send()
            .await
            .unwrap();
        let j: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(j["respcd"], "0000", "keep={keep}: {j}");
    }
}

#[tokio::test]
async fn get_endpoints_are_signed_over_the_query_string() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let p = RawParams::from_pairs([("trade_date", "2025-01-02")]);
    let sig = c.sign(&p);
    let a = c
        .send("GET", "/download/v1/trade_bill", &p, Some(&sig), true)
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/zip"));
    assert!(
        a.body.starts_with(b"PK\x03\x04"),
        "a ZIP archive with its one CSV entry"
    );
    let a = c
        .send(
            "GET",
            "/download/v1/trade_bill",
            &p,
            Some(&"0".repeat(32)),
            true,
        )
        .await;
    assert_eq!(a.respcd(), "1108");
    // wrong method
    let a = c
        .send("POST", "/download/v1/trade_bill", &p, Some(&sig), true)
        .await;
    assert_eq!(a.status, 405);
    // a day that does not exist
    let p = RawParams::from_pairs([("trade_date", "2025-02-30")]);
    let sig = c.sign(&p);
    let a = c
        .send("GET", "/download/v1/trade_bill", &p, Some(&sig), true)
        .await;
    assert_eq!(a.respcd(), "1104", "{}", a.json());
}

#[tokio::test]
async fn duplicate_parameter_names_are_a_format_error() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let p = RawParams::from_pairs([("syssn", "1"), ("syssn", "2")]);
    let sig = c.sign(&p);
    let a = c
        .send("POST", "/trade/v1/query", &p, Some(&sig), true)
        .await;
    assert_eq!(a.respcd(), "1103");
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let a = c.post("/trade/v1/nothing", &[("a", "1")]).await;
    assert_eq!(a.status, 404);
}
