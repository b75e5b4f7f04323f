//! What the doctor can find, each said in one sentence with its fix.

use std::fmt;

use qfpay::SignType;

use super::recipe::Pad;
use crate::args::sign_type_name;
use crate::output::visible;

/// A mistake (or a remark) about a signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// `X-QF-SIGN` is not 32 or 64 hex digits.
    BadSignature {
        /// Why it cannot be read.
        reason: String,
    },
    /// A SHA-256 signature without `X-QF-SIGNTYPE`: QFPay checked MD5.
    HeaderMissing,
    /// A SHA-256 signature with `X-QF-SIGNTYPE: MD5`.
    HeaderSaysMd5 {
        /// The header sent.
        value: String,
    },
    /// An MD5 signature with `X-QF-SIGNTYPE: SHA256`.
    HeaderSaysSha256 {
        /// The header sent.
        value: String,
    },
    /// An `X-QF-SIGNTYPE` value QFPay does not know.
    HeaderUnknown {
        /// The header sent.
        value: String,
        /// The hash the signature's length shows.
        signed_with: SignType,
    },
    /// The right signature in lower-case hex.
    LowerHex {
        /// The same signature in upper case.
        upper: String,
    },
    /// Empty parameters were sent (signed or not).
    EmptySent {
        /// Their names.
        names: Vec<String>,
        /// Whether the signature includes them.
        signed: bool,
    },
    /// `mchid` sent but not signed.
    MchidSentUnsigned {
        /// The value sent.
        value: String,
    },
    /// `mchid` signed but not sent.
    MchidSignedUnsent {
        /// The value signed (the one given).
        value: String,
    },
    /// An `mchid` was given but the request has none (QFPay requires it).
    MchidNotSent {
        /// The one given.
        given: String,
    },
    /// The `mchid` sent is not the one given.
    MchidDiffers {
        /// Sent.
        sent: String,
        /// Given.
        given: String,
    },
    /// Values percent-encoded before signing.
    Encoded {
        /// A parameter where it shows.
        name: String,
        /// Its raw value (what QFPay signs).
        raw: String,
        /// What was signed.
        signed: String,
    },
    /// `+` signed where QFPay decodes a space.
    PlusForSpace {
        /// A parameter where it shows.
        name: String,
        /// Its value as QFPay decodes it.
        raw: String,
        /// What was signed.
        signed: String,
        /// The body carries a literal `+` there (form decoding reads it as a space).
        literal_plus: bool,
    },
    /// Signed in the order sent, not sorted.
    Unsorted {
        /// The order signed.
        signed: Vec<String>,
        /// The order QFPay signs.
        sorted: Vec<String>,
        /// The first name signed before a name that sorts ahead of it.
        first: String,
        /// That name.
        second: String,
    },
    /// Sorted ignoring case.
    FoldedSort {
        /// Folded to upper case (`_` after letters), else lower.
        upper: bool,
        /// The first name put before one that sorts ahead of it.
        first: String,
        /// That name.
        second: String,
    },
    /// A JSON text signed instead of `name=value&…`.
    JsonSigned {
        /// Its start.
        excerpt: String,
        /// Python `json.dumps` style.
        python: bool,
        /// Keys sorted.
        sorted: bool,
    },
    /// The key appended after a separator (`&key=`, `&`).
    KeyAfterSeparator {
        /// The separator.
        separator: &'static str,
    },
    /// The key put first.
    KeyPrepended {
        /// What followed it.
        separator: &'static str,
    },
    /// No key hashed at all.
    KeyOmitted,
    /// The key with whitespace.
    KeyPadded {
        /// Which.
        pad: Pad,
    },
    /// The key in another letter case.
    KeyRecased {
        /// Upper case, else lower.
        upper: bool,
    },
    /// The app code hashed in place of the key.
    AppCodeAsKey,
}

/// A [`Finding`] without its details: what the test table plants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Cause {
    BadSignature,
    MchidSentUnsigned,
    MchidSignedUnsent,
    Encoded,
    PlusForSpace,
    Unsorted,
    FoldedSort,
    JsonSigned,
    KeyAfterSeparator,
    KeyPrepended,
    KeyOmitted,
    KeyPadded,
    KeyRecased,
    AppCodeAsKey,
    EmptySent,
    HeaderMissing,
    HeaderSaysMd5,
    HeaderSaysSha256,
    HeaderUnknown,
    LowerHex,
    MchidNotSent,
    MchidDiffers,
}

