//! Code generation. Everything emitted names the runtime through absolute
//! paths (`::qfpay::__private::…`, `::core::…`) so that nothing in the
//! user's scope (a `type Result<T>`, a local `str`, a missing direct
//! dependency on bon) can change its meaning.

use crate::ast::{self, Field, Input};
use crate::attr;
use crate::check::{self, Method, Settings, SignType};
use crate::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use std::collections::BTreeSet;
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Ident, Item, ItemStruct, LitStr, WherePredicate};

/// The whole macro on `proc_macro2` tokens, so it can run in unit tests.
pub(crate) fn qf_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let args = attr::parse_endpoint_args(args, &mut cx);
    let item = match syn::parse2::<Item>(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            // rustc has already parsed the item, so this means syntax newer
            // than syn: hand the item back untouched rather than lose it.
            cx.syn_error(error);
            let mut tokens = input;
            tokens.extend(cx.into_compile_errors());
            return tokens;
        }
    };

    // Arguments first: errors come out in the order they are found, and
    // this keeps that close to source order. They are checked even on an
    // item that is rejected: the user may as well learn of them now.
    let settings = check::endpoint_args(args, &mut cx);
    let mut tokens = TokenStream::new();
    match item {
        Item::Struct(item) => match ast::from_struct(item, &mut cx) {
            ast::Parsed::Endpoint(input) => {
                check::fields(&input.fields, &mut cx);
                tokens.extend(endpoint(&input, &settings));
            }
            ast::Parsed::Rejected(item) => {
                item.to_tokens(&mut tokens);
                tokens.extend(fallback_impls(&item.ident, &item.generics, &settings));
            }
        },
        other => {
            not_a_struct(&other, &mut cx);
            tokens.extend(rejected_item(other, &settings));
        }
    }
    tokens.extend(cx.into_compile_errors());
    tokens
}

