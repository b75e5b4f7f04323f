//! A computed or received signature: the digest bytes, shown as hex and
//! compared in constant time (`subtle`).

use std::fmt;

use subtle::ConstantTimeEq;

use super::{ClientKey, SignType, hash};

/// A computed signature: 16 bytes (MD5) or 32 bytes (SHA-256).
///
/// `Display` gives upper-case hex, as sent in `X-QF-SIGN`. Equality and
/// [`Signature::matches_hex`] are constant-time.
#[derive(Clone, Copy)]
pub struct Signature {
    bytes: [u8; 32],
    len: u8,
}

impl Signature {
    /// Computes `hash(message ‖ key)`.
    pub fn compute(sign_type: SignType, message: &[u8], key: &ClientKey) -> Self {
        hash::hash_message(sign_type, message, key)
    }

    /// A digest of 16 (MD5) or 32 (SHA-256) bytes.
    pub(super) fn from_digest(digest: &[u8]) -> Self {
        debug_assert!(
            matches!(digest.len(), 16 | 32),
            "a {}-byte digest",
            digest.len()
        );
        let mut bytes = [0u8; 32];
        // Longer than 32 bytes can only be a bug, and panics here.
        bytes[..digest.len()].copy_from_slice(digest);
        Signature {
            bytes,
            len: digest.len() as u8,
        }
    }

    /// Parses a hex signature in either case.
    pub fn from_hex(hex_text: &str) -> Result<Self, SignatureFormatError> {
        let text = hex_text.trim();
        let len = match text.len() {
            32 => 16,
            64 => 32,
            found => return Err(SignatureFormatError::Length { found }),
        };
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes[..len]).map_err(|_| SignatureFormatError::NotHex)?;
        Ok(Signature {
            bytes,
            len: len as u8,
        })
    }

    /// The raw digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The sign type implied by the digest length.
    pub fn sign_type(&self) -> SignType {
        if self.len == 16 {
            SignType::Md5
        } else {
            SignType::Sha256
        }
    }

    /// Upper-case hex (as sent in `X-QF-SIGN`), as a `String`: the same as
    /// `to_string()`.
    pub fn to_hex_upper(&self) -> String {
        hex::encode_upper(self.as_bytes())
    }

    /// Lower-case hex (as the hosted checkout page expects).
    pub fn to_hex_lower(&self) -> String {
        hex::encode(self.as_bytes())
    }

    /// Constant-time comparison with a hex signature in either case.
    ///
    /// Malformed hex or a different length is simply a mismatch.
    pub fn matches_hex(&self, hex_text: &str) -> bool {
        Signature::from_hex(hex_text).is_ok_and(|other| *self == other)
    }
}

impl PartialEq for Signature {
    fn eq(&self, other: &Self) -> bool {
        // `ct_eq` on slices of different lengths is false.
        bool::from(self.as_bytes().ct_eq(other.as_bytes()))
    }
}
impl Eq for Signature {}

impl fmt::Display for Signature {
    /// Upper-case hex, written through a stack buffer (no allocation).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        let digits = &mut buf[..2 * self.as_bytes().len()];
        // Neither step can fail for a digest of at most 32 bytes; if one
        // ever did, `to_string` would panic rather than print a wrong value.
        hex::encode_to_slice(self.as_bytes(), digits).map_err(|_| fmt::Error)?;
        digits.make_ascii_uppercase();
        f.write_str(std::str::from_utf8(digits).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

/// A signature header that is not valid hex of an MD5 or SHA-256 digest.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// Not 32 or 64 hex characters.
    Length {
        /// Characters found.
        found: usize,
    },
    /// Contains a character that is not a hex digit.
    NotHex,
}

impl fmt::Display for SignatureFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureFormatError::Length { found } => write!(
                f,
                "signature has {found} characters, expected 32 (MD5) or 64 (SHA-256) hex digits"
            ),
            SignatureFormatError::NotHex => {
                f.write_str("signature contains a character that is not a hex digit")
            }
        }
    }
}

impl std::error::Error for SignatureFormatError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_parse_accepts_both_cases_and_rejects_bad_input() {
        let key = ClientKey::new("k");
        let sig = Signature::compute(SignType::Md5, b"a=1", &key);
        assert!(sig.matches_hex(&sig.to_hex_lower()));
        assert!(sig.matches_hex(&sig.to_hex_upper()));
        assert!(sig.matches_hex(&format!(" {sig}\t")));
        assert!(!sig.matches_hex(&sig.to_hex_upper()[..31]));
        assert_eq!(
            Signature::from_hex("zz").unwrap_err(),
            SignatureFormatError::Length { found: 2 }
        );
        assert_eq!(
            Signature::from_hex(&"g".repeat(32)).unwrap_err(),
            SignatureFormatError::NotHex
        );
    }

    #[test]
    fn hex_forms_agree() {
        let key = ClientKey::new("k");
        for t in [SignType::Md5, SignType::Sha256] {
            let sig = Signature::compute(t, b"a=1", &key);
            assert_eq!(sig.to_string().len(), 2 * t.digest_len());
            assert_eq!(sig.to_string(), sig.to_hex_upper());
            assert_eq!(sig.to_string(), sig.to_hex_lower().to_ascii_uppercase());
            assert_eq!(sig.sign_type(), t);
            assert_eq!(format!("{sig:?}"), format!("Signature({sig})"));
        }
    }

    #[test]
    fn signatures_of_different_lengths_differ() {
        let key = ClientKey::new("k");
        let md5 = Signature::compute(SignType::Md5, b"a=1", &key);
        let sha = Signature::compute(SignType::Sha256, b"a=1", &key);
        assert_ne!(md5, sha);
        assert!(!md5.matches_hex(&sha.to_string()));
    }
}
