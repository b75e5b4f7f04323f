//! Request signing (reference §5.1): the signature is
//! `hash(canonical string ‖ client key)`, MD5 or SHA-256, in hex.
//!
//! One job per file: `canonical` writes the canonical string
//! ([`CanonicalString`]), `hash` hashes through the `Digest` API,
//! `signature` holds the digest ([`Signature`]: hex, constant-time compare),
//! `key` the secret ([`ClientKey`]), `buffer` the reusable [`SignBuffer`] of
//! the canonical string and the form body. Which pairs are sent at all is
//! decided once for both texts (`crate::wire`); the form encoding is
//! [`form_body`]'s.

mod buffer;
mod canonical;
mod hash;
mod key;
mod signature;

pub use crate::form::form_body;
pub use crate::param_error::{DuplicateParam, EncodeError, InvalidParam};
pub use crate::sign_type::{SignType, UnknownSignType};
pub use buffer::SignBuffer;
pub use canonical::{CanonicalString, RedactedSignInput, canonical_string};
pub use key::ClientKey;
pub use signature::{Signature, SignatureFormatError};

use crate::endpoint::WriteParams;

/// Signs a request: the signature QFPay expects in `X-QF-SIGN` for exactly
/// the parameters [`crate::form_body`] puts on the wire.
///
/// The canonical string goes straight into the hash: no allocation. The
/// client adds its configured `mchid` before signing; to reproduce what it
/// sends, declare `mchid` on the request or use [`SignBuffer::encode`].
///
/// ```
/// use qfpay::{ClientKey, RawParams, SignType};
///
/// let params = RawParams::from_pairs([
///     ("txamt", "10"),
///     ("txcurrcd", "HKD"),
///     ("pay_type", "800101"),
///     ("out_trade_no", "01234567890123"),
///     ("txdtm", "2019-12-25 14:21:28"),
/// ]);
/// let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
/// let sig = qfpay::sign(&params, &key, SignType::Md5);
/// assert_eq!(sig.to_string(), "47A4ACB65B092AB1D2C1010BA5C6845B");
/// ```
pub fn sign<P: WriteParams + ?Sized>(
    request: &P,
    key: &ClientKey,
    sign_type: SignType,
) -> Signature {
    hash::hash_request(sign_type, request, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawParams;
    use sha2::Digest;

    /// `hash(message ‖ key)` straight through the hash crates, in one
    /// `update` each: the reference for the staged path of `sign`.
    fn reference(t: SignType, message: &[u8], key: &str) -> Vec<u8> {
        let input = [message, key.as_bytes()].concat();
        match t {
            SignType::Md5 => md5::Md5::digest(&input).to_vec(),
            SignType::Sha256 => sha2::Sha256::digest(&input).to_vec(),
        }
    }

    #[test]
    fn sign_matches_the_hash_of_the_canonical_string_at_any_length() {
        // `sign` gathers the canonical string in a 512-byte stack buffer
        // and hashes it when full: lengths around the buffer's size, pieces
        // longer than it, and requests that write nothing take every path.
        let keys = ["", "KEY", "0E32A59A8B454940A2FF3900C1D2E3F4"];
        let lengths = (0..=80).chain([
            440, 480, 497, 498, 499, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511,
            512, 513, 1000, 1024, 1025, 5000,
        ]);
        for len in lengths {
            let text: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let t = text.as_str();
            let requests = [
                vec![("a", "1"), ("b", t), ("c", ""), ("d", "測試"), ("e", t)],
                vec![("b", t), ("d", "x")],
                vec![("b", t)],
                vec![("c", "")],
                vec![],
            ];
            for pairs in requests {
                let params = RawParams::from_pairs(pairs);
                let canonical = canonical_string(&params);
                for key in keys {
                    for t in [SignType::Md5, SignType::Sha256] {
                        let ours = sign(&params, &ClientKey::new(key), t);
                        assert_eq!(
                            ours.as_bytes(),
                            reference(t, canonical.as_bytes(), key),
                            "length {len}, {t:?}, {:?}",
                            params.pairs().first()
                        );
                        assert_eq!(
                            ours,
                            Signature::compute(t, canonical.as_bytes(), &ClientKey::new(key))
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_published_example() {
        // Reference §5.1's worked example.
        let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
        let pairs = [
            ("txamt", "10"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800101"),
            ("out_trade_no", "01234567890123"),
            ("txdtm", "2019-12-25 14:21:28"),
            ("udid", ""),
        ];
        assert_eq!(
            sign(&RawParams::from_pairs(pairs), &key, SignType::Md5).to_string(),
            "47A4ACB65B092AB1D2C1010BA5C6845B"
        );
    }
}
