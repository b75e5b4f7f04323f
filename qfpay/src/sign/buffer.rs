//! [`SignBuffer`]: the canonical string and the form body of a request,
//! written in one pass into buffers a caller can reuse.

use std::fmt;

use crate::endpoint::WriteParams;
use crate::form::FormWriter;
use crate::param_error::EncodeError;
use crate::wire::{Both, WirePairs, text_estimate};

use super::{CanonicalString, ClientKey, SignType, Signature};

/// Reusable buffers for the canonical string and the form body.
///
/// [`SignBuffer::encode`] walks the sorted pairs once and fills both; reusing
/// one buffer across requests makes signing allocation-free.
///
/// ```
/// use qfpay::{sign::SignBuffer, ClientKey, RawParams, SignType};
///
/// let params = RawParams::from_pairs([("txamt", "10"), ("goods_name", "a&b")]);
/// let mut buf = SignBuffer::new();
/// buf.encode(&params, None).unwrap();
/// assert_eq!(buf.canonical(), "goods_name=a&b&txamt=10");
/// assert_eq!(buf.body(), "goods_name=a%26b&txamt=10");
/// let sig = buf.signature(&ClientKey::new("KEY"), SignType::Md5);
/// assert_eq!(sig.to_string().len(), 32);
/// ```
#[derive(Default)]
pub struct SignBuffer {
    canonical: CanonicalString,
    body: String,
    keep_empty: bool,
}

impl fmt::Debug for SignBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignBuffer")
            .field("canonical", &self.canonical.as_str())
            .field("body", &self.body)
            .finish()
    }
}

impl SignBuffer {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep parameters whose value is empty (`name=`) instead of omitting them.
    ///
    /// The SDK never sends empty values (reference §5.1 and §27.1 #6). This
    /// exists for verifying what *other* clients sent — the mock server
    /// accepts a signature computed either way — and to reproduce the one
    /// vector QFPay published, which signs `channel_type=`.
    pub fn keep_empty_values(mut self, keep: bool) -> Self {
        self.keep_empty = keep;
        self
    }

    /// Encodes `params` into the canonical string and the form body in one pass.
    ///
    /// `extra` is a parameter added by the client (`("mchid", value)`), merged
    /// at its sorted place; it is an error if `params` writes the same name.
    pub fn encode<P: WriteParams + ?Sized>(
        &mut self,
        params: &P,
        extra: Option<(&'static str, &str)>,
    ) -> Result<(), EncodeError> {
        // Form encoding can lengthen the text; reserving keeps a typical
        // request from growing either `String` (nothing once they are grown).
        let estimate = text_estimate::<P>();
        self.body.clear();
        self.body.reserve(estimate + estimate / 2);
        let out = Both(
            self.canonical.start(estimate),
            FormWriter::new(&mut self.body),
        );
        let mut pairs = WirePairs::new(out)
            .keep_empty(self.keep_empty)
            .with_extra(extra);
        params.write_params(&mut pairs);
        pairs.finish().1
    }

    /// [`encode`](Self::encode), then [`signature`](Self::signature): what
    /// the client does for every request.
    ///
    /// ```
    /// use qfpay::{sign::SignBuffer, ClientKey, RawParams, SignType};
    ///
    /// let params = RawParams::from_pairs([("txamt", "10"), ("goods_name", "a&b")]);
    /// let key = ClientKey::new("KEY");
    /// let mut buf = SignBuffer::new();
    /// let sig = buf.encode_signed(&params, Some(("mchid", "M1")), &key, SignType::Sha256).unwrap();
    /// assert_eq!(buf.body(), "goods_name=a%26b&mchid=M1&txamt=10");
    /// assert_eq!(buf.canonical(), "goods_name=a&b&mchid=M1&txamt=10");
    /// assert_eq!(sig, buf.signature(&key, SignType::Sha256));
    /// ```
    pub fn encode_signed<P: WriteParams + ?Sized>(
        &mut self,
        params: &P,
        extra: Option<(&'static str, &str)>,
        key: &ClientKey,
        sign_type: SignType,
    ) -> Result<Signature, EncodeError> {
        self.encode(params, extra)?;
        Ok(self.signature(key, sign_type))
    }

    /// The canonical string of the last [`encode`](Self::encode), without the key.
    pub fn canonical(&self) -> &str {
        self.canonical.as_str()
    }

    /// The form body (or query string) of the last [`encode`](Self::encode).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The form body of the last [`encode`](Self::encode), taken out of the
    /// buffer without a copy (the buffer's body is empty afterwards).
    pub fn take_body(&mut self) -> String {
        std::mem::take(&mut self.body)
    }

    /// Signs the canonical string of the last [`encode`](Self::encode).
    pub fn signature(&self, key: &ClientKey, sign_type: SignType) -> Signature {
        self.canonical.signature(key, sign_type)
    }

    /// The canonical string with the key shown as a placeholder, for
    /// debugging a signature mismatch. Safe to log.
    pub fn redacted_sign_input(&self) -> String {
        self.canonical.redacted_sign_input().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::param_error::DuplicateParam;
    use crate::raw::RawParams;

    #[test]
    fn both_texts_carry_the_same_pairs_and_the_extra_one() {
        let params = RawParams::from_pairs([("a", "1"), ("b", "x y&z"), ("c", ""), ("z", "2")]);
        let mut buf = SignBuffer::new();
        buf.encode(&params, Some(("mchid", "M1"))).unwrap();
        assert_eq!(buf.canonical(), "a=1&b=x y&z&mchid=M1&z=2");
        assert_eq!(buf.body(), "a=1&b=x+y%26z&mchid=M1&z=2");
        assert_eq!(
            buf.redacted_sign_input(),
            "a=1&b=x y&z&mchid=M1&z=2{client_key}"
        );
        // Reused: nothing of the last request is left.
        buf.encode(&RawParams::from_pairs([("a", "1")]), None)
            .unwrap();
        assert_eq!((buf.canonical(), buf.body()), ("a=1", "a=1"));
        assert_eq!(buf.take_body(), "a=1");
        assert_eq!((buf.canonical(), buf.body()), ("a=1", ""));
        let mut keep = SignBuffer::new().keep_empty_values(true);
        keep.encode(&params, None).unwrap();
        assert_eq!(keep.canonical(), "a=1&b=x y&z&c=&z=2");
        assert_eq!(keep.body(), "a=1&b=x+y%26z&c=&z=2");
    }

    #[test]
    fn a_repeated_extra_pair_is_refused() {
        let mut buf = SignBuffer::new();
        let dup = RawParams::from_pairs([("mchid", "X")]);
        let key = ClientKey::new("k");
        assert_eq!(
            buf.encode_signed(&dup, Some(("mchid", "M1")), &key, SignType::Md5)
                .unwrap_err(),
            EncodeError::Duplicate(DuplicateParam { name: "mchid" })
        );
    }
}
