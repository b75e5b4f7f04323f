//! The `#[qf_endpoint]` attribute of the [`qfpay`](https://docs.rs/qfpay) crate.
//!
//! Use it through `qfpay::qf_endpoint`: the generated code refers to the
//! runtime crate by absolute path (`::qfpay::__private::…`), so this crate is
//! of no use on its own.
//!
//! The macro is a small compiler with three passes, each in its own module:
//! `attr` and `ast` parse the attribute arguments and the struct, `check`
//! validates them, and `expand` generates the code. Every pass reports into
//! one `ctxt::Ctxt`, so all the mistakes of one struct are reported together,
//! each at the token that causes it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod suggest;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Turns a struct with named fields into a QFPay endpoint request.
///
/// ```ignore
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
/// let payment = Payment::builder()
///     .txamt(Amount::new(10))
///     .txcurrcd(Currency::from_code("HKD"))
///     .pay_type(PayType::from_code("800101"))
///     .out_trade_no(OutTradeNo::new("01234567890123")?)
///     .txdtm(TradeTime::parse("2019-12-25 14:21:28")?)
///     .product("tea".to_owned()) // optional fields may be left out
///     .build(); // exists only once every required field is set
///
/// // Sorted by wire name at compile time:
/// assert_eq!(
///     qfpay::form_body(&payment),
///     "goods_name=tea&out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25+14%3A21%3A28"
/// );
/// let response: PaymentResponse = client.call(&payment).await?;
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
/// | `builder` | `true` or `false` | no | `false` leaves out the generated `bon` builder (default `true`); see below |
///
/// ## `builder = false`
///
/// The builder is what lets a request leave its `Option` fields out while a
/// missing required field is still a compile error, naming the field at
/// `build()`. It is also most of what the macro costs to compile (about four
/// fifths of it for 50 structs of 10 fields; `cargo bench --bench
/// compile_cost`). In a large catalogue of endpoints, where compile time
/// matters, a struct can opt out and be constructed with a struct literal
/// instead, which names every field, `None`s included (a forgotten field is
/// then rustc's "missing field" error):
///
/// ```ignore
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
/// ```
///
/// Everything else (the parameter writer, its order, `Endpoint`, signing) is
/// the same with or without the builder. Without it, no `#[builder(...)]`
/// attribute is added to the struct, and any you write yourself is left for
/// some other derive to claim.
///
/// # Fields
///
/// Every field is a request parameter. Its wire name is the field's name
/// (a raw identifier loses its `r#`), or the one given by
/// `#[qf(rename = "wire_name")]`. Wire names must be unique, non-empty, ASCII
/// and free of whitespace, `=` and `&`. A field's type must implement
/// `qfpay::ParamValue` (strings, integers, `bool`, `Option<T>` and the
/// domain types do; `None` and empty strings are not sent).
///
/// The parameters are written in byte order of their wire names. That order
/// is decided here, at compile time, so the signature and the form body are
/// produced by one pass in the one order the API accepts.
///
/// # What is generated
///
/// - the struct itself, with a `bon` builder (unless `builder = false`):
///   `Payment::builder()…build()` exists only once every required
///   (non-`Option`) field is set, and a missing one is a compile error naming
///   it. Other attributes of the struct and its fields (docs,
///   `#[builder(...)]`, serde's, …) are kept;
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
/// `#[cfg]` on a field. The struct is still emitted, so one mistake does not
/// cascade into errors wherever the struct is used. Type errors (a field
/// type that is not a parameter value, a response type that is not
/// `Deserialize`, a required field not set on the builder) are reported by
/// the compiler at the field, the response type, or the `build()` call.
#[proc_macro_attribute]
pub fn qf_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::qf_endpoint(args.into(), input.into()).into()
}
