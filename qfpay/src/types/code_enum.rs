//! One mechanism for every QFPay code table: a `macro_rules!` that generates
//! an open enum ("the documented codes plus `Other(String)`").
//!
//! QFPay adds codes without notice and its documentation disagrees with itself
//! (see the API reference, §23 and §27), so a code table is never closed:
//! an unknown code is kept verbatim in `Other` and written back unchanged,
//! never rejected. Every generated enum gets the same surface:
//!
//! * `as_str` (the wire code), `from_code` (infallible), `description`
//!   (the reference's wording), `known` (every documented variant),
//!   `is_known`, `from_integer`;
//! * `FromStr` (`Err = Infallible`), `Display` (the wire code), `AsRef<str>`,
//!   `From<&str>`, `From<String>`, `PartialEq<str>` / `PartialEq<&str>`;
//! * serde: serialised as the code string; deserialised tolerantly from a
//!   JSON string **or** a JSON integer (QFPay sometimes sends codes as numbers);
//! * the runtime parameter trait, so the enums can be request fields.
//!
//! Usage (inside this crate):
//!
//! ```ignore
//! crate::types::code_enum::code_enum! {
//!     /// What the table is.
//!     pub enum Example {
//!         /// Optional extra documentation.
//!         First = "1" => "Meaning of code 1",
//!         Second = "2" => "Meaning of code 2",
//!     }
//! }
//! ```
//!
//! Each variant's first rustdoc line (`` `code` — meaning``) is generated from
//! its code and description, so the documentation, `description()` and the
//! wire mapping cannot drift apart.

/// Generates an open code enum; see the module documentation.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal => $desc:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// # Unknown codes
        ///
        /// A code missing from the reference is kept verbatim in
        #[doc = concat!("[`", stringify!($name), "::Other`]")]
        /// and written back unchanged; it is never rejected. Construct values with
        /// `from_code` / `parse` / `From` rather than building `Other` by hand, so
        /// that a documented code always maps to its own variant.
        ///
        /// # Serde
        ///
        /// Serialised as the wire code (a string). Deserialised from a JSON string
        /// or a JSON integer: an integer equal to the numeric value of a documented
        /// all-digit code maps to that code (so `0` is read as `"0000"` where that
        /// is the documented spelling); any other integer is kept as its decimal text.
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                #[doc = concat!("`", $code, "` — ", $desc)]
                #[doc = ""]
                $(#[$vmeta])*
                $variant,
            )+
            /// A code not documented in the reference, kept verbatim.
            Other(::std::string::String),
        }

        impl $name {
            /// Every documented (known) variant, in declaration order.
            pub fn known() -> &'static [Self] {
                const KNOWN: &[$name] = &[$($name::$variant),+];
                KNOWN
            }

            /// The code exactly as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)+
                    Self::Other(code) => code.as_str(),
                }
            }

            /// Maps a wire code to its variant; an unknown code becomes `Other`.
            ///
            /// Never fails. Matching is exact (case- and whitespace-sensitive),
            /// because codes are compared as text.
            pub fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$variant,)+
                    other => Self::Other(::std::borrow::ToOwned::to_owned(other)),
                }
            }

            /// Maps an integer code (as QFPay sometimes sends them) to its variant.
            ///
            /// An integer equal to the numeric value of a documented all-digit
            /// code maps to that code (e.g. `0` to `"0000"` in a table that spells
            /// it so); any other integer becomes `Other` holding its decimal text.
            pub fn from_integer(value: u64) -> Self {
                for known in Self::known() {
                    let code = known.as_str();
                    if !code.is_empty()
                        && code.bytes().all(|b| b.is_ascii_digit())
                        && code.parse::<u64>() == ::core::result::Result::Ok(value)
                    {
                        return ::core::clone::Clone::clone(known);
                    }
                }
                Self::Other(::std::string::ToString::to_string(&value))
            }

            /// The reference's description of a documented code; `None` for `Other`.
            pub fn description(&self) -> ::core::option::Option<&'static str> {
                match self {
                    $(Self::$variant => ::core::option::Option::Some($desc),)+
                    Self::Other(_) => ::core::option::Option::None,
                }
            }

            /// `true` for a documented code, `false` for `Other`.
            pub fn is_known(&self) -> bool {
                !::core::matches!(self, Self::Other(_))
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(code: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from_code(code))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(code: &str) -> Self {
                Self::from_code(code)
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(code: ::std::string::String) -> Self {
                match code.as_str() {
                    $($code => Self::$variant,)+
                    _ => Self::Other(code),
                }
            }
        }

        impl ::core::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl ::core::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        /// A string, or an integer: a documented code by its value
        /// (`0` is `0000`), any other number as its exact text.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                const WHAT: &str = concat!("a QFPay ", stringify!($name), " code as a string or an integer");
                ::core::result::Result::Ok(match $crate::types::de::code(deserializer, WHAT)? {
                    $crate::types::de::Code::Text(code) => <$name as ::core::convert::From<
                        ::std::string::String,
                    >>::from(code),
                    $crate::types::de::Code::Integer(value) => $name::from_integer(value),
                })
            }
        }

        impl $crate::param::ParamValue for $name {
            #[inline]
            fn write_param<S: $crate::param::PairSink + ?Sized>(
                &self,
                name: &'static str,
                out: &mut S,
            ) {
                out.pair(name, self.as_str())
            }
        }
    };
}

