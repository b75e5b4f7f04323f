//! Why a framework extractor refused a notification: one type for every
//! framework, generic over the framework's body-read error.

use super::NotifyError;

/// Why `VerifiedNotification` refused a request; the framework's response
/// is a short plain-text reason with the status of
/// [`NotificationRejection::http_status`].
///
/// `E` is the framework's error for a body that could not be read
/// (`axum::Error`, actix-web's `PayloadError`): the axum and actix modules
/// each name their instance `NotificationRejection`. The reason never
/// contains the body or the key.
#[derive(Debug)]
#[non_exhaustive]
pub enum NotificationRejection<E> {
    /// The request failed verification (or its body was too large or not JSON).
    Invalid(NotifyError),
    /// The body could not be read (the client went away, a broken chunked
    /// encoding, …).
    BodyUnreadable(E),
    /// No [`Verifier`](super::Verifier) is configured where the framework
    /// looks for one (actix-web's app data; axum's state type guarantees
    /// one): a configuration error of the receiver.
    NoVerifier,
}

impl<E> std::fmt::Display for NotificationRejection<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotificationRejection::Invalid(error) => error.fmt(f),
            NotificationRejection::BodyUnreadable(_) => {
                f.write_str("failed to read the notification body")
            }
            NotificationRejection::NoVerifier => f.write_str(
                "no qfpay::notify::Verifier is configured for the notification receiver",
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for NotificationRejection<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the verification error's own source.
            NotificationRejection::Invalid(error) => error.source(),
            NotificationRejection::BodyUnreadable(error) => Some(error),
            NotificationRejection::NoVerifier => None,
        }
    }
}

impl<E> From<NotifyError> for NotificationRejection<E> {
    fn from(error: NotifyError) -> Self {
        NotificationRejection::Invalid(error)
    }
}

impl<E> NotificationRejection<E> {
    /// 413 (too large), 401 (missing, malformed or wrong signature), 400
    /// (not JSON, unreadable body) or 500 (no verifier, an empty key).
    pub fn http_status(&self) -> u16 {
        match self {
            NotificationRejection::Invalid(error) => error.http_status(),
            NotificationRejection::BodyUnreadable(_) => 400,
            NotificationRejection::NoVerifier => 500,
        }
    }

    /// The verification error, if that is why the request was refused.
    pub fn notify_error(&self) -> Option<&NotifyError> {
        match self {
            NotificationRejection::Invalid(error) => Some(error),
            _ => None,
        }
    }
}

impl<E> NotificationRejection<E>
where
    Self: std::fmt::Display,
{
    /// `result` as it is, a refusal logged as a warning first: worth a
    /// look (a wrong key, or someone probing the endpoint).
    pub(crate) fn logged<T>(result: Result<T, Self>) -> Result<T, Self> {
        if let Err(rejection) = &result {
            tracing::warn!(
                status = rejection.http_status(),
                reason = %rejection,
                "qfpay: notification refused"
            );
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        type R = NotificationRejection<std::io::Error>;
        assert_eq!(R::from(NotifyError::MissingSignature).http_status(), 401);
        assert_eq!(
            R::BodyUnreadable(std::io::Error::other("gone")).http_status(),
            400
        );
        assert_eq!(R::NoVerifier.http_status(), 500);
        assert!(R::NoVerifier.notify_error().is_none());
    }
}
