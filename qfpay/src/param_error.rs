//! Why a request's parameters cannot be sent. A leaf: value types, the
//! encoder and the client all name these.

use std::borrow::Cow;

/// A parameter value that breaks a documented limit, refused before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{name}`: {reason}")]
pub struct InvalidParam {
    /// Wire name of the parameter.
    pub name: &'static str,
    /// Why it was refused.
    pub reason: Cow<'static, str>,
}

/// A parameter the client wanted to add (`mchid`) that the request already has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{name}` is set on the request and also configured on the client")]
pub struct DuplicateParam {
    /// Wire name of the parameter.
    pub name: &'static str,
}

/// Why a request could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field's value broke a documented limit.
    #[error(transparent)]
    Rejected(#[from] InvalidParam),
    /// A parameter was given twice.
    #[error(transparent)]
    Duplicate(#[from] DuplicateParam),
}
