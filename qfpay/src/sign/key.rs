//! The client key: a secret that signs requests and verifies replies and
//! notifications, and is never shown.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The client key used to sign requests and verify notifications.
///
/// Its `Debug` output is redacted and it has no `Display`; the memory is
/// zeroed on drop.
///
/// ```
/// let key = qfpay::ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
/// assert_eq!(format!("{key:?}"), "ClientKey(<redacted>)");
/// ```
#[derive(Clone)]
pub struct ClientKey(SecretString);

impl ClientKey {
    /// Wraps a client key.
    pub fn new(key: impl Into<String>) -> Self {
        ClientKey(SecretString::from(key.into()))
    }

    /// Whether the key is empty (an empty key can never produce a valid signature).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }

    /// The key's bytes, for the hash only.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.expose_secret().as_bytes()
    }
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientKey(<redacted>)")
    }
}
