//! The reader of one twin: a slot per field, `read` (one `match` on the
//! key) and `finish` (defaults and missing fields), as
//! `qfpay::response::fields::ReadFields` asks; plus, per
//! `deserialize_with` field, the function behind its seed.
//!
//! The paths are `crate::response::fields::…`: the derive is used only by
//! `qf_object!`, which is private to `qfpay`, so the code always expands
//! inside that crate.

use super::ast::{Field, FieldDefault, Twin};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn reply_fields(twin: &Twin) -> TokenStream {
    let m = quote!(crate::response::fields);
    let Twin {
        ident,
        generics,
        fields,
    } = twin;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let members: Vec<_> = fields.iter().map(|f| &f.member).collect();
    let tys = fields.iter().map(|f| &f.ty);
    let arms = fields.iter().enumerate().map(|(i, field)| {
        let Field { member, name, .. } = field;
        let keys = field.keys();
        let seed = match field.with {
            Some(_) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(#m::With::<Self, #i>::new())
            }
            None => quote!(::core::marker::PhantomData),
        };
        quote! {
            #(#keys)|* => #m::read(&mut slots.#member, #name, key, map, #seed),
        }
    });
    let read = if fields.is_empty() {
        quote! {
            let _ = (slots, key, map);
            ::core::result::Result::Ok(false)
        }
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => ::core::result::Result::Ok(false),
            }
        }
    };
    let values = fields.iter().map(|field| {
        let Field { member, name, .. } = field;
        match (&field.default, &field.with) {
            (Some(FieldDefault::Trait), _) => quote!(#member.unwrap_or_default()),
            (Some(FieldDefault::Path(path)), _) => quote!(#member.unwrap_or_else(#path)),
            // As serde's derive: no `Option` leniency through a `deserialize_with`.
            (None, Some(_)) => quote! {
                #member.ok_or_else(|| <__E as ::serde::de::Error>::missing_field(#name))?
            },
            (None, None) => quote!(#m::missing_or_none(#member, #name)?),
        }
    });
    let withs = fields.iter().enumerate().filter_map(|(i, field)| {
        let path = field.with.as_ref()?;
        let ty = &field.ty;
        let i = Literal::usize_unsuffixed(i);
        Some(quote! {
            impl #impl_generics #m::ReadWith<#i> for #ident #ty_generics #where_clause {
                type Value = #ty;
                fn read_with<'de, __D: ::serde::Deserializer<'de>>(
                    d: __D,
                ) -> ::core::result::Result<#ty, __D::Error> {
                    #path(d)
                }
            }
        })
    });
    quote! {
        const _: () = {
            pub(crate) struct __Slots #impl_generics #where_clause {
                #(#members: ::core::option::Option<#tys>,)*
                __twin: ::core::marker::PhantomData<fn() -> #ident #ty_generics>,
            }

            impl #impl_generics ::core::default::Default for __Slots #ty_generics #where_clause {
                fn default() -> Self {
                    __Slots {
                        #(#members: ::core::option::Option::None,)*
                        __twin: ::core::marker::PhantomData,
                    }
                }
            }

            impl #impl_generics #m::ReadFields for #ident #ty_generics #where_clause {
                type Slots = __Slots #ty_generics;

                fn read<'de, __M: ::serde::de::MapAccess<'de>>(
                    slots: &mut Self::Slots,
                    key: &::core::primitive::str,
                    map: &mut __M,
                ) -> ::core::result::Result<bool, __M::Error> {
                    #read
                }

                fn finish<__E: ::serde::de::Error>(
                    slots: Self::Slots,
                ) -> ::core::result::Result<Self, __E> {
                    let __Slots { #(#members,)* __twin: _ } = slots;
                    ::core::result::Result::Ok(#ident { #(#members: #values,)* })
                }
            }

            #(#withs)*
        };
    }
}
