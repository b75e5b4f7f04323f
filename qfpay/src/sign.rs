//! Request signing: canonical string, MD5 / SHA-256, hex, constant-time compare.
//!
//! The canonical string is `name=value` pairs joined by `&`, names in byte
//! order, raw (not percent-encoded) UTF-8 values, empty values omitted, with
//! the client key appended without a separator (reference §5.1). It is built
//! in the same single pass that builds the form body ([`SignBuffer`]), so the
//! two can never disagree. [`sign`] alone writes it onto the stack and hashes
//! it from there: no allocation (`benches/`, `BENCHMARKS.md`).

use std::borrow::Cow;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::endpoint::WriteParams;
use crate::param::PairSink;

mod stage;
use stage::{BlockHash, Md5Blocks, STAGE, Sha256Blocks, StageSink};

/// Hash used for the signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignType {
    /// MD5, the server's default when `X-QF-SIGNTYPE` is absent.
    Md5,
    /// SHA-256, recommended by the reference; sent with `X-QF-SIGNTYPE: SHA256`.
    #[default]
    Sha256,
}

impl SignType {
    /// Value of the `X-QF-SIGNTYPE` header, or `None` when the header is not sent (MD5).
    pub const fn header_value(self) -> Option<&'static str> {
        match self {
            SignType::Md5 => None,
            SignType::Sha256 => Some("SHA256"),
        }
    }

    /// The sign type a server must assume for an `X-QF-SIGNTYPE` header value
    /// (absent → MD5). Unknown values give `None`.
    pub fn from_header(value: Option<&str>) -> Option<SignType> {
        match value.map(str::trim) {
            None | Some("") => Some(SignType::Md5),
            Some(v) if v.eq_ignore_ascii_case("MD5") => Some(SignType::Md5),
            Some(v) if v.eq_ignore_ascii_case("SHA256") || v.eq_ignore_ascii_case("SHA-256") => {
                Some(SignType::Sha256)
            }
            Some(_) => None,
        }
    }

    /// Length of the digest in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            SignType::Md5 => 16,
            SignType::Sha256 => 32,
        }
    }
}

impl std::str::FromStr for SignType {
    type Err = UnknownSignType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            _ if s.eq_ignore_ascii_case("md5") => Ok(SignType::Md5),
            _ if s.eq_ignore_ascii_case("sha256") || s.eq_ignore_ascii_case("sha-256") => {
                Ok(SignType::Sha256)
            }
            _ => Err(UnknownSignType(s.chars().take(32).collect())),
        }
    }
}

/// A sign type name that is neither `md5` nor `sha256`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign type `{0}` (expected `md5` or `sha256`)")]
pub struct UnknownSignType(String);

/// The client key used to sign requests and verify notifications.
///
/// Its `Debug` output is redacted and it has no `Display`; the memory is
/// zeroed on drop.
///
/// ```
/// let key = qfpay::ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
/// assert_eq!(format!("{key:?}"), "ClientKey(<redacted>)");
/// ```
#[derive(Clone)]
pub struct ClientKey(SecretString);

impl ClientKey {
    /// Wraps a client key.
    pub fn new(key: impl Into<String>) -> Self {
        ClientKey(SecretString::from(key.into()))
    }

