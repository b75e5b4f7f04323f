//! The `#[qf_endpoint]` attribute of the [`qfpay`](https://docs.rs/qfpay) crate.
//!
//! Use it through `qfpay::qf_endpoint`: the generated code refers to the
//! runtime crate by absolute path (`::qfpay::__private_v<version>::…`), so
//! this crate is of no use on its own.
//!
//! The macro is a small compiler with three passes, each in its own module:
//! `attr` and `ast` parse the attribute arguments and the struct, `check`
//! validates them, and `expand` generates the code (`builder` the builder),
//! written as text that the compiler lexes (`text`).
//! Every pass reports into one `ctxt::Ctxt`, so all the mistakes of one
//! struct are reported together, each at the token that causes it.
//! `reply` is a hidden derive of the same make for `qfpay`'s own reply types.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod attr;
mod builder;
mod check;
mod ctxt;
mod expand;
mod item;
mod reply;
mod runtime;
mod suggest;
mod text;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Turns a struct with named fields into a QFPay endpoint request.
///
/// ```
/// use qfpay::qf_endpoint;
/// use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
///
/// #[derive(serde::Deserialize)]
/// pub struct PaymentResponse {
///     pub syssn: String,
/// }
///
/// #[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
/// pub struct Payment {
///     pub txamt: Amount,
///     pub txcurrcd: Currency,
///     pub pay_type: PayType,
///     pub out_trade_no: OutTradeNo,
///     pub txdtm: TradeTime,
///     /// Sent as `goods_name`.
///     #[qf(rename = "goods_name")]
///     pub product: Option<String>,
///     /// A raw identifier is sent without its `r#`: this is `type`.
///     pub r#type: Option<String>,
/// }
///
/// # fn main() -> Result<(), qfpay::InvalidParam> {
/// let payment = Payment::builder()
///     .txamt(10) // an `Amount` from an integer literal
///     .txcurrcd(Currency::from_code("HKD"))
///     .pay_type(PayType::from_code("800101"))
///     .out_trade_no(OutTradeNo::new("01234567890123")?)
///     .txdtm(TradeTime::parse("2019-12-25 14:21:28")?)
///     .product("tea") // optional fields may be left out
///     .build(); // compiles only once every required field is set
///
/// // Sorted by wire name at compile time:
/// assert_eq!(
///     qfpay::form_body(&payment),
///     "goods_name=tea&out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28"
/// );
/// // With a client: `let response: PaymentResponse = client.call(&payment).await?;`
/// # Ok(()) }
/// ```
///
/// # Keys
///
/// | key | value | required | meaning |
/// |---|---|---|---|
/// | `path` | string literal | yes | the request path, e.g. `"/trade/v1/payment"`: starts with `/`, ASCII, no whitespace, no `?` or `#` |
/// | `method` | `"GET"` or `"POST"` | yes | the HTTP method |
/// | `response` | a type | no | the decoded response; it must implement `serde::Deserialize`. Left out, the runtime's generic JSON response is used |
/// | `mchid` | `true` or `false` | no | `false` for the few endpoints to which the client must never add `mchid`, even when one is configured (default `true`) |
/// | `idempotent` | `true` or `false` | no | `true` for read-only endpoints, which the client may retry after a timeout, 429 or 5xx (default `false`: sent exactly once) |
/// | `either_method` | `true` or `false` | no | `true` when QFPay takes the endpoint by GET and by POST; `method` is the one sent, and a request by path may use either (default `false`) |
/// | `sign_type` | `"MD5"` or `"SHA256"` | no | a hash this endpoint is always signed with, whatever the client is configured with (for endpoints documented with one hash only) |
/// | `builder` | `true` or `false` | no | `false` leaves out the generated builder (default `true`); see below |
///
/// # Fields
///
/// Every field is a request parameter. Its wire name is the field's name
/// (a raw identifier loses its `r#`), or the one given by
/// `#[qf(rename = "wire_name")]`. Wire names must be unique, non-empty, ASCII
/// and free of whitespace, `=` and `&`.
///
/// A field's type must implement `qfpay::ParamValue`. These do: `String`,
/// `&str`, `Box<str>`, `Cow<str>`, the integers (`u8` … `u128`, `i8` …
/// `i128`, `usize`, `isize`), `Option<T>` of any of them (`None` is not
/// sent, nor is an empty string), the domain types of `qfpay::types`
/// (`Amount`, `TradeTime`, `OutTradeNo`, `Json<T>` for a structured value,
/// …), `qfpay::api::CommaSeparated<T>` for a list, and your own types once
/// you implement `ParamValue` for them. `bool` does not (QFPay's flags are
/// text codes, so say which: a `String` or your own type), nor do `Vec<T>`
/// (use `CommaSeparated<T>`), maps or structs; such a field is a compile
/// error at its type.
///
/// The parameters are written in byte order of their wire names. That order
/// is decided here, at compile time, so the signature and the form body are
/// produced by one pass in the one order the API accepts.
///
/// # The builder
///
/// `Payment::builder()` starts a `PaymentBuilder` with one setter per field,
/// named as the field; `build()` returns the `Payment`.
///
/// - `build()` compiles only once every required field is set. A forgotten
///   one is reported at `build()`: "missing required field `txdtm`: call
///   `.txdtm(..)` before `.build()`" (one error per missing field). A
///   required field is set once.
/// - A required field's setter takes anything that converts into its type
///   (`impl Into<T>`): `&str`, `String` or `&String` for a `String`, the type
///   itself for a domain type, an integer literal for an `Amount`. Numbers,
///   references and types that mention a type parameter take exactly their
///   type, so that `.page(1)` and `.syssn(&owned)` infer.
/// - A field written `Option<T>` is optional: leave it out, or give a value
///   that converts into `T` (`.goods_name("tea")`) or an `Option<T>` (a
///   value read from a database, or `None`). Another `Option` (say an
///   `Option<&str>` for an `Option<String>`) is refused: map it first.
/// - `#[qf(default)]` or `#[qf(default = expr)]` makes a field optional in
///   the builder: unless it is set, `build()` puts `Default::default()` or
///   `expr` there. Its setter takes what an optional field's does.
/// - `#[qf(fixed = expr)]`: the field always holds `expr`; it has no setter
///   (for a private field that tells one endpoint from another, such as a
///   fixed `pay_type`).
///
/// The builder's type is named `{Struct}Builder`: the struct's own generic
/// parameters, then one per required field, in declaration order, which is
/// `Set` once that field is set and `Unset` until then (the default; both
/// in `qfpay::api::builders`). So `PaymentBuilder` is the builder
/// `Payment::builder()` returns, and a function can return a partly filled
/// one (`fn start() -> RefundBuilder<Set>`, `syssn` being `Refund`'s first
/// required field).
///
/// ## `builder = false`
///
/// The struct goes out as written, with no builder, and is constructed with
/// a struct literal, which names every field, `None`s included (a forgotten
/// field is rustc's "missing field" error). `#[qf(default)]` and
/// `#[qf(fixed)]` are then refused, and any `#[builder(...)]` attribute is
/// left for some other derive to claim. Everything else (the parameter
/// writer, its order, `Endpoint`, signing) is the same with or without the
/// builder.
///
/// ```
/// use qfpay::qf_endpoint;
/// use qfpay::types::Amount;
///
/// #[qf_endpoint(path = "/trade/v1/refund", method = "POST", builder = false)]
/// pub struct Refund {
///     pub syssn: String,
///     pub txamt: Amount,
///     pub udid: Option<String>,
/// }
///
/// let refund = Refund {
///     syssn: "20191225000200020086327034".to_owned(),
///     txamt: Amount::new(10),
///     udid: None,
/// };
/// assert_eq!(qfpay::form_body(&refund), "syssn=20191225000200020086327034&txamt=10");
/// ```
///
/// # What is generated
///
/// - the struct itself, with its other attributes (docs, derives, serde's,
///   …) kept, minus `#[qf(...)]`;
/// - its builder (unless `builder = false`), as above;
/// - `impl qfpay::WriteParams`, with the sorted `PARAM_NAMES` and the sorted
///   parameter writer;
/// - `impl qfpay::StaticEndpoint` with the one constant description of the
///   endpoint (`SPEC`: path, method, `mchid` rule, retry rule, required
///   hash), and `impl qfpay::Endpoint` with `type Response` and `spec()`
///   returning that constant.
///
/// Generics and lifetimes are supported (`pub struct Query<'a> { syssn: &'a str }`);
/// a field whose type mentions a type parameter gets the `ParamValue` bound
/// it needs added to the generated impls.
///
/// # Compile-time errors
///
/// Every mistake in one struct is reported in one compilation, each at the
/// token that causes it: a missing `path` or `method`; a method other than
/// `"GET"`/`"POST"`; a path that is empty, lacks its leading `/`, or holds
/// whitespace, `?`, `#` or non-ASCII text; an unknown key (with a "did you
/// mean" for a misspelling); a repeated key; a `mchid`, `idempotent` or
/// `builder` that is not `true` or `false`; an item that is not a struct
/// with named fields; two fields with one wire name; an invalid wire name; a
/// `#[cfg]` on a field; bon's `#[builder(...)]` (with its replacement). The
/// struct is still emitted, so one mistake does not cascade into errors
/// wherever the struct is used. Type errors (a field type that is not a
/// parameter value, a response type that is not `Deserialize`, a required
/// field not set before `build()`) are reported by the compiler at the
/// field, the response type, or the `build()` call.
#[proc_macro_attribute]
pub fn qf_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::qf_endpoint(args.into(), input.into()).into()
}

/// The builder of `#[qf_endpoint]` alone, for a struct that is not an
/// endpoint (the catalogue's checkout URL). Not public API: the generated
/// code names `qfpay`'s private module.
#[doc(hidden)]
#[proc_macro_derive(Builder, attributes(qf))]
pub fn derive_builder(input: TokenStream) -> TokenStream {
    expand::builder_only(input.into()).into()
}

/// The reader of a `qf_object!` type's declared fields, for `qfpay`'s own
/// replies only (the generated code names `crate::response::fields`). Reads
/// the field attributes `#[serde(rename, alias, default, deserialize_with)]`
/// as serde does, skips the serialization-only ones and refuses the rest.
#[doc(hidden)]
#[proc_macro_derive(ReplyFields, attributes(serde))]
pub fn derive_reply_fields(input: TokenStream) -> TokenStream {
    reply::derive(input.into()).into()
}
