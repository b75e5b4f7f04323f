//! The builder `#[qf_endpoint]` generates (unless `builder = false`):
//! `Payment::builder()…build()`.
//!
//! Lean on purpose, since every endpoint of a crate pays for it at each
//! build (`compile_cost` in BENCHMARKS.md measures it against a serde
//! derive). A tuple of the fields' values, `Option`s until `build()`,
//! and one marker type parameter per required field, `Unset` until its
//! setter makes it `Set`: a setter only moves the tuple and changes that
//! marker. `build()` asks each marker for a trait declared here with
//! `#[diagnostic::on_unimplemented]`, implemented for `Set` only, so a
//! forgotten field reads "missing required field `txdtm`: call `.txdtm(..)`
//! before `.build()`". Everything is generic, so nothing is compiled to
//! machine code until a user calls it. (Not in a `const _: () = { … }`
//! block, which would be a little cheaper to compile but makes rustc's notes
//! name `_::<impl RefundBuilder<…>>::build` instead of
//! `RefundBuilder::<…>::build`.)
//!
//! The code is written as text and lexed once by the compiler: in a dev
//! build the proc macro runs unoptimised, and building the same items
//! token by token through `quote!` cost more than compiling them.
//!
//! Setters take what users have: anything that converts into the field's
//! type (`&str` for `String`, …), except numbers, references and types
//! that mention a type parameter, which take exactly their type (with
//! `Into`, an integer literal or a generic argument could not be inferred).
//! An `Option` field's setter also takes an `Option`.

use crate::ast::{Field, Input};
use crate::attr::DefaultValue;
use crate::ctxt::Ctxt;
use crate::item::ItemStruct;
use crate::runtime;
use crate::text::Text;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{GenericArgument, GenericParam, Generics, PathArguments, Type};