pub(crate) use code_enum;

/// Shared checks run by every code table's unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use core::convert::Infallible;
    use core::fmt::{Debug, Display};
    use core::hash::Hash;
    use core::str::FromStr;
    use std::collections::HashSet;

    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// Checks a generated enum against its list of known variants:
    /// unique codes, `as_str`/`from_code`/`FromStr`/`From` round trips,
    /// `Display`, serde from a string and (for all-digit codes) from an
    /// integer, and that an unknown code is kept as `Other`.
    pub(crate) fn assert_code_table<T>(
        known: &[T],
        other: fn(String) -> T,
        as_str: fn(&T) -> &str,
        from_integer: fn(u64) -> T,
    ) where
        T: Clone
            + Debug
            + Display
            + Eq
            + Hash
            + FromStr<Err = Infallible>
            + for<'a> From<&'a str>
            + From<String>
            + Serialize
            + DeserializeOwned,
    {
        assert!(!known.is_empty());
        let mut codes = HashSet::new();
        for variant in known {
            let code = as_str(variant);
            assert!(codes.insert(code.to_owned()), "duplicate code {code}");
            assert_ne!(*variant, other(code.to_owned()), "{code} is not Other");
            assert_eq!(T::from(code), *variant, "From<&str> {code}");
            assert_eq!(T::from(code.to_owned()), *variant, "From<String> {code}");
            assert_eq!(code.parse::<T>(), Ok(variant.clone()), "FromStr {code}");
            assert_eq!(variant.to_string(), code, "Display {code}");

            let json = serde_json::to_string(variant).expect("serialise");
            assert_eq!(json, serde_json::to_string(code).expect("serialise str"));
            let back: T = serde_json::from_str(&json).expect("deserialise string");
            assert_eq!(back, *variant, "serde string {code}");

            if code.bytes().all(|b| b.is_ascii_digit()) {
                let n: u64 = code.parse().expect("all-digit code");
                let back: T = serde_json::from_str(&n.to_string()).expect("deserialise int");
                assert_eq!(back, *variant, "serde integer {code}");
                assert_eq!(from_integer(n), *variant, "from_integer {code}");
            }
        }

        // Unknown codes are kept verbatim, through every entry point.
        for unknown in ["ZZZZ-not-a-code", "", " 0000", "99999999"] {
            let expected = other(unknown.to_owned());
            assert_eq!(T::from(unknown), expected);
            assert_eq!(T::from(unknown.to_owned()), expected);
            assert_eq!(unknown.parse::<T>(), Ok(expected.clone()));
            assert_eq!(expected.to_string(), unknown);
            assert_eq!(as_str(&expected), unknown);
            let json = serde_json::to_string(&expected).expect("serialise");
            let back: T = serde_json::from_str(&json).expect("deserialise");
            assert_eq!(back, expected);
        }

        // An integer that matches no documented code becomes its decimal text.
        let back: T = serde_json::from_str("987654321").expect("deserialise int");
        assert_eq!(back, other("987654321".to_owned()));
        let back: T = serde_json::from_str("-7").expect("deserialise negative int");
        assert_eq!(back, other("-7".to_owned()));

        // Anything else is a type error, not a panic.
        assert!(serde_json::from_str::<T>("1.5").is_err());
        assert!(serde_json::from_str::<T>("true").is_err());
        assert!(serde_json::from_str::<T>("null").is_err());
        assert!(serde_json::from_str::<T>("[]").is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::assert_code_table;

    super::code_enum! {
        /// A table used only to test the macro itself.
        pub enum Sample {
            /// Extra documentation is accepted.
            Zero = "0000" => "Zero, spelled with four digits",
            Seven = "7" => "Seven",
            Alpha = "ABC" => "Letters",
        }
    }

    #[test]
    fn sample_table() {
        assert_code_table(
            Sample::known(),
            Sample::Other,
            Sample::as_str,
            Sample::from_integer,
        );
        assert_eq!(Sample::known().len(), 3);
    }

    #[test]
    fn integers_match_numeric_value_of_documented_codes() {
        assert_eq!(serde_json::from_str::<Sample>("0").ok(), Some(Sample::Zero));
        assert_eq!(
            serde_json::from_str::<Sample>("7").ok(),
            Some(Sample::Seven)
        );
        assert_eq!(
            serde_json::from_str::<Sample>("70").ok(),
            Some(Sample::Other("70".to_owned()))
        );
        assert_eq!(Sample::from_integer(0), Sample::Zero);
    }

    #[test]
    fn helpers() {
        assert_eq!(
            Sample::Zero.description(),
            Some("Zero, spelled with four digits")
        );
        assert_eq!(Sample::Other("x".into()).description(), None);
        assert!(Sample::Alpha.is_known());
        assert!(!Sample::Other("x".into()).is_known());
        assert!(Sample::Alpha == "ABC");
        assert!(Sample::Alpha == *"ABC");
        assert_eq!(Sample::Alpha.as_ref(), "ABC");
        // Exact matching: no case folding or trimming.
        assert_eq!(Sample::from_code("abc"), Sample::Other("abc".into()));
    }

    #[test]
    fn deserialises_inside_structs_and_options() {
        #[derive(serde::Deserialize)]
        struct Record {
            code: Sample,
            maybe: Option<Sample>,
        }
        let r: Record = serde_json::from_str(r#"{"code": 7, "maybe": null}"#).expect("parse");
        assert_eq!(r.code, Sample::Seven);
        assert_eq!(r.maybe, None);
        let r: Record = serde_json::from_str(r#"{"code": "ABC", "maybe": "new"}"#).expect("parse");
        assert_eq!(r.code, Sample::Alpha);
        assert_eq!(r.maybe, Some(Sample::Other("new".into())));
    }

    #[test]
    fn writes_itself_as_a_request_parameter() {
        struct Pairs(Vec<(String, String)>);
        impl crate::param::PairSink for Pairs {
            fn pair(&mut self, name: &str, value: &str) {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
        let mut out = Pairs(Vec::new());
        crate::param::ParamValue::write_param(&Sample::Zero, "code", &mut out);
        crate::param::ParamValue::write_param(&Sample::Other("x1".into()), "other", &mut out);
        assert_eq!(
            out.0,
            vec![
                ("code".to_owned(), "0000".to_owned()),
                ("other".to_owned(), "x1".to_owned())
            ]
        );
    }
}