impl Finding {
    /// The kind of finding.
    pub fn cause(&self) -> Cause {
        match self {
            Finding::BadSignature { .. } => Cause::BadSignature,
            Finding::HeaderMissing => Cause::HeaderMissing,
            Finding::HeaderSaysMd5 { .. } => Cause::HeaderSaysMd5,
            Finding::HeaderSaysSha256 { .. } => Cause::HeaderSaysSha256,
            Finding::HeaderUnknown { .. } => Cause::HeaderUnknown,
            Finding::LowerHex { .. } => Cause::LowerHex,
            Finding::EmptySent { .. } => Cause::EmptySent,
            Finding::MchidSentUnsigned { .. } => Cause::MchidSentUnsigned,
            Finding::MchidSignedUnsent { .. } => Cause::MchidSignedUnsent,
            Finding::MchidNotSent { .. } => Cause::MchidNotSent,
            Finding::MchidDiffers { .. } => Cause::MchidDiffers,
            Finding::Encoded { .. } => Cause::Encoded,
            Finding::PlusForSpace { .. } => Cause::PlusForSpace,
            Finding::Unsorted { .. } => Cause::Unsorted,
            Finding::FoldedSort { .. } => Cause::FoldedSort,
            Finding::JsonSigned { .. } => Cause::JsonSigned,
            Finding::KeyAfterSeparator { .. } => Cause::KeyAfterSeparator,
            Finding::KeyPrepended { .. } => Cause::KeyPrepended,
            Finding::KeyOmitted => Cause::KeyOmitted,
            Finding::KeyPadded { .. } => Cause::KeyPadded,
            Finding::KeyRecased { .. } => Cause::KeyRecased,
            Finding::AppCodeAsKey => Cause::AppCodeAsKey,
        }
    }
}

