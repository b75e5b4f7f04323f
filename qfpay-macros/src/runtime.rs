//! The path of the runtime's private module, which the generated code
//! names: `::qfpay::__private_v0_1_0`. Its name carries this crate's
//! version, and `qfpay` (which requires exactly this version of the macro)
//! names its module after its own, so expanded code from one release can
//! never reach the internals of another: it fails to resolve instead.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;

/// `__private_v` and the version with every non-alphanumeric replaced by `_`.
pub(crate) fn module_name() -> String {
    let version: String = env!("CARGO_PKG_VERSION")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("__private_v{version}")
}

/// `::qfpay::__private_v…`, as text.
pub(crate) fn path_text() -> String {
    format!("::qfpay::{}", module_name())
}

/// `::qfpay::__private_v…`.
pub(crate) fn path() -> TokenStream {
    let module = Ident::new(&module_name(), Span::call_site());
    quote!(::qfpay::#module)
}
