//! `qfpay::notify`: verification over the raw bytes and typed events, with
//! the notification vector of `signing.json` and bodies written by Python's
//! `json.dumps` (`tests/data/notify/`, made by `generate.py` there).

use std::collections::BTreeMap;

use axum::http::{HeaderMap, HeaderValue};
use qfpay::notify::{self, MAX_BODY, Notification, NotifyError};
use qfpay::sign::SignatureFormatError;
use qfpay::types::{
    Amount, CancelState, Currency, PayType, PaymentTokenEvent, RespCode, SubscriptionState,
};
use qfpay::{ClientKey, SignType, Signature};
use serde::Deserialize;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    body_file: String,
    key: String,
    x_qf_sign: String,
    json_dumps_options: BTreeMap<String, serde_json::Value>,
}

struct Fixture {
    name: String,
    body: Vec<u8>,
    key: ClientKey,
    sign: String,
    ensure_ascii: bool,
}

fn fixtures() -> Vec<Fixture> {
    let text = std::fs::read_to_string(format!("{DATA}/notify/cases.json")).expect("cases.json");
    let cases: Cases = serde_json::from_str(&text).expect("cases.json is valid");
    cases
        .cases
        .into_iter()
        .map(|c| Fixture {
            body: std::fs::read(format!("{DATA}/notify/{}", c.body_file)).expect("body file"),
            key: ClientKey::new(c.key),
            sign: c.x_qf_sign,
            ensure_ascii: c.json_dumps_options.get("ensure_ascii") != Some(&false.into()),
            name: c.name,
        })
        .collect()
}

