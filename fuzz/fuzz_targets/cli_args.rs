//! The `qfpay` CLI's argument parsers (`qfpay-cli/src/args.rs`, compiled in
//! here from its source: the CLI is a binary without a library target):
//! `NAME=VALUE`, sign type, method, environment, base URL, timeout.
//!
//! Input: arguments separated by NUL bytes, as a shell would pass them.
//! Properties: never a panic; a parsed pair splits at the first `=` and
//! gives the argument back; names are non-empty without whitespace, control
//! characters or `&`; the pairs sign and encode like `RawParams` and the
//! form body decodes back to them; a parsed timeout is finite and positive.
#![no_main]

#[allow(dead_code)]
#[path = "../../qfpay-cli/src/args.rs"]
mod args;

use libfuzzer_sys::fuzz_target;
use qfpay::{ClientKey, RawParams, SignType};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut pairs = Vec::new();
    for arg in text.split('\0') {
        match args::parse_pair(arg) {
            Ok((name, value)) => {
                assert_eq!(format!("{name}={value}"), arg);
                assert!(!name.is_empty());
                assert!(!name.contains('='));
                assert!(
                    !name
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || c == '&')
                );
                pairs.push((name, value));
            }
            Err(message) => assert!(!message.is_empty()),
        }
        if let Ok(t) = args::parse_sign_type(arg) {
            assert_eq!(args::parse_sign_type(args::sign_type_name(t)), Ok(t));
        }
        let _ = args::parse_method(arg);
        if let Ok(env) = args::parse_environment(arg) {
            assert!(!env.base_url().ends_with('/'));
        }
        if args::parse_base_url(arg).is_ok() {
            assert!(args::parse_environment(arg).is_ok());
        }
        if let Ok(d) = args::parse_timeout(arg) {
            assert!(!d.is_zero());
        }
    }
    // What `qfpay sign NAME=VALUE...` does with them.
    let params = RawParams::from_pairs(pairs.clone());
    let mut expected: Vec<(String, String)> =
        pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    expected.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let body = qfpay::form_body(&params);
    let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(decoded, expected);
    let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
    let sig = qfpay::sign(&params, &key, SignType::Md5);
    assert!(sig.matches_hex(&sig.to_hex_lower()));
});
