//! Why a request's parameters cannot be sent. A leaf: value types, the
//! encoder and the client all name these.

use std::borrow::Cow;
use std::fmt;

use crate::variant_from::variant_from;

/// A parameter value that breaks a documented limit, refused before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidParam {
    /// Wire name of the parameter.
    pub name: &'static str,
    /// Why it was refused.
    pub reason: Cow<'static, str>,
}

/// A parameter the client wanted to add (`mchid`) that the request already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateParam {
    /// Wire name of the parameter.
    pub name: &'static str,
}

/// Why a request could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field's value broke a documented limit.
    Rejected(InvalidParam),
    /// A parameter was given twice.
    Duplicate(DuplicateParam),
}

// The error types of this crate implement `Display` and `Error` by hand
// rather than through `thiserror`: its proc macro is ~1 s of every user's
// cold build (BENCHMARKS.md, "Cold build of a minimal app").

impl fmt::Display for InvalidParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: {}", self.name, self.reason)
    }
}

impl std::error::Error for InvalidParam {}

impl fmt::Display for DuplicateParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "parameter `{}` is set on the request and also configured on the client",
            self.name
        )
    }
}

impl std::error::Error for DuplicateParam {}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Rejected(error) => error.fmt(f),
            EncodeError::Duplicate(error) => error.fmt(f),
        }
    }
}

// Transparent: the message and the source are the inner error's.
impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::Rejected(error) => error.source(),
            EncodeError::Duplicate(error) => error.source(),
        }
    }
}

variant_from!(EncodeError {
    Rejected(InvalidParam),
    Duplicate(DuplicateParam),
});