fn fixture(name: &str) -> Fixture {
    fixtures()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

fn verified(name: &str) -> Notification {
    let f = fixture(name);
    notify::verify(&f.body, Some(&f.sign), &f.key).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[derive(Deserialize)]
struct SigningVectors {
    notifications: Vec<NotificationVector>,
}

#[derive(Deserialize)]
struct NotificationVector {
    key: String,
    body: String,
    x_qf_sign: String,
}

#[test]
fn the_notification_vector_verifies_and_types() {
    let text = std::fs::read_to_string(format!("{DATA}/signing.json")).expect("signing.json");
    let vectors: SigningVectors = serde_json::from_str(&text).expect("valid");
    assert!(!vectors.notifications.is_empty());
    for v in &vectors.notifications {
        let key = ClientKey::new(v.key.clone());
        let event = notify::verify(v.body.as_bytes(), Some(&v.x_qf_sign), &key).expect("verifies");
        let Notification::Payment(p) = &event else {
            panic!("{event:?}")
        };
        assert_eq!(p.syssn, "20200615000200020000641807");
        assert_eq!(p.out_trade_no, "9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO");
        assert_eq!(p.txamt, Amount::new(10));
        assert_eq!(p.txcurrcd, Currency::from_code("HKD"));
        assert_eq!(p.pay_type, PayType::from_code("800101"));
        assert_eq!(p.respcd, RespCode::from_code("0000"));
        assert_eq!(p.cancel, CancelState::NotCancelled);
        assert_eq!(p.status, "1");
        assert_eq!(p.mchid.as_deref(), Some("O37MRh6Qq5"));
        assert_eq!(p.chnlsn, "2020061522001453561406303428");
        assert_eq!(p.cardcd, "2088032341453564");
        assert_eq!(p.cash_fee, "0");
        assert_eq!(
            p.sysdtm.map(|t| t.to_string()).as_deref(),
            Some("2020-06-15 10:32:58")
        );
        assert_eq!(
            p.paydtm.map(|t| t.to_string()).as_deref(),
            Some("2020-06-15 10:33:35")
        );
        assert!(p.is_success());
        assert!(p.extra.is_empty(), "{:?}", p.extra);
        assert_eq!(event.notify_type(), Some("payment"));
        assert_eq!(
            event.dedup_key(),
            Some(("20200615000200020000641807".into(), "payment".into()))
        );
        // Lower-case hex is the same signature.
        let lower = v.x_qf_sign.to_ascii_lowercase();
        assert!(notify::verify(v.body.as_bytes(), Some(&lower), &key).is_ok());
    }
}

#[test]
fn the_reference_vector_verifies() {
    let key = ClientKey::new("TESTKEY0123456789");
    let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
    notify::verify_signature(body, Some("EF25A73D6EA314AA0C6F58CEE0A28C05"), &key).unwrap();
    let event = notify::verify(body, Some("ef25a73d6ea314aa0c6f58cee0a28c05"), &key).unwrap();
    // Too short to be a real payment notification: kept, untyped.
    assert_eq!(event.notify_type(), Some("payment"));
    assert_eq!(
        event.dedup_key(),
        Some(("20250102000300020000000001".into(), "payment".into()))
    );
}

#[test]
fn every_python_fixture_verifies_with_its_signature() {
    let all = fixtures();
    assert!(all.len() >= 12);
    for f in &all {
        // The fixture is what the manifest says: MD5(body ‖ key), upper case.
        assert_eq!(
            Signature::compute(SignType::Md5, &f.body, &f.key).to_string(),
            f.sign,
            "{}",
            f.name
        );
        notify::verify_signature(&f.body, Some(&f.sign), &f.key)
            .unwrap_or_else(|e| panic!("{}: {e}", f.name));
        notify::verify(&f.body, Some(&f.sign), &f.key)
            .unwrap_or_else(|e| panic!("{}: {e}", f.name));
        // Python's default separators.
        let text = String::from_utf8_lossy(&f.body);
        assert!(
            text.contains("\", \"") && text.contains("\": "),
            "{}",
            f.name
        );
        assert!(!f.ensure_ascii || f.body.is_ascii(), "{}", f.name);
    }
}

#[test]
fn python_escapes_verify_and_decode() {
    let f = fixture("unicode");
    let text = std::str::from_utf8(&f.body).unwrap();
    // \uXXXX escapes, and a surrogate pair for the emoji.
    assert!(
        text.contains(r#""goods_name": "\u5496\u5561\ud83d\ude00""#),
        "{text}"
    );
    assert!(text.contains(r#"\ud83e\udde7\ud83d\udc09"#), "{text}");
    let Notification::Payment(ascii) = verified("unicode") else {
        panic!()
    };
    assert_eq!(ascii.goods_name, "咖啡😀");
    assert_eq!(ascii.out_trade_no, "ORDER-é-0001");
    assert_eq!(ascii.goods_info, "say \"hi\" \\ a/b\ttab 新年快樂 🧧🐉");
    assert_eq!(
        ascii.extra.value("new_field_2026"),
        Some(serde_json::json!({"nested": ["x", 1, null, true]}))
    );
    // The same data as raw UTF-8 has its own, also valid, signature and the
    // same content.
    let Notification::Payment(utf8) = verified("unicode-utf8") else {
        panic!()
    };
    assert_eq!(ascii, utf8);
    let other = fixture("unicode-utf8");
    assert_ne!(other.sign, f.sign);
    assert!(matches!(
        notify::verify(&other.body, Some(&f.sign), &f.key),
        Err(NotifyError::BadSignature)
    ));
}

#[test]
fn re_serialised_json_does_not_verify() {
    for f in fixtures() {
        if f.name == "lone_surrogate" {
            continue; // serde_json refuses it without the repair
        }
        let value: serde_json::Value = serde_json::from_slice(&f.body).expect(&f.name);
        for again in [
            serde_json::to_vec(&value).unwrap(),
            serde_json::to_vec_pretty(&value).unwrap(),
        ] {
            assert_ne!(again, f.body, "{}", f.name);
            assert!(
                matches!(
                    notify::verify(&again, Some(&f.sign), &f.key),
                    Err(NotifyError::BadSignature)
                ),
                "{}",
                f.name
            );
        }
    }
}

#[test]
fn tampered_and_truncated_bodies_are_refused() {
    let f = fixture("payment");
    for at in [0, 1, f.body.len() / 2, f.body.len() - 1] {
        let mut body = f.body.clone();
        body[at] ^= 0x01;
        assert!(
            matches!(
                notify::verify(&body, Some(&f.sign), &f.key),
                Err(NotifyError::BadSignature)
            ),
            "byte {at}"
        );
    }
    let amount = String::from_utf8(f.body.clone())
        .unwrap()
        .replace(r#""txamt": "10""#, r#""txamt": "1000""#);
    assert!(matches!(
        notify::verify(amount.as_bytes(), Some(&f.sign), &f.key),
        Err(NotifyError::BadSignature)
    ));
    for len in 0..f.body.len() {
        assert!(
            matches!(
                notify::verify_signature(&f.body[..len], Some(&f.sign), &f.key),
                Err(NotifyError::BadSignature)
            ),
            "prefix of {len} bytes"
        );
    }
    let mut longer = f.body.clone();
    longer.push(b'\n');
    assert!(matches!(
        notify::verify(&longer, Some(&f.sign), &f.key),
        Err(NotifyError::BadSignature)
    ));
    // Another key.
    assert!(matches!(
        notify::verify(
            &f.body,
            Some(&f.sign),
            &ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F5")
        ),
        Err(NotifyError::BadSignature)
    ));
}

#[test]
fn signature_header_shapes() {
    let f = fixture("payment");
    let check = |sign: Option<&str>| notify::verify(&f.body, sign, &f.key);
    assert!(check(Some(&f.sign)).is_ok());
    assert!(check(Some(&f.sign.to_ascii_lowercase())).is_ok());
    assert!(check(Some(&format!("  {}\r\n", f.sign))).is_ok());
    let mixed: String = f
        .sign
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    assert!(check(Some(&mixed)).is_ok());

    assert!(matches!(check(None), Err(NotifyError::MissingSignature)));
    assert!(matches!(
        check(Some("")),
        Err(NotifyError::MissingSignature)
    ));
    assert!(matches!(
        check(Some(" \t")),
        Err(NotifyError::MissingSignature)
    ));
    for bad in [&f.sign[..31], &format!("{}0", f.sign), "ABC"] {
        assert!(
            matches!(
                check(Some(bad)),
                Err(NotifyError::MalformedSignature(
                    SignatureFormatError::Length { .. }
                ))
            ),
            "{bad}"
        );
    }
    let not_hex = format!("{}Z", &f.sign[..31]);
    assert!(matches!(
        check(Some(&not_hex)),
        Err(NotifyError::MalformedSignature(
            SignatureFormatError::NotHex
        ))
    ));
    // SHA-256 of the body: well-formed, but notifications are MD5 only.
    let sha = Signature::compute(SignType::Sha256, &f.body, &f.key).to_string();
    assert!(matches!(check(Some(&sha)), Err(NotifyError::BadSignature)));
    // An empty key would let anybody sign.
    let unsigned = Signature::compute(SignType::Md5, &f.body, &ClientKey::new("")).to_string();
    assert!(matches!(
        notify::verify(&f.body, Some(&unsigned), &ClientKey::new("")),
        Err(NotifyError::EmptyKey)
    ));
}

#[test]
fn oversized_bodies_are_refused_before_hashing() {
    let key = ClientKey::new("K");
    let mut body = vec![b' '; MAX_BODY + 1];
    body[0] = b'{';
    body[MAX_BODY] = b'}';
    // Even with the right signature, and with none at all: size comes first.
    let sign = Signature::compute(SignType::Md5, &body, &key).to_string();
    for header in [Some(sign.as_str()), None] {
        match notify::verify(&body, header, &key) {
            Err(NotifyError::TooLarge { len, max }) => {
                assert_eq!((len, max), (MAX_BODY + 1, 64 * 1024));
            }
            other => panic!("{other:?}"),
        }
    }
    // Exactly MAX_BODY is accepted.
    body.truncate(MAX_BODY);
    body[MAX_BODY - 1] = b'}';
    let sign = Signature::compute(SignType::Md5, &body, &key).to_string();
    let event = notify::verify(&body, Some(&sign), &key).expect("64 KiB is allowed");
    assert_eq!(event.notify_type(), None);
    let e = NotifyError::TooLarge { len: 1, max: 0 };
    assert_eq!(e.http_status(), 413);
}

#[test]
fn invalid_json_after_a_valid_signature() {
    let key = ClientKey::new("K");
    for body in [
        &b"{\"syssn\": \"secret-looking-text\""[..],
        b"not json",
        b"",
        b"{\"a\": \"\xff\"}",
    ] {
        let sign = Signature::compute(SignType::Md5, body, &key).to_string();
        match notify::verify(body, Some(&sign), &key) {
            Err(e @ NotifyError::InvalidJson { .. }) => {
                assert_eq!(e.http_status(), 400);
                assert!(e.is_authentic());
                let text = e.to_string();
                assert!(
                    !text.contains("secret") && !text.contains("not json"),
                    "{text}"
                );
                assert!(std::error::Error::source(&e).is_some());
            }
            other => panic!("{other:?}"),
        }
        // The signature alone is fine.
        notify::verify_signature(body, Some(&sign), &key).unwrap();
    }
}

#[test]
fn payment_and_refund_fixtures() {
    let Notification::Payment(p) = verified("payment") else {
        panic!()
    };
    assert_eq!(p.syssn, "20200514000300020093755455");
    assert_eq!(p.mchid.as_deref(), Some("lkbqahlRYj"));
    assert_eq!(p.goods_name, "");
    assert_eq!(p.orig_syssn, None);

    let event = verified("refund");
    assert_eq!(event.notify_type(), Some("refund"));
    assert_eq!(
        event.dedup_key(),
        Some(("20200515000300020093755999".into(), "refund".into()))
    );
    let Notification::Refund(r) = event else {
        panic!()
    };
    assert_eq!(r.txamt, Amount::new(4));
    assert_eq!(r.cancel, CancelState::PartiallyRefunded);
    assert_eq!(r.out_trade_no, "REFUND0001");
    assert_eq!(r.cash_refund_fee, "3");
    assert_eq!(r.cash_refund_fee_type, "CNY");
    assert_eq!(r.pay_type, PayType::from_code("800201"));
    assert_eq!(r.mchid, None);
}

#[test]
fn pre_auth_unfreeze() {
    let event = verified("unfreeze");
    assert_eq!(event.notify_type(), Some("unfreeze"));
    let Notification::PreAuth(u) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(u.txamt, Amount::new(5000));
    assert_eq!(u.cancel, CancelState::PreAuthFinished);
    assert_eq!(u.pay_type, PayType::from_code("801808"));
    assert_eq!(
        event.dedup_key(),
        Some(("20210301000300020000000007".into(), "unfreeze".into()))
    );
}

#[test]
fn recurring_notifications() {
    let event = verified("payment_token");
    assert_eq!(event.syssn(), None);
    assert_eq!(event.dedup_key(), None);
    let Notification::PaymentToken(t) = event else {
        panic!()
    };
    assert_eq!(t.event, PaymentTokenEvent::Conflict);
    assert_eq!(t.tokenid, "tk_6a699aae75094caeb066f****988daa32de");
    assert_eq!(t.card_scheme, "ECMC_DEBIT");
    assert_eq!(t.cardcd, "5200****1096");
    assert_eq!(
        t.token_expiry_date.map(|t| t.to_string()).as_deref(),
        Some("2024-04-30 00:00:00")
    );
    assert!(t.respcd.is_accepted());
    assert_eq!(t.customer_id, None);

    let Notification::Subscription(s) = verified("subscription") else {
        panic!()
    };
    assert_eq!(s.state, SubscriptionState::Completed);
    assert_eq!(s.subscription_id, "sub_e51bb914919*****f6b0fe36d");
    assert!(s.sysdtm.is_some());

    let event = verified("subscription_payment");
    assert_eq!(
        event.dedup_key(),
        Some((
            "20240424180500020000015704".into(),
            "subscription_payment".into()
        ))
    );
    let Notification::SubscriptionPayment(sp) = event else {
        panic!()
    };
    assert!(sp.is_success());
    assert_eq!(sp.txamt, Amount::new(300));
    assert_eq!(sp.current_iteration, Some(1));
    assert_eq!(sp.card_scheme.as_deref(), Some("VISA_DEBIT-SSL"));
    assert_eq!(sp.reason, "AUTHORISED");
    assert_eq!(
        sp.product_ids().collect::<Vec<_>>(),
        ["prod_8c838c17ddb043b9***11f1a85c30"]
    );

    let event = verified("subscription_payment_failed");
    assert_eq!(event.dedup_key(), None, "no syssn on a failed attempt");
    let Notification::SubscriptionPayment(failed) = event else {
        panic!()
    };
    assert!(!failed.is_success());
    assert_eq!(failed.respcd, RespCode::from_code("1205"));
    assert_eq!(failed.syssn, None);
    assert_eq!(failed.card_scheme, None);
    assert_eq!(failed.current_iteration, Some(2));
    assert_eq!(
        failed.product_ids().collect::<Vec<_>>(),
        ["prod_a", "prod_b"]
    );
}

#[test]
fn unknown_types_are_kept() {
    let event = verified("unknown_type");
    assert_eq!(event.notify_type(), Some("chargeback"));
    assert_eq!(
        event.dedup_key(),
        Some(("20250101000300020000000001".into(), "chargeback".into()))
    );
    let Notification::Other { notify_type, raw } = event else {
        panic!()
    };
    assert_eq!(notify_type.as_deref(), Some("chargeback"));
    assert_eq!(raw["reason_code"], "4837");
    assert_eq!(raw["notify_type"], "chargeback");
}

#[test]
fn card_sample_without_notify_type_is_typed_by_order_type() {
    let event = verified("card_no_notify_type");
    assert_eq!(event.notify_type(), Some("payment"));
    let Notification::Payment(p) = event else {
        panic!()
    };
    assert_eq!(p.pay_type, PayType::from_code("802801"));
    assert_eq!(p.status, "");
    assert!(p.is_success());
    assert_eq!(p.extra.text("cardtp").as_deref(), Some("5"));
    assert_eq!(p.extra.text("order_type").as_deref(), Some("payment"));
}

#[test]
fn loose_types_never_lose_a_payment() {
    let Notification::Payment(p) = verified("loose_types") else {
        panic!()
    };
    assert_eq!(p.txamt, Amount::new(10));
    assert_eq!(p.status, "1");
    assert_eq!(p.pay_type, PayType::from_code("800101"));
    assert_eq!(p.out_trade_no, "12345678");
    assert_eq!(p.cancel, CancelState::Other("9".into()));
    assert_eq!(p.sysdtm, None, "ISO 8601 is not QFPay's format");
    assert_eq!(p.paydtm, None);
    assert!(p.txdtm.is_some());
    assert_eq!(p.cash_fee, "1.00");
}

#[test]
fn lone_surrogates_are_replaced_not_refused() {
    let f = fixture("lone_surrogate");
    assert!(serde_json::from_slice::<serde_json::Value>(&f.body).is_err());
    let Notification::Payment(p) = verified("lone_surrogate") else {
        panic!()
    };
    assert_eq!(p.goods_name, "caf\u{fffd} \u{fffd}");
    assert_eq!(p.syssn, "20200514000300020093755457");
}

#[test]
fn http_headers() {
    let f = fixture("payment");
    let mut headers = HeaderMap::new();
    assert!(matches!(
        notify::http::verify_request(&headers, &f.body, &f.key),
        Err(NotifyError::MissingSignature)
    ));
    headers.insert("x-qf-sign", HeaderValue::from_str(&f.sign).unwrap());
    let event = notify::http::verify_request(&headers, &f.body, &f.key).unwrap();
    assert_eq!(event.notify_type(), Some("payment"));
    headers.insert("X-QF-SIGN", HeaderValue::from_static("00"));
    let e = notify::http::verify_request(&headers, &f.body, &f.key).unwrap_err();
    assert_eq!(notify::http::status_for(&e), 401);
    headers.insert("x-qf-sign", HeaderValue::from_str(&f.sign).unwrap());
    headers.insert("content-length", HeaderValue::from(MAX_BODY + 1));
    let e = notify::http::verify_request(&headers, &f.body, &f.key).unwrap_err();
    assert!(matches!(e, NotifyError::TooLarge { .. }), "{e:?}");
    assert_eq!(notify::http::status_for(&e), 413);
}
