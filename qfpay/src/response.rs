//! Response decoding: the envelope every QFPay reply carries, and the trait
//! an endpoint's response type implements.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::types::RespCode;

/// How a response type is made from the HTTP body.
///
/// Every `serde::Deserialize` type implements it by decoding JSON; binary
/// responses (the statement download) implement it by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a QFPay response type",
    label = "this type does not implement `serde::Deserialize`",
    note = "derive `serde::Deserialize` for it (QFPay responses are JSON), or leave `response` out to get `qfpay::JsonResponse`"
)]
pub trait DecodeResponse: Sized {
    /// Decodes a successful response body.
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error>;

    /// The client's fast path: decodes `body` in one pass **if** it is a JSON
    /// object whose top-level `respcd` is success or pending, returning the
    /// value and that code. `None` when that is not certain (any other code,
    /// no or a repeated `respcd`, a decoding error, …): the client then reads
    /// the envelope first and decodes with [`decode`](Self::decode), as if
    /// this did not exist. The default is always `None`.
    #[doc(hidden)]
    fn __decode_accepted(body: &[u8]) -> Option<(Self, RespCode)> {
        let _ = body;
        None
    }
}

impl<T: DeserializeOwned> DecodeResponse for T {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }

    fn __decode_accepted(body: &[u8]) -> Option<(Self, RespCode)> {
        one_pass::decode_accepted(body)
    }
}

/// The fields every QFPay JSON response carries (reference §6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Result code; `"0000"` is success.
    pub respcd: RespCode,
    /// Result description, English or Chinese; never branch on it.
    #[serde(default)]
    pub resperr: String,
    /// Supplementary message, often empty. Kept as text; an object (ECR) is
    /// rendered as JSON text.
    #[serde(default, deserialize_with = "crate::types::de::text_or_json")]
    pub respmsg: String,
}

/// A response whose shape the SDK does not model: the envelope plus every
/// other field as JSON.
///
/// The response type of endpoints declared without `response = ...`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonResponse {
    /// `respcd`, `resperr`, `respmsg`.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// All other fields, as received.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl JsonResponse {
    /// A field other than the envelope's.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields.get(name)
    }
}

/// Decoding a response and reading its envelope's `respcd` in the same pass.
///
/// The client used to parse every reply twice: a lenient envelope (to turn a
/// failure code into [`Error::Api`](crate::Error::Api)) and then the typed
/// response. Here the typed response is decoded through a thin wrapper around
/// `serde_json`'s deserializer that watches the **top-level** keys go by: it
/// notes how often `respcd`, `resperr` and `respmsg` appear and, for
/// `respcd`, which code its value is (decoded as [`RespCode`] decodes it,
/// while the value is handed on unchanged to the response type). Everything
/// else is passed through untouched, so the response type sees exactly the
/// calls it would see from `serde_json::from_slice`.
///
/// The result is used only when it is conclusive — the top-level object was
/// walked, `respcd` appeared exactly once with a success or pending code,
/// `resperr`/`respmsg` at most once (the lenient envelope refuses duplicates),
/// and the whole body decoded. In every other case the caller falls back to
/// the two passes, so errors and unusual bodies behave exactly as before.
mod one_pass {
    use std::fmt;

    use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

    use crate::types::RespCode;

    #[derive(Default)]
    struct Seen {
        /// The top-level value was an object and its entries were walked.
        walked: bool,
        respcd: u8,
        resperr: u8,
        respmsg: u8,
        /// The code of the (last) `respcd` value, when it was one.
        code: Option<RespCode>,
    }

    impl Seen {
        fn conclusive(self) -> Option<RespCode> {
            let code = self.code?;
            (self.walked
                && self.respcd == 1
                && self.resperr <= 1
                && self.respmsg <= 1
                && (code.is_success() || code.is_pending()))
            .then_some(code)
        }
    }