    /// Whether the key is empty (an empty key can never produce a valid signature).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.expose_secret().as_bytes()
    }
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientKey(<redacted>)")
    }
}

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
        fn hashed<H: BlockHash>(message: &[u8], key: &ClientKey) -> Signature {
            let mut stage = [0u8; STAGE];
            let mut sink = StageSink::<H>::new(&mut stage);
            sink.message(message);
            sink.finish(key)
        }
        match sign_type {
            SignType::Md5 => hashed::<Md5Blocks>(message, key),
            SignType::Sha256 => hashed::<Sha256Blocks>(message, key),
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

    /// Upper-case hex (as sent in `X-QF-SIGN`), as a `String`.
    pub fn to_hex_upper(&self) -> String {
        self.hex_upper().as_str().to_owned()
    }

    /// Upper-case hex (as sent in `X-QF-SIGN`), on the stack: no allocation.
    ///
    /// ```
    /// use qfpay::{ClientKey, RawParams, SignType};
    ///
    /// let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
    /// let sig = qfpay::sign(&RawParams::from_pairs([("txamt", "10")]), &key, SignType::Md5);
    /// let header: &str = &sig.hex_upper();
    /// assert_eq!(header, sig.to_hex_upper());
    /// ```
    pub fn hex_upper(&self) -> SignatureHex {
        let mut bytes = [0u8; 64];
        // Four digest bytes become eight digits in one register, stored as
        // one word, so that `as_str`'s word-wise UTF-8 check reads each word
        // straight from the store that wrote it. All 32 bytes are converted;
        // `len` cuts off the unused half of an MD5 signature.
        for (out, quad) in bytes.chunks_exact_mut(8).zip(self.bytes.chunks_exact(4)) {
            let quad: [u8; 4] = quad.try_into().unwrap_or_default();
            out.copy_from_slice(&hex_digits_upper(u32::from_be_bytes(quad)).to_be_bytes());
        }
        SignatureHex {
            bytes,
            len: 2 * self.len,
        }
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
        self.len == other.len && bool::from(self.as_bytes().ct_eq(other.as_bytes()))
    }
}
impl Eq for Signature {}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex_upper())
    }
}

/// The eight upper-case hex digits of `x`, most significant first, as the
/// bytes of a big-endian `u64`.
#[inline(always)]
const fn hex_digits_upper(x: u32) -> u64 {
    // One nibble per byte: 0x89ABCDEF -> 0x08_09_0A_0B_0C_0D_0E_0F.
    let x = x as u64;
    let mut n = ((x & 0xFFFF_0000) << 16) | (x & 0xFFFF);
    n = ((n & 0x0000_FF00_0000_FF00) << 8) | (n & 0x0000_00FF_0000_00FF);
    n = ((n & 0x00F0_00F0_00F0_00F0) << 4) | (n & 0x000F_000F_000F_000F);
    // 0x01 in every byte whose nibble is 10 or more, then '0' + n, + 7 more
    // for the letters ('A' - '0' - 10).
    let letters = ((n + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    n + 0x3030_3030_3030_3030 + letters * 7
}

/// A [`Signature`] as upper-case hex, held on the stack: what
/// [`Signature::hex_upper`] returns. Dereferences to `str`.
#[derive(Clone, Copy)]
// Aligned so that the UTF-8 check of `as_str` runs word by word from the
// first byte (it is a third of the cost of producing the hex otherwise).
#[repr(align(16))]
pub struct SignatureHex {
    bytes: [u8; 64],
    len: u8,
}

impl SignatureHex {
    /// The hex digits: 32 (MD5) or 64 (SHA-256).
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(self.bytes.get(..usize::from(self.len)).unwrap_or_default())
            .unwrap_or_default()
    }
}

impl std::ops::Deref for SignatureHex {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SignatureHex {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for SignatureHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SignatureHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignatureHex({})", self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

/// A signature header that is not valid hex of an MD5 or SHA-256 digest.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// Not 32 or 64 hex characters.
    #[error("signature has {found} characters, expected 32 (MD5) or 64 (SHA-256) hex digits")]
    Length {
        /// Characters found.
        found: usize,
    },
    /// Contains a character that is not a hex digit.
    #[error("signature contains a character that is not a hex digit")]
    NotHex,
}

/// A parameter value that breaks a documented limit, refused before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{name}`: {reason}")]
pub struct InvalidParam {
    /// Wire name of the parameter.
    pub name: &'static str,
    /// Why it was refused.
    pub reason: Cow<'static, str>,
}

/// A parameter the client wanted to add (`mchid`) that the request already has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{name}` is set on the request and also configured on the client")]
pub struct DuplicateParam {
    /// Wire name of the parameter.
    pub name: &'static str,
}

/// Why a request could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field's value broke a documented limit.
    #[error(transparent)]
    Rejected(#[from] InvalidParam),
    /// A parameter was given twice.
    #[error(transparent)]
    Duplicate(#[from] DuplicateParam),
}

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
    canonical: String,
    body: String,
    keep_empty: bool,
}

impl fmt::Debug for SignBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignBuffer")
            .field("canonical", &self.canonical)
            .field("body", &self.body)
            .finish()
    }
}

