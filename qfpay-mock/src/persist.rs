//! State that survives a restart: with a state file
//! ([`crate::MockServerBuilder::state_file`], feature `state`), every record
//! the mock keeps — orders (payments and refunds), notifications with their
//! delivery attempts, and any other kind that implements [`Record`] — is
//! written through to the file as *(kind, id, JSON body)*, under the lock of
//! the in-memory change and before the reply goes out, so whatever a client
//! was answered is on disk. At start the records are read back and the
//! in-memory state (indexes included) is rebuilt from them. Without a state
//! file nothing here costs anything: no change is tracked, nothing is
//! serialised.
//!
//! One mechanism for every kind: a module with state of its own makes its
//! records [`Record`]s, calls [`Shared::save`] under its own lock after each
//! change, and reads them back with [`Shared::load`] at start.

use std::borrow::Cow;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::MockError;
use crate::notification::Notification;
use crate::state::{Shared, lock};
use crate::store::{Store, Tx};

/// A record saved in a state file, by kind and id: saving a record whose
/// kind and id are already there replaces it (keeping its place in the
/// load order, which is the order of first saves).
// Without the `state` feature nothing reads a record's kind or id.
#[cfg_attr(not(feature = "state"), allow(dead_code))]
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// The kind of record: one namespace of ids (e.g. `order`).
    const KIND: &'static str;
    /// Its id within its kind.
    fn id(&self) -> Cow<'_, str>;
}

impl Shared {
    /// Writes `records` through to the state file, if there is one, in one
    /// transaction. Call it under the lock of the change it records, so
    /// that two changes of one record reach the file in their order.
    pub fn save<'a, R: Record + 'a>(
        &self,
        records: impl IntoIterator<Item = &'a R>,
    ) -> Result<(), MockError> {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            return journal.put_all(records);
        }
        let _ = records;
        Ok(())
    }

    /// Every record of kind `R` in the state file, in the order they were
    /// first saved; none without a state file.
    pub fn load<R: Record>(&self) -> Result<Vec<R>, MockError> {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            return journal.load();
        }
        Ok(Vec::new())
    }

    /// Whether a state file keeps this server's state.
    pub fn has_state_file(&self) -> bool {
        #[cfg(feature = "state")]
        return self.journal.is_some();
        #[cfg(not(feature = "state"))]
        false
    }

    /// Writes the store's changed transactions through (see [`Shared::save`]);
    /// call it before releasing the store's lock.
    pub fn commit(&self, store: &mut Store) -> Result<(), MockError> {
        self.save(store.take_changed())
    }
}

/// Rebuilds the orders and notifications from the state file (nothing
/// without one) and, with one, starts tracking the store's changes.
/// Returns whether there was anything to restore.
pub(crate) fn restore(shared: &Shared) -> Result<bool, MockError> {
    if !shared.has_state_file() {
        return Ok(false);
    }
    let txs: Vec<Tx> = shared.load()?;
    let notifications: Vec<Notification> = shared.load()?;
    let restored = !txs.is_empty() || !notifications.is_empty();
    let mut store = lock(&shared.store);
    for tx in txs {
        store.insert(tx);
    }
    store.track_changes();
    *lock(&shared.notifications) = notifications;
    Ok(restored)
}
