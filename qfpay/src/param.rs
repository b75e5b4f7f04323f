//! How a field value writes itself as a request parameter.
//!
//! The generated `write_params` of an endpoint calls [`ParamValue::write_param`]
//! once per field, in wire-name order. A value either writes one pair, writes
//! nothing (`None`, empty strings) or rejects itself with a reason; the sink
//! decides what to do with each.

use std::borrow::Cow;

/// Receives the parameters of a request, in byte order of their names.
///
/// Implemented by the signer/encoder of this crate and by [`crate::RawParams`]'s
/// collector; implement it to observe the exact pairs a request puts on the wire.
pub trait PairSink {
    /// One parameter: `name` and its raw (not percent-encoded) `value`.
    ///
    /// Empty values may arrive here; the crate's own sinks drop them, because
    /// QFPay wants empty parameters omitted from both body and signature.
    fn pair(&mut self, name: &str, value: &str);

    /// A value refused to be sent (zero amount, over-long text, …).
    ///
    /// The default ignores it; the client's encoder records the first
    /// rejection and refuses the request before anything is sent.
    fn reject(&mut self, name: &'static str, reason: Cow<'static, str>) {
        let _ = (name, reason);
    }
}

impl<S: PairSink + ?Sized> PairSink for &mut S {
    fn pair(&mut self, name: &str, value: &str) {
        (**self).pair(name, value)
    }
    fn reject(&mut self, name: &'static str, reason: Cow<'static, str>) {
        (**self).reject(name, reason)
    }
}

/// A type that can be the value of a QFPay request parameter.
///
/// Implemented for strings, integers, `Option<T>`, references and the domain
/// types of [`crate::types`]. Implement it for your own types to use them as
/// fields of a `#[qf_endpoint]` struct:
///
/// ```
/// use qfpay::{PairSink, ParamValue};
///
/// struct StoreCode(u16);
///
/// impl ParamValue for StoreCode {
///     fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
///         out.pair(name, &format!("S{:04}", self.0));
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a QFPay request parameter",
    label = "this field's type does not implement `qfpay::ParamValue`",
    note = "QFPay parameters are flat text: use a string, an integer, `Option<T>` or a type of `qfpay::types` (wrap structured values in `qfpay::types::Json<T>`, lists in `qfpay::api::CommaSeparated<T>`), or implement `qfpay::ParamValue` for your type"
)]
pub trait ParamValue {
    /// Writes this value as the parameter `name` into `out` (or nothing, to omit it).
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S);
}

impl ParamValue for str {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self);
    }
}

impl ParamValue for String {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self);
    }
}

impl ParamValue for Cow<'_, str> {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self);
    }
}

impl ParamValue for Box<str> {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, self);
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        (**self).write_param(name, out);
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    #[inline]
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        if let Some(value) = self {
            value.write_param(name, out);
        }
    }
}

macro_rules! integer_params {
    ($($t:ty)*) => {$(
        impl ParamValue for $t {
            #[inline(always)]
            fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
                out.pair(name, itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
integer_params!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(String, String)>);
    impl PairSink for Collect {
        fn pair(&mut self, name: &str, value: &str) {
            self.0.push((name.into(), value.into()));
        }
    }

    #[test]
    fn option_none_writes_nothing_and_some_writes_inner() {
        let mut c = Collect::default();
        None::<u32>.write_param("a", &mut c);
        Some(-42i64).write_param("b", &mut c);
        Some("x").write_param("c", &mut c);
        assert_eq!(
            c.0,
            vec![("b".into(), "-42".into()), ("c".into(), "x".into())]
        );
    }
}
