//! Signature verification over the raw body bytes (reference §22.3).

use crate::sign::{ClientKey, SignType, Signature};

use super::MAX_BODY;
use super::event::Notification;

/// Number of hex digits of an MD5 signature.
const MD5_HEX_LEN: usize = 32;

/// Why a notification was refused.
///
/// The variants up to [`EmptyKey`](Self::EmptyKey) mean the request was never
/// shown to come from QFPay and must not be acted on. The last three
/// ([`NotUtf8`](Self::NotUtf8), [`InvalidJson`](Self::InvalidJson),
/// [`InvalidField`](Self::InvalidField)) concern a body whose signature
/// **was** valid — see [`NotifyError::is_authentic`].
///
/// No variant holds the client key or the body, so messages are safe to log;
/// [`NotifyError::http_status`] gives the status to answer with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// The body is larger than [`MAX_BODY`]; it was not hashed.
    #[error("notification body of {len} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Length of the body, or its announced `Content-Length`; when reading
        /// a stream stopped at the limit, the bytes read so far.
        len: usize,
        /// The limit, [`MAX_BODY`].
        limit: usize,
    },
    /// The `X-QF-SIGN` header is absent (or blank).
    #[error("notification has no X-QF-SIGN header")]
    MissingSignature,
    /// The `X-QF-SIGN` header is not 32 hex digits (an MD5 signature).
    #[error("notification X-QF-SIGN header is malformed: {0}")]
    MalformedSignature(MalformedSignature),
    /// The signature does not match `MD5(body ‖ key)`: a wrong client key, a
    /// body altered on the way (by a proxy or middleware that re-encoded it),
    /// or a forgery.
    #[error(
        "notification signature does not match the body (wrong client key, or the body was altered)"
    )]
    BadSignature,
    /// The client key is empty. With an empty key anybody could sign, so
    /// nothing is accepted: a configuration error of the receiver.
    #[error("the client key used to verify notifications is empty")]
    EmptyKey,
    /// The signature is valid but the body is not UTF-8.
    #[error(
        "notification signature is valid but the body is not UTF-8 (invalid byte at offset {valid_up_to})"
    )]
    NotUtf8 {
        /// Length of the valid UTF-8 prefix.
        valid_up_to: usize,
    },
    /// The signature is valid but the body is not a JSON object.
    #[error("notification signature is valid but the body is not a JSON object: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// The signature is valid but a field needed to act on the notification
    /// is missing or unreadable: the `syssn` or `txamt` of a payment, refund
    /// or unfreeze, or any `txamt` that is present but not an integer.
    /// Guessing would risk booking the wrong amount, so the notification is
    /// refused and QFPay delivers it again later.
    #[error("notification signature is valid but `{field}` {reason}")]
    InvalidField {
        /// Wire name of the field.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// What is wrong with an `X-QF-SIGN` header value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedSignature {
    /// Not 32 characters long (surrounding whitespace ignored). A 64-digit
    /// (SHA-256) value is refused too: QFPay signs notifications with MD5.
    #[error("{found} characters, expected 32 hex digits (MD5)")]
    Length {
        /// Characters found.
        found: usize,
    },
    /// A character that is not a hex digit (or a header value that is not
    /// visible ASCII).
    #[error("contains a character that is not a hex digit")]
    NotHex,
}

impl NotifyError {
    /// `true` when the body's signature was verified — the body is QFPay's,
    /// only its content could not be read ([`NotUtf8`](Self::NotUtf8),
    /// [`InvalidJson`](Self::InvalidJson), [`InvalidField`](Self::InvalidField)).
    /// Such a body may describe a real payment: log it in full and look.
    pub fn is_authentic(&self) -> bool {
        matches!(
            self,
            NotifyError::NotUtf8 { .. }
                | NotifyError::InvalidJson(_)
                | NotifyError::InvalidField { .. }
        )
    }

