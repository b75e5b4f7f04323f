//! How a developer may have built the string they hashed: QFPay's rule
//! (reference §5.1) with zero, one or two known mistakes in it.
//!
//! A [`Recipe`] is one choice along each axis where programs go wrong; its
//! default on every axis is QFPay's rule. The doctor hashes every recipe with
//! at most [`MAX_DEVIATIONS`] departures from the rule and keeps those that
//! give the signature the developer sent.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use secrecy::zeroize::Zeroizing;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Recipes with more departures from QFPay's rule than this are not tried:
/// one or two mistakes explain real cases, more only invite coincidences.
pub const MAX_DEVIATIONS: usize = 2;

/// One parameter as the developer sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentParam {
    /// The decoded name.
    pub name: String,
    /// The decoded value (what QFPay signs).
    pub value: String,
    /// The value exactly as it appeared in the body (still percent-encoded),
    /// or the value itself when it was given as `NAME=VALUE`.
    pub raw_value: String,
}

/// What the doctor knows about the request.
#[derive(Debug)]
pub struct Sent<'a> {
    /// The parameters in the order they were sent.
    pub params: &'a [SentParam],
    /// The `mchid` the developer was given (`--mchid`).
    pub mchid: Option<&'a str>,
    /// The app code (`--app-code`), tried as a key by mistake.
    pub app_code: Option<&'a str>,
    /// The client key.
    pub key: &'a str,
}

/// What happened to `mchid` between the body and the signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mchid {
    /// Signed as sent (the rule).
    AsSent,
    /// Sent but left out of the signature.
    Unsigned,
    /// Signed (the one given with `--mchid`) but not sent.
    SignedOnly,
}

/// How values were written into the signed string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Raw, decoded values (the rule).
    Raw,
    /// `application/x-www-form-urlencoded` (space as `+`), as PHP `urlencode`,
    /// Python `urlencode`, Java `URLEncoder`.
    Form,
    /// Percent-encoded, space as `%20` (JavaScript `encodeURIComponent`).
    Percent,
    /// Spaces written as `+`, nothing else encoded.
    PlusForSpace,
    /// A `+` sent unencoded (which the server decodes as a space) signed as
    /// `+`: in the parameter at this index of those sent, or (`None`) in all.
    LiteralPlus(Option<usize>),
    /// The values exactly as they appear in the body sent.
    AsSent,
}

/// The order of the pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Order {
    /// By name, byte order (the rule).
    Sorted,
    /// As sent.
    AsSent,
    /// By name folded to upper case (`_` after the letters).
    FoldedUpper,
    /// By name folded to lower case.
    FoldedLower,
}

/// What was hashed in place of `name=value&…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `name=value` joined by `&` (the rule).
    Pairs,
    /// A JSON object of the parameters.
    Json {
        /// Python `json.dumps` spacing (`", "`, `": "`) and `\u` escapes, else compact.
        python: bool,
        /// Digit-only values written as numbers.
        numbers: bool,
        /// Sorted by name, else in the order sent.
        sorted: bool,
    },
}

/// Whitespace that came with the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pad {
    /// A final `\n` (a key file read without trimming).
    Newline,
    /// A final `\r\n`.
    CrLf,
    /// A final space.
    TrailingSpace,
    /// A leading space.
    LeadingSpace,
}

impl Pad {
    const ALL: [Pad; 4] = [
        Pad::Newline,
        Pad::CrLf,
        Pad::TrailingSpace,
        Pad::LeadingSpace,
    ];

    fn apply(self, key: &str) -> Zeroizing<String> {
        Zeroizing::new(match self {
            Pad::Newline => format!("{key}\n"),
            Pad::CrLf => format!("{key}\r\n"),
            Pad::TrailingSpace => format!("{key} "),
            Pad::LeadingSpace => format!(" {key}"),
        })
    }
}