fn endpoint(input: &Input, settings: &Settings) -> TokenStream {
    // The derive must precede every attribute of the struct: a helper such
    // as the user's own `#[builder(...)]` may not appear before its derive.
    // Spanned at the struct's name: bon's diagnostics (a required field not
    // set before `build()`) then point there, not at our whole attribute.
    // With `builder = false` the struct goes out as written: the builder is
    // most of the macro's compile cost, and nothing else depends on it.
    let mut strukt = input.item.clone();
    if settings.builder {
        let span = strukt.ident.span();
        let derive: [syn::Attribute; 2] = [
            syn::parse_quote_spanned!(span=> #[derive(::qfpay::__private::bon::Builder)]),
            syn::parse_quote_spanned!(span=> #[builder(crate = ::qfpay::__private::bon)]),
        ];
        strukt.attrs.splice(0..0, derive);
    }
    let ItemStruct {
        ident, generics, ..
    } = &input.item;
    // A conditional field has been reported; writing it would add a "no
    // such field" error wherever its condition is false.
    let fields: Vec<Field> = input
        .fields
        .iter()
        .filter(|f| f.cfg.is_none())
        .cloned()
        .collect();
    let generics = &generics_with_param_bounds(generics, &fields);
    let write_params = write_params(ident, generics, &fields);
    let endpoint_impl = endpoint_impl(ident, generics, settings);
    quote! {
        #strukt
        #write_params
        #endpoint_impl
    }
}

fn write_params(ident: &Ident, generics: &Generics, fields: &[Field]) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let mut sorted: Vec<&Field> = fields.iter().collect();
    // Byte order of the wire names is the order the API signs in; deciding
    // it here means no other order can ever reach the wire.
    sorted.sort_by(|a, b| a.wire.value.as_bytes().cmp(b.wire.value.as_bytes()));
    let names = sorted
        .iter()
        .map(|f| LitStr::new(&f.wire.value, f.wire.span));
    // Mixed-site, so that no binding of the user's can capture it.
    let out = Ident::new("__out", Span::mixed_site());
    let out_param = if sorted.is_empty() {
        quote!(_)
    } else {
        out.to_token_stream()
    };
    let writes = sorted.iter().map(|field| {
        let Field {
            member, ty, wire, ..
        } = field;
        let name = LitStr::new(&wire.value, wire.span);
        // Spanned at the type, so a type that is not a parameter value gets
        // its `on_unimplemented` message under the field's type.
        quote_spanned! {ty.span()=>
            <#ty as ::qfpay::__private::ParamValue>::write_param(&self.#member, #name, #out);
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::qfpay::__private::WriteParams for #ident #ty_generics #where_clause {
            const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[#(#names),*];

            #[inline]
            fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
                &self,
                #out_param: &mut __S,
            ) {
                #(#writes)*
            }
        }
    }
}

fn endpoint_impl(ident: &Ident, generics: &Generics, settings: &Settings) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let Settings {
        path,
        method,
        response,
        sends_mchid,
        idempotent,
        either_method,
        sign_type,
        builder: _,
    } = settings;
    let method = match method {
        Method::Get => quote!(::qfpay::__private::Method::Get),
        Method::Post => quote!(::qfpay::__private::Method::Post),
    };
    // Spanned at the user's type, so a response type that cannot be decoded
    // is reported there.
    let response = match response {
        Some(ty) => quote_spanned!(ty.span()=> type Response = #ty;),
        None => quote!(
            type Response = ::qfpay::__private::JsonResponse;
        ),
    };
    let sign_type = match sign_type {
        Some(SignType::Md5) => quote!(::core::option::Option::Some(
            ::qfpay::__private::SignType::Md5
        )),
        Some(SignType::Sha256) => quote!(::core::option::Option::Some(
            ::qfpay::__private::SignType::Sha256
        )),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::qfpay::__private::Endpoint for #ident #ty_generics #where_clause {
            #response

            #[inline]
            fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
                <Self as ::qfpay::__private::StaticEndpoint>::SPEC
            }
        }

        #[automatically_derived]
        impl #impl_generics ::qfpay::__private::StaticEndpoint for #ident #ty_generics #where_clause {
            const SPEC: ::qfpay::__private::EndpointSpec<'static> =
                ::qfpay::__private::EndpointSpec::new(#path, #method)
                    .with_mchid(#sends_mchid)
                    .with_idempotent(#idempotent)
                    .with_either_method(#either_method)
                    .with_sign_type(#sign_type);
        }
    }
}

/// For an item that cannot be an endpoint: parameterless impls, so that
/// code using the item as an endpoint does not add errors of its own to the
/// one that matters.
fn fallback_impls(ident: &Ident, generics: &Generics, settings: &Settings) -> TokenStream {
    let write_params = write_params(ident, generics, &[]);
    let endpoint_impl = endpoint_impl(ident, generics, settings);
    quote! {
        #write_params
        #endpoint_impl
    }
}

/// Generic field types need `ParamValue` for the impl to hold; like serde
/// with `Serialize`, the bound is added for the user. Only fields that
/// mention a type parameter get one: concrete types are checked as written,
/// at the field.
fn generics_with_param_bounds(generics: &Generics, fields: &[Field]) -> Generics {
    let params: BTreeSet<String> = generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(param.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut generics = generics.clone();
    if params.is_empty() {
        return generics;
    }
    let predicates: Vec<WherePredicate> = fields
        .iter()
        .filter(|field| mentions_any(field.ty.to_token_stream(), &params))
        .map(|field| {
            let ty = &field.ty;
            syn::parse_quote!(#ty: ::qfpay::__private::ParamValue)
        })
        .collect();
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

fn mentions_any(tokens: TokenStream, idents: &BTreeSet<String>) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => idents.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions_any(group.stream(), idents),
        _ => false,
    })
}

fn not_a_struct(item: &Item, cx: &mut Ctxt) {
    let (what, culprit) = match item {
        Item::Enum(item) => ("an enum", {
            let (kw, ident) = (&item.enum_token, &item.ident);
            quote!(#kw #ident)
        }),
        Item::Union(item) => ("a union", {
            let (kw, ident) = (&item.union_token, &item.ident);
            quote!(#kw #ident)
        }),
        Item::Fn(item) => ("a function", {
            let (kw, ident) = (&item.sig.fn_token, &item.sig.ident);
            quote!(#kw #ident)
        }),
        Item::Trait(item) => ("a trait", {
            let (kw, ident) = (&item.trait_token, &item.ident);
            quote!(#kw #ident)
        }),
        Item::Type(item) => ("a type alias", {
            let (kw, ident) = (&item.type_token, &item.ident);
            quote!(#kw #ident)
        }),
        Item::Mod(item) => ("a module", {
            let (kw, ident) = (&item.mod_token, &item.ident);
            quote!(#kw #ident)
        }),
        Item::Impl(item) => ("an impl block", item.impl_token.to_token_stream()),
        Item::Const(item) => ("a constant", item.ident.to_token_stream()),
        Item::Static(item) => ("a static", item.ident.to_token_stream()),
        other => ("this item", other.to_token_stream()),
    };
    cx.error_spanned_by(
        culprit,
        format!(
            "`#[qf_endpoint]` goes on a struct with named fields, one per request parameter; this is {what}"
        ),
    );
}

/// The rejected item goes back out (so the rest of the crate still sees
/// it), minus `#[qf]` attributes that rustc would flag as unknown.
fn rejected_item(mut item: Item, settings: &Settings) -> TokenStream {
    let mut tokens = TokenStream::new();
    match &mut item {
        Item::Enum(item) => {
            for variant in &mut item.variants {
                ast::strip_fields(&mut variant.fields);
            }
            tokens.extend(fallback_impls(&item.ident, &item.generics, settings));
        }
        Item::Union(item) => {
            for field in &mut item.fields.named {
                attr::strip_qf(&mut field.attrs);
            }
            tokens.extend(fallback_impls(&item.ident, &item.generics, settings));
        }
        _ => {}
    }
    let mut all = item.into_token_stream();
    all.extend(tokens);
    all
}