    /// The HTTP status to answer with (never 200, so QFPay delivers again on
    /// its schedule):
    ///
    /// | variant | status |
    /// |---|---|
    /// | `TooLarge` | 413 |
    /// | `MissingSignature`, `MalformedSignature`, `BadSignature` | 401 |
    /// | `NotUtf8`, `InvalidJson`, `InvalidField` | 400 |
    /// | `EmptyKey` | 500 |
    pub fn http_status(&self) -> u16 {
        match self {
            NotifyError::TooLarge { .. } => 413,
            NotifyError::MissingSignature
            | NotifyError::MalformedSignature(_)
            | NotifyError::BadSignature => 401,
            NotifyError::EmptyKey => 500,
            NotifyError::NotUtf8 { .. }
            | NotifyError::InvalidJson(_)
            | NotifyError::InvalidField { .. } => 400,
        }
    }
}

/// Verifies a notification and parses it into a typed [`Notification`].
///
/// `raw_body` must be the request body **exactly as received** — never JSON
/// that was parsed and serialised again, which changes spacing, escapes and
/// key order and so the signature. `x_qf_sign` is the `X-QF-SIGN` header:
/// `"…"`, `Some("…")`, or `None` when absent; either hex case.
///
/// In order: the size limit ([`MAX_BODY`]), the header's presence and shape,
/// then `MD5(raw_body ‖ key)` compared in constant time; only a body that
/// passes all three is parsed (see [`Notification`] for how tolerantly).
/// Each refusal is its own [`NotifyError`] variant.
///
/// ```
/// use qfpay::ClientKey;
/// use qfpay::notify::{self, Notification, NotifyError};
///
/// let key = ClientKey::new("TESTKEY0123456789");
/// // The body and header exactly as received (reference §22.3's vector).
/// let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
/// let sign = "EF25A73D6EA314AA0C6F58CEE0A28C05";
///
/// match notify::verify(body, sign, &key)? {
///     Notification::Payment(p) => {
///         assert_eq!(p.syssn, "20250102000300020000000001");
///         assert_eq!(p.txamt.minor_units(), 100);
///     }
///     other => panic!("unexpected {other:?}"),
/// }
///
/// // Lower-case hex is the same signature.
/// assert!(notify::verify(body, Some("ef25a73d6ea314aa0c6f58cee0a28c05"), &key).is_ok());
/// // Anything else is refused before parsing.
/// assert!(matches!(notify::verify(body, None, &key), Err(NotifyError::MissingSignature)));
/// assert!(matches!(
///     notify::verify(&body[..body.len() - 1], sign, &key),
///     Err(NotifyError::BadSignature)
/// ));
/// # Ok::<(), NotifyError>(())
/// ```
pub fn verify<'a>(
    raw_body: &[u8],
    x_qf_sign: impl Into<Option<&'a str>>,
    key: &ClientKey,
) -> Result<Notification, NotifyError> {
    verify_signature(raw_body, x_qf_sign, key)?;
    super::event::parse_verified(raw_body)
}

/// Checks a notification's signature without parsing the body, for callers
/// that decode it into their own types (or store the raw bytes).
///
/// The same checks as [`verify`], in the same order, minus the parsing.
///
/// ```
/// use qfpay::ClientKey;
/// use qfpay::notify;
///
/// let key = ClientKey::new("TESTKEY0123456789");
/// let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
/// notify::verify_signature(body, "ef25a73d6ea314aa0c6f58cee0a28c05", &key)?;
/// let mine: serde_json::Value = serde_json::from_slice(body).unwrap();
/// assert_eq!(mine["txamt"], "100");
/// # Ok::<(), notify::NotifyError>(())
/// ```
pub fn verify_signature<'a>(
    raw_body: &[u8],
    x_qf_sign: impl Into<Option<&'a str>>,
    key: &ClientKey,
) -> Result<(), NotifyError> {
    if raw_body.len() > MAX_BODY {
        return Err(NotifyError::TooLarge {
            len: raw_body.len(),
            limit: MAX_BODY,
        });
    }
    let expected = parse_header(x_qf_sign.into())?;
    if key.is_empty() {
        return Err(NotifyError::EmptyKey);
    }
    // The bytes as received, then the key; `==` on `Signature` is constant-time.
    if Signature::compute(SignType::Md5, raw_body, key) == expected {
        Ok(())
    } else {
        Err(NotifyError::BadSignature)
    }
}

