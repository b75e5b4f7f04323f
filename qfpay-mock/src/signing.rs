//! The mock's own reading of QFPay's signing rule (reference §5.1), written
//! out plainly and on purpose **without** the SDK's signer: the SDK and the
//! mock are two independent implementations of the rule, so a bug in one
//! shows up in the tests of the other.
//!
//! * Request: the parameters sorted by name ([`crate::params::Params`]),
//!   `name=value` joined by `&` ([`canonical`]), the client key appended
//!   with no separator, hashed with MD5 or SHA-256, hex.
//! * Reply and notification: the raw body bytes with the key appended,
//!   hashed the same way ([`sign`]).

use md5::Md5;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// The hash of a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Md5,
    Sha256,
}

impl Hash {
    /// The hash an `X-QF-SIGNTYPE` header value asks for: absent, empty or
    /// `MD5` → MD5; `SHA256` (or `SHA-256`) → SHA-256; any case, spaces
    /// trimmed. Anything else: `None`.
    pub fn from_header(value: Option<&str>) -> Option<Hash> {
        match value.map(str::trim) {
            None | Some("") => Some(Hash::Md5),
            Some(v) if v.eq_ignore_ascii_case("MD5") => Some(Hash::Md5),
            Some(v) if v.eq_ignore_ascii_case("SHA256") || v.eq_ignore_ascii_case("SHA-256") => {
                Some(Hash::Sha256)
            }
            Some(_) => None,
        }
    }

    /// The `X-QF-SIGNTYPE` header that goes with a signature (none for MD5).
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Hash::Md5 => None,
            Hash::Sha256 => Some("SHA256"),
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Md5 => "MD5",
            Hash::Sha256 => "SHA-256",
        }
    }

    /// Upper-case hex of the hash of `parts` one after the other.
    fn hex(self, parts: &[&[u8]]) -> String {
        fn run<D: Digest>(parts: &[&[u8]]) -> String {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hex::encode_upper(hasher.finalize())
        }
        match self {
            Hash::Md5 => run::<Md5>(parts),
            Hash::Sha256 => run::<Sha256>(parts),
        }
    }
}

/// Why a hex signature cannot be read.
pub(crate) fn hex_signature_hash(text: &str) -> Result<Hash, String> {
    let hash = match text.len() {
        32 => Hash::Md5,
        64 => Hash::Sha256,
        found => {
            return Err(format!(
                "signature has {found} characters, expected 32 (MD5) or 64 (SHA-256) hex digits"
            ));
        }
    };
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("signature contains a character that is not a hex digit".into());
    }
    Ok(hash)
}

/// The signed string without the key: `name=value` pairs, in the order
/// given (sorted by name), joined by `&`, raw values. Pairs with an empty
/// value are left out (the reference's rule) unless `keep_empty`.
pub(crate) fn canonical(pairs: &[(String, String)], keep_empty: bool) -> String {
    pairs
        .iter()
        .filter(|(_, value)| keep_empty || !value.is_empty())
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `X-QF-SIGN`: upper-case hex of `hash(message ‖ key)`.
pub(crate) fn sign(hash: Hash, message: &[u8], key: &SecretString) -> String {
    hash.hex(&[message, key.expose_secret().as_bytes()])
}

/// Whether `sent` (hex, either case) is the signature of `message`.
/// A plain comparison: the mock guards test data, not money, so timing
/// does not matter.
pub(crate) fn matches(hash: Hash, message: &[u8], key: &SecretString, sent: &str) -> bool {
    sign(hash, message, key).eq_ignore_ascii_case(sent)
}

/// A deterministic lower-case 32-hex-digit token for ids and nonces:
/// MD5 of `seed` followed by `salt`.
pub(crate) fn token(seed: &str, salt: &[u8]) -> String {
    Hash::Md5.hex(&[seed.as_bytes(), salt]).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn reference_request_vector() {
        // reference §5.1 worked example
        let p = pairs(&[
            ("out_trade_no", "ORDER0001"),
            ("pay_type", "800101"),
            ("txamt", "100"),
            ("txcurrcd", "HKD"),
            ("txdtm", "2025-01-02 03:04:05"),
        ]);
        let text = canonical(&p, false);
        assert_eq!(
            text,
            "out_trade_no=ORDER0001&pay_type=800101&txamt=100&txcurrcd=HKD&txdtm=2025-01-02 03:04:05"
        );
        let key = SecretString::from("TESTKEY0123456789");
        assert_eq!(
            sign(Hash::Md5, text.as_bytes(), &key),
            "A80FE4E16B6ECC50FCDAF08A20CF760E"
        );
        assert!(matches(
            Hash::Md5,
            text.as_bytes(),
            &key,
            "a80fe4e16b6ecc50fcdaf08a20cf760e"
        ));
    }

    #[test]
    fn empty_values_are_left_out_unless_kept() {
        let p = pairs(&[("a", ""), ("b", "1")]);
        assert_eq!(canonical(&p, false), "b=1");
        assert_eq!(canonical(&p, true), "a=&b=1");
    }

    #[test]
    fn sha256_is_64_upper_hex_digits() {
        let s = sign(Hash::Sha256, b"a=1", &SecretString::from("K"));
        assert_eq!(s.len(), 64);
        assert_eq!(hex_signature_hash(&s), Ok(Hash::Sha256));
        assert_eq!(s, s.to_ascii_uppercase());
    }

    #[test]
    fn header_values() {
        assert_eq!(Hash::from_header(None), Some(Hash::Md5));
        assert_eq!(Hash::from_header(Some(" sha-256 ")), Some(Hash::Sha256));
        assert_eq!(Hash::from_header(Some("RSA")), None);
        assert!(hex_signature_hash("zz").is_err());
        assert!(hex_signature_hash(&"z".repeat(32)).is_err());
    }
}
