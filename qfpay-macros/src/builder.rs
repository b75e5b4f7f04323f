//! The builder `#[qf_endpoint]` generates (unless `builder = false`):
//! `Payment::builder()…build()`.
//!
//! Lean on purpose, since every endpoint of a crate pays for it at each
//! build: one tuple struct whose type parameters record which required
//! fields are set, one setter per field, and `build()`, all generic, so
//! nothing is compiled to machine code until a user calls it. A required
//! field's type parameter is the runtime's `Unset` until its setter stores
//! the value in its place. `build()` asks each of them for a trait declared
//! here with `#[diagnostic::on_unimplemented]`, so a forgotten field reads
//! "missing required field `txdtm`: call `.txdtm(..)` before `.build()`".
//!
//! Setters take what users have: anything that converts into the field's
//! type (`&str` for `String`, …), except numbers, references and types
//! that mention a type parameter, which take exactly their type (with
//! `Into`, an integer literal or a generic argument could not be inferred).
//! An `Option` field's setter also takes an `Option`.

use crate::ast::{Field, Input};
use crate::attr::DefaultValue;
use crate::ctxt::Ctxt;
use crate::runtime;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use std::collections::BTreeSet;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{GenericArgument, GenericParam, Generics, Ident, ItemStruct, PathArguments, Type};

