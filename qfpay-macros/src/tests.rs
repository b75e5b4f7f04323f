//! Snapshot tests of the expansion: each case expands an attribute and an
//! item and compares the pretty-printed result with
//! `tests/snapshots/<name>.rs`. Run with `UPDATE_SNAPSHOTS=1` to rewrite the
//! files after an intended change, then review the diff.

use crate::expand::qf_endpoint;
use proc_macro2::TokenStream;
use quote::quote;
use std::path::PathBuf;

fn expand(args: TokenStream, item: TokenStream) -> String {
    let tokens = qf_endpoint(args, item);
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("the expansion does not parse as a file ({error}):\n{tokens}"),
    }
}

pub(crate) fn assert_snapshot(name: &str, actual: &str) {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "snapshots",
        &format!("{name}.rs"),
    ]
    .iter()
    .collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        if let Err(error) = std::fs::write(&path, actual) {
            panic!("cannot write {}: {error}", path.display());
        }
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {} ({error}); run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "expansion of `{name}` differs from {} (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{expected}\n+++ actual\n{actual}",
            path.display()
        );
    }
}

/// The names passed to `write_param`, in the order written.
fn written_names(expansion: &str) -> Vec<String> {
    expansion
        .split("::write_param(")
        .skip(1)
        .filter_map(|call| call.split('"').nth(1).map(str::to_owned))
        .collect()
}

/// The messages of the `compile_error!`s, in order.
pub(crate) fn errors(expansion: &str) -> Vec<String> {
    expansion
        .split("compile_error! {")
        .skip(1)
        .filter_map(|rest| rest.split("\n}").next().map(|m| m.trim().to_owned()))
        .collect()
}

#[test]
fn payment() {
    let out = expand(
        quote!(
            path = "/trade/v1/payment",
            method = "POST",
            response = PaymentResponse
        ),
        quote! {
            /// Creates a payment.
            #[derive(Debug, Clone)]
            pub struct Payment {
                pub txamt: Amount,
                pub txcurrcd: Currency,
                pub pay_type: PayType,
                pub out_trade_no: OutTradeNo,
                pub txdtm: TradeTime,
                /// Only for payment codes.
                pub auth_code: Option<String>,
                #[qf(fixed = 1)]
                version: u8,
                #[qf(default = Udid::new("pos"))]
                pub udid: Udid,
                #[qf(default)]
                pub page: u32,
                #[qf(rename = "goods_name")]
                pub product: Option<String>,
            }
        },
    );
    assert_eq!(
        written_names(&out),
        [
            "auth_code",
            "goods_name",
            "out_trade_no",
            "page",
            "pay_type",
            "txamt",
            "txcurrcd",
            "txdtm",
            "udid",
            "version"
        ]
    );
    assert!(!out.contains("qf("), "#[qf] must be stripped:\n{out}");
    assert!(errors(&out).is_empty(), "{out}");
    // One trait per required field, with the message a forgotten one gets.
    assert!(
        out.contains("missing required field `txdtm`: call `.txdtm(..)` before `.build()`"),
        "{out}"
    );
    assert!(!out.contains("missing required field `udid`"), "{out}");
    assert!(
        !out.contains("fn version"),
        "a fixed field has no setter:\n{out}"
    );
    assert_snapshot("payment", &out);
}

