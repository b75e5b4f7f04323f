//! What the reader of a [`qf_object!`](super::qf_object) type's declared
//! fields is made of. `#[derive(ReplyFields)]` (from `qfpay-macros`, hidden)
//! implements [`ReadFields`] on the type's private twin struct, and
//! [`decode`](super::object::decode) drives it: each key of the object goes
//! to [`ReadFields::read`] first, and [`ReadFields::finish`] makes the
//! struct at the end.
//!
//! It reads the field attributes `#[serde(default)]`,
//! `#[serde(default = "path")]`, `rename`, `alias` and `deserialize_with`
//! as serde's derive does (the serialization-only ones are skipped, any
//! other is a compile error), and behaves as serde's derive did here: a
//! repeated key is `duplicate field`, a missing field without default is
//! `None` for an `Option` and `missing field` otherwise.

use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};

pub(crate) use qfpay_macros::ReplyFields;

use super::object::in_field;

/// The declared fields of a reply type, read one key at a time.
pub(crate) trait ReadFields: Sized {
    /// One `Option` per field: what has been read so far.
    type Slots: Default;

    /// Reads the value of `key` into its slot if a field is read from that
    /// key (its name, `rename` or an `alias`); `false` for any other key,
    /// whose value is then still to be read.
    fn read<'de, M: MapAccess<'de>>(
        slots: &mut Self::Slots,
        key: &str,
        map: &mut M,
    ) -> Result<bool, M::Error>;

    /// The fields, the defaults put where nothing was read.
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
}

/// The next value of `map`, read by `seed` into the empty `slot` of field
/// `name` (sent as `key`): a repeated field is an error before its value is
/// read, as in serde's derive, and a bad value is named by its key.
pub(crate) fn read<'de, M: MapAccess<'de>, S: DeserializeSeed<'de>>(
    slot: &mut Option<S::Value>,
    name: &'static str,
    key: &str,
    map: &mut M,
    seed: S,
) -> Result<bool, M::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(seed).map_err(|e| in_field(key, e))?);
    Ok(true)
}

/// A field's `deserialize_with` function, as the twin's `I`th field's
/// (implemented by the derive, one impl per such field).
pub(crate) trait ReadWith<const I: usize> {
    type Value;
    fn read_with<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error>;
}

/// The seed that reads the `I`th field of `F` through its `deserialize_with`.
pub(crate) struct With<F, const I: usize>(PhantomData<fn() -> F>);

impl<F, const I: usize> With<F, I> {
    pub(crate) fn new() -> Self {
        With(PhantomData)
    }
}

impl<'de, F: ReadWith<I>, const I: usize> DeserializeSeed<'de> for With<F, I> {
    type Value = F::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F::Value, D::Error> {
        F::read_with(d)
    }
}

/// A field without default that was not sent: `None` for an `Option` (any
/// type that reads "no value" as something), else `missing field`. What
/// serde's derive does, through a deserializer that holds nothing.
pub(crate) fn missing_or_none<T: DeserializeOwned, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::response::qf_object;

    qf_object! {
        record
        /// Every attribute the reader takes.
        pub struct Sample {
            /// `rename`, two `alias`es and a `deserialize_with`.
            #[serde(
                default,
                rename = "rowCount",
                alias = "row_count",
                alias = "rows",
                deserialize_with = "crate::types::de::opt_u64_lenient"
            )]
            pub row_count: Option<u64>,
            /// `default = "path"`.
            #[serde(default = "seven")]
            pub page: u32,
            /// No attribute: an `Option` may be missing.
            pub note: Option<String>,
            /// No attribute: required.
            pub id: String,
            /// `deserialize_with` without `default`: required.
            #[serde(deserialize_with = "crate::types::de::text")]
            pub label: String,
            /// A raw identifier, and a serialization-only attribute.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub r#type: Option<String>,
        }
    }

    fn seven() -> u32 {
        7
    }

    fn sample(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn renamed_field_reads_its_name_and_aliases() {
        for key in ["rowCount", "row_count", "rows"] {
            let s = sample(&format!(r#"{{"{key}":"3","id":"a","label":1}}"#));
            assert_eq!(s.map(|s| s.row_count), Ok(Some(3)), "{key}");
        }
    }

    #[test]
    fn defaults_and_unknown_keys() {
        let s = sample(r#"{"id":"a","label":"x","type":"t","respcd":"0000","x":[1, 2]}"#);
        let Ok(s) = s else { panic!("{s:?}") };
        assert_eq!((s.row_count, s.page, s.note), (None, 7, None));
        assert_eq!((s.id.as_str(), s.label.as_str()), ("a", "x"));
        assert_eq!(s.r#type.as_deref(), Some("t"));
        // A record has no envelope: `respcd` is an unknown key like `x`.
        let raw = |name| s.extra.get(name).map(|raw| raw.get());
        assert_eq!(raw("respcd"), Some(r#""0000""#));
        assert_eq!(raw("x"), Some("[1, 2]"));
        let s = sample(r#"{"id":"a","label":"x","page":2,"note":null}"#).map(|s| (s.page, s.note));
        assert_eq!(s, Ok((2, None)));
    }

    /// The error `json` decodes to, without serde_json's position.
    fn error(json: &str) -> String {
        match sample(json) {
            Ok(s) => panic!("{json} decoded: {s:?}"),
            Err(e) => e
                .rsplit_once(" at line ")
                .map_or(e.clone(), |(m, _)| m.to_owned()),
        }
    }

    #[test]
    fn missing_option_is_none_missing_required_is_an_error() {
        assert_eq!(error(r#"{"label":"x"}"#), "missing field `id`");
        assert_eq!(error(r#"{"id":"a"}"#), "missing field `label`");
    }

    #[test]
    fn a_repeated_field_is_an_error_under_its_name() {
        let rows = r#"{"id":"a","label":"x","rowCount":1,"rows":2}"#;
        assert_eq!(error(rows), "duplicate field `rowCount`");
        assert_eq!(
            error(r#"{"id":"a","label":"x","id":"b"}"#),
            "duplicate field `id`"
        );
    }

    #[test]
    fn a_bad_value_is_named_by_the_key_sent() {
        let rows = error(r#"{"id":"a","label":"x","rows":"many"}"#);
        assert!(rows.starts_with("field `rows`: "), "{rows}");
        assert_eq!(
            error(r#"{"id":1,"label":"x"}"#),
            "field `id`: invalid type: integer `1`, expected a string"
        );
    }
}
