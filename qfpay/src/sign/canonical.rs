//! The canonical string of reference §5.1: the pairs that go on the wire
//! ([`crate::wire`]) as `name=value`, joined by `&`, values raw (not
//! percent-encoded) UTF-8, names in the byte order they arrive in. The
//! signature is the hash of this string followed by the client key.
//!
//! [`CanonicalWriter`] is the only writer of this string in the SDK and the
//! CLI: [`crate::sign()`] writes it into the hash, [`CanonicalString`] and
//! `SignBuffer` into a `String` (requests, the client's check of signed
//! replies, `qfpay sign --explain`). The mock server and the tests check it
//! with their own, deliberately independent code.

use std::fmt;

use crate::endpoint::WriteParams;
use crate::param::PairSink;
use crate::wire::{WirePairs, text_estimate};

use super::{ClientKey, SignType, Signature};

/// Where the canonical string's text goes.
pub(crate) trait CanonicalOut {
    /// Appends `text`.
    fn put(&mut self, text: &str);
}

impl CanonicalOut for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// Writes the pairs it is given as the canonical string into `out`.
pub(crate) struct CanonicalWriter<'a, W: ?Sized> {
    out: &'a mut W,
    started: bool,
}

impl<'a, W: CanonicalOut + ?Sized> CanonicalWriter<'a, W> {
    /// Starts a canonical string; `out` holds nothing of another one.
    pub(crate) fn new(out: &'a mut W) -> Self {
        CanonicalWriter {
            out,
            started: false,
        }
    }
}

impl<W: CanonicalOut + ?Sized> PairSink for CanonicalWriter<'_, W> {
    #[inline]
    fn pair(&mut self, name: &str, value: &str) {
        if self.started {
            self.out.put("&");
        }
        self.started = true;
        self.out.put(name);
        self.out.put("=");
        self.out.put(value);
    }
}

/// The canonical string of a request: what is signed, before the key.
///
/// Contains no secret: `Display` shows it as it is.
/// [`redacted_sign_input`](Self::redacted_sign_input) shows the whole input
/// of the hash, with the key as a placeholder.
///
/// ```
/// use qfpay::sign::CanonicalString;
/// use qfpay::{ClientKey, RawParams, SignType};
///
/// let params = RawParams::from_pairs([("txamt", "10"), ("goods_name", "a&b"), ("udid", "")]);
/// let canonical = CanonicalString::of(&params);
/// assert_eq!(canonical.to_string(), "goods_name=a&b&txamt=10");
/// assert_eq!(
///     canonical.redacted_sign_input().to_string(),
///     "goods_name=a&b&txamt=10{client_key}"
/// );
/// let key = ClientKey::new("KEY");
/// assert_eq!(canonical.signature(&key, SignType::Md5), qfpay::sign(&params, &key, SignType::Md5));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanonicalString(String);

impl CanonicalString {
    /// The canonical string of `request`.
    pub fn of<P: WriteParams + ?Sized>(request: &P) -> Self {
        let mut canonical = CanonicalString::default();
        let mut pairs = WirePairs::new(canonical.start(text_estimate::<P>()));
        request.write_params(&mut pairs);
        // A refused value matters only to the client, which then sends
        // nothing; this shows what would be signed.
        let _ = pairs.finish();
        canonical
    }

    /// Empties the string (keeping its memory), makes room for `room`
    /// bytes and starts writing a new one.
    pub(crate) fn start(&mut self, room: usize) -> CanonicalWriter<'_, String> {
        self.0.clear();
        self.0.reserve(room);
        CanonicalWriter::new(&mut self.0)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `hash(canonical ‖ key)`.
    pub fn signature(&self, key: &ClientKey, sign_type: SignType) -> Signature {
        Signature::compute(sign_type, self.0.as_bytes(), key)
    }

    /// The input of the hash with the key shown as `{client_key}`: safe to
    /// log, for comparing with what another signer hashed.
    pub fn redacted_sign_input(&self) -> RedactedSignInput<'_> {
        RedactedSignInput(&self.0)
    }
}

impl fmt::Display for CanonicalString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CanonicalString> for String {
    fn from(canonical: CanonicalString) -> String {
        canonical.0
    }
}

/// A canonical string followed by `{client_key}` where the key is hashed:
/// what [`CanonicalString::redacted_sign_input`] displays.
#[derive(Clone, Copy, Debug)]
pub struct RedactedSignInput<'a>(&'a str);

impl fmt::Display for RedactedSignInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{{client_key}}", self.0)
    }
}

/// The canonical string of a request (sorted `name=value` pairs joined by
/// `&`, without the key), as a `String`. Contains no secret.
///
/// ```
/// let params = qfpay::RawParams::from_pairs([("b", "x y"), ("a", "測試")]);
/// assert_eq!(qfpay::canonical_string(&params), "a=測試&b=x y");
/// ```
pub fn canonical_string<P: WriteParams + ?Sized>(request: &P) -> String {
    CanonicalString::of(request).into()
}