#[test]
fn byte_order() {
    // Declared scrambled; byte order puts upper case before lower case and
    // digits and `_` before letters: "A" < "a" < "a1" < "a_b" < "ab".
    let out = expand(
        quote!(path = "/x", method = "GET"),
        quote! {
            struct Sorted {
                ab: u32,
                a_b: u32,
                #[qf(rename = "A")]
                upper: u32,
                a1: u32,
                a: u32,
            }
        },
    );
    assert_eq!(written_names(&out), ["A", "a", "a1", "a_b", "ab"]);
    let compact: String = out.split_whitespace().collect();
    assert!(
        compact.contains(r#"=&["A","a","a1","a_b","ab",];"#),
        "{out}"
    );
    assert_snapshot("byte_order", &out);
}

#[test]
fn raw_identifiers_and_renames() {
    let out = expand(
        quote!(path = "/trade/v1/query", method = "POST", mchid = false),
        quote! {
            pub struct Query {
                pub r#type: Option<String>,
                #[qf(rename = "type2")]
                pub r#match: String,
                #[serde(skip)]
                #[qf(rename = "Zeta")]
                pub zeta: u8,
            }
        },
    );
    assert_eq!(written_names(&out), ["Zeta", "type", "type2"]);
    assert!(out.contains("&self.r#type"), "{out}");
    assert!(out.contains(".with_mchid(false)"), "{out}");
    assert!(out.contains("#[serde(skip)]"), "{out}");
    assert_snapshot("raw_identifiers_and_renames", &out);
}

#[test]
fn generics_and_lifetimes() {
    let out = expand(
        quote!(path = "/trade/v1/close", method = "POST"),
        quote! {
            pub struct Close<'a, T: Clone, const N: usize>
            where
                T: Default,
            {
                pub syssn: &'a str,
                pub extra: Option<T>,
                pub fixed: [u8; N],
            }
        },
    );
    assert!(
        out.contains("Option<T>: ::qfpay::__private_v0_1_0::ParamValue"),
        "generic field gets a bound:\n{out}"
    );
    assert!(
        !out.contains("&'a str: ::qfpay"),
        "concrete field gets no bound:\n{out}"
    );
    assert!(
        out.contains("type Response = ::qfpay::__private_v0_1_0::JsonResponse;"),
        "{out}"
    );
    assert_snapshot("generics_and_lifetimes", &out);
}

#[test]
fn no_fields() {
    let out = expand(
        quote!(path = "/trade/v1/ping", method = "GET"),
        quote!(
            pub struct Ping {}
        ),
    );
    assert!(
        out.contains("_: &mut __S"),
        "unused sink is not named:\n{out}"
    );
    assert_snapshot("no_fields", &out);
}

#[test]
fn spec_states_only_what_differs_from_the_defaults() {
    let compact = |out: String| out.split_whitespace().collect::<String>();
    let defaults = compact(expand(
        quote!(path = "/x", method = "GET"),
        quote!(
            pub struct Ping {}
        ),
    ));
    assert!(
        defaults.contains("EndpointSpec::new(\"/x\",::qfpay::__private_v0_1_0::Method::Get,);"),
        "{defaults}"
    );
    let all = compact(expand(
        quote!(
            path = "/x",
            method = "POST",
            mchid = false,
            idempotent = true,
            either_method = true,
            sign_type = "MD5"
        ),
        quote!(
            pub struct Ping {}
        ),
    ));
    assert!(
        all.contains(
            ".with_mchid(false).with_idempotent(true).with_either_method(true).with_sign_type(::core::option::Option::Some(::qfpay::__private_v0_1_0::SignType::Md5),);"
        ),
        "{all}"
    );
}

#[test]
fn without_builder() {
    // `builder = false`: the struct goes out as written, no builder; the
    // impls are exactly those of the default.
    let args = quote!(path = "/trade/v1/refund", method = "POST", builder = false);
    let item = quote! {
        /// A refund.
        #[derive(Debug)]
        pub struct Refund {
            pub syssn: String,
            pub txamt: u64,
            #[qf(rename = "out_trade_no")]
            pub order: String,
            pub udid: Option<String>,
        }
    };
    let out = expand(args, item.clone());
    assert!(!out.contains("builder"), "{out}");
    assert!(!out.contains("Builder"), "{out}");
    assert!(!out.contains("qf("), "{out}");
    assert_eq!(
        written_names(&out),
        ["out_trade_no", "syssn", "txamt", "udid"]
    );
    assert!(errors(&out).is_empty(), "{out}");

    // The default's output is this with the builder's items between the
    // struct and the impls.
    let with = expand(quote!(path = "/trade/v1/refund", method = "POST"), item);
    let impls = out.find("#[automatically_derived]").unwrap_or(out.len());
    assert!(with.starts_with(&out[..impls]), "{with}");
    assert!(with.ends_with(&out[impls..]), "{with}");
    assert!(with.contains("pub struct RefundBuilder<"), "{with}");

    // `builder = true` is the default spelled out.
    let explicit = expand(
        quote!(path = "/trade/v1/refund", method = "POST", builder = true),
        quote!(
            pub struct Ping {}
        ),
    );
    let default = expand(
        quote!(path = "/trade/v1/refund", method = "POST"),
        quote!(
            pub struct Ping {}
        ),
    );
    assert_eq!(explicit, default);
    assert_snapshot("without_builder", &out);
}

#[test]
fn many_errors_at_once() {
    // Every mistake is reported, the struct is still emitted with its
    // builder, and the impls fall back to placeholders.
    let out = expand(
        quote!(
            path = "trade",
            methd = "POST",
            response = 42,
            path = "/again",
            mchid = "no"
        ),
        quote! {
            pub struct Broken {
                #[qf(rename = "a=b")]
                one: String,
                #[qf(renam = "x")]
                two: String,
                #[qf(rename = "two")]
                three: String,
            }
        },
    );
    assert_eq!(errors(&out).len(), 8, "{out}");
    assert!(out.contains("did you mean `method`?"), "{out}");
    assert!(out.contains("did you mean `rename`?"), "{out}");
    assert!(out.contains("duplicate key `path`"), "{out}");
    // The misspelt `methd` is not also reported as a missing `method`.
    assert!(!out.contains("missing `method`"), "{out}");
    assert!(out.contains("pub struct BrokenBuilder<"), "{out}");
    assert_snapshot("many_errors_at_once", &out);
}

#[test]
fn rejected_items_keep_their_tokens() {
    let out = expand(
        quote!(path = "/x", method = "POST"),
        quote! {
            enum Choice {
                A { #[qf(rename = "a")] a: u8 },
            }
        },
    );
    assert!(out.contains("this is an enum"), "{out}");
    assert!(out.contains("enum Choice"), "{out}");
    assert!(!out.contains("qf("), "{out}");
    assert!(
        out.contains("impl ::qfpay::__private_v0_1_0::Endpoint for Choice"),
        "{out}"
    );
    assert_snapshot("enum", &out);

    let out = expand(
        quote!(path = "/x", method = "POST"),
        quote!(
            fn handler() {}
        ),
    );
    assert!(out.contains("this is a function"), "{out}");
    assert!(!out.contains("impl"), "{out}");

    let out = expand(
        quote!(path = "/x", method = "POST"),
        quote!(
            struct T(u8);
        ),
    );
    assert!(out.contains("tuple struct"), "{out}");
    assert!(!out.contains("Builder"), "{out}");
}

/// Messages, checked one mistake at a time.
fn error_of(args: TokenStream, item: TokenStream) -> String {
    let out = expand(args, item);
    let mut errors = errors(&out);
    assert_eq!(errors.len(), 1, "expected exactly one error:\n{out}");
    errors.remove(0)
}

#[test]
fn argument_errors() {
    let s = quote!(
        struct S {
            a: u8,
        }
    );
    #[rustfmt::skip]
    let cases: &[(TokenStream, &str)] = &[
        (quote!(), "missing `path` and `method`"),
        (quote!(method = "GET"), "missing `path`"),
        (quote!(path = "/x"), "missing `method`"),
        (quote!(path = "/x", method = "FETCH"), "unsupported method"),
        (quote!(path = "/x", method = "post"), "methods are upper-case"),
        (quote!(path = "/x", method = POST), "takes a string literal"),
        (quote!(path = "/x", method = 1), "takes a string literal"),
        (quote!(path = "", method = "GET"), "the path is empty"),
        (quote!(path = "x/y", method = "GET"), "must start with `/`"),
        (quote!(path = "/a b", method = "GET"), "whitespace"),
        (quote!(path = "/a?b=1", method = "GET"), "must not contain `?`"),
        (quote!(path = "/a#b", method = "GET"), "must not contain `#`"),
        (quote!(path = "/ä", method = "GET"), "must be ASCII"),
        (quote!(path = "/x", method = "GET", response = "T"), "without the quotes"),
        (quote!(path = "/x", method = "GET", response = 1), "takes a type"),
        (quote!(path = "/x", method = "GET", response = ), "missing value after `response =`"),
        (quote!(path = "/x", method = "GET", mchid = 0), "`mchid` takes `true` or `false`"),
        (quote!(path = "/x", method = "GET", mchid), "expected `=` after `mchid`"),
        (quote!(path = "/x", method = "GET", builder = "no"), "`builder` takes `true` or `false`"),
        (quote!(path = "/x", method = "GET", builder = 0), "`builder` takes `true` or `false`"),
        (quote!(path = "/x", method = "GET", builder = no), "`builder` takes `true` or `false`"),
        (quote!(path = "/x", method = "GET", builder = ), "missing value after `builder =`"),
        (quote!(path = "/x", method = "GET", builder = false, builder = true), "duplicate key `builder`"),
        (quote!(path = "/x", method = "GET", bulder = false), "did you mean `builder`?"),
        (quote!(path = "/x", method = "GET", build = false), "did you mean `builder`?"),
        (quote!(path "/x", method = "GET"), "expected `=` after `path`"),
        (quote!(path = "/x", method = "GET", type = 1), "unknown key `type`"),
        (quote!(path = "/x" method = "GET"), "expected `,`"),
        (quote!(path = "/x", method = "GET", "x"), "expected `key = value`"),
        (quote!(path = "/x", method = "GET", method = "GET"), "duplicate key `method`"),
        // The misspelling is the one mistake: `method` is not also missing.
        (quote!(path = "/x", methd = "GET"), "did you mean `method`?"),
    ];
    for (args, expected) in cases {
        let error = error_of(args.clone(), s.clone());
        assert!(
            error.contains(expected),
            "`{args}`: expected {expected:?} in {error}"
        );
    }
}

#[test]
fn builder_keys_without_a_builder() {
    for (field, expected) in [
        (
            quote!(#[qf(default)] a: u8),
            "`#[qf(default)]` is for the builder",
        ),
        (
            quote!(#[qf(fixed = 1)] a: u8),
            "`#[qf(fixed = ...)]` is for the builder",
        ),
    ] {
        let error = error_of(
            quote!(path = "/x", method = "GET", builder = false),
            quote!(struct S { #field }),
        );
        assert!(error.contains(expected), "{error}");
    }
    // Without the builder, `#[builder]` may belong to some other derive.
    let out = expand(
        quote!(path = "/x", method = "GET", builder = false),
        quote!(
            #[builder(x)]
            struct S {
                #[builder(y)]
                a: u8,
            }
        ),
    );
    assert!(errors(&out).is_empty(), "{out}");
    assert!(out.contains("#[builder(y)]"), "{out}");
}

#[test]
fn unknown_key_skips_a_generic_value() {
    // The commas inside `<...>` do not end the unknown key's value.
    let error = error_of(
        quote!(path = "/x", method = "GET", respons = HashMap<String, u8>),
        quote!(
            struct S {}
        ),
    );
    assert!(error.contains("did you mean `response`?"), "{error}");
}

#[test]
fn field_errors() {
    #[rustfmt::skip]
    let cases: &[(TokenStream, &str)] = &[
        (quote!(struct S { #[qf(rename = "")] a: u8 }), "wire name is empty"),
        (quote!(struct S { #[qf(rename = "a=b")] a: u8 }), "must not contain '='"),
        (quote!(struct S { #[qf(rename = "a&b")] a: u8 }), "must not contain '&'"),
        (quote!(struct S { #[qf(rename = "a b")] a: u8 }), "must not contain ' '"),
        (quote!(struct S { #[qf(rename = "a\tb")] a: u8 }), r"must not contain '\\t'"),
        (quote!(struct S { #[qf(rename = "ä")] a: u8 }), "must be ASCII"),
        (quote!(struct S { a: u8, #[qf(rename = "a")] b: u8 }), "already used by field `a`"),
        (quote!(struct S { #[qf(rename = "b")] a: u8, b: u8 }), "already used by field `a`"),
        // Two fields of one name are rustc's E0124; only the rename is ours.
        (quote!(struct S { a: u8, a: u16, #[qf(rename = "a")] c: u8 }), "already used by field `a`"),
        (quote!(struct S { #[qf(rename = "a")] #[qf(rename = "b")] a: u8 }), "duplicate key `rename`"),
        (quote!(struct S { #[qf(rename = "a", rename = "b")] a: u8 }), "duplicate key `rename`"),
        (quote!(struct S { #[qf(name = "b")] a: u8 }), "unknown key `name`"),
        (quote!(struct S { #[qf] a: u8 }), "expected `#[qf(rename"),
        (quote!(struct S { #[qf(default = )] a: u8 }), "`default` takes an expression"),
        (quote!(struct S { #[qf(default, default)] a: u8 }), "duplicate key `default`"),
        (quote!(struct S { #[qf(default = 1, default)] a: u8 }), "duplicate key `default`"),
        (quote!(struct S { #[qf(default)] a: Option<u8> }), "an `Option` field needs no default"),
        (quote!(struct S { #[qf(fixed)] a: u8 }), "expected `=` after `fixed`"),
        (quote!(struct S { #[qf(fixed = 1, default)] a: u8 }), "either `fixed` or has a `default`"),
        (quote!(struct S { build: u8 }), "would hide the builder's `build()`"),
        (quote!(struct S { #[builder(default)] a: u8 }), "are now `#[qf(default)]`"),
        (quote!(#[builder(on(String, into))] struct S { a: u8 }), "setters already accept anything that converts"),
        (quote!(struct S { #[qf = "x"] a: u8 }), "expected `#[qf(rename"),
        (quote!(struct S { #[qf(rename = b)] a: u8 }), "`rename` takes a string literal"),
        (quote!(struct S { #[cfg(test)] a: u8 }), "cannot be conditional"),
        (quote!(#[qf(rename = "x")] struct S { a: u8 }), "goes on fields"),
        (quote!(struct S;), "for an endpoint without parameters write `struct S {}`"),
        (quote!(struct S(u8);), "this is a tuple struct"),
        (quote!(union U { a: u8 }), "this is a union"),
        (quote!(enum E { A }), "this is an enum"),
        (quote!(trait T {}), "this is a trait"),
        (quote!(impl S {}), "this is an impl block"),
        (quote!(const C: u8 = 1;), "this is a constant"),
        (quote!(mod m {}), "this is a module"),
        (quote!(static mut S: u8 = 0;), "this is a static"),
        (quote!(pub type T = u8;), "this is a type alias"),
        (quote!(#[inline] pub(crate) const unsafe extern "C" fn f() {}), "this is a function"),
        (quote!(use std::fmt;), "this is this item"),
    ];
    for (item, expected) in cases {
        let error = error_of(quote!(path = "/x", method = "GET"), item.clone());
        assert!(
            error.contains(expected),
            "`{item}`: expected {expected:?} in {error}"
        );
    }
}

/// `default = …` is kept as tokens up to the first comma outside brackets
/// and generic angle brackets, so a turbofish with two types is one value.
#[test]
fn a_default_expression_with_a_generic_comma_is_kept_whole() {
    let out = expand(
        quote!(path = "/x", method = "GET"),
        quote!(
            struct S {
                #[qf(default = ::std::collections::BTreeMap::<u8, u8>::new(), rename = "a")]
                a: ::std::collections::BTreeMap<u8, u8>,
            }
        ),
    );
    assert!(out.contains("BTreeMap::<u8, u8>::new()"), "{out}");
    assert!(!out.contains("compile_error"), "{out}");
}
