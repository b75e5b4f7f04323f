//! Syntax of `#[qf_endpoint(key = value, ...)]` and of the field attribute
//! `#[qf(rename = "...", default = ..., fixed = ...)]`.
//!
//! Both are lists of `key = value` entries. The parser here is hand-written
//! rather than `syn::meta::parser` because that one stops at the first
//! mistake, and every mistake of an attribute should be reported at once:
//! after a bad entry we skip to the next top-level comma and carry on.

use crate::ctxt::Ctxt;
use crate::suggest;
use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Ident, LitBool, LitStr, Meta, Token, Type};

/// The keys of one attribute's `key = value` list, for [`parse_key_values`].
pub(crate) struct KeySet {
    /// Every key the attribute takes.
    pub(crate) known: &'static [&'static str],
    /// Keys that may also be written alone, without `= value`.
    pub(crate) flags: &'static [&'static str],
    /// Keys that may be given more than once (any other repeated key is an error).
    pub(crate) repeatable: &'static [&'static str],
}

const ENDPOINT_KEYS: KeySet = KeySet {
    known: &[
        "path",
        "method",
        "response",
        "mchid",
        "idempotent",
        "either_method",
        "sign_type",
        "builder",
    ],
    flags: &[],
    repeatable: &[],
};
const FIELD_KEYS: KeySet = KeySet {
    known: &["rename", "default", "fixed"],
    flags: &["default"],
    repeatable: &[],
};

/// The arguments of `#[qf_endpoint(...)]`, each as written. A key whose
/// value was malformed is left `None` but still recorded in `seen`, so the
/// user is told about the bad value and not also that the key is missing.
pub(crate) struct EndpointArgs {
    pub(crate) path: Option<LitStr>,
    pub(crate) method: Option<LitStr>,
    pub(crate) response: Option<Type>,
    pub(crate) mchid: Option<LitBool>,
    pub(crate) idempotent: Option<LitBool>,
    pub(crate) either_method: Option<LitBool>,
    pub(crate) sign_type: Option<LitStr>,
    pub(crate) builder: Option<LitBool>,
    pub(crate) seen: KeysSeen,
    /// Everything between the parentheses: the best place to report a key
    /// that is missing, since a missing key has no token of its own.
    pub(crate) tokens: TokenStream,
}

impl EndpointArgs {
    pub(crate) fn saw(&self, key: &str) -> bool {
        self.seen.written.contains(&key) || self.seen.guessed.contains(&key)
    }
}

pub(crate) fn parse_endpoint_args(tokens: TokenStream, cx: &mut Ctxt) -> EndpointArgs {
    let mut args = EndpointArgs {
        path: None,
        method: None,
        response: None,
        mchid: None,
        idempotent: None,
        either_method: None,
        sign_type: None,
        builder: None,
        seen: KeysSeen::default(),
        tokens: tokens.clone(),
    };
    let mut seen = KeysSeen::default();
    parse_key_values(
        tokens,
        &ENDPOINT_KEYS,
        "#[qf_endpoint(...)]",
        &mut seen,
        cx,
        |key, input, cx| match key.name {
            "path" => {
                args.path = parse_value(
                    input,
                    &key,
                    cx,
                    "`path` takes a string literal, e.g. `path = \"/trade/v1/payment\"`",
                )
            }
            "method" => {
                args.method = parse_value(
                    input,
                    &key,
                    cx,
                    "`method` takes a string literal: `method = \"GET\"` or `method = \"POST\"`",
                )
            }
            "response" => {
                let message = if input.peek(LitStr) {
                    "`response` takes a type, not a string: write it without the quotes"
                } else {
                    "`response` takes a type, e.g. `response = PaymentResponse`"
                };
                args.response = parse_value(input, &key, cx, message);
            }
            "mchid" => {
                args.mchid = parse_value(
                    input,
                    &key,
                    cx,
                    "`mchid` takes `true` or `false`: `mchid = false` stops the client from sending `mchid` to this endpoint",
                )
            }
            "idempotent" => {
                args.idempotent = parse_value(
                    input,
                    &key,
                    cx,
                    "`idempotent` takes `true` or `false`: `idempotent = true` lets the client retry this endpoint after a transient failure",
                )
            }
            "either_method" => {
                args.either_method = parse_value(
                    input,
                    &key,
                    cx,
                    "`either_method` takes `true` or `false`: `either_method = true` says QFPay also takes this endpoint by the other HTTP method",
                )
            }
            "sign_type" => {
                args.sign_type = parse_value(
                    input,
                    &key,
                    cx,
                    "`sign_type` takes a string literal: `sign_type = \"MD5\"` or `sign_type = \"SHA256\"`",
                )
            }
            "builder" => {
                args.builder = parse_value(
                    input,
                    &key,
                    cx,
                    "`builder` takes `true` or `false`: `builder = false` leaves out the generated builder (build the struct with a struct literal)",
                )
            }
            _ => {
                skip_value(input);
            }
        },
    );
    args.seen = seen;
    args
}