/// Where and how the key went in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUse {
    /// Appended with no separator (the rule).
    Appended,
    /// Appended after a separator such as `&key=` or `&`.
    AppendedAfter(&'static str),
    /// Put in front, optionally followed by `&`.
    Prepended(&'static str),
    /// Not hashed at all.
    Omitted,
    /// Appended, with whitespace.
    Padded(Pad),
    /// Appended in another letter case (`true`: upper).
    Recased(bool),
    /// The app code appended instead of the key.
    AppCode,
}

impl KeyUse {
    fn all(with_app_code: bool) -> Vec<KeyUse> {
        let mut all = vec![
            KeyUse::Appended,
            KeyUse::AppendedAfter("&key="),
            KeyUse::AppendedAfter("&"),
            KeyUse::Prepended(""),
            KeyUse::Prepended("&"),
            KeyUse::Omitted,
            KeyUse::Recased(true),
            KeyUse::Recased(false),
        ];
        all.extend(Pad::ALL.map(KeyUse::Padded));
        if with_app_code {
            all.push(KeyUse::AppCode);
        }
        all
    }
}

/// One way of building the signed string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Recipe {
    /// Empty values sent were signed too. Not a departure from the rule by
    /// itself: QFPay's handling of a sent empty value is unsettled (see
    /// [`crate::doctor::Finding::EmptySent`]).
    pub keep_empty: bool,
    /// `mchid` handling.
    pub mchid: Mchid,
    /// Value encoding.
    pub encoding: Encoding,
    /// Pair order.
    pub order: Order,
    /// Pairs or JSON.
    pub format: Format,
    /// The key.
    pub key: KeyUse,
}

impl Recipe {
    /// QFPay's rule.
    pub const RULE: Recipe = Recipe {
        keep_empty: false,
        mchid: Mchid::AsSent,
        encoding: Encoding::Raw,
        order: Order::Sorted,
        format: Format::Pairs,
        key: KeyUse::Appended,
    };

    /// How many mistakes this recipe makes.
    pub fn deviations(&self) -> usize {
        usize::from(self.mchid != Mchid::AsSent)
            + usize::from(self.encoding != Encoding::Raw)
            + usize::from(self.order != Order::Sorted)
            + usize::from(self.format != Format::Pairs)
            + usize::from(self.key != KeyUse::Appended)
    }