/// The builder's items: its struct, `builder()`, the setters, `build()`
/// and one trait per required field.
pub(crate) fn builder(input: &Input, fields: &[Field], cx: &mut Ctxt) -> TokenStream {
    let rt = runtime::path();
    let ItemStruct {
        vis,
        ident,
        generics,
        ..
    } = &input.item;
    let type_params = type_param_names(generics);
    let mut members: Vec<Member> = fields
        .iter()
        .map(|field| Member::new(field, &type_params, cx))
        .collect();
    // The builder's tuple positions, fixed fields having none.
    let mut slots = 0..;
    for member in &mut members {
        if member.kind != Kind::Fixed {
            member.slot = slots.next().map(syn::Index::from);
        }
    }
    let stored: Vec<&Member> = members.iter().filter(|m| m.slot.is_some()).collect();
    if let Some(field) = fields.iter().find(|f| f.member == "build") {
        cx.error_at(
            field.member.span(),
            "a field named `build` would hide the builder's `build()`: give the field another name and keep the wire name with `#[qf(rename = \"build\")]`",
        );
    }

    let builder = format_ident!("{}Builder", ident);
    let where_clause = &generics.where_clause;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    // The struct's own generic arguments, then one per required field.
    let own_args: Vec<TokenStream> = generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(p) => p.lifetime.to_token_stream(),
            GenericParam::Type(p) => p.ident.to_token_stream(),
            GenericParam::Const(p) => p.ident.to_token_stream(),
        })
        .collect();
    let state_params: Vec<&Ident> = members.iter().filter_map(|m| m.state.as_ref()).collect();
    let unset = quote!(#rt::Unset);
    // `fn() -> T` makes the builder use every parameter of the struct (even
    // one that only a required field, a type parameter here, mentions)
    // without owning a `T`.
    let phantom = (!generics.params.is_empty())
        .then(|| quote!(::core::marker::PhantomData<fn() -> #ident #ty_generics>));
    let phantom_init = phantom
        .as_ref()
        .map(|_| quote!(::core::marker::PhantomData));

    // The declaration keeps the struct's parameters as declared (defaults
    // included) and adds the states, each `Unset` by default, so that
    // `PaymentBuilder` names the builder as `Payment::builder()` returns it.
    let decl_params = generics.params.iter().map(ToTokens::to_token_stream);
    let decl_states = state_params.iter().map(|p| quote!(#p = #unset));
    let storage = stored.iter().map(|m| m.storage());
    let doc = format!(
        "Builds a [`{ident}`]: call the setter of every required field, then `build()`. Made by [`{ident}::builder`]."
    );
    let start_doc = format!(
        "Starts a [`{ident}`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`."
    );
    let inits = stored.iter().map(|m| match m.kind {
        Kind::Required => unset.clone(),
        _ => quote!(::core::option::Option::None),
    });
    // The states' defaults are `Unset`.
    let start_args = own_args.iter();
    let mut tokens = quote! {
        #[doc = #doc]
        #[must_use = "a builder does nothing until `build()` is called"]
        #[allow(non_camel_case_types)]
        #vis struct #builder <#(#decl_params,)* #(#decl_states),*> (
            #(#storage,)*
            #phantom
        ) #where_clause;

        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #start_doc]
            #[inline]
            #vis fn builder() -> #builder<#(#start_args),*> {
                #builder(#(#inits,)* #phantom_init)
            }
        }
    };

    // `self.0, self.1, …`, with one position replaced.
    let moves = |replace: usize, with: &TokenStream| -> Vec<TokenStream> {
        (0..stored.len())
            .map(|i| {
                if i == replace {
                    with.clone()
                } else {
                    let index = syn::Index::from(i);
                    quote!(self.#index)
                }
            })
            .chain(phantom_init.clone())
            .collect()
    };
    // As in an impl's header: without defaults.
    let own_params: Vec<GenericParam> = generics
        .params
        .iter()
        .cloned()
        .map(|mut param| {
            match &mut param {
                GenericParam::Type(p) => p.default = None,
                GenericParam::Const(p) => p.default = None,
                GenericParam::Lifetime(_) => {}
            }
            param
        })
        .collect();
    // Mixed-site, and a name no constant of the user's has (a parameter
    // pattern named like a constant in scope would match that constant).
    let value = Ident::new("__qf_value", Span::mixed_site());

    // Every setter sits in the one impl over all states (fewer impls are
    // cheaper to compile); a required one asks its own state to be `Unset`,
    // so it is called once.
    let mut setters = Vec::new();
    for (position, member) in stored.iter().enumerate() {
        let Some(state) = &member.state else {
            continue;
        };
        let Field {
            member: name, ty, ..
        } = member.field;
        let states = state_params.iter().map(|p| {
            if *p == state {
                ty.to_token_stream()
            } else {
                quote!(#p)
            }
        });
        let own = own_args.iter();
        let (param, converted) = member.argument(&value);
        let fields = moves(position, &converted);
        let docs = member.docs();
        setters.push(quote! {
            #(#docs)*
            #vis fn #name(self, #value: #param) -> #builder<#(#own,)* #(#states),*>
            where
                #state: #rt::IsUnset,
            {
                #builder(#(#fields),*)
            }
        });
    }

    let optional_setters = stored.iter().filter_map(|member| {
        if member.kind == Kind::Required {
            return None;
        }
        let name = &member.field.member;
        let index = &member.slot;
        let docs = member.docs();
        let inner = member.inner();
        Some(if member.exact {
            quote! {
                #(#docs)*
                #vis fn #name(mut self, #value: impl ::core::convert::Into<::core::option::Option<#inner>>) -> Self {
                    self.#index = ::core::convert::Into::into(#value);
                    self
                }
            }
        } else {
            quote! {
                #(#docs)*
                #vis fn #name<__M>(mut self, #value: impl #rt::OptionArg<#inner, __M>) -> Self {
                    self.#index = #rt::OptionArg::into_option(#value);
                    self
                }
            }
        })
    });

    let mut traits = TokenStream::new();
    let mut bounds = Vec::new();
    let built = members.iter().map(|member| {
        let Field {
            member: name, ty, ..
        } = member.field;
        let index = &member.slot;
        let value = match (&member.kind, &member.field.default) {
            (Kind::Fixed, _) => member.field.fixed.to_token_stream(),
            (Kind::Required, _) => {
                let state = &member.state;
                let is_set = format_ident!("{}_{}_is_set", ident, name.unraw());
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
                // Only the message is per field: the value is taken out
                // through the runtime's `FieldValue`, a supertrait, so that
                // no function body is generated per field here.
                traits.extend(quote! {
                    #[doc(hidden)]
                    #[allow(non_camel_case_types)]
                    #[diagnostic::on_unimplemented(message = #message, label = #label)]
                    #vis trait #is_set<V>: #rt::FieldValue<V> {}
                    impl<V> #is_set<V> for V {}
                });
                // Spanned at the field, where the compiler's "required by
                // this bound" note then points.
                bounds.push(quote_spanned!(name.span()=> #state: #is_set<#ty>));
                quote!(#rt::FieldValue::<#ty>::field_value(self.#index))
            }
            (_, Some(DefaultValue::Trait(span))) => quote_spanned! {*span=>
                ::core::option::Option::unwrap_or_default(self.#index)
            },
            (_, Some(DefaultValue::Expr(expr))) => quote_spanned! {expr.span()=>
                ::core::option::Option::unwrap_or_else(self.#index, || #expr)
            },
            (_, None) => quote!(self.#index),
        };
        quote!(#name: #value)
    });
    let built: Vec<TokenStream> = built.collect();
    let all_states = state_params.iter();
    let current = {
        let own = own_args.iter();
        let states = state_params.iter();
        quote!(<#(#own,)* #(#states),*>)
    };
    let build_doc =
        format!("Builds the [`{ident}`]; there is no `build()` until every required field is set.");
    tokens.extend(quote! {
        #[allow(non_camel_case_types)]
        impl <#(#own_params,)* #(#all_states),*> #builder #current #where_clause {
            #(#setters)*
            #(#optional_setters)*

            #[doc = #build_doc]
            #vis fn build(self) -> #ident #ty_generics
            where
                #(#bounds,)*
            {
                #ident {
                    #(#built,)*
                }
            }
        }
        #traits
    });
    tokens
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
    /// The type parameter recording whether a required field is set.
    state: Option<Ident>,
    /// Whether the setter takes exactly the field's type rather than
    /// anything that converts into it.
    exact: bool,
    /// Its position in the builder, if it has one.
    slot: Option<syn::Index>,
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
            state: (kind == Kind::Required)
                .then(|| format_ident!("__{}", field.member.unraw(), span = Span::call_site())),
            exact: takes_exactly(setter_ty, type_params),
            slot: None,
        }
    }

    /// What the builder keeps for this field until `build()`.
    fn storage(&self) -> Option<TokenStream> {
        Some(match self.kind {
            Kind::Fixed => return None,
            Kind::Required => self.state.to_token_stream(),
            Kind::Optional => self.field.ty.to_token_stream(),
            Kind::Defaulted => {
                let ty = &self.field.ty;
                quote!(::core::option::Option<#ty>)
            }
        })
    }

    /// The type an optional or defaulted setter takes (or an `Option` of).
    fn inner(&self) -> &Type {
        option_inner(&self.field.ty).unwrap_or(&self.field.ty)
    }

    /// A required setter's parameter type, and the value it stores.
    fn argument(&self, value: &Ident) -> (TokenStream, TokenStream) {
        let ty = &self.field.ty;
        if self.exact {
            (ty.to_token_stream(), value.to_token_stream())
        } else {
            (
                quote!(impl ::core::convert::Into<#ty>),
                quote!(::core::convert::Into::into(#value)),
            )
        }
    }

    /// The field's docs, or a line naming it (for `#![deny(missing_docs)]`).
    fn docs(&self) -> Vec<TokenStream> {
        if self.field.docs.is_empty() {
            let line = format!("Sets `{}`.", self.field.member.unraw());
            vec![quote!(#[doc = #line])]
        } else {
            self.field
                .docs
                .iter()
                .map(ToTokens::to_token_stream)
                .collect()
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
                    .is_some_and(|ident| NUMBERS.iter().any(|n| ident == n)) =>
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