/// The parsed `#[qf(...)]` attributes of one field.
#[derive(Default)]
pub(crate) struct FieldArgs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) default: Option<DefaultValue>,
    pub(crate) fixed: Option<Expr>,
}

/// An expression as written (`default = …`, `fixed = …`), kept as its
/// tokens: rustc reads it where it is spliced in and reports any mistake
/// there, at the user's own tokens. It ends at the first comma outside
/// brackets and generic angle brackets.
#[derive(Clone)]
pub(crate) struct Expr(TokenStream);

impl Parse for Expr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let tokens = skip_value(input);
        if tokens.is_empty() {
            return Err(input.error("expected an expression"));
        }
        Ok(Expr(tokens))
    }
}

impl quote::ToTokens for Expr {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}

/// `#[qf(default)]` or `#[qf(default = expr)]`: what the builder puts in a
/// field that is not set.
#[derive(Clone)]
pub(crate) enum DefaultValue {
    /// `Default::default()`; the span is the `default` key's.
    Trait(Span),
    Expr(Box<Expr>),
}

/// Reads every `#[qf(...)]` of a field (several may be written) and returns
/// the remaining attributes, which are emitted unchanged.
pub(crate) fn parse_field_attrs(
    attrs: Vec<Attribute>,
    cx: &mut Ctxt,
) -> (FieldArgs, Vec<Attribute>) {
    let mut args = FieldArgs::default();
    let mut seen = KeysSeen::default();
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs {
        if !attr.path().is_ident("qf") {
            kept.push(attr);
            continue;
        }
        let tokens = match attr.meta {
            Meta::List(list) if matches!(list.delimiter, syn::MacroDelimiter::Paren(_)) => {
                list.tokens
            }
            other => {
                cx.error_spanned_by(
                    other,
                    "expected `#[qf(rename = \"wire_name\")]` or `#[qf(default)]`",
                );
                continue;
            }
        };
        parse_key_values(
            tokens,
            &FIELD_KEYS,
            "#[qf(...)]",
            &mut seen,
            cx,
            |key, input, cx| {
                match key.name {
                "rename" => {
                    args.rename = parse_value(
                        input,
                        &key,
                        cx,
                        "`rename` takes a string literal, e.g. `rename = \"goods_name\"`",
                    )
                }
                "default" if key.bare => args.default = Some(DefaultValue::Trait(key.span)),
                "default" => {
                    args.default = parse_value(
                        input,
                        &key,
                        cx,
                        "`default` takes an expression, e.g. `default = Currency::from_code(\"HKD\")`, or nothing: `#[qf(default)]` uses `Default::default()`",
                    )
                    .map(|expr| DefaultValue::Expr(Box::new(expr)))
                }
                "fixed" => {
                    args.fixed = parse_value(
                        input,
                        &key,
                        cx,
                        "`fixed` takes an expression, e.g. `fixed = PayType::WechatH5`",
                    )
                }
                _ => {
                    skip_value(input);
                }
            }
            },
        );
    }
    (args, kept)
}

/// A key recognised in a `key = value` list.
pub(crate) struct Key {
    pub(crate) name: &'static str,
    /// The key itself.
    pub(crate) span: Span,
    /// The `=` (the key when there is none): where to report a value that
    /// is missing altogether.
    pub(crate) eq_span: Span,
    /// Written alone, without `= value` (only keys listed as flags).
    pub(crate) bare: bool,
}

/// Keys met so far in one attribute (or in all `#[qf]` of one field).
#[derive(Default)]
pub(crate) struct KeysSeen {
    pub(crate) written: Vec<&'static str>,
    /// Keys suggested for a misspelling (`methd` → `method`): that mistake
    /// is reported once, as a misspelling, and not again as a missing key.
    pub(crate) guessed: Vec<&'static str>,
}

