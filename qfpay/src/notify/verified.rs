//! The verified notification the framework extractors hand to a handler:
//! one type, whichever framework extracted it.

use super::Notification;

/// A notification whose signature was verified: the extractor of
/// [`notify::axum`](super::axum) (feature `axum`) and
/// [`notify::actix`](super::actix) (feature `actix`).
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedNotification(pub Notification);

impl VerifiedNotification {
    /// The event.
    pub fn into_inner(self) -> Notification {
        self.0
    }
}

impl std::ops::Deref for VerifiedNotification {
    type Target = Notification;
    fn deref(&self) -> &Notification {
        &self.0
    }
}
