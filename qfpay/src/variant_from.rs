//! `From` conversions that wrap a value in one variant of an enum (the
//! errors' `?` conversions, `PaymentRef`'s identifiers): one line each.

/// `variant_from!(Enum { Variant(Type), … })` implements `From<Type> for
/// Enum` as `Enum::Variant(value)` for each pair.
macro_rules! variant_from {
    ($enum:ident { $($variant:ident($from:ty)),* $(,)? }) => {$(
        impl From<$from> for $enum {
            fn from(value: $from) -> Self {
                $enum::$variant(value)
            }
        }
    )*};
}

pub(crate) use variant_from;
