//! One configured verifier for every key a receiver accepts notifications
//! signed with (a merchant with several app codes), shared by the framework
//! extractors.

use std::fmt;
use std::sync::Arc;

use super::event::Notification;
use super::verify::{NotifyError, verify_signature};
use crate::ClientKey;

/// Verifies notifications against one or several client keys.
///
/// A merchant with several app codes receives notifications signed with
/// each one's key, at one URL, and QFPay's request does not say which app
/// it is for: the verifier tries each key (each comparison in constant time)
/// and tells which app code's key matched. The framework extractors
/// (`notify::axum`, `notify::actix`) take one from the application's state.
///
/// Cheap to clone (the keys are shared); its `Debug` shows the app codes,
/// never a key.
///
/// ```
/// use qfpay::ClientKey;
/// use qfpay::notify::{NotifyError, Verifier};
///
/// let verifier = Verifier::new()
///     .key("APPCODE-SHOP", ClientKey::new("KEY-OF-THE-SHOP-0000"))
///     .key("APPCODE-ONLINE", ClientKey::new("TESTKEY0123456789"));
/// // Reference §22.3's vector, signed with the second key.
/// let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
/// let sign = Some("EF25A73D6EA314AA0C6F58CEE0A28C05");
/// assert_eq!(verifier.verify_signature(body, sign)?, "APPCODE-ONLINE");
/// let event = verifier.verify(body, sign)?;
/// # let _ = event;
/// assert!(matches!(
///     verifier.verify(&body[1..], sign),
///     Err(NotifyError::BadSignature)
/// ));
/// # Ok::<(), NotifyError>(())
/// ```
#[derive(Clone, Default)]
pub struct Verifier {
    keys: Arc<Vec<(String, ClientKey)>>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("app_codes", &self.app_codes().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl From<ClientKey> for Verifier {
    /// A verifier with one key (its app code left empty).
    fn from(key: ClientKey) -> Self {
        Verifier::new().key("", key)
    }
}

impl Verifier {
    /// A verifier with no key yet: it accepts nothing
    /// ([`NotifyError::EmptyKey`]) until [`key`](Self::key) adds one.
    pub fn new() -> Self {
        Verifier::default()
    }

    /// Accepts notifications signed with `key`, the client key of `app_code`.
    pub fn key(mut self, app_code: impl Into<String>, key: ClientKey) -> Self {
        Arc::make_mut(&mut self.keys).push((app_code.into(), key));
        self
    }

    /// The app codes whose keys are configured, in the order added.
    pub fn app_codes(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(app_code, _)| app_code.as_str())
    }

    /// Checks the signature as [`super::verify_signature`] does, against
    /// each configured key, and returns the app code whose key matched.
    ///
    /// [`NotifyError::BadSignature`] when no key matches; the size, header
    /// and empty-key errors are the same whatever the key, and returned at
    /// once. No key configured is [`NotifyError::EmptyKey`].
    pub fn verify_signature(
        &self,
        raw_body: &[u8],
        x_qf_sign: Option<&str>,
    ) -> Result<&str, NotifyError> {
        if self.keys.is_empty() {
            return Err(NotifyError::EmptyKey);
        }
        for (app_code, key) in self.keys.iter() {
            match verify_signature(raw_body, x_qf_sign, key) {
                Ok(()) => return Ok(app_code),
                Err(NotifyError::BadSignature) => continue,
                Err(other) => return Err(other),
            }
        }
        Err(NotifyError::BadSignature)
    }

    /// Verifies and parses a notification: [`super::verify`] against every
    /// configured key.
    pub fn verify(
        &self,
        raw_body: &[u8],
        x_qf_sign: Option<&str>,
    ) -> Result<Notification, NotifyError> {
        self.verify_signature(raw_body, x_qf_sign)?;
        Notification::from_json(raw_body).map_err(|source| NotifyError::InvalidJson { source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignType, Signature};

    const BODY: &[u8] = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;

    fn sign(key: &str) -> String {
        Signature::compute(SignType::Md5, BODY, &ClientKey::new(key)).to_string()
    }

    #[test]
    fn each_key_is_tried_and_the_matching_app_code_told() {
        let v = Verifier::new()
            .key("A", ClientKey::new("KEY-A-000000"))
            .key("B", ClientKey::new("KEY-B-000000"));
        assert_eq!(
            v.verify_signature(BODY, Some(&sign("KEY-A-000000")))
                .unwrap(),
            "A"
        );
        assert_eq!(
            v.verify_signature(BODY, Some(&sign("KEY-B-000000")))
                .unwrap(),
            "B"
        );
        assert!(matches!(
            v.verify_signature(BODY, Some(&sign("KEY-C-000000"))),
            Err(NotifyError::BadSignature)
        ));
        assert!(matches!(
            v.verify_signature(BODY, None),
            Err(NotifyError::MissingSignature)
        ));
        let debug = format!("{v:?}");
        assert!(
            debug.contains("\"A\"") && !debug.contains("KEY-A"),
            "{debug}"
        );
    }

    #[test]
    fn no_key_or_an_empty_key_accepts_nothing() {
        let s = sign("");
        assert!(matches!(
            Verifier::new().verify_signature(BODY, Some(&s)),
            Err(NotifyError::EmptyKey)
        ));
        let v = Verifier::from(ClientKey::new(""));
        assert!(matches!(
            v.verify_signature(BODY, Some(&s)),
            Err(NotifyError::EmptyKey)
        ));
        // The message says what to do for either mistake.
        let message = NotifyError::EmptyKey.to_string();
        assert!(message.contains("empty") && message.contains(".key(app_code, key)"));
    }
}