/// Whether a pair is sent (and signed) at all: empty values are omitted
/// (reference §5.1) unless the caller asked to keep them.
#[inline(always)]
fn is_sent(value: &str, keep_empty: bool) -> bool {
    keep_empty || !value.is_empty()
}

/// The canonical string (reference §5.1) is `name=value` pairs joined by
/// `&`. [`CanonicalText`] writes it into a `String`, `stage::StageSink` onto
/// the stack before the hash; both take the separators from here.
const PAIR_SEPARATOR: u8 = b'&';
const NAME_VALUE_SEPARATOR: u8 = b'=';

/// Debug builds check that names arrive in increasing byte order — without
/// allocating, so allocation counts are the same in every profile. Names
/// longer than the buffer are compared by their prefix (a weaker check).
#[cfg(debug_assertions)]
#[derive(Default)]
struct OrderCheck {
    last: Option<([u8; 64], usize)>,
}

#[cfg(debug_assertions)]
impl OrderCheck {
    fn check(&mut self, name: &str) {
        let name = name.as_bytes();
        if let Some((last, len)) = &self.last {
            let last = &last[..*len];
            let comparable = &name[..name.len().min(last.len())];
            debug_assert!(
                last <= comparable,
                "parameters must be written in increasing name order: `{}` after `{}`",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(last),
            );
        }
        let mut last = [0u8; 64];
        let len = name.len().min(64);
        last[..len].copy_from_slice(&name[..len]);
        self.last = Some((last, len));
    }
}

/// The sink of [`SignBuffer`]: drops empty values, merges the client's extra
/// pair (`mchid`) at its sorted place, records the first rejection, and
/// passes each pair on to the canonical string's writer `C` (a `String`, or
/// the hash's stage) and/or the form body.
struct Encoder<'a, C> {
    canonical: Option<&'a mut C>,
    body: Option<&'a mut String>,
    keep_empty: bool,
    extra: Option<(&'static str, &'a str)>,
    error: Option<EncodeError>,
    #[cfg(debug_assertions)]
    order: OrderCheck,
}

/// The canonical string written into a `String`.
struct CanonicalText<'a>(&'a mut String);

impl PairSink for CanonicalText<'_> {
    #[inline]
    fn pair(&mut self, name: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push(char::from(PAIR_SEPARATOR));
        }
        self.0.push_str(name);
        self.0.push(char::from(NAME_VALUE_SEPARATOR));
        self.0.push_str(value);
    }
}

/// Room to reserve for the canonical string of a `P`, so that a typical
/// request is written without growing the `String`.
fn text_estimate<P: WriteParams + ?Sized>() -> usize {
    24 * P::PARAM_NAMES.len() + 96
}

