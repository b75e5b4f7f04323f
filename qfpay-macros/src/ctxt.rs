use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::fmt::Display;

/// Collects every error found in one macro input.
///
/// Passes keep going after a mistake and report it here instead of returning
/// early: a user who fixes one error should not then discover the next one.
/// Unlike serde's `Ctxt` this one does not panic when dropped unchecked;
/// a proc macro must never panic on user input.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// An error covering `tokens`. On stable Rust the reported span runs from
    /// the first to the last of the tokens, which is how a two-token culprit
    /// such as `enum Foo` gets underlined as a whole.
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&mut self, tokens: T, message: M) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn error_at<M: Display>(&mut self, span: Span, message: M) {
        self.errors.push(syn::Error::new(span, message));
    }

    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// One `compile_error!` per error, in the order they were found.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        let mut combined: Option<syn::Error> = None;
        for error in self.errors {
            match &mut combined {
                Some(all) => all.combine(error),
                None => combined = Some(error),
            }
        }
        combined
            .map(|error| error.to_compile_error())
            .unwrap_or_default()
    }
}
