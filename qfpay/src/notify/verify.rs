//! Signature verification over the raw body bytes (reference §22.3).

use crate::sign::{ClientKey, SignType, Signature, SignatureFormatError};

use super::MAX_BODY;
use super::event::Notification;

/// Why a notification was refused.
///
/// No variant carries the body or the key, so the message is safe to log.
/// Every variant except [`InvalidJson`](Self::InvalidJson) means the request
/// was not shown to come from QFPay and must not be acted on;
/// [`NotifyError::http_status`] gives the status to answer with.
#[derive(Debug)]
#[non_exhaustive]
pub enum NotifyError {
    /// The body is longer than [`MAX_BODY`]; refused before hashing.
    TooLarge {
        /// Length of the body (or the announced `Content-Length`) in bytes;
        /// when reading a stream stopped at the limit, the bytes read so far.
        len: usize,
        /// The limit, [`MAX_BODY`].
        max: usize,
    },
    /// No `X-QF-SIGN` header (or a blank one).
    MissingSignature,
    /// The `X-QF-SIGN` header is not 32 or 64 hex digits.
    MalformedSignature(SignatureFormatError),
    /// The signature does not match `MD5(body ‖ key)`: a wrong client key, a
    /// body altered on the way (e.g. by middleware that re-encoded it), or a
    /// forgery.
    BadSignature,
    /// No key to verify with: the client key is empty, or a
    /// [`Verifier`](super::Verifier) was given none. With an empty key
    /// anybody could sign, so nothing is accepted: a configuration error of
    /// the receiver.
    EmptyKey,
    /// The signature is valid but the body is not JSON (or not UTF-8).
    InvalidJson {
        /// The parser's error (it quotes no part of the body).
        source: serde_json::Error,
    },
}

impl std::fmt::Display for NotifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotifyError::TooLarge { len, max } => write!(
                f,
                "notification body of {len} bytes exceeds the limit of {max} bytes"
            ),
            NotifyError::MissingSignature => f.write_str("notification has no X-QF-SIGN header"),
            NotifyError::MalformedSignature(error) => {
                write!(f, "notification's X-QF-SIGN header is malformed: {error}")
            }
            NotifyError::BadSignature => {
                f.write_str("notification signature does not match the body and client key")
            }
            NotifyError::EmptyKey => f.write_str(
                "no client key to verify notifications with: the key is empty, or the \
                     Verifier has none (add one with `.key(app_code, key)`)",
            ),
            NotifyError::InvalidJson { source } => write!(
                f,
                "notification signature is valid but the body is not JSON (line {}, column {})",
                source.line(),
                source.column()
            ),
        }
    }
}

impl std::error::Error for NotifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotifyError::MalformedSignature(error) => Some(error),
            NotifyError::InvalidJson { source } => Some(source),
            _ => None,
        }
    }
}

impl NotifyError {
    /// The HTTP status to answer with — never 200, so QFPay delivers again
    /// on its schedule:
    ///
    /// | variant | status |
    /// |---|---|
    /// | `TooLarge` | 413 |
    /// | `MissingSignature`, `MalformedSignature`, `BadSignature` | 401 |
    /// | `InvalidJson` | 400 |
    /// | `EmptyKey` | 500 |
    pub fn http_status(&self) -> u16 {
        match self {
            NotifyError::TooLarge { .. } => 413,
            NotifyError::MissingSignature
            | NotifyError::MalformedSignature(_)
            | NotifyError::BadSignature => 401,
            NotifyError::InvalidJson { .. } => 400,
            NotifyError::EmptyKey => 500,
        }
    }

    /// `true` when the body's signature was verified and only its content
    /// could not be read ([`InvalidJson`](Self::InvalidJson)): the body is
    /// QFPay's and may describe a real payment — log it and look.
    pub fn is_authentic(&self) -> bool {
        matches!(self, NotifyError::InvalidJson { .. })
    }
}

/// Checks the `X-QF-SIGN` signature of a notification body, without parsing it.
///
/// `raw_body` must be the bytes exactly as received; `x_qf_sign` is the
/// header's value (`None` when absent). The check is `MD5(raw_body ‖ key)`
/// compared in constant time with the header, which may be upper- or
/// lower-case hex and may have surrounding whitespace. A 64-digit (SHA-256
/// length) header is well-formed but never matches: QFPay signs
/// notifications with MD5 only, so it is a [`NotifyError::BadSignature`].
///
/// In order: the size limit ([`MAX_BODY`], nothing is hashed beyond it), the
/// header's presence and shape, the key, the comparison.
///
/// ```
/// use qfpay::ClientKey;
/// use qfpay::notify::{verify_signature, NotifyError};
///
/// // Reference §22.3's vector.
/// let key = ClientKey::new("TESTKEY0123456789");
/// let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
/// verify_signature(body, Some("EF25A73D6EA314AA0C6F58CEE0A28C05"), &key)?;
/// verify_signature(body, Some("ef25a73d6ea314aa0c6f58cee0a28c05"), &key)?;
/// assert!(matches!(verify_signature(body, None, &key), Err(NotifyError::MissingSignature)));
/// # Ok::<(), NotifyError>(())
/// ```
pub fn verify_signature(
    raw_body: &[u8],
    x_qf_sign: Option<&str>,
    key: &ClientKey,
) -> Result<(), NotifyError> {
    if raw_body.len() > MAX_BODY {
        return Err(NotifyError::TooLarge {
            len: raw_body.len(),
            max: MAX_BODY,
        });
    }
    let header = match x_qf_sign.map(str::trim) {
        None | Some("") => return Err(NotifyError::MissingSignature),
        Some(header) => header,
    };
    let received = Signature::from_hex(header).map_err(NotifyError::MalformedSignature)?;
    if key.is_empty() {
        return Err(NotifyError::EmptyKey);
    }
    // The bytes as received, then the key; `==` on signatures compares the
    // lengths, then the bytes in constant time.
    if Signature::compute(SignType::Md5, raw_body, key) == received {
        Ok(())
    } else {
        Err(NotifyError::BadSignature)
    }
}

