//! The twin struct as the reader sees it: each field with the keys it is
//! read from and what its `#[serde(...)]` asks for. Parsing and checking in
//! one pass (the checks are few): every mistake goes to the `Ctxt`, and the
//! field keeps what could be read, so one mistake gives one message.

use crate::attr::{self, KeySet, KeysSeen};
use crate::ctxt::Ctxt;
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Fields, Generics, Ident, LitStr, Meta, Path, Type};

/// The `#[serde(...)]` keys of a field that the reader knows; the last
/// three only matter to serialization and are skipped. `alias` may repeat,
/// one per other name, as in serde.
const KEYS: KeySet = KeySet {
    known: &[
        "rename",
        "alias",
        "default",
        "deserialize_with",
        "skip_serializing_if",
        "serialize_with",
        "skip_serializing",
    ],
    flags: &["default", "skip_serializing"],
    repeatable: &["alias"],
};

pub(crate) struct Twin {
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    pub(crate) fields: Vec<Field>,
}

pub(crate) struct Field {
    pub(crate) member: Ident,
    pub(crate) ty: Type,
    /// The name the field is read from (its `rename`, else its identifier
    /// without `r#`), which serde's errors give it (`missing field`,
    /// `duplicate field`).
    pub(crate) name: LitStr,
    /// Other keys it is read from.
    pub(crate) aliases: Vec<LitStr>,
    pub(crate) default: Option<FieldDefault>,
    /// `deserialize_with = "path"`.
    pub(crate) with: Option<Path>,
}

/// What a field that was not sent holds.
pub(crate) enum FieldDefault {
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path"`: `path()`.
    Path(Path),
}

impl Field {
    /// Every key the field is read from, its name first.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &LitStr> {
        std::iter::once(&self.name).chain(&self.aliases)
    }
}

/// `None` (after reporting) for anything but a struct with named fields.
pub(crate) fn from_input(input: DeriveInput, cx: &mut Ctxt) -> Option<Twin> {
    for serde in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        cx.error_spanned_by(
            serde,
            "`#[derive(ReplyFields)]` takes no container `#[serde(...)]`; field attributes only",
        );
    }
    let named = match input.data {
        Data::Struct(data) => match data.fields {
            Fields::Named(named) => named.named,
            other => {
                cx.error_spanned_by(other, "`#[derive(ReplyFields)]` needs named fields");
                return None;
            }
        },
        _ => {
            cx.error_spanned_by(&input.ident, "`#[derive(ReplyFields)]` goes on a struct");
            return None;
        }
    };
    let mut fields: Vec<Field> = Vec::with_capacity(named.len());
    let mut taken: Vec<(String, Ident)> = Vec::new();
    for field in named {
        // Named fields always have an identifier.
        let Some(member) = field.ident else { continue };
        let mut parsed = Field {
            name: LitStr::new(&member.unraw().to_string(), member.span()),
            aliases: Vec::new(),
            member,
            ty: field.ty,
            default: None,
            with: None,
        };
        read_serde_attrs(&field.attrs, &mut parsed, cx);
        // A key read twice would be an unreachable arm of the reader's `match`.
        for key in parsed.keys() {
            let value = key.value();
            match taken.iter().find(|(k, _)| *k == value) {
                Some((_, member)) => cx.error_spanned_by(
                    key,
                    format!("`{value}` is already read by field `{member}`"),
                ),
                None => taken.push((value, parsed.member.clone())),
            }
        }
        fields.push(parsed);
    }
    Some(Twin {
        ident: input.ident,
        generics: input.generics,
        fields,
    })
}

/// Reads every `#[serde(...)]` of a field into `field` (other attributes,
/// such as docs, are not the reader's business).
fn read_serde_attrs(attrs: &[Attribute], field: &mut Field, cx: &mut Ctxt) {
    let mut seen = KeysSeen::default();
    for serde in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let tokens = match &serde.meta {
            Meta::List(list) => list.tokens.clone(),
            other => {
                cx.error_spanned_by(other, "expected `#[serde(key = \"...\", ...)]`");
                continue;
            }
        };
        attr::parse_key_values(
            tokens,
            &KEYS,
            "#[serde(...)]",
            &mut seen,
            cx,
            |key, input, cx| match key.name {
                "rename" => {
                    if let Some(name) = read_name(input, &key, cx) {
                        field.name = name;
                    }
                }
                "alias" => field.aliases.extend(read_name(input, &key, cx)),
                "default" if key.bare => field.default = Some(FieldDefault::Trait),
                "default" => {
                    field.default = read_path(input, &key, cx).map(FieldDefault::Path);
                }
                "deserialize_with" => field.with = read_path(input, &key, cx),
                // Serialization only.
                _ => {
                    attr::skip_value(input);
                }
            },
        );
    }
}

fn read_name(input: syn::parse::ParseStream, key: &attr::Key, cx: &mut Ctxt) -> Option<LitStr> {
    let message = format!(
        "`{}` takes a string literal, e.g. `{} = \"tradeNO\"`",
        key.name, key.name
    );
    attr::parse_value(input, key, cx, &message)
}

/// A function path written as a string, as serde has it: `"crate::types::de::text"`.
fn read_path(input: syn::parse::ParseStream, key: &attr::Key, cx: &mut Ctxt) -> Option<Path> {
    let message = format!(
        "`{}` takes a function's path as a string, e.g. `\"crate::types::de::text\"`",
        key.name
    );
    let lit = attr::parse_value::<LitStr>(input, key, cx, &message)?;
    match lit.parse::<Path>() {
        Ok(path) => Some(path),
        Err(_) => {
            cx.error_spanned_by(&lit, message);
            None
        }
    }
}
