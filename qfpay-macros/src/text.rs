//! Generated code as text, lexed by the compiler (see `Text`). A proc
//! macro runs unoptimised in a dev build: a token built through `quote!`
//! and `proc_macro2` costs several times what the compiler spends lexing
//! it from text (BENCHMARKS.md, issue 19, fifth pass).

use crate::ctxt::Ctxt;
use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// Generated code as text, lexed by the compiler at the end. A user's
/// tokens go in as text, except where text would lose what they mean —
/// `$crate`, or a span that an error must point at — which go in as their
/// own tokens, in one of two ways:
///
/// - `splice`: the tokens follow the text written so far, which must be
///   complete on its own (every bracket closed). Nothing is taken apart, so
///   this costs next to nothing; a group holding spliced tokens is built
///   from a `Text` of its own and spliced in turn.
/// - `hole`: a placeholder written anywhere in the text, replaced by the
///   tokens after lexing. Convenient, but putting it in place takes apart
///   every group around it, a round trip to the compiler per token.
#[derive(Default)]
pub(crate) struct Text {
    /// What is complete: runs of text, each with its own holes, and the
    /// tokens spliced after them.
    done: Vec<Part>,
    text: String,
    holes: Vec<TokenStream>,
}

enum Part {
    Text(String, Vec<TokenStream>),
    Tokens(TokenStream),
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

    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// A placeholder for `tokens`.
    pub(crate) fn hole(&mut self, tokens: TokenStream) -> String {
        self.holes.push(tokens);
        format!(" __qf_hole_{} ", self.holes.len() - 1)
    }

    /// `tokens`, after the text written so far.
    pub(crate) fn splice(&mut self, tokens: TokenStream) {
        self.end_text();
        self.done.push(Part::Tokens(tokens));
    }

    /// `inner` in brackets of `delimiter`, after the text written so far.
    pub(crate) fn splice_group(&mut self, delimiter: Delimiter, inner: Text, cx: &mut Ctxt) {
        let group = Group::new(delimiter, inner.finish(cx));
        self.splice(TokenTree::Group(group).into());
    }

    fn end_text(&mut self) {
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            let holes = std::mem::take(&mut self.holes);
            self.done.push(Part::Text(text, holes));
        }
    }

    pub(crate) fn finish(mut self, cx: &mut Ctxt) -> TokenStream {
        self.end_text();
        let mut parts = self.done.into_iter().map(|part| match part {
            Part::Text(text, holes) => match lex(&text) {
                Ok(tokens) if holes.is_empty() => tokens,
                Ok(tokens) => fill(tokens, &holes, &mut 0),
                Err(error) => {
                    cx.error_at(
                        Span::call_site(),
                        format!("#[qf_endpoint] generated code that does not lex ({error}); please report this"),
                    );
                    TokenStream::new()
                }
            },
            Part::Tokens(tokens) => tokens,
        });
        let mut tokens = parts.next().unwrap_or_default();
        tokens.extend(parts);
        tokens
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

/// Puts each hole's tokens in place of its placeholder. Taking a group
/// apart costs a round trip to the compiler for each of its tokens, so once
/// every hole is placed the rest is kept as lexed.
fn fill(tokens: TokenStream, holes: &[TokenStream], placed: &mut usize) -> TokenStream {
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
                    Some(hole) => {
                        *placed += 1;
                        filled.extend([hole.clone()]);
                    }
                    None => filled.extend([TokenTree::Ident(ident)]),
                }
            }
            TokenTree::Group(group) if *placed < holes.len() => {
                let mut new = Group::new(group.delimiter(), fill(group.stream(), holes, placed));
                new.set_span(group.span());
                filled.extend([TokenTree::Group(new)]);
            }
            other => filled.extend([other]),
        }
    }
    filled
}
