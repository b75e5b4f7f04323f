//! Helpers shared by the `api_*` tests: endpoint metadata and an
//! independent re-implementation of the signature (md-5 / sha2 directly).
#![allow(dead_code)]

use md5::Md5;
use qfpay::sign::SignBuffer;
use qfpay::{Method, StaticEndpoint};
use sha2::{Digest, Sha256};

pub const KEY: &str = "TESTKEY0123456789";

/// `(PATH, METHOD, SENDS_MCHID)` of an endpoint type.
pub fn meta<E: StaticEndpoint>(_: &E) -> (&'static str, Method, bool) {
    (E::SPEC.path, E::SPEC.method, E::SPEC.sends_mchid)
}

/// The canonical string as the client builds it with `mchid` merged in.
pub fn canonical_with_mchid<E: StaticEndpoint>(request: &E, mchid: &str) -> String {
    let mut buf = SignBuffer::new();
    buf.encode(request, Some(("mchid", mchid)))
        .expect("request encodes");
    buf.canonical().to_owned()
}

/// Body as the client builds it with `mchid` merged in.
pub fn body_with_mchid<E: StaticEndpoint>(request: &E, mchid: &str) -> String {
    let mut buf = SignBuffer::new();
    buf.encode(request, Some(("mchid", mchid)))
        .expect("request encodes");
    buf.body().to_owned()
}

/// The error the client's encoder reports for a request, if any.
pub fn encode_error<E: StaticEndpoint>(request: &E) -> Option<qfpay::EncodeError> {
    SignBuffer::new().encode(request, None).err()
}

/// Independent signature: parse the form body back into pairs, sort by
/// name, join raw `k=v` with `&`, append the key, hash, upper-case hex.
pub fn independent_signature(body: &str, key: &str, sha256: bool) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let input = format!("{canonical}{key}");
    if sha256 {
        hex::encode_upper(Sha256::digest(input.as_bytes()))
    } else {
        hex::encode_upper(Md5::digest(input.as_bytes()))
    }
}

/// Asserts that `qfpay::sign` over `request` equals the independent signature
/// of its form body, for both hashes.
pub fn assert_signature_matches<E: StaticEndpoint>(request: &E) {
    let key = qfpay::ClientKey::new(KEY);
    let body = qfpay::form_body(request);
    assert_eq!(
        qfpay::sign(request, &key, qfpay::SignType::Md5).to_string(),
        independent_signature(&body, KEY, false),
        "MD5 over {body}"
    );
    assert_eq!(
        qfpay::sign(request, &key, qfpay::SignType::Sha256).to_string(),
        independent_signature(&body, KEY, true),
        "SHA-256 over {body}"
    );
}