    pub(super) fn decode_accepted<T: de::DeserializeOwned>(body: &[u8]) -> Option<(T, RespCode)> {
        let mut seen = Seen::default();
        let mut de = serde_json::Deserializer::from_slice(body);
        let value = T::deserialize(Top {
            de: &mut de,
            seen: &mut seen,
        })
        .ok()?;
        de.end().ok()?;
        let code = seen.conclusive()?;
        Some((value, code))
    }

    type Json<'de> = serde_json::Deserializer<serde_json::de::SliceRead<'de>>;

    /// The top-level deserializer: watches the object's keys, forwards the rest.
    struct Top<'a, 'de> {
        de: &'a mut Json<'de>,
        seen: &'a mut Seen,
    }

    macro_rules! forward_plain {
        ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
                self.de.$method($($arg,)* visitor)
            }
        )*};
    }

    impl<'de> Deserializer<'de> for Top<'_, 'de> {
        type Error = serde_json::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.de.deserialize_any(TopVisitor {
                inner: visitor,
                seen: self.seen,
            })
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.de.deserialize_map(TopVisitor {
                inner: visitor,
                seen: self.seen,
            })
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.de.deserialize_struct(
                name,
                fields,
                TopVisitor {
                    inner: visitor,
                    seen: self.seen,
                },
            )
        }

        // Anything else is not an object read as one: passed through, and the
        // result is not conclusive (`walked` stays false).
        forward_plain! {
            deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
            deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16();
            deserialize_u32(); deserialize_u64(); deserialize_u128(); deserialize_f32();
            deserialize_f64(); deserialize_char(); deserialize_str(); deserialize_string();
            deserialize_bytes(); deserialize_byte_buf(); deserialize_option(); deserialize_unit();
            deserialize_unit_struct(name: &'static str);
            deserialize_newtype_struct(name: &'static str);
            deserialize_seq(); deserialize_tuple(len: usize);
            deserialize_tuple_struct(name: &'static str, len: usize);
            deserialize_enum(name: &'static str, variants: &'static [&'static str]);
            deserialize_identifier(); deserialize_ignored_any();
        }
    }

    struct TopVisitor<'a, V> {
        inner: V,
        seen: &'a mut Seen,
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for TopVisitor<'_, V> {
        type Value = V::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.expecting(f)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.seen.walked = true;
            self.inner.visit_map(Entries {
                map,
                seen: self.seen,
                key: Key::Other,
            })
        }
        // Other shapes cannot start with `{`; the default (an error) makes
        // the caller fall back.
    }

    #[derive(Clone, Copy)]
    enum Key {
        Respcd,
        Other,
    }

    /// The top-level object's entries, as the response type reads them.
    struct Entries<'a, A> {
        map: A,
        seen: &'a mut Seen,
        key: Key,
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<'_, A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            self.key = Key::Other;
            self.map.next_key_seed(KeySeed {
                inner: seed,
                seen: self.seen,
                key: &mut self.key,
            })
        }

        fn next_value_seed<S: DeserializeSeed<'de>>(
            &mut self,
            seed: S,
        ) -> Result<S::Value, A::Error> {
            match self.key {
                Key::Other => self.map.next_value_seed(seed),
                Key::Respcd => self.map.next_value_seed(CodeSeed {
                    inner: seed,
                    code: &mut self.seen.code,
                }),
            }
        }

        fn size_hint(&self) -> Option<usize> {
            self.map.size_hint()
        }
    }

    /// Reads a key as text, notes it, and hands the same text to the
    /// response type's key seed.
    struct KeySeed<'a, K> {
        inner: K,
        seen: &'a mut Seen,
        key: &'a mut Key,
    }

    fn note_key(seen: &mut Seen, key: &mut Key, name: &str) {
        {
            let count = match name {
                "respcd" => {
                    *key = Key::Respcd;
                    &mut seen.respcd
                }
                "resperr" => &mut seen.resperr,
                "respmsg" => &mut seen.respmsg,
                _ => return,
            };
            *count = count.saturating_add(1);
        }
    }

    impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, K> {
        type Value = K::Value;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeySeed<'_, K> {
        type Value = K::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object key")
        }

        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<K::Value, E> {
            note_key(self.seen, self.key, v);
            self.inner.deserialize(BorrowedStrDeserializer::new(v))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<K::Value, E> {
            note_key(self.seen, self.key, v);
            self.inner.deserialize(StrDeserializer::new(v))
        }
    }

    /// The value of `respcd`: its code is noted as it goes by, the value
    /// itself goes to the response type.
    struct CodeSeed<'a, S> {
        inner: S,
        code: &'a mut Option<RespCode>,
    }

    impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for CodeSeed<'_, S> {
        type Value = S::Value;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
            self.inner.deserialize(CodeDe {
                de: deserializer,
                code: self.code,
            })
        }
    }

    /// Forwards every request to `serde_json`, with a visitor that notes a
    /// string or integer code (an ignored value is read as `any`, so that it
    /// is seen too).
    struct CodeDe<'a, D> {
        de: D,
        code: &'a mut Option<RespCode>,
    }

    macro_rules! forward_code {
        ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
                self.de.$method($($arg,)* CodeVisitor { inner: visitor, code: self.code })
            }
        )*};
    }

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for CodeDe<'_, D> {
        type Error = D::Error;

        fn deserialize_ignored_any<V: Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.de.deserialize_any(CodeVisitor {
                inner: visitor,
                code: self.code,
            })
        }

        forward_code! {
            deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16();
            deserialize_i32(); deserialize_i64(); deserialize_i128(); deserialize_u8();
            deserialize_u16(); deserialize_u32(); deserialize_u64(); deserialize_u128();
            deserialize_f32(); deserialize_f64(); deserialize_char(); deserialize_str();
            deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
            deserialize_option(); deserialize_unit();
            deserialize_unit_struct(name: &'static str);
            deserialize_newtype_struct(name: &'static str);
            deserialize_seq(); deserialize_tuple(len: usize);
            deserialize_tuple_struct(name: &'static str, len: usize);
            deserialize_map();
            deserialize_struct(name: &'static str, fields: &'static [&'static str]);
            deserialize_enum(name: &'static str, variants: &'static [&'static str]);
            deserialize_identifier();
        }

        fn is_human_readable(&self) -> bool {
            self.de.is_human_readable()
        }
    }

    struct CodeVisitor<'a, V> {
        inner: V,
        code: &'a mut Option<RespCode>,
    }

    impl<V> CodeVisitor<'_, V> {
        /// The code as [`RespCode`]'s own `Deserialize` reads it.
        fn note<'de, E: de::Error>(&mut self, value: impl Deserializer<'de, Error = E>) {
            *self.code = serde::Deserialize::deserialize(value).ok();
        }
    }

    macro_rules! forward_value {
        ($($method:ident($ty:ty);)*) => {$(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*};
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for CodeVisitor<'_, V> {
        type Value = V::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.expecting(f)
        }

        fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
            self.note(StrDeserializer::<E>::new(v));
            self.inner.visit_borrowed_str(v)
        }

        fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
            self.note(StrDeserializer::<E>::new(v));
            self.inner.visit_str(v)
        }

        fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
            self.note(StrDeserializer::<E>::new(&v));
            self.inner.visit_string(v)
        }

        fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<V::Value, E> {
            self.note(de::value::U64Deserializer::<E>::new(v));
            self.inner.visit_u64(v)
        }

        fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<V::Value, E> {
            self.note(de::value::I64Deserializer::<E>::new(v));
            self.inner.visit_i64(v)
        }

        forward_value! {
            visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i128(i128);
            visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u128(u128);
            visit_f32(f32); visit_f64(f64); visit_char(char);
            visit_bytes(&[u8]); visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
        }

        fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
            self.inner.visit_none()
        }

        fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
            self.inner.visit_unit()
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
            self.inner.visit_some(CodeDe {
                de: d,
                code: self.code,
            })
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
            self.inner.visit_newtype_struct(CodeDe {
                de: d,
                code: self.code,
            })
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
            self.inner.visit_seq(seq)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.inner.visit_map(map)
        }

        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
            self.inner.visit_enum(data)
        }
    }

    #[cfg(test)]
    mod tests {
        use serde::Deserialize;

        use super::decode_accepted;
        use crate::JsonResponse;
        use crate::types::RespCode;

        #[derive(Debug, PartialEq, Deserialize)]
        struct Typed {
            respcd: RespCode,
            #[serde(default)]
            resperr: String,
            #[serde(default)]
            syssn: Option<String>,
        }

        #[derive(Debug, PartialEq, Deserialize)]
        struct NoEnvelope {
            syssn: String,
        }

        #[derive(Debug, PartialEq, Deserialize)]
        struct OptionalCode {
            respcd: Option<RespCode>,
        }

        fn same_as_two_passes<T>(body: &str) -> Option<RespCode>
        where
            T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let (value, code) = decode_accepted::<T>(body.as_bytes())?;
            assert_eq!(value, serde_json::from_str::<T>(body).expect("decodes"));
            Some(code)
        }

        #[test]
        fn success_and_pending_are_conclusive() {
            let body = r#"{"respcd":"0000","resperr":"ok","syssn":"1"}"#;
            assert_eq!(same_as_two_passes::<Typed>(body), Some(RespCode::Ok));
            assert_eq!(same_as_two_passes::<JsonResponse>(body), Some(RespCode::Ok));
            assert_eq!(same_as_two_passes::<NoEnvelope>(body), Some(RespCode::Ok));
            assert_eq!(
                same_as_two_passes::<serde_json::Value>(body),
                Some(RespCode::Ok)
            );
            assert_eq!(same_as_two_passes::<OptionalCode>(body), Some(RespCode::Ok));
            let pending = r#" {"syssn":"1","resp\u0063d":"1145"} "#;
            assert_eq!(
                same_as_two_passes::<Typed>(pending),
                Some(RespCode::Processing)
            );
            assert_eq!(
                same_as_two_passes::<NoEnvelope>(pending),
                Some(RespCode::Processing)
            );
            // An integer code reads as `RespCode` reads it.
            assert_eq!(
                same_as_two_passes::<Typed>(r#"{"respcd":0}"#),
                Some(RespCode::Ok)
            );
            // Nested `respcd`s are not the envelope's.
            let nested = r#"{"data":[{"respcd":"1297"}],"respcd":"0000"}"#;
            assert_eq!(
                same_as_two_passes::<JsonResponse>(nested),
                Some(RespCode::Ok)
            );
        }

        #[test]
        fn anything_else_falls_back() {
            for body in [
                r#"{"respcd":"1297","resperr":"busy","syssn":"1"}"#,
                r#"{"resperr":"no code","syssn":"1"}"#,
                r#"{"respcd":null,"syssn":"1"}"#,
                r#"{"respcd":true,"syssn":"1"}"#,
                r#"{"respcd":"0000","respcd":"1297","syssn":"1"}"#,
                r#"{"respcd":"0000","resperr":"a","resperr":"b","syssn":"1"}"#,
                r#"{"respcd":"0000","respmsg":"a","respmsg":"b","syssn":"1"}"#,
                r#"{"respcd":"0000","syssn":"1"} x"#,
                r#"{"respcd":"0000","syssn":"1""#,
                r#"{"respcd":"0000"}"#,
                r#"["respcd","0000"]"#,
                r#""0000""#,
            ] {
                assert!(
                    decode_accepted::<NoEnvelope>(body.as_bytes()).is_none(),
                    "{body}"
                );
            }
            assert!(decode_accepted::<Typed>(br#"{"respcd":"1143x"}"#).is_none());
            assert!(decode_accepted::<Typed>(br#"{"respcd":["0000"]}"#).is_none());
        }
    }
}