/// Runs `on_value` for each first occurrence of a known key, positioned at
/// its value, and reports everything else: unknown keys (with a suggestion),
/// repeated keys, missing `=`, missing commas.
pub(crate) fn parse_key_values(
    tokens: TokenStream,
    keys: &KeySet,
    attribute: &str,
    seen: &mut KeysSeen,
    cx: &mut Ctxt,
    mut on_value: impl FnMut(Key, ParseStream, &mut Ctxt),
) {
    let parser = |input: ParseStream| -> syn::Result<()> {
        while !input.is_empty() {
            if let Err(error) = parse_entry(input, keys, attribute, seen, cx, &mut on_value) {
                cx.syn_error(error);
                skip_value(input);
            }
            if input.is_empty() {
                break;
            }
            if input.peek(Token![,]) {
                let _: Token![,] = input.parse()?;
            } else {
                cx.syn_error(input.error("expected `,` between entries"));
                // `path = "/x" method = "GET"`: resume at the next entry
                // rather than losing it, which would also report it missing.
                if !(input.peek(Ident::peek_any) && input.peek2(Token![=])) {
                    skip_value(input);
                    let _: Option<Token![,]> = input.parse()?;
                }
            }
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(tokens) {
        cx.syn_error(error);
    }
}

fn parse_entry(
    input: ParseStream,
    keys: &KeySet,
    attribute: &str,
    seen: &mut KeysSeen,
    cx: &mut Ctxt,
    on_value: &mut impl FnMut(Key, ParseStream, &mut Ctxt),
) -> syn::Result<()> {
    // `parse_any` so that a keyword used as a key (`type = ...`) is reported
    // as an unknown key rather than as a syntax error.
    if !input.peek(Ident::peek_any) {
        return Err(input.error(format!("expected `key = value` in `{attribute}`")));
    }
    let ident = input.call(Ident::parse_any)?;
    let text = ident.unraw().to_string();
    let Some(&name) = keys.known.iter().find(|&&k| k == text) else {
        let guess = suggest::closest(&text, keys.known);
        seen.guessed.extend(guess);
        let hint = guess.map_or_else(String::new, |g| format!("; did you mean `{g}`?"));
        cx.error_at(
            ident.span(),
            format!(
                "unknown key `{text}` in `{attribute}`{hint} (expected {})",
                list(keys.known)
            ),
        );
        if input.peek(Token![=]) {
            let _: Token![=] = input.parse()?;
        }
        skip_value(input);
        return Ok(());
    };
    let duplicate = seen.written.contains(&name) && !keys.repeatable.contains(&name);
    // Recorded before the `=` is checked: `path "/x"` is a malformed `path`,
    // not also a missing one.
    seen.written.push(name);
    let alone = input.is_empty() || input.peek(Token![,]);
    if alone && keys.flags.contains(&name) {
        if duplicate {
            cx.error_at(
                ident.span(),
                format!("duplicate key `{name}`: it may appear only once"),
            );
            return Ok(());
        }
        on_value(
            Key {
                name,
                span: ident.span(),
                eq_span: ident.span(),
                bare: true,
            },
            input,
            cx,
        );
        return Ok(());
    }
    if !input.peek(Token![=]) {
        let message = format!("expected `=` after `{name}`: `{name} = ...`");
        return Err(if alone {
            syn::Error::new(ident.span(), message)
        } else {
            input.error(message)
        });
    }
    let eq: Token![=] = input.parse()?;
    if duplicate {
        cx.error_at(
            ident.span(),
            format!("duplicate key `{name}`: it may appear only once"),
        );
        skip_value(input);
        return Ok(());
    }
    on_value(
        Key {
            name,
            span: ident.span(),
            eq_span: eq.span,
            bare: false,
        },
        input,
        cx,
    );
    Ok(())
}

/// Parses one value of type `T` that must run up to the next comma. On
/// failure the whole value is skipped and reported with `message`,
/// underlining the value itself (or the `=` when there is none).
pub(crate) fn parse_value<T: Parse>(
    input: ParseStream,
    key: &Key,
    cx: &mut Ctxt,
    message: &str,
) -> Option<T> {
    let fork = input.fork();
    if let Ok(value) = fork.parse::<T>() {
        // Whatever follows is the caller's business: a missing comma is
        // reported as such, not as a bad value.
        input.advance_to(&fork);
        return Some(value);
    }
    let value = skip_value(input);
    if value.is_empty() {
        cx.error_at(
            key.eq_span,
            format!("missing value after `{} =`; {message}", key.name),
        );
    } else {
        cx.error_spanned_by(value, message);
    }
    None
}

/// Consumes tokens up to (not including) the next comma that is not nested
/// inside brackets or generic angle brackets, and returns them.
pub(crate) fn skip_value(input: ParseStream) -> TokenStream {
    input
        .step(|cursor| {
            let mut rest = *cursor;
            let mut taken = TokenStream::new();
            let mut angle_depth = 0usize;
            // `->` and `=>` end in `>` without closing an angle bracket.
            let mut after_arrow_start = false;
            while let Some((tree, next)) = rest.token_tree() {
                let mut arrow_start = false;
                if let TokenTree::Punct(punct) = &tree {
                    match punct.as_char() {
                        ',' if angle_depth == 0 => break,
                        '<' => angle_depth += 1,
                        '>' if !after_arrow_start => angle_depth = angle_depth.saturating_sub(1),
                        '-' | '=' => arrow_start = punct.spacing() == Spacing::Joint,
                        _ => {}
                    }
                }
                after_arrow_start = arrow_start;
                taken.extend([tree]);
                rest = next;
            }
            Ok((taken, rest))
        })
        .unwrap_or_default()
}

/// "`a`, `b` or `c`"
fn list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Removes `#[qf(...)]` from attributes without reading them; used on items
/// that are rejected anyway, so that the rejection is the only error.
pub(crate) fn strip_qf(attrs: &mut Vec<Attribute>) {
    attrs.retain(|attr| !attr.path().is_ident("qf"));
}