/// Checks the header's presence and shape: 32 hex digits, either case,
/// surrounding whitespace ignored.
pub(crate) fn parse_header(x_qf_sign: Option<&str>) -> Result<Signature, NotifyError> {
    let text = x_qf_sign.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(NotifyError::MissingSignature);
    }
    if text.len() != MD5_HEX_LEN {
        return Err(NotifyError::MalformedSignature(
            MalformedSignature::Length {
                found: text.chars().count(),
            },
        ));
    }
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NotifyError::MalformedSignature(MalformedSignature::NotHex));
    }
    Signature::from_hex(text)
        .map_err(|_| NotifyError::MalformedSignature(MalformedSignature::NotHex))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
    const SIGN: &str = "EF25A73D6EA314AA0C6F58CEE0A28C05";

    fn key() -> ClientKey {
        ClientKey::new("TESTKEY0123456789")
    }

    fn malformed(e: Result<(), NotifyError>) -> Option<MalformedSignature> {
        match e {
            Err(NotifyError::MalformedSignature(m)) => Some(m),
            _ => None,
        }
    }

    #[test]
    fn reference_vector_either_case_and_whitespace() {
        assert!(verify_signature(BODY, SIGN, &key()).is_ok());
        assert!(verify_signature(BODY, Some(SIGN.to_ascii_lowercase().as_str()), &key()).is_ok());
        assert!(verify_signature(BODY, format!(" {SIGN}\t").as_str(), &key()).is_ok());
        assert!(matches!(
            verify_signature(BODY, SIGN, &ClientKey::new("TESTKEY0123456788")),
            Err(NotifyError::BadSignature)
        ));
    }

    #[test]
    fn header_shapes() {
        assert!(matches!(
            verify_signature(BODY, None, &key()),
            Err(NotifyError::MissingSignature)
        ));
        assert!(matches!(
            verify_signature(BODY, "  ", &key()),
            Err(NotifyError::MissingSignature)
        ));
        assert_eq!(
            malformed(verify_signature(BODY, &SIGN[..31], &key())),
            Some(MalformedSignature::Length { found: 31 })
        );
        let sha256_len = "A".repeat(64);
        assert_eq!(
            malformed(verify_signature(BODY, sha256_len.as_str(), &key())),
            Some(MalformedSignature::Length { found: 64 })
        );
        let not_hex = format!("{}G", &SIGN[..31]);
        assert_eq!(
            malformed(verify_signature(BODY, not_hex.as_str(), &key())),
            Some(MalformedSignature::NotHex)
        );
        // 32 bytes, but 31 characters.
        let multibyte = format!("{}é", &SIGN[..30]);
        assert_eq!(
            malformed(verify_signature(BODY, multibyte.as_str(), &key())),
            Some(MalformedSignature::Length { found: 31 })
        );
    }

    #[test]
    fn size_first_then_empty_key() {
        let big = vec![b' '; MAX_BODY + 1];
        let e = verify_signature(&big, None, &key()).map(|_| ()).err();
        assert!(
            matches!(e, Some(NotifyError::TooLarge { len, limit: MAX_BODY }) if len == MAX_BODY + 1),
            "{e:?}"
        );
        assert_eq!(e.map(|e| e.http_status()), Some(413));
        let e = verify_signature(BODY, SIGN, &ClientKey::new("")).err();
        assert!(matches!(e, Some(NotifyError::EmptyKey)), "{e:?}");
        assert_eq!(e.map(|e| e.http_status()), Some(500));
    }

    #[test]
    fn statuses_and_authenticity() {
        assert_eq!(NotifyError::BadSignature.http_status(), 401);
        assert!(!NotifyError::BadSignature.is_authentic());
        let e = NotifyError::NotUtf8 { valid_up_to: 3 };
        assert_eq!(e.http_status(), 400);
        assert!(e.is_authentic());
    }
}
