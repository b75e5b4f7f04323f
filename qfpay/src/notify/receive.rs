//! What every notification receiver does with a request, on the raw bytes
//! of its headers and body: the frameworks' header types differ (`http` 1,
//! actix-web's `http` 0.2), the rules do not.

use super::{MAX_BODY, NotifyError};
use crate::sign::SignatureFormatError;

/// The `X-QF-SIGN` header's value from its raw bytes: `Ok(None)` when
/// absent, an error when it is not visible ASCII (it cannot be hex then).
pub(crate) fn signature_value(value: Option<&[u8]>) -> Result<Option<&str>, NotifyError> {
    match value {
        None => Ok(None),
        // Visible ASCII only, as `HeaderValue::to_str` accepts.
        Some(bytes)
            if bytes
                .iter()
                .all(|b| *b == b'\t' || (0x20..0x7f).contains(b)) =>
        {
            std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|_| NotifyError::MalformedSignature(SignatureFormatError::NotHex))
        }
        Some(_) => Err(NotifyError::MalformedSignature(
            SignatureFormatError::NotHex,
        )),
    }
}

/// Refuses a request whose `Content-Length` (the header's raw bytes)
/// announces more than [`MAX_BODY`] bytes, before its body is read.
pub(crate) fn check_content_length_value(value: Option<&[u8]>) -> Result<(), NotifyError> {
    let announced = value
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match announced {
        Some(len) if len > MAX_BODY as u64 => Err(NotifyError::TooLarge {
            len: usize::try_from(len).unwrap_or(usize::MAX),
            max: MAX_BODY,
        }),
        _ => Ok(()),
    }
}

/// A body collected chunk by chunk, refused as soon as it exceeds
/// [`MAX_BODY`] (the framework extractors' reading).
#[cfg(any(feature = "axum", feature = "actix"))]
#[derive(Default)]
pub(crate) struct LimitedBody(Vec<u8>);

#[cfg(any(feature = "axum", feature = "actix"))]
impl LimitedBody {
    /// Appends `chunk`, or refuses the body if it grows past the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), NotifyError> {
        let len = self.0.len() + chunk.len();
        if len > MAX_BODY {
            return Err(NotifyError::TooLarge { len, max: MAX_BODY });
        }
        self.0.extend_from_slice(chunk);
        Ok(())
    }

    /// The whole body.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}