/// Verifies a notification and parses it into a typed [`Notification`].
///
/// `raw_body` must be the request body **exactly as received** — never JSON
/// that was parsed and serialised again. This is [`verify_signature`]
/// followed by [`Notification::from_json`]: nothing is parsed unless the
/// signature over the raw bytes matches. A valid signature over a body that
/// is not JSON gives [`NotifyError::InvalidJson`]; valid JSON is never
/// refused for its content (unknown types and fields are kept, see
/// [`Notification`]).
///
/// ```
/// use qfpay::ClientKey;
/// use qfpay::notify::{self, Notification, NotifyError};
///
/// // The notification vector of `tests/data/signing.json`.
/// let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
/// let body = br#"{"status": "1", "pay_type": "800101", "sysdtm": "2020-06-15 10:32:58", "paydtm": "2020-06-15 10:33:35", "goods_name": "", "txcurrcd": "HKD", "txdtm": "2020-06-15 10:32:58", "mchid": "O37MRh6Qq5", "txamt": "10", "exchange_rate": "", "chnlsn2": "", "out_trade_no": "9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO", "syssn": "20200615000200020000641807", "cash_fee_type": "", "cancel": "0", "respcd": "0000", "goods_info": "", "cash_fee": "0", "notify_type": "payment", "chnlsn": "2020061522001453561406303428", "cardcd": "2088032341453564"}"#;
/// let sign = Some("29B26554D9F1B1DAA15B2F95E3DF3976");
///
/// let event = notify::verify(body, sign, &key)?;
/// // Deduplicate retried deliveries by syssn + notify_type:
/// assert_eq!(
///     event.dedup_key(),
///     Some(("20200615000200020000641807".to_owned(), "payment".to_owned()))
/// );
/// let Notification::Payment(payment) = event else { unreachable!() };
/// assert_eq!(payment.txamt.minor_units(), 10);
/// assert_eq!(payment.mchid.as_deref(), Some("O37MRh6Qq5"));
///
/// // Lower-case hex is the same signature; anything else is refused before parsing.
/// assert!(notify::verify(body, Some("29b26554d9f1b1daa15b2f95e3df3976"), &key).is_ok());
/// assert!(matches!(notify::verify(body, None, &key), Err(NotifyError::MissingSignature)));
/// assert!(matches!(
///     notify::verify(&body[..body.len() - 1], sign, &key),
///     Err(NotifyError::BadSignature)
/// ));
/// # Ok::<(), NotifyError>(())
/// ```
pub fn verify(
    raw_body: &[u8],
    x_qf_sign: Option<&str>,
    key: &ClientKey,
) -> Result<Notification, NotifyError> {
    verify_signature(raw_body, x_qf_sign, key)?;
    Notification::from_json(raw_body).map_err(|source| NotifyError::InvalidJson { source })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
    const SIGN: &str = "EF25A73D6EA314AA0C6F58CEE0A28C05";

    fn key() -> ClientKey {
        ClientKey::new("TESTKEY0123456789")
    }

    #[test]
    fn order_of_checks_and_statuses() {
        let big = vec![b' '; MAX_BODY + 1];
        let e = verify_signature(&big, None, &key()).err();
        assert!(
            matches!(e, Some(NotifyError::TooLarge { len, max: MAX_BODY }) if len == MAX_BODY + 1),
            "{e:?}"
        );
        assert_eq!(e.map(|e| e.http_status()), Some(413));
        let e = verify_signature(BODY, Some("  "), &key()).err();
        assert!(matches!(e, Some(NotifyError::MissingSignature)), "{e:?}");
        let e = verify_signature(BODY, Some(&SIGN[..31]), &key()).err();
        assert!(
            matches!(
                e,
                Some(NotifyError::MalformedSignature(
                    SignatureFormatError::Length { found: 31 }
                ))
            ),
            "{e:?}"
        );
        let e = verify_signature(BODY, Some(SIGN), &ClientKey::new("")).err();
        assert!(matches!(e, Some(NotifyError::EmptyKey)), "{e:?}");
        assert_eq!(e.map(|e| e.http_status()), Some(500));
        let sha256_len = "A".repeat(64);
        let e = verify_signature(BODY, Some(&sha256_len), &key()).err();
        assert!(matches!(e, Some(NotifyError::BadSignature)), "{e:?}");
        assert!(verify_signature(BODY, Some(&format!(" {SIGN}\t")), &key()).is_ok());
    }

    #[test]
    fn invalid_json_after_a_valid_signature() {
        let body = b"{\"syssn\": ";
        let sign = Signature::compute(SignType::Md5, body, &key()).to_string();
        let e = verify(body, Some(&sign), &key()).err();
        let Some(e) = e else { panic!("accepted") };
        assert!(e.is_authentic());
        assert_eq!(e.http_status(), 400);
        assert!(!e.to_string().contains("syssn"), "{e}");
    }
}
