//! Generated code as text, lexed by the compiler (see `Text`).

use crate::ctxt::Ctxt;
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// Generated code as text, lexed once at the end. A user's tokens go in as
/// text, except where text would lose what they mean — `$crate`, or a span
/// that an error must point at — which go in as holes: placeholders
/// replaced by the tokens themselves after lexing.
#[derive(Default)]
pub(crate) struct Text {
    text: String,
    holes: Vec<TokenStream>,
}

impl std::fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl Text {
    /// A user's tokens, as the text to write in their place.
    pub(crate) fn user<T: ToTokens>(&mut self, tokens: &T) -> String {
        let tokens = tokens.to_token_stream();
        let text = tokens.to_string();
        if text.contains("$crate") {
            self.hole(tokens)
        } else {
            text
        }
    }

    /// A placeholder for `tokens`.
    pub(crate) fn hole(&mut self, tokens: TokenStream) -> String {
        self.holes.push(tokens);
        format!(" __qf_hole_{} ", self.holes.len() - 1)
    }

    pub(crate) fn finish(self, cx: &mut Ctxt) -> TokenStream {
        match lex(&self.text) {
            Ok(tokens) if self.holes.is_empty() => tokens,
            Ok(tokens) => fill(tokens, &self.holes),
            Err(error) => {
                cx.error_at(
                    Span::call_site(),
                    format!("#[qf_endpoint] generated a builder that does not lex ({error}); please report this"),
                );
                TokenStream::new()
            }
        }
    }
}

/// Lexed by the compiler when running inside it: `proc_macro2`'s own
/// `parse` first checks the text with its fallback lexer, which (built
/// unoptimised, as proc macros are in a dev build) cost more than the
/// compiler's lexing and everything it saves.
fn lex(text: &str) -> Result<TokenStream, String> {
    if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>()
            .map(TokenStream::from)
            .map_err(|error| error.to_string())
    } else {
        text.parse::<TokenStream>()
            .map_err(|error| error.to_string())
    }
}

fn fill(tokens: TokenStream, holes: &[TokenStream]) -> TokenStream {
    let mut filled = TokenStream::new();
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let hole = ident
                    .to_string()
                    .strip_prefix("__qf_hole_")
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| holes.get(n));
                match hole {
                    Some(hole) => filled.extend(hole.clone()),
                    None => filled.extend([TokenTree::Ident(ident)]),
                }
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), fill(group.stream(), holes));
                new.set_span(group.span());
                filled.extend([TokenTree::Group(new)]);
            }
            other => filled.extend([other]),
        }
    }
    filled
}
