//! What the builders `#[qf_endpoint]` generates use at run time: the markers
//! of a required field not yet set and set, its value at `build()`, and the
//! argument of an optional field's setter. Reached by generated code through `__private_v…`; the markers also
//! from `qfpay::api::builders`, to name a partly filled builder.

/// The state of a required field of a builder before its setter is called.
#[derive(Clone, Copy, Debug)]
pub struct Unset;

/// The state of a required field of a builder once its setter is called.
#[derive(Clone, Copy, Debug)]
pub struct Set;

/// Only [`Unset`]: a required field's setter asks it of the field's state,
/// so that the field is set once.
#[diagnostic::on_unimplemented(
    message = "this required field is already set",
    label = "set a second time here"
)]
pub trait IsUnset {}

// Not recommended in diagnostics: "implemented for `Unset`" would only
// repeat the message in the builder's internal terms.
#[diagnostic::do_not_recommend]
impl IsUnset for Unset {}

/// A required field's value at `build()`.
///
/// The builder keeps every value in an `Option` until `build()`, so that a
/// setter only moves them and changes one marker type (cheaper to compile
/// than a builder whose values change type). `build()` exists only once
/// every required field's marker is [`Set`], which only its setter does,
/// after storing `Some`; the builder's fields are private, so `None` cannot
/// reach here through its API.
#[inline(always)]
pub fn take<T>(value: Option<T>) -> T {
    match value {
        Some(value) => value,
        None => unreachable!("a builder's required field is marked set without a value"),
    }
}

/// An optional field's setter argument: a value that converts into the
/// field's type (`"tea"` for an `Option<String>`), or an `Option` of that
/// type (`None`, or an `Option<GoodsName>` read from a database).
///
/// `M` only tells the two apart ([`ViaInto`] or [`ViaOption`]); the compiler
/// infers it from the argument.
#[diagnostic::on_unimplemented(
    message = "an optional field of type `Option<{T}>` takes a value that converts into `{T}`, or an `Option<{T}>`; not `{Self}`",
    label = "expected something that converts into `{T}`, or an `Option<{T}>`"
)]
pub trait OptionArg<T, M> {
    /// The field's new value.
    fn into_option(self) -> Option<T>;
}

/// [`OptionArg`] for a value: `Some(value.into())`.
pub enum ViaInto {}

/// [`OptionArg`] for an `Option` of the field's type, taken as it is.
pub enum ViaOption {}

// Not recommended in diagnostics: an `Option<&str>` for an `Option<String>`
// field is then reported with `OptionArg`'s message, not as a missing
// `From<Option<&str>> for String`.
#[diagnostic::do_not_recommend]
impl<T, V: Into<T>> OptionArg<T, ViaInto> for V {
    #[inline]
    fn into_option(self) -> Option<T> {
        Some(self.into())
    }
}

impl<T> OptionArg<T, ViaOption> for Option<T> {
    #[inline]
    fn into_option(self) -> Option<T> {
        self
    }
}