    /// Every recipe worth trying for `sent`, with at most [`MAX_DEVIATIONS`]
    /// departures, fewest first.
    pub fn candidates(sent: &Sent<'_>) -> Vec<Recipe> {
        let has_empty = sent.params.iter().any(|p| p.value.is_empty());
        let has_mchid = sent.params.iter().any(|p| p.name == "mchid");
        let mut mchids = vec![Mchid::AsSent];
        if has_mchid {
            mchids.push(Mchid::Unsigned);
        } else if sent.mchid.is_some_and(|m| !m.is_empty()) {
            mchids.push(Mchid::SignedOnly);
        }
        let mut formats = vec![Format::Pairs];
        for python in [false, true] {
            for numbers in [false, true] {
                for sorted in [true, false] {
                    formats.push(Format::Json {
                        python,
                        numbers,
                        sorted,
                    });
                }
            }
        }
        let mut encodings = vec![
            Encoding::Raw,
            Encoding::Form,
            Encoding::Percent,
            Encoding::PlusForSpace,
            Encoding::AsSent,
        ];
        let with_plus = sent
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.raw_value.contains('+'));
        encodings.extend(with_plus.map(|(i, _)| Encoding::LiteralPlus(Some(i))));
        if sent
            .params
            .iter()
            .filter(|p| p.raw_value.contains('+'))
            .count()
            > 1
        {
            encodings.push(Encoding::LiteralPlus(None));
        }
        let orders = [
            Order::Sorted,
            Order::AsSent,
            Order::FoldedUpper,
            Order::FoldedLower,
        ];
        let keys = KeyUse::all(sent.app_code.is_some_and(|a| !a.is_empty()));
        let mut out = Vec::new();
        for keep_empty in [false, true] {
            if keep_empty && !has_empty {
                continue;
            }
            for &mchid in &mchids {
                for &format in &formats {
                    for &encoding in &encodings {
                        for order in orders {
                            // JSON carries its own order and raw values.
                            if format != Format::Pairs
                                && (encoding != Encoding::Raw || order != Order::Sorted)
                            {
                                continue;
                            }
                            for &key in &keys {
                                let recipe = Recipe {
                                    keep_empty,
                                    mchid,
                                    encoding,
                                    order,
                                    format,
                                    key,
                                };
                                if recipe.deviations() <= MAX_DEVIATIONS {
                                    out.push(recipe);
                                }
                            }
                        }
                    }
                }
            }
        }
        out.sort_by_key(Recipe::deviations);
        out
    }

    /// The parameters this recipe signs, in its order, values encoded.
    pub fn pairs(&self, sent: &Sent<'_>) -> Vec<(String, String)> {
        // Each parameter with its index among those sent (`None`: added).
        let mut params: Vec<(Option<usize>, SentParam)> = sent
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| self.keep_empty || !p.value.is_empty())
            .filter(|(_, p)| !(self.mchid == Mchid::Unsigned && p.name == "mchid"))
            .map(|(i, p)| (Some(i), p.clone()))
            .collect();
        if let (Mchid::SignedOnly, Some(mchid)) = (self.mchid, sent.mchid) {
            params.push((
                None,
                SentParam {
                    name: "mchid".to_owned(),
                    value: mchid.to_owned(),
                    raw_value: form_encode(mchid).into_owned(),
                },
            ));
        }
        let sorted = match self.format {
            Format::Json { sorted, .. } => sorted,
            Format::Pairs => self.order == Order::Sorted,
        };
        // Stable sorts: repeated names keep the order they were sent in.
        if sorted {
            params.sort_by(|a, b| a.1.name.as_bytes().cmp(b.1.name.as_bytes()));
        } else if self.order == Order::FoldedUpper {
            params.sort_by_key(|p| p.1.name.to_uppercase());
        } else if self.order == Order::FoldedLower {
            params.sort_by_key(|p| p.1.name.to_lowercase());
        }
        params
            .into_iter()
            .map(|(index, p)| {
                let value = self.encode(index, &p).into_owned();
                (p.name, value)
            })
            .collect()
    }

    fn encode<'p>(&self, index: Option<usize>, p: &'p SentParam) -> Cow<'p, str> {
        match self.encoding {
            Encoding::LiteralPlus(Some(i)) if index != Some(i) => Cow::Borrowed(&p.value),
            Encoding::Raw => Cow::Borrowed(&p.value),
            Encoding::Form => form_encode(&p.value),
            Encoding::Percent => utf8_percent_encode(&p.value, URI_COMPONENT).into(),
            Encoding::PlusForSpace => Cow::Owned(p.value.replace(' ', "+")),
            Encoding::LiteralPlus(_) => percent_decode_str(&p.raw_value).decode_utf8_lossy(),
            Encoding::AsSent => Cow::Borrowed(&p.raw_value),
        }
    }

    /// The parameters as this recipe writes them, before the key.
    pub fn text(&self, sent: &Sent<'_>) -> String {
        let pairs = self.pairs(sent);
        match self.format {
            Format::Pairs => {
                let mut text = String::new();
                for (i, (name, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        text.push('&');
                    }
                    text.push_str(name);
                    text.push('=');
                    text.push_str(value);
                }
                text
            }
            Format::Json {
                python, numbers, ..
            } => {
                let object = JsonObject {
                    pairs: &pairs,
                    numbers,
                };
                let bytes = if python {
                    qfpay_mock::pyjson::to_vec(&object)
                } else {
                    serde_json::to_vec(&object)
                };
                // A map of strings and integers always serialises.
                String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default()
            }
        }
    }

    /// The whole string hashed: [`text`](Self::text) and the key as this
    /// recipe puts them together. Holds the key: zeroed on drop, never shown.
    pub fn sign_input(&self, sent: &Sent<'_>) -> Zeroizing<String> {
        let text = self.text(sent);
        let key = sent.key;
        Zeroizing::new(match self.key {
            KeyUse::Appended => format!("{text}{key}"),
            KeyUse::AppendedAfter(sep) => format!("{text}{sep}{key}"),
            KeyUse::Prepended(sep) => format!("{key}{sep}{text}"),
            KeyUse::Omitted => text,
            KeyUse::Padded(pad) => format!("{text}{}", pad.apply(key).as_str()),
            KeyUse::Recased(true) => format!("{text}{}", key.to_uppercase()),
            KeyUse::Recased(false) => format!("{text}{}", key.to_lowercase()),
            KeyUse::AppCode => format!("{text}{}", sent.app_code.unwrap_or_default()),
        })
    }
}

/// JavaScript's `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn form_encode(value: &str) -> Cow<'_, str> {
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    if encoded == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(encoded)
    }
}

/// The pairs as a JSON object, in their order (a `serde_json::Map` would sort them).
struct JsonObject<'a> {
    pairs: &'a [(String, String)],
    numbers: bool,
}

impl Serialize for JsonObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.pairs.len()))?;
        for (name, value) in self.pairs {
            match value.parse::<u64>() {
                Ok(n) if self.numbers && n.to_string() == *value => {
                    map.serialize_entry(name, &n)?
                }
                _ => map.serialize_entry(name, value)?,
            }
        }
        map.end()
    }
}