/// One pass of `params` (with the client's `extra` pair) through an [`Encoder`].
fn encode_into<P: WriteParams + ?Sized, C: PairSink>(
    params: &P,
    extra: Option<(&'static str, &str)>,
    keep_empty: bool,
    canonical: Option<&mut C>,
    body: Option<&mut String>,
) -> Result<(), EncodeError> {
    let mut encoder = Encoder {
        canonical,
        body,
        keep_empty,
        extra,
        error: None,
        #[cfg(debug_assertions)]
        order: OrderCheck::default(),
    };
    params.write_params(&mut encoder);
    encoder.finish()
}

impl<C: PairSink> Encoder<'_, C> {
    fn emit(&mut self, name: &str, value: &str) {
        if !is_sent(value, self.keep_empty) {
            return;
        }
        #[cfg(debug_assertions)]
        self.order.check(name);
        if let Some(canonical) = self.canonical.as_deref_mut() {
            canonical.pair(name, value);
        }
        if let Some(body) = self.body.as_deref_mut() {
            if !body.is_empty() {
                body.push('&');
            }
            push_form_encoded(body, name);
            body.push('=');
            push_form_encoded(body, value);
        }
    }

    fn flush_extra_before(&mut self, name: &str) {
        if let Some((extra_name, extra_value)) = self.extra {
            if extra_name < name {
                self.extra = None;
                self.emit(extra_name, extra_value);
            } else if extra_name == name && self.error.is_none() {
                self.error = Some(DuplicateParam { name: extra_name }.into());
            }
        }
    }

    fn finish(mut self) -> Result<(), EncodeError> {
        if let Some((name, value)) = self.extra.take() {
            self.emit(name, value);
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl<C: PairSink> PairSink for Encoder<'_, C> {
    #[inline]
    fn pair(&mut self, name: &str, value: &str) {
        if self.extra.is_some() {
            self.flush_extra_before(name);
        }
        self.emit(name, value);
    }

    fn reject(&mut self, name: &'static str, reason: Cow<'static, str>) {
        if self.error.is_none() {
            self.error = Some(InvalidParam { name, reason }.into());
        }
    }
}

/// Appends `text` `application/x-www-form-urlencoded`, as
/// `form_urlencoded::byte_serialize` encodes it. Text the encoder would
/// leave as it is (names, amounts, codes, order numbers) is copied at once
/// instead of going through the encoder's iterator.
#[inline]
fn push_form_encoded(out: &mut String, text: &str) {
    /// Exactly the bytes `byte_serialize` passes through unchanged.
    const UNCHANGED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || matches!(c, b'*' | b'-' | b'.' | b'_');
            b += 1;
        }
        table
    };
    if text.bytes().all(|b| UNCHANGED[usize::from(b)]) {
        out.push_str(text);
    } else {
        out.extend(form_urlencoded::byte_serialize(text.as_bytes()));
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

    /// Empties both texts and makes room for a `P` in the body (form
    /// encoding can lengthen it) and, when it is written, the canonical string.
    fn start<P: WriteParams + ?Sized>(&mut self, canonical: bool) {
        self.canonical.clear();
        self.body.clear();
        let estimate = text_estimate::<P>();
        if canonical {
            self.canonical.reserve(estimate);
        }
        self.body.reserve(estimate + estimate / 2);
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
        self.start::<P>(true);
        encode_into(
            params,
            extra,
            self.keep_empty,
            Some(&mut CanonicalText(&mut self.canonical)),
            Some(&mut self.body),
        )
    }

    /// Encodes the form body and signs `params` in the same pass, as
    /// [`encode`](Self::encode) then [`signature`](Self::signature) would,
    /// without writing the canonical string down: [`canonical`](Self::canonical)
    /// is empty afterwards (use `encode` to see or log it). What the client
    /// does for every request.
    ///
    /// ```
    /// use qfpay::{sign::SignBuffer, ClientKey, RawParams, SignType};
    ///
    /// let params = RawParams::from_pairs([("txamt", "10"), ("goods_name", "a&b")]);
    /// let key = ClientKey::new("KEY");
    /// let mut buf = SignBuffer::new();
    /// let sig = buf.encode_signed(&params, Some(("mchid", "M1")), &key, SignType::Sha256).unwrap();
    /// assert_eq!(buf.body(), "goods_name=a%26b&mchid=M1&txamt=10");
    /// buf.encode(&params, Some(("mchid", "M1"))).unwrap();
    /// assert_eq!(sig, buf.signature(&key, SignType::Sha256));
    /// ```
    pub fn encode_signed<P: WriteParams + ?Sized>(
        &mut self,
        params: &P,
        extra: Option<(&'static str, &str)>,
        key: &ClientKey,
        sign_type: SignType,
    ) -> Result<Signature, EncodeError> {
        self.start::<P>(false);
        match sign_type {
            SignType::Md5 => self.signed::<Md5Blocks, P>(params, extra, key),
            SignType::Sha256 => self.signed::<Sha256Blocks, P>(params, extra, key),
        }
    }

    fn signed<H: BlockHash, P: WriteParams + ?Sized>(
        &mut self,
        params: &P,
        extra: Option<(&'static str, &str)>,
        key: &ClientKey,
    ) -> Result<Signature, EncodeError> {
        let mut stage = [0u8; STAGE];
        let mut sink = StageSink::<H>::new(&mut stage).keeping_empty(self.keep_empty);
        encode_into(
            params,
            extra,
            self.keep_empty,
            Some(&mut sink),
            Some(&mut self.body),
        )?;
        Ok(sink.finish(key))
    }

    /// The canonical string of the last [`encode`](Self::encode), without the key.
    pub fn canonical(&self) -> &str {
        &self.canonical
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
        Signature::compute(sign_type, self.canonical.as_bytes(), key)
    }

    /// The canonical string with the key shown as a placeholder, for
    /// debugging a signature mismatch. Safe to log.
    pub fn redacted_sign_input(&self) -> String {
        format!("{}{{client_key}}", self.canonical)
    }
}

/// Signs a request: the signature QFPay expects in `X-QF-SIGN` for exactly
/// the parameters [`crate::form_body`] puts on the wire.
///
/// The client adds its configured `mchid` before signing; to reproduce what
/// it sends, declare `mchid` on the request or use [`SignBuffer::encode`].
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
    // Rejections only matter to the client, which refuses to send; this
    // function signs what would be written.
    fn hashed<H: BlockHash, P: WriteParams + ?Sized>(request: &P, key: &ClientKey) -> Signature {
        let mut stage = [0u8; STAGE];
        let mut sink = StageSink::<H>::new(&mut stage);
        request.write_params(&mut sink);
        sink.finish(key)
    }
    match sign_type {
        SignType::Md5 => hashed::<Md5Blocks, P>(request, key),
        SignType::Sha256 => hashed::<Sha256Blocks, P>(request, key),
    }
}

/// The canonical string of a request (sorted `name=value` pairs joined by
/// `&`, without the key). Contains no secret.
pub fn canonical_string<P: WriteParams + ?Sized>(request: &P) -> String {
    let mut canonical = String::with_capacity(text_estimate::<P>());
    let _ = encode_into(
        request,
        None,
        false,
        Some(&mut CanonicalText(&mut canonical)),
        None,
    );
    canonical
}

/// The exact `application/x-www-form-urlencoded` body a POST of `request` sends
/// (also its query string for a GET): the same pairs in the same order as the
/// signature, values percent-encoded.
///
/// ```
/// use qfpay::RawParams;
/// let params = RawParams::from_pairs([("goods_name", "測試 a&b"), ("txamt", "10")]);
/// assert_eq!(
///     qfpay::form_body(&params),
///     "goods_name=%E6%B8%AC%E8%A9%A6+a%26b&txamt=10"
/// );
/// ```
pub fn form_body<P: WriteParams + ?Sized>(request: &P) -> String {
    let mut body = String::with_capacity(text_estimate::<P>());
    let _ = encode_into::<_, CanonicalText<'_>>(request, None, false, None, Some(&mut body));
    body
}

/// Signs arbitrary pairs: sorts them by name, drops empty values, appends the key.
///
/// The low-level entry for tools (the CLI, the mock server) that do not have
/// a typed request.
pub fn sign_pairs<'a, I>(pairs: I, key: &ClientKey, sign_type: SignType) -> Signature
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    sign(&crate::raw::RawParams::from_pairs(pairs), key, sign_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawParams;

    #[test]
    fn hex_parse_accepts_both_cases_and_rejects_bad_length() {
        let key = ClientKey::new("k");
        let sig = Signature::compute(SignType::Md5, b"a=1", &key);
        assert!(sig.matches_hex(&sig.to_hex_lower()));
        assert!(sig.matches_hex(&sig.to_hex_upper()));
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
    fn extra_pair_is_merged_in_order_and_duplicates_refused() {
        let params = RawParams::from_pairs([("a", "1"), ("z", "2")]);
        let mut buf = SignBuffer::new();
        buf.encode(&params, Some(("mchid", "M1"))).unwrap();
        assert_eq!(buf.canonical(), "a=1&mchid=M1&z=2");
        buf.encode(&RawParams::from_pairs([("a", "1")]), Some(("mchid", "M1")))
            .unwrap();
        assert_eq!(buf.canonical(), "a=1&mchid=M1");
        let dup = RawParams::from_pairs([("mchid", "X")]);
        assert_eq!(
            buf.encode(&dup, Some(("mchid", "M1"))).unwrap_err(),
            EncodeError::Duplicate(DuplicateParam { name: "mchid" })
        );
    }

    #[test]
    fn encode_signed_is_encode_then_signature() {
        let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
        let long = "x".repeat(700);
        let requests = [
            vec![("txamt", "10"), ("goods_name", "a&b c"), ("pay_type", "")],
            vec![("a", "1"), ("z", "2")],
            vec![("b", long.as_str()), ("n", "測試"), ("y", "")],
            vec![],
        ];
        for pairs in requests {
            let params = RawParams::from_pairs(pairs);
            for extra in [
                None,
                Some(("mchid", "M1")),
                Some(("0first", "v")),
                Some(("zz", "v")),
            ] {
                for keep_empty in [false, true] {
                    for t in [SignType::Md5, SignType::Sha256] {
                        let mut one = SignBuffer::new().keep_empty_values(keep_empty);
                        let signed = one.encode_signed(&params, extra, &key, t).unwrap();
                        let mut two = SignBuffer::new().keep_empty_values(keep_empty);
                        two.encode(&params, extra).unwrap();
                        let context = format!("{:?} {extra:?} {keep_empty} {t:?}", params.pairs());
                        assert_eq!(one.body(), two.body(), "{context}");
                        assert_eq!(signed, two.signature(&key, t), "{context}");
                        assert_eq!(
                            signed,
                            reference(t, two.canonical().as_bytes(), &key),
                            "{context}"
                        );
                        assert_eq!(one.canonical(), "");
                    }
                }
            }
        }
        // The client's extra pair clashing with a field is refused as before.
        let params = RawParams::from_pairs([("mchid", "A")]);
        let mut buf = SignBuffer::new();
        assert!(
            buf.encode_signed(&params, Some(("mchid", "B")), &key, SignType::Md5)
                .is_err()
        );
    }

    #[test]
    fn empty_values_are_omitted_from_both() {
        let params = RawParams::from_pairs([("a", ""), ("b", "x y")]);
        let mut buf = SignBuffer::new();
        buf.encode(&params, None).unwrap();
        assert_eq!(buf.canonical(), "b=x y");
        assert_eq!(buf.body(), "b=x+y");
        assert_eq!(buf.take_body(), "b=x+y");
        assert_eq!(buf.body(), "");
        assert_eq!(buf.canonical(), "b=x y");
    }

    /// `hash(message ‖ key)` through the hash crates' `Digest` API: the
    /// independent reference for the block-level code of `stage.rs`.
    fn reference(t: SignType, message: &[u8], key: &ClientKey) -> Signature {
        use sha2::Digest;
        fn from_digest(digest: &[u8]) -> Signature {
            let mut bytes = [0u8; 32];
            bytes[..digest.len()].copy_from_slice(digest);
            Signature {
                bytes,
                len: digest.len() as u8,
            }
        }
        match t {
            SignType::Md5 => {
                let mut h = md5::Md5::new();
                h.update(message);
                h.update(key.bytes());
                from_digest(&h.finalize())
            }
            SignType::Sha256 => {
                let mut h = sha2::Sha256::new();
                h.update(message);
                h.update(key.bytes());
                from_digest(&h.finalize())
            }
        }
    }

    #[test]
    fn compute_matches_the_hash_crates_at_any_length() {
        let keys = ["", "KEY", "0E32A59A8B454940A2FF3900C1D2E3F4"].map(ClientKey::new);
        let message: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let lengths = (0..=200)
            .chain(440..=600)
            .chain([1000, 1024, 1025, 1100, 5000]);
        for len in lengths {
            for key in &keys {
                for t in [SignType::Md5, SignType::Sha256] {
                    assert_eq!(
                        Signature::compute(t, &message[..len], key),
                        reference(t, &message[..len], key),
                        "length {len}, {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn signing_without_a_buffer_matches_the_canonical_string_at_any_length() {
        // `sign` streams through a stack buffer with its own short-copy
        // paths; lengths around every size boundary take each of them.
        // Every message length across several blocks (the padding's three
        // cases), around the stage size, and far past it; keys of the
        // lengths QFPay issues and others.
        let keys = ["", "KEY", "0E32A59A8B454940A2FF3900C1D2E3F4"].map(ClientKey::new);
        let lengths = (0..=200).chain([
            440, 441, 442, 447, 448, 449, 497, 498, 499, 500, 511, 512, 513, 1000, 1024, 5000,
        ]);
        for (len, key) in lengths.flat_map(|len| keys.iter().map(move |k| (len, k))) {
            let text: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let t = text.as_str();
            // The first pair long or short, and requests that write nothing.
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
                for t in [SignType::Md5, SignType::Sha256] {
                    assert_eq!(
                        sign(&params, key, t),
                        reference(t, canonical.as_bytes(), key),
                        "length {len}, {t:?}, {:?}",
                        params.pairs().first()
                    );
                }
            }
        }
    }

    #[test]
    fn hex_digits_of_every_nibble_pattern() {
        for x in [
            0u32,
            0x0123_4567,
            0x89AB_CDEF,
            0xFFFF_FFFF,
            0x9A9A_0909,
            0xDEAD_BEEF,
        ] {
            let digits = hex_digits_upper(x).to_be_bytes();
            assert_eq!(std::str::from_utf8(&digits).unwrap(), format!("{x:08X}"));
        }
        for x in (0..=u32::MAX).step_by(65_537) {
            assert_eq!(
                hex_digits_upper(x).to_be_bytes(),
                *format!("{x:08X}").as_bytes()
            );
        }
    }

    #[test]
    fn hex_forms_agree() {
        let key = ClientKey::new("k");
        for t in [SignType::Md5, SignType::Sha256] {
            let sig = Signature::compute(t, b"a=1", &key);
            assert_eq!(sig.to_hex_upper(), sig.to_string());
            assert_eq!(&*sig.hex_upper(), sig.to_hex_upper());
            assert_eq!(sig.hex_upper().len(), 2 * sig.as_bytes().len());
            assert_eq!(sig.to_hex_upper(), hex::encode_upper(sig.as_bytes()));
            assert_eq!(sig.to_hex_lower(), hex::encode(sig.as_bytes()));
        }
    }

    #[test]
    fn the_form_encoding_shortcut_agrees_with_the_encoder() {
        // Every byte alone, and amid text the shortcut would copy.
        for b in 0u8..=255 {
            let text = String::from_utf8_lossy(&[b]).into_owned();
            for text in [text.clone(), format!("ab{text}cd")] {
                let mut ours = String::new();
                push_form_encoded(&mut ours, &text);
                let theirs: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
                assert_eq!(ours, theirs, "{b:#04x}");
            }
        }
        let mut ours = String::new();
        push_form_encoded(&mut ours, "2019-12-25 14:21:28");
        assert_eq!(ours, "2019-12-25+14%3A21%3A28");
    }

    #[test]
    fn sign_type_header_round_trip() {
        assert_eq!(SignType::from_header(None), Some(SignType::Md5));
        assert_eq!(
            SignType::from_header(Some("SHA256")),
            Some(SignType::Sha256)
        );
        assert_eq!(SignType::from_header(Some("rot13")), None);
        assert_eq!("MD5".parse::<SignType>(), Ok(SignType::Md5));
        assert!("x".parse::<SignType>().is_err());
    }
}
