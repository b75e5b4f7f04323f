//! The item under the attribute, read with syn's `derive` parser only.
//!
//! syn's `full` feature (a parser for every Rust item and expression) costs
//! about a second of every user's cold build (BENCHMARKS.md, "Cold build of
//! a minimal app"), and the macro needs only structs: an enum or a union
//! comes out of the derive parser as well, and any other item is named from
//! its leading keyword for the error, then handed back unchanged.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{Attribute, Data, DataStruct, DeriveInput, Fields, Generics, Ident, Token, Visibility};

/// A struct item, as `syn::ItemStruct` has it.
#[derive(Clone)]
pub(crate) struct ItemStruct {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) struct_token: Token![struct],
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    pub(crate) fields: Fields,
    pub(crate) semi_token: Option<Token![;]>,
}

/// What the attribute was put on.
pub(crate) enum Item {
    Struct(ItemStruct),
    NotStruct(NotStruct),
}

/// An item the attribute does not belong on.
pub(crate) enum NotStruct {
    /// An enum or a union.
    Data(DeriveInput),
    /// Any other item, as written, with what it is ("a function") and the
    /// tokens to point at.
    Other {
        what: &'static str,
        culprit: TokenStream,
        tokens: TokenStream,
    },
}

/// Reads `tokens`; an error only when they start like a struct, an enum or
/// a union that syn cannot parse (syntax newer than syn).
pub(crate) fn parse(tokens: TokenStream) -> syn::Result<Item> {
    let error = match syn::parse2::<DeriveInput>(tokens.clone()) {
        Ok(input) => return Ok(from_derive_input(input)),
        Err(error) => error,
    };
    match describe(&tokens) {
        Some((what, culprit)) => Ok(Item::NotStruct(NotStruct::Other {
            what,
            culprit,
            tokens,
        })),
        None => Err(error),
    }
}

/// Reads a struct for `#[derive(Builder)]`; anything else is an error at
/// its keyword.
pub(crate) fn parse_struct(tokens: TokenStream) -> syn::Result<ItemStruct> {
    let input = syn::parse2::<DeriveInput>(tokens)?;
    let keyword = match &input.data {
        Data::Struct(_) => None,
        Data::Enum(data) => Some(data.enum_token.span),
        Data::Union(data) => Some(data.union_token.span),
    };
    match (from_derive_input(input), keyword) {
        (Item::Struct(item), _) => Ok(item),
        (_, keyword) => Err(syn::Error::new(
            keyword.unwrap_or_else(proc_macro2::Span::call_site),
            "expected `struct`",
        )),
    }
}

fn from_derive_input(input: DeriveInput) -> Item {
    match input.data {
        Data::Struct(DataStruct {
            struct_token,
            fields,
            semi_token,
        }) => Item::Struct(ItemStruct {
            attrs: input.attrs,
            vis: input.vis,
            struct_token,
            ident: input.ident,
            generics: input.generics,
            fields,
            semi_token,
        }),
        _ => Item::NotStruct(NotStruct::Data(input)),
    }
}

/// Words that may stand before an item's keyword (`pub const unsafe
/// extern "C" fn`).
const QUALIFIERS: &[&str] = &[
    "const", "async", "unsafe", "extern", "default", "auto", "safe",
];

/// What a non-data item is, from its first keyword after attributes,
/// visibility and qualifiers, and the tokens an error should point at;
/// `None` for a struct, an enum or a union.
fn describe(tokens: &TokenStream) -> Option<(&'static str, TokenStream)> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let ident = |i: usize| match trees.get(i) {
        Some(TokenTree::Ident(ident)) => Some(ident.clone()),
        _ => None,
    };
    let mut i = 0;
    // Outer attributes: `#` then a bracketed group.
    while matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == '#') {
        i += 2;
    }
    if ident(i).is_some_and(|word| word == "pub") {
        i += 1;
        if matches!(trees.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        {
            i += 1;
        }
    }
    let start = i;
    while ident(i).is_some_and(|word| QUALIFIERS.iter().any(|q| word == q))
        || (i > start && matches!(trees.get(i), Some(TokenTree::Literal(_))))
    {
        i += 1;
    }
    let whole = || ("this item", tokens.clone());
    let Some(keyword) = ident(i) else {
        return Some(whole());
    };
    let with_name = |what| {
        let name = ident(i + 1);
        (what, quote!(#keyword #name))
    };
    Some(match keyword.to_string().as_str() {
        "struct" | "enum" | "union" => return None,
        "fn" => with_name("a function"),
        "trait" => with_name("a trait"),
        "type" => with_name("a type alias"),
        "mod" => with_name("a module"),
        "impl" => ("an impl block", keyword.to_token_stream()),
        "static" => {
            let name = ident(i + 1)
                .filter(|word| word != "mut")
                .or_else(|| ident(i + 2));
            ("a static", name.to_token_stream())
        }
        // `const NAME: T = …;`: the qualifier loop took the `const`.
        _ if ident(start).is_some_and(|word| word == "const") && i == start + 1 => {
            ("a constant", keyword.to_token_stream())
        }
        _ => whole(),
    })
}

impl ToTokens for ItemStruct {
    /// As `syn::ItemStruct` prints: the where clause before named fields,
    /// after tuple fields.
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for attr in &self.attrs {
            attr.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.struct_token.to_tokens(tokens);
        self.ident.to_tokens(tokens);
        self.generics.to_tokens(tokens);
        match &self.fields {
            Fields::Named(fields) => {
                self.generics.where_clause.to_tokens(tokens);
                fields.to_tokens(tokens);
            }
            Fields::Unnamed(fields) => {
                fields.to_tokens(tokens);
                self.generics.where_clause.to_tokens(tokens);
                self.semi_token.unwrap_or_default().to_tokens(tokens);
            }
            Fields::Unit => {
                self.generics.where_clause.to_tokens(tokens);
                self.semi_token.unwrap_or_default().to_tokens(tokens);
            }
        }
    }
}
