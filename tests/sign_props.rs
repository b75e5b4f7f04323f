//! Property: for arbitrary values, the signature equals an independent
//! reference implementation over the pairs decoded back from `form_body`.

use md5::{Digest, Md5};
use proptest::prelude::*;
use qfpay::{ClientKey, SignType, qf_endpoint};
use sha2::Sha256;

#[qf_endpoint(path = "/prop", method = "POST")]
struct Request {
    zeta: String,
    alpha: Option<String>,
    goods_name: String,
    txamt: u64,
    #[qf(rename = "Upper")]
    upper: Option<String>,
    mid_field: Option<String>,
}

/// What a careful user would write by hand from reference §5.1, sharing no
/// code with the crate: sort, drop empties, join raw, append the key, hash.
fn reference(pairs: &[(String, String)], key: &str, sign_type: SignType) -> String {
    let mut pairs: Vec<&(String, String)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let joined = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let input = format!("{joined}{key}");
    match sign_type {
        SignType::Md5 => hex::encode_upper(Md5::digest(input.as_bytes())),
        SignType::Sha256 => hex::encode_upper(Sha256::digest(input.as_bytes())),
    }
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ &=+%#?/:;,a-zA-Z0-9]{0,12}",
        any::<String>(),
        "[測試商品😀é \\u{0}-\\u{7f}]{1,8}",
    ]
}

proptest! {
    #[test]
    fn signature_matches_reference_over_decoded_body(
        zeta in value(),
        alpha in proptest::option::of(value()),
        goods_name in value(),
        txamt in any::<u64>(),
        upper in proptest::option::of(value()),
        mid_field in proptest::option::of(value()),
        key in "[A-Za-z0-9]{1,40}",
        sha in any::<bool>(),
    ) {
        let request = Request { zeta, alpha, goods_name, txamt, upper, mid_field };
        let sign_type = if sha { SignType::Sha256 } else { SignType::Md5 };
        let body = qfpay::form_body(&request);
        let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        // The body carries no empty value and is already in byte order.
        prop_assert!(decoded.iter().all(|(_, v)| !v.is_empty()));
        prop_assert!(decoded.windows(2).all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
        let ours = qfpay::sign(&request, &ClientKey::new(key.clone()), sign_type).to_string();
        prop_assert_eq!(ours, reference(&decoded, &key, sign_type));
    }
}
