//! Notification verification and parsing (`qfpay::notify`): arbitrary raw
//! bodies with a correct, lower-case, tampered, malformed or missing
//! `X-QF-SIGN`, through `verify`, `verify_signature` and the `http`-crate
//! receiver.
//!
//! Properties: never a panic; the signer's own signature (either case) is
//! accepted and the body is then parsed exactly as `Notification::from_json`
//! parses it; a signature with one hex digit changed is `BadSignature`;
//! malformed and missing headers are their own errors; every error has a
//! 4xx/5xx status and none shows the key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qfpay::notify::{self, Notification, NotifyError};
use qfpay::{ClientKey, SignType, Signature};

const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

/// Byte 0 chooses the header (bits 0–2) and the digit a tampered signature
/// changes (bits 3–7); the rest is the body.
fn header_for(mode: u8, body: &[u8], key: &ClientKey) -> (Option<String>, Expect) {
    let sig = Signature::compute(SignType::Md5, body, key);
    match mode & 7 {
        0 => (Some(sig.to_hex_upper()), Expect::Authentic),
        1 => (Some(sig.to_hex_lower()), Expect::Authentic),
        2 => (
            Some(format!("  {}\t", sig.to_hex_upper())),
            Expect::Authentic,
        ),
        3 => {
            let mut hex = sig.to_hex_upper().into_bytes();
            let at = usize::from(mode >> 3) % hex.len();
            hex[at] = if hex[at] == b'0' { b'1' } else { b'0' };
            (Some(String::from_utf8(hex).unwrap()), Expect::Bad)
        }
        // A SHA-256 of the right bytes is still the wrong algorithm.
        4 => (
            Some(Signature::compute(SignType::Sha256, body, key).to_hex_upper()),
            Expect::Bad,
        ),
        5 => (Some(sig.to_hex_upper()[..31].to_owned()), Expect::Malformed),
        6 => (
            Some(String::from_utf8_lossy(&body[..body.len().min(64)]).into_owned()),
            Expect::Anything,
        ),
        _ => (None, Expect::Missing),
    }
}

#[derive(Clone, Copy, Debug)]
enum Expect {
    Authentic,
    Bad,
    Malformed,
    Missing,
    Anything,
}

fn check_error(e: &NotifyError) {
    let text = format!("{e} {e:?}");
    assert!(!text.contains(KEY), "an error shows the key: {text}");
    assert!((400..=599).contains(&e.http_status()));
    assert_eq!(notify::http::status_for(e).as_u16(), e.http_status());
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let key = ClientKey::new(KEY);
    let (header, expect) = header_for(mode, body, &key);
    let result = notify::verify(body, header.as_deref(), &key);
    let signature_only = notify::verify_signature(body, header.as_deref(), &key);
    assert_eq!(
        result.is_ok(),
        signature_only.is_ok() && Notification::from_json(body).is_ok()
    );
    if let Err(e) = &result {
        check_error(e);
    }
    match expect {
        Expect::Authentic => {
            assert!(signature_only.is_ok(), "the signer's signature was refused");
            match (&result, Notification::from_json(body)) {
                (Ok(n), Ok(m)) => assert_eq!(*n, m),
                (Err(NotifyError::InvalidJson { .. }), Err(_)) => {
                    assert!(result.as_ref().unwrap_err().is_authentic())
                }
                (r, m) => panic!("verify gave {r:?}, from_json gave {m:?}"),
            }
        }
        Expect::Bad => assert!(
            matches!(result, Err(NotifyError::BadSignature)),
            "{result:?}"
        ),
        Expect::Malformed => {
            assert!(
                matches!(result, Err(NotifyError::MalformedSignature(_))),
                "{result:?}"
            )
        }
        Expect::Missing => {
            assert!(
                matches!(result, Err(NotifyError::MissingSignature)),
                "{result:?}"
            )
        }
        Expect::Anything => {}
    }
    if let Ok(n) = &result {
        let _ = format!("{n:?}");
        let _ = n.notify_type();
        let _ = n.syssn();
        let _ = n.dedup_key();
    }

    // The same through the `http`-crate receiver.
    let mut headers = http::HeaderMap::new();
    if let Some(h) = &header
        && let Ok(v) = http::HeaderValue::from_str(h)
    {
        headers.insert("x-qf-sign", v);
    }
    if mode & 0x80 != 0 {
        headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(body.len()),
        );
    }
    let via_http = notify::http::verify_request(&headers, body, &key);
    if headers.contains_key("x-qf-sign") {
        assert_eq!(via_http.is_ok(), result.is_ok());
    }
    if let Err(e) = &via_http {
        check_error(e);
    }
});
