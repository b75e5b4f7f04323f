//! The derive's expansion: a snapshot of a twin with every attribute it
//! reads (`tests/snapshots/reply_fields.rs`), and its compile errors.

use super::derive;
use crate::tests::{assert_snapshot, errors};
use proc_macro2::TokenStream;
use quote::quote;

fn expand(item: TokenStream) -> String {
    let tokens = derive(item);
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("the expansion does not parse as a file ({error}):\n{tokens}"),
    }
}

#[test]
fn every_attribute() {
    let out = expand(quote! {
        struct Fields<T: ::serde::de::DeserializeOwned> {
            /// Docs and other attributes are not the reader's.
            #[serde(default)]
            syssn: Option<Syssn>,
            #[serde(
                default,
                rename = "rowAffected",
                alias = "row_affected",
                alias = "rows",
                deserialize_with = "crate::types::de::opt_u64_lenient"
            )]
            row_affected: Option<u64>,
            #[serde(default = "Vec::new", deserialize_with = "crate::types::de::vec_or_one")]
            data: Vec<T>,
            #[serde(deserialize_with = "crate::types::de::text")]
            label: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            r#type: Option<String>,
            note: Option<String>,
        }
    });
    assert!(errors(&out).is_empty(), "{out}");
    assert!(
        out.contains(r#""rowAffected" | "row_affected" | "rows" => {"#),
        "{out}"
    );
    assert!(out.contains(r#""type" => {"#), "{out}");
    assert_snapshot("reply_fields", &out);
}

#[test]
fn no_fields() {
    let out = expand(quote!(
        struct Fields {}
    ));
    assert!(errors(&out).is_empty(), "{out}");
    assert!(out.contains("impl crate::response::fields::ReadFields for Fields"));
}

#[test]
fn unknown_and_repeated_attributes_are_errors() {
    let out = expand(quote! {
        #[serde(bound = "")]
        struct Fields {
            #[serde(flatten)]
            a: Extra,
            #[serde(rename = "b", rename = "c", defualt)]
            b: String,
            #[serde(deserialize_with = "not a path")]
            c: String,
            #[serde(alias = "b")]
            d: String,
            #[serde(rename(deserialize = "e"))]
            e: String,
        }
    });
    assert_eq!(
        errors(&out),
        [
            r#""`#[derive(ReplyFields)]` takes no container `#[serde(...)]`; field attributes only""#,
            r#""unknown key `flatten` in `#[serde(...)]` (expected `rename`, `alias`, `default`, `deserialize_with`, `skip_serializing_if`, `serialize_with` or `skip_serializing`)""#,
            r#""duplicate key `rename`: it may appear only once""#,
            r#""unknown key `defualt` in `#[serde(...)]`; did you mean `default`? (expected `rename`, `alias`, `default`, `deserialize_with`, `skip_serializing_if`, `serialize_with` or `skip_serializing`)""#,
            r#""`deserialize_with` takes a function's path as a string, e.g. `\"crate::types::de::text\"`""#,
            r#""`b` is already read by field `b`""#,
            r#""expected `=` after `rename`: `rename = ...`""#,
        ],
        "{out}"
    );
    // The reader is still written: the mistakes are the only errors.
    assert!(out.contains("impl crate::response::fields::ReadFields for Fields"));
}

#[test]
fn not_a_struct_with_named_fields() {
    let out = expand(quote!(
        enum Fields {}
    ));
    assert_eq!(
        errors(&out),
        [r#""`#[derive(ReplyFields)]` goes on a struct""#]
    );
    let out = expand(quote!(
        struct Fields(String);
    ));
    assert_eq!(
        errors(&out),
        [r#""`#[derive(ReplyFields)]` needs named fields""#]
    );
}
