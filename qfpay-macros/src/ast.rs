//! The struct as the macro sees it: its fields with their wire names, and
//! the struct to emit, with the `#[qf(...)]` attributes taken out.

use crate::attr;
use crate::ctxt::Ctxt;
use crate::item::ItemStruct;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Attribute, Fields, Ident, Type};

/// A struct with named fields, ready to be checked and expanded.
pub(crate) struct Input {
    /// The struct exactly as it will be emitted: no `#[qf]` attributes left.
    pub(crate) item: ItemStruct,
    /// In declaration order; expansion sorts them.
    pub(crate) fields: Vec<Field>,
    /// Whether `item` is the struct exactly as written: no `#[qf]` was
    /// taken out of it.
    pub(crate) as_written: bool,
}

#[derive(Clone)]
pub(crate) struct Field {
    pub(crate) member: Ident,
    pub(crate) ty: Type,
    pub(crate) wire: WireName,
    /// A `#[cfg(...)]` on the field, which the parameter writer could not
    /// follow: attribute macros see fields before cfg-stripping.
    pub(crate) cfg: Option<Attribute>,
    /// The field's doc comments, which become its setter's.
    pub(crate) docs: Vec<Attribute>,
    /// `#[qf(default ...)]`: the builder may leave the field out.
    pub(crate) default: Option<attr::DefaultValue>,
    /// `#[qf(fixed = expr)]`: always this value, no setter.
    pub(crate) fixed: Option<attr::Expr>,
}

#[derive(Clone)]
pub(crate) struct WireName {
    pub(crate) value: String,
    /// The rename literal when there is one, else the field's identifier:
    /// where a problem with the name is reported.
    pub(crate) span: Span,
    pub(crate) renamed: bool,
}

/// What `from_struct` makes of a struct.
pub(crate) enum Parsed {
    Endpoint(Input),
    /// A tuple or unit struct, reported and stripped of `#[qf]`, to be
    /// emitted as it is.
    Rejected(ItemStruct),
}

/// Rejects (after reporting) only a struct without named fields; a bad
/// `#[qf(...)]` is reported and the field keeps its default wire name.
pub(crate) fn from_struct(mut item: ItemStruct, cx: &mut Ctxt) -> Parsed {
    // `#[qf]` belongs on fields; on the struct rustc would only say that it
    // cannot find the attribute.
    for qf in item.attrs.iter().filter(|a| a.path().is_ident("qf")) {
        cx.error_spanned_by(
            qf,
            "`#[qf(...)]` goes on fields; endpoint options go in `#[qf_endpoint(...)]`",
        );
    }
    let written = item.attrs.len();
    attr::strip_qf(&mut item.attrs);
    let mut as_written = item.attrs.len() == written;

    let named = match &mut item.fields {
        Fields::Named(named) => named,
        Fields::Unnamed(unnamed) => {
            cx.error_spanned_by(
                &*unnamed,
                "`#[qf_endpoint]` needs a struct with named fields, one per request parameter; this is a tuple struct",
            );
            strip_fields(&mut item.fields);
            return Parsed::Rejected(item);
        }
        Fields::Unit => {
            let (struct_token, ident) = (item.struct_token, &item.ident);
            cx.error_spanned_by(
                quote::quote!(#struct_token #ident),
                format!(
                    "`#[qf_endpoint]` needs a struct with named fields, one per request parameter; for an endpoint without parameters write `struct {ident} {{}}`"
                ),
            );
            return Parsed::Rejected(item);
        }
    };

    let mut fields = Vec::with_capacity(named.named.len());
    for field in &mut named.named {
        let written = field.attrs.len();
        let (args, kept) = attr::parse_field_attrs(std::mem::take(&mut field.attrs), cx);
        as_written &= kept.len() == written;
        field.attrs = kept;
        // Named fields always have an identifier; skip defensively rather
        // than panic if syn ever says otherwise.
        let Some(member) = field.ident.clone() else {
            continue;
        };
        let wire = match args.rename {
            Some(rename) => WireName {
                value: rename.value(),
                span: rename.span(),
                renamed: true,
            },
            None => WireName {
                value: member.unraw().to_string(),
                span: member.span(),
                renamed: false,
            },
        };
        fields.push(Field {
            member,
            ty: field.ty.clone(),
            wire,
            cfg: field
                .attrs
                .iter()
                .find(|a| a.path().is_ident("cfg"))
                .cloned(),
            docs: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect(),
            default: args.default,
            fixed: args.fixed,
        });
    }
    Parsed::Endpoint(Input {
        item,
        fields,
        as_written,
    })
}

/// Takes `#[qf(...)]` out of any kind of field list.
pub(crate) fn strip_fields(fields: &mut Fields) {
    for field in fields.iter_mut() {
        attr::strip_qf(&mut field.attrs);
    }
}
