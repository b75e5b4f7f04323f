//! `#[derive(ReplyFields)]`: the reader of the declared fields of a
//! `qf_object!` type (`qfpay/src/response/object.rs`), in place of serde's
//! derive on its private twin struct. serde's derive writes a field
//! identifier, a visitor, a sequence reader that a reply never needs and a
//! wrapper type per `deserialize_with`: most of `qfpay`'s compile time
//! (issue 15), and a detour on every reply's decode (issue 12). This one
//! writes one `match` on the key and one function that applies defaults.
//! The same passes as the attribute: `ast` reads and checks the fields'
//! `#[serde(...)]`, `expand` writes the reader.

mod ast;
mod expand;
#[cfg(test)]
mod tests;

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;

/// The derive on `proc_macro2` tokens, so it can run in unit tests. The
/// reader is written even after a mistake in an attribute (the field keeps
/// what could be read), so the mistake is the only error.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let mut tokens = TokenStream::new();
    match syn::parse2(input) {
        Ok(input) => {
            if let Some(twin) = ast::from_input(input, &mut cx) {
                tokens.extend(expand::reply_fields(&twin));
            }
        }
        Err(error) => cx.syn_error(error),
    }
    tokens.extend(cx.into_compile_errors());
    tokens
}