/// The builder's items: its struct, `builder()`, the setters, `build()`
/// and one trait per required field.
pub(crate) fn builder(input: &Input, fields: &[Field], cx: &mut Ctxt) -> TokenStream {
    let ItemStruct {
        vis,
        ident,
        generics,
        ..
    } = &input.item;
    if let Some(field) = fields.iter().find(|f| f.member == "build") {
        cx.error_at(
            field.member.span(),
            "a field named `build` would hide the builder's `build()`: give the field another name and keep the wire name with `#[qf(rename = \"build\")]`",
        );
    }
    let type_params = type_param_names(generics);
    let mut members: Vec<Member> = fields
        .iter()
        .map(|field| Member::new(field, &type_params, cx))
        .collect();
    // The positions in the tuple of values, fixed fields having none.
    let mut slots = 0..;
    for member in &mut members {
        if member.kind != Kind::Fixed {
            member.slot = slots.next();
        }
    }

    let mut out = Text::default();
    let rt = runtime::path_text();
    let vis = out.user(vis);
    let builder = format!("{ident}Builder");
    let where_clause = out.user(&generics.where_clause);
    let ty_generics = out.user(&generics.split_for_impl().1);
    // The struct's parameters as declared (defaults included), in an impl
    // header (without), and as arguments.
    let mut decl_params = Vec::new();
    let mut impl_params = Vec::new();
    let mut own_args = Vec::new();
    for param in &generics.params {
        decl_params.push(out.user(param));
        let mut bare = param.clone();
        match &mut bare {
            GenericParam::Type(p) => p.default = None,
            GenericParam::Const(p) => p.default = None,
            GenericParam::Lifetime(_) => {}
        }
        impl_params.push(out.user(&bare));
        own_args.push(match param {
            GenericParam::Lifetime(p) => out.user(&p.lifetime),
            GenericParam::Type(p) => out.user(&p.ident),
            GenericParam::Const(p) => out.user(&p.ident),
        });
    }
    let states: Vec<String> = members
        .iter()
        .filter(|m| m.kind == Kind::Required)
        .map(|m| format!("__{}", m.field.member.unraw()))
        .collect();
    let unset = format!("{rt}::Unset");
    let set = format!("{rt}::Set");
    let stored: Vec<&Member> = members.iter().filter(|m| m.slot.is_some()).collect();
    let mut slot_types = String::new();
    let mut empty_slots = String::new();
    for member in &stored {
        let ty = out.user(&member.field.ty);
        match member.kind {
            Kind::Optional => slot_types.push_str(&ty),
            _ => {
                let _ = write!(slot_types, "::core::option::Option<{ty}>");
            }
        }
        slot_types.push_str(", ");
        empty_slots.push_str("::core::option::Option::None, ");
    }
    // The states as a plain tuple (they are `Set`/`Unset`, owned by nobody);
    // a generic struct's parameters through `fn() -> …`, used without being
    // owned. A plain tuple is cheaper for the compiler's variance and drop
    // analyses than a `fn() -> (…)` of everything (BENCHMARKS.md).
    let mut marker: String = states.iter().map(|s| format!("{s}, ")).collect();
    if !generics.params.is_empty() {
        let _ = write!(marker, "fn() -> {ident}{ty_generics}, ");
    }
    let phantom = format!("::core::marker::PhantomData<({marker})>");
    let with_states = |replace: Option<&str>, with: &str| -> String {
        own_args
            .iter()
            .cloned()
            .chain(states.iter().map(|s| {
                if Some(s.as_str()) == replace {
                    with.to_owned()
                } else {
                    s.clone()
                }
            }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let current = with_states(None, "");

    // The struct, whose states default to `Unset`, so that `PaymentBuilder`
    // names the builder as `Payment::builder()` returns it.
    let decl = decl_params
        .iter()
        .cloned()
        .chain(states.iter().map(|s| format!("{s} = {unset}")))
        .collect::<Vec<_>>()
        .join(", ");
    // `Default` (the standard library has it for tuples of up to 12) is
    // cheaper to compile than a tuple of `None`s: about 0.7 M instructions
    // less per builder (BENCHMARKS.md, compile_cost).
    let empty = if stored.is_empty() {
        "()".to_owned()
    } else if stored.len() <= 12 {
        "::core::default::Default::default()".to_owned()
    } else {
        format!("({empty_slots})")
    };
    let _ = write!(
        out,
        "#[doc = {doc:?}] #[must_use = \"a builder does nothing until `build()` is called\"] \
         #[allow(non_camel_case_types)] \
         {vis} struct {builder}<{decl}>(({slot_types}), {phantom}) {where_clause};\n\
         impl<{impl_params}> {ident}{ty_generics} {where_clause} {{\n\
         #[doc = {start_doc:?}] #[inline] {vis} fn builder() -> {builder}<{own}> {{ \
         {builder} {{ 0: {empty}, 1: ::core::marker::PhantomData }} }}\n}}\n",
        doc = format!(
            "Builds a [`{ident}`]: call the setter of every required field, then `build()`. Made by [`{ident}::builder`]."
        ),
        start_doc = format!(
            "Starts a [`{ident}`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`."
        ),
        impl_params = impl_params.join(", "),
        own = own_args.join(", "),
    );

    // Every setter and `build()` sit in the one impl over all states (fewer
    // impls are cheaper to compile); a required setter asks its own state
    // to be `Unset`, so it is called once. The new builder is written as a
    // struct expression (`B { 0: …, 1: … }`), which the compiler checks with
    // less work than a call of the tuple struct's constructor (BENCHMARKS.md).
    let all_params = impl_params
        .iter()
        .cloned()
        .chain(states.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(
        out,
        "#[allow(non_camel_case_types)] impl<{all_params}> {builder}<{current}> {where_clause} {{ "
    );
    for member in &stored {
        let name = &member.field.member;
        let Some(slot) = member.slot else { continue };
        let docs = member.docs();
        if member.kind == Kind::Required {
            let state = format!("__{}", name.unraw());
            let ty = out.user(&member.field.ty);
            let (param, value) = if member.exact {
                (ty, "__qf_value".to_owned())
            } else {
                (
                    format!("impl ::core::convert::Into<{ty}>"),
                    "::core::convert::Into::into(__qf_value)".to_owned(),
                )
            };
            let next = with_states(Some(&state), &set);
            let _ = write!(
                out,
                "{docs} {vis} fn {name}(mut self, __qf_value: {param}) -> {builder}<{next}> where {state}: {rt}::IsUnset {{ \
                 self.0.{slot} = ::core::option::Option::Some({value}); \
                 {builder} {{ 0: self.0, 1: ::core::marker::PhantomData }} }} "
            );
        } else {
            let inner = out.user(member.inner());
            if member.exact {
                let _ = write!(
                    out,
                    "{docs} {vis} fn {name}(mut self, __qf_value: impl ::core::convert::Into<::core::option::Option<{inner}>>) -> Self {{ \
                     self.0.{slot} = ::core::convert::Into::into(__qf_value); self }} "
                );
            } else {
                let _ = write!(
                    out,
                    "{docs} {vis} fn {name}<__M>(mut self, __qf_value: impl {rt}::OptionArg<{inner}, __M>) -> Self {{ \
                     self.0.{slot} = {rt}::OptionArg::into_option(__qf_value); self }} "
                );
            }
        }
    }

    let mut traits = String::new();
    let mut bounds = String::new();
    let mut values = String::new();
    for member in &members {
        let name = &member.field.member;
        let slot = member.slot.unwrap_or_default();
        let value = match (&member.kind, &member.field.default) {
            // Holes keep the user's spans, where an error in them is
            // reported.
            (Kind::Fixed, _) => out.hole(member.field.fixed.to_token_stream()),
            (Kind::Required, _) => {
                let is_set = format!("{ident}_{}_is_set", name.unraw());
                let wire = &member.field.wire;
                let sent_as = if wire.renamed {
                    format!(" (sent as `{}`)", wire.value)
                } else {
                    String::new()
                };
                let message = format!(
                    "missing required field `{name}`{sent_as}: call `.{name}(..)` before `.build()`"
                );
                let label = format!("`{name}` is not set");
                let _ = write!(
                    traits,
                    "#[doc(hidden)] #[allow(non_camel_case_types)] \
                     #[diagnostic::on_unimplemented(message = {message:?}, label = {label:?})] \
                     {vis} trait {is_set} {{}}\n#[diagnostic::do_not_recommend] impl {is_set} for {set} {{}} "
                );
                let _ = write!(bounds, "__{}: {is_set}, ", name.unraw());
                format!("{rt}::take(__qf_values.{slot})")
            }
            // Spanned at `default`, where a type without `Default` is
            // reported.
            (_, Some(DefaultValue::Trait(span))) => {
                out.hole(quote_spanned! {*span=>
                    ::core::option::Option::unwrap_or_default
                }) + &format!("(__qf_values.{slot})")
            }
            (_, Some(DefaultValue::Expr(expr))) => {
                let expr = out.hole(expr.to_token_stream());
                format!("::core::option::Option::unwrap_or_else(__qf_values.{slot}, || {expr})")
            }
            (_, None) => format!("__qf_values.{slot}"),
        };
        let _ = write!(values, "{name}: {value}, ");
    }
    // Without stored values the tuple is `()`, and a binding of it unused.
    let take_values = if stored.is_empty() {
        ""
    } else {
        "let __qf_values = self.0;"
    };
    let build_doc =
        format!("Builds the [`{ident}`]; there is no `build()` until every required field is set.");
    let _ = write!(
        out,
        "#[doc = {build_doc:?}] {vis} fn build(self) -> {ident}{ty_generics} where {bounds} {{ \
         {take_values} {ident} {{ {values} }} }}\n}}\n{traits}"
    );
    out.finish(cx)
}

/// With `builder = false` there is nothing to give a default to.
pub(crate) fn check_without_builder(fields: &[Field], cx: &mut Ctxt) {
    for field in fields {
        if let Some(default) = &field.default {
            cx.error_at(
                default_span(default),
                "`#[qf(default)]` is for the builder, which `builder = false` leaves out: a struct literal names every field",
            );
        }
        if let Some(fixed) = &field.fixed {
            cx.error_spanned_by(
                fixed,
                "`#[qf(fixed = ...)]` is for the builder, which `builder = false` leaves out: a struct literal names every field",
            );
        }
    }
}

/// bon's `#[builder(...)]`, which meant something before the builder was
/// generated here: reported with its replacement, and taken out (rustc would
/// only say that it does not know the attribute).
pub(crate) fn take_bon_attributes(item: &mut ItemStruct, cx: &mut Ctxt) {
    let message = "`#[builder(...)]` belongs to bon, which `#[qf_endpoint]` no longer uses: setters already accept anything that converts (`into`), and `#[builder(default)]` / `#[builder(default = ...)]` are now `#[qf(default)]` / `#[qf(default = ...)]`";
    let mut take = |attrs: &mut Vec<syn::Attribute>| {
        attrs.retain(|attr| {
            let bon = attr.path().is_ident("builder");
            if bon {
                cx.error_spanned_by(attr, message);
            }
            !bon
        });
    };
    take(&mut item.attrs);
    for field in item.fields.iter_mut() {
        take(&mut field.attrs);
    }
}

fn default_span(default: &DefaultValue) -> Span {
    match default {
        DefaultValue::Trait(span) => *span,
        DefaultValue::Expr(expr) => expr.span(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Must be set before `build()`.
    Required,
    /// An `Option` field: `None` unless set.
    Optional,
    /// `#[qf(default ...)]`: its default unless set.
    Defaulted,
    /// `#[qf(fixed = ...)]`: always that value; no setter, no storage.
    Fixed,
}

/// One field as the builder sees it.
struct Member<'a> {
    field: &'a Field,
    kind: Kind,
    /// Whether the setter takes exactly the field's type rather than
    /// anything that converts into it.
    exact: bool,
    /// Its position in the tuple of values, if it has one.
    slot: Option<usize>,
}

impl<'a> Member<'a> {
    fn new(field: &'a Field, type_params: &BTreeSet<String>, cx: &mut Ctxt) -> Self {
        let option = option_inner(&field.ty);
        if let (Some(_), Some(default)) = (&field.fixed, &field.default) {
            cx.error_at(
                default_span(default),
                "a field is either `fixed` or has a `default`, not both",
            );
        }
        let kind = match (&field.default, option) {
            _ if field.fixed.is_some() => Kind::Fixed,
            (None, None) => Kind::Required,
            (None, Some(_)) => Kind::Optional,
            (Some(default), Some(_)) => {
                cx.error_at(
                    default_span(default),
                    "an `Option` field needs no default: it is left out of the request when not set",
                );
                Kind::Optional
            }
            (Some(_), None) => Kind::Defaulted,
        };
        let setter_ty = option.unwrap_or(&field.ty);
        Member {
            field,
            kind,
            exact: takes_exactly(setter_ty, type_params),
            slot: None,
        }
    }

    /// The type an optional or defaulted setter takes (or an `Option` of).
    fn inner(&self) -> &Type {
        option_inner(&self.field.ty).unwrap_or(&self.field.ty)
    }

    /// The field's docs, or a line naming it (for `#![deny(missing_docs)]`),
    /// as text.
    fn docs(&self) -> String {
        if self.field.docs.is_empty() {
            format!("#[doc = \"Sets `{}`.\"]", self.field.member.unraw())
        } else {
            self.field
                .docs
                .iter()
                .map(|doc| doc.to_token_stream().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// `T` of a field written `Option<T>` (or `std::option::Option<T>`, …).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let known = matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std" | "core", "option", "Option"]
    );
    let last = path.path.segments.last()?;
    match &last.arguments {
        PathArguments::AngleBracketed(args) if known && args.args.len() == 1 => {
            match args.args.first() {
                Some(GenericArgument::Type(inner)) => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Numbers (an integer literal could not pick among `Into`'s sources),
/// references (deref coercion from `&String` to `&str` needs the exact
/// type) and types mentioning a type parameter (which `Into` could not
/// infer).
fn takes_exactly(ty: &Type, type_params: &BTreeSet<String>) -> bool {
    const NUMBERS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64",
    ];
    match ty {
        Type::Reference(_) => true,
        Type::Group(group) => takes_exactly(&group.elem, type_params),
        Type::Paren(paren) => takes_exactly(&paren.elem, type_params),
        Type::Path(path)
            if path.qself.is_none()
                && path
                    .path
                    .get_ident()
                    .is_some_and(|ident| NUMBERS.contains(&ident.to_string().as_str())) =>
        {
            true
        }
        _ => mentions_any(ty.to_token_stream(), type_params),
    }
}

/// The names of a struct's type parameters.
pub(crate) fn type_param_names(generics: &Generics) -> BTreeSet<String> {
    generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(param.ident.to_string()),
            _ => None,
        })
        .collect()
}

pub(crate) fn mentions_any(tokens: TokenStream, idents: &BTreeSet<String>) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => idents.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions_any(group.stream(), idents),
        _ => false,
    })
}