/// Names joined as `` `a`, `b` ``, at most `max` of them.
fn names(list: &[String], max: usize) -> String {
    let mut text = list
        .iter()
        .take(max)
        .map(|n| format!("`{}`", visible(n)))
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > max {
        text.push_str(", …");
    }
    text
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::BadSignature { reason } => write!(
                f,
                "X-QF-SIGN cannot be a QFPay signature ({reason}): send the digest itself as \
                 upper-case hex, nothing before or after it."
            ),
            Finding::HeaderMissing => f.write_str(
                "You signed with SHA-256 but sent no X-QF-SIGNTYPE header, so QFPay checked MD5: \
                 add the header `X-QF-SIGNTYPE: SHA256`.",
            ),
            Finding::HeaderSaysMd5 { value } => write!(
                f,
                "You signed with SHA-256 but sent `X-QF-SIGNTYPE: {value}`, so QFPay checked MD5: \
                 send `X-QF-SIGNTYPE: SHA256`."
            ),
            Finding::HeaderSaysSha256 { value } => write!(
                f,
                "You signed with MD5 (32 hex digits) but sent `X-QF-SIGNTYPE: {value}`, so QFPay \
                 checked SHA-256: sign with SHA-256, or send no X-QF-SIGNTYPE header for MD5."
            ),
            Finding::HeaderUnknown { value, signed_with } => write!(
                f,
                "`X-QF-SIGNTYPE: {}` is not a value QFPay knows: send `X-QF-SIGNTYPE: SHA256` with \
                 a SHA-256 signature, or no header with MD5 (you signed with {}).",
                visible(value),
                sign_type_name(*signed_with)
            ),
            Finding::LowerHex { upper } => write!(
                f,
                "The signature is in lower-case hex. QFPay's reference asks for upper case, though \
                 its own Postman collection and Node.js samples send lower case and the mock \
                 accepts either: if QFPay answers 1108, send it upper-case (`{}…`).",
                super::diagnose::excerpt(upper, 8)
            ),
            Finding::EmptySent {
                names: list,
                signed,
            } => write!(
                f,
                "You sent the empty parameter{s} {list} and {did} sign {them}; QFPay does not say \
                 how it checks an empty value that is sent (its own examples disagree): leave \
                 empty parameters out of both the body and the signature.",
                s = if list.len() == 1 { "" } else { "s" },
                list = names(list, 5),
                did = if *signed { "did" } else { "did not" },
                them = if list.len() == 1 { "it" } else { "them" },
            ),
            Finding::MchidSentUnsigned { value } => write!(
                f,
                "You sent `mchid={value}` but left it out of the signature: sign it like every \
                 other parameter sent."
            ),
            Finding::MchidSignedUnsent { value } => write!(
                f,
                "You signed `mchid={value}` but did not send it: add `mchid={value}` to the body \
                 (QFPay requires it when you were given one)."
            ),
            Finding::MchidNotSent { given } => write!(
                f,
                "You were given the mchid `{given}` but the request has none: send and sign \
                 `mchid={given}` with every request (except add_note and trade_bill)."
            ),
            Finding::MchidDiffers { sent, given } => write!(
                f,
                "You sent `mchid={sent}` but were given `{given}`: send the one you were given."
            ),
            Finding::Encoded { name, raw, signed } => write!(
                f,
                "You percent-encoded the values before signing (you signed `{name}={}` where \
                 QFPay signs `{name}={}`): sign the raw values and percent-encode only the body.",
                visible(signed),
                visible(raw)
            ),
            Finding::PlusForSpace {
                name,
                raw,
                signed,
                literal_plus,
            } => {
                write!(
                    f,
                    "You signed `+` where QFPay reads a space (you signed `{name}={}`, QFPay \
                     decodes `{name}={}`): ",
                    visible(signed),
                    visible(raw)
                )?;
                if *literal_plus {
                    f.write_str(
                        "a `+` in a form body means a space, so send a literal plus as `%2B` \
                         (let a form encoder write the body).",
                    )
                } else {
                    f.write_str(
                        "sign the value as QFPay decodes it, with its spaces (and send a `+` \
                         that is meant literally as `%2B`).",
                    )
                }
            }
            Finding::Unsorted {
                signed,
                sorted,
                first,
                second,
            } => write!(
                f,
                "You signed the parameters in the order you sent them ({}) instead of sorted by \
                 name (`{first}` came before `{second}`): sort them by name, byte order ({}).",
                names(signed, 4),
                names(sorted, 4)
            ),
            Finding::FoldedSort {
                upper,
                first,
                second,
            } => write!(
                f,
                "You sorted the names ignoring case ({}-case folding put `{first}` before \
                 `{second}`): sort by the names' bytes, as Python's sorted() and PHP's ksort() do.",
                if *upper { "upper" } else { "lower" }
            ),
            Finding::JsonSigned {
                excerpt,
                python,
                sorted,
            } => write!(
                f,
                "You signed a JSON text ({}{}, `{excerpt}`) instead of the form parameters: QFPay \
                 takes application/x-www-form-urlencoded parameters and signs `name=value` pairs \
                 sorted by name, joined by `&`, with the key appended.",
                if *python {
                    "Python json.dumps style"
                } else {
                    "compact"
                },
                if *sorted { ", keys sorted" } else { "" }
            ),
            Finding::KeyAfterSeparator { separator } => write!(
                f,
                "You appended the key after `{separator}`: append it directly after the last \
                 value, with nothing in between (`…&txdtm=…KEY`)."
            ),
            Finding::KeyPrepended { separator } => write!(
                f,
                "You put the key in front of the parameters{}: append it at the end instead, with \
                 no separator.",
                if separator.is_empty() {
                    String::new()
                } else {
                    format!(" (followed by `{separator}`)")
                }
            ),
            Finding::KeyOmitted => f.write_str(
                "You hashed the parameters without the key: append the client key to the string \
                 before hashing.",
            ),
            Finding::KeyPadded { pad } => write!(
                f,
                "Your key carries {}: trim the key where you read it (a file or variable).",
                match pad {
                    Pad::Newline => "a final newline",
                    Pad::CrLf => "a final CR LF line break",
                    Pad::TrailingSpace => "a trailing space",
                    Pad::LeadingSpace => "a leading space",
                }
            ),
            Finding::KeyRecased { upper } => write!(
                f,
                "You used the key in {} case: use it exactly as QFPay gave it, letter case included.",
                if *upper { "upper" } else { "lower" }
            ),
            Finding::AppCodeAsKey => f.write_str(
                "You signed with the app code instead of the client key: the app code only goes \
                 in X-QF-APPCODE; append the client key.",
            ),
        }
    }
}
