//! Form and query decoding as the mock server does it (`RawParams::from_form`)
//! and the signature path it verifies with (`SignBuffer`, `Signature`).
//!
//! Properties: never a panic; the pairs come out sorted by name (stable);
//! `form_body` of them decodes back to exactly the non-empty pairs; the
//! canonical string is those pairs joined raw; the signer's own signature
//! verifies (either hex case) and a signature over anything else does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qfpay::sign::SignBuffer;
use qfpay::{ClientKey, RawParams, SignType, Signature};
use sha2::Digest;

fuzz_target!(|data: &[u8]| {
    let params = RawParams::from_form(data);
    let pairs = params.pairs();
    assert!(
        pairs
            .windows(2)
            .all(|w| w[0].0.as_bytes() <= w[1].0.as_bytes())
    );

    // Same pairs, same multiset, as a straight decode.
    let mut straight: Vec<(String, String)> = form_urlencoded::parse(data)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    straight.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    assert_eq!(pairs, straight.as_slice());

    let non_empty: Vec<(String, String)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect();

    let body = qfpay::form_body(&params);
    let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(decoded, non_empty, "form_body does not decode back");

    let canonical = qfpay::canonical_string(&params);
    let expected = non_empty
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(canonical, expected);

    let mut buf = SignBuffer::new();
    buf.encode(&params, None).expect("raw params never refuse");
    assert_eq!(buf.body(), body);
    assert_eq!(buf.canonical(), canonical);

    // Re-decoding the body gives the same params (empty ones dropped).
    let again = RawParams::from_form(body.as_bytes());
    assert_eq!(again.pairs(), non_empty.as_slice());

    let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
    for sign_type in [SignType::Md5, SignType::Sha256] {
        let sig = buf.signature(&key, sign_type);
        assert_eq!(sig, qfpay::sign(&params, &key, sign_type));
        assert!(sig.matches_hex(&sig.to_hex_lower()));
        assert!(sig.matches_hex(&sig.to_hex_upper()));
        let direct = Signature::compute(sign_type, canonical.as_bytes(), &key);
        assert_eq!(sig, direct);
        // One `Digest` call over the whole canonical string and key: the
        // oracle for `sign`'s staged writing.
        let oracle = match sign_type {
            SignType::Md5 => {
                let mut h = md5::Md5::new();
                h.update(canonical.as_bytes());
                h.update(b"0E32A59A8B454940A2FF3900C1D2E3F4");
                h.finalize().to_vec()
            }
            SignType::Sha256 => {
                let mut h = sha2::Sha256::new();
                h.update(canonical.as_bytes());
                h.update(b"0E32A59A8B454940A2FF3900C1D2E3F4");
                h.finalize().to_vec()
            }
        };
        assert_eq!(sig.as_bytes(), oracle.as_slice());
        assert_eq!(sig.to_string(), sig.to_hex_upper());
        // The client's form gives the same body and signature.
        let mut one = SignBuffer::new();
        let signed = one
            .encode_signed(&params, None, &key, sign_type)
            .expect("raw params never refuse");
        assert_eq!(signed, sig);
        assert_eq!(one.body(), body);
        // The keep-empty variant the mock also accepts equals the plain one
        // exactly when there was no empty value.
        let mut keep = SignBuffer::new().keep_empty_values(true);
        keep.encode(&params, None).expect("raw params never refuse");
        if non_empty.len() == pairs.len() {
            assert_eq!(keep.signature(&key, sign_type), sig);
        }
        let mut keep_one = SignBuffer::new().keep_empty_values(true);
        let kept = keep_one
            .encode_signed(&params, None, &key, sign_type)
            .expect("raw params never refuse");
        assert_eq!(kept, keep.signature(&key, sign_type));
        assert_eq!(keep_one.body(), keep.body());
    }

    // Lookups agree with the pair list.
    if let Some((name, value)) = pairs.first() {
        assert_eq!(params.get(name), Some(value.as_str()));
        let mut removed = params.clone();
        assert_eq!(removed.remove(name).as_deref(), Some(value.as_str()));
        assert!(removed.get(name).is_none());
        removed.insert(name.clone(), value.clone());
        assert!(
            removed
                .pairs()
                .windows(2)
                .all(|w| w[0].0.as_bytes() <= w[1].0.as_bytes())
        );
    }
});
