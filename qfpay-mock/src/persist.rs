//! State that survives a restart: with a state file
//! ([`crate::MockServerBuilder::state_file`], feature `state`), every record
//! the mock keeps — orders (payments and refunds), notifications with their
//! delivery attempts, holds, intents, customs declarations, the recurring
//! API's records, and any other kind that implements [`Record`] — is
//! written through to the file as *(kind, id, JSON body)*: queued under the
//! lock of the in-memory change (so in its order), committed by the
//! journal's writer together with the other writes queued meanwhile (see
//! `journal`), and waited for before the reply goes out, so whatever a
//! client was answered is on disk. At start the records are read back and the
//! in-memory state (indexes included) is rebuilt from them. Without a state
//! file nothing here costs anything: no change is tracked, nothing is
//! serialised.
//!
//! One mechanism for every kind: a module with state of its own makes its
//! records [`Record`]s, calls [`Shared::save`] under its own lock after each
//! change, and reads them back with [`Shared::load`] at start.

use std::borrow::Cow;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::customs::Declaration;
use crate::error::MockError;
use crate::intent::Intent;
use crate::notification::Notification;
use crate::preauth::Hold;
use crate::recurring::Recurring;
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

/// A write to a state file: a record's new body, or its removal.
// Without the `state` feature nothing reads a change.
#[cfg_attr(not(feature = "state"), allow(dead_code))]
pub(crate) struct Change {
    pub kind: &'static str,
    pub id: String,
    /// `None` removes the record.
    pub body: Option<String>,
}

impl Change {
    /// Saves `record`.
    pub fn put<R: Record>(record: &R) -> Result<Change, MockError> {
        let id = record.id().into_owned();
        let body = serde_json::to_string(record)
            .map_err(|e| MockError::State(format!("{} {id} cannot be written: {e}", R::KIND)))?;
        Ok(Change {
            kind: R::KIND,
            id,
            body: Some(body),
        })
    }

    /// Removes the record of kind `R` with this id.
    pub fn remove<R: Record>(id: String) -> Change {
        Change {
            kind: R::KIND,
            id,
            body: None,
        }
    }
}

/// How far the mock clock was advanced: one record, saved at each advance.
#[derive(Serialize, Deserialize)]
pub(crate) struct ClockOffset {
    offset: Duration,
}

impl Record for ClockOffset {
    const KIND: &'static str = "clock";
    fn id(&self) -> Cow<'_, str> {
        Cow::Borrowed("offset")
    }
}

/// A write through to the state file on its way (see [`Shared::commit_queued`]).
#[must_use = "the write is only known to be in the file once waited for"]
pub(crate) struct Written {
    #[cfg(feature = "state")]
    committed: Option<crate::journal::Committed>,
}

impl Written {
    /// Nothing to wait for (no state file, or nothing changed).
    pub const NOTHING: Written = Written {
        #[cfg(feature = "state")]
        committed: None,
    };

    /// Resolves once the write is committed to the state file.
    pub async fn wait(self) -> Result<(), MockError> {
        #[cfg(feature = "state")]
        if let Some(committed) = self.committed {
            return committed.wait().await;
        }
        Ok(())
    }
}

impl Shared {
    /// Queues `records` for the state file, if there is one, and returns
    /// at once: for what nobody is told about when it changes (a
    /// notification's delivery). Call it under the lock of the change it
    /// records, so that two changes of one record reach the file in their
    /// order.
    pub fn save<'a, R: Record + 'a>(
        &self,
        records: impl IntoIterator<Item = &'a R>,
    ) -> Result<(), MockError> {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            let changes = records
                .into_iter()
                .map(Change::put)
                .collect::<Result<Vec<_>, _>>()?;
            if !changes.is_empty() {
                return journal.queue(changes);
            }
        }
        let _ = records;
        Ok(())
    }

    /// Saves the mock clock's offset (after an advance), returning once it
    /// is in the file.
    pub fn save_clock(&self) -> Result<(), MockError> {
        if !self.has_state_file() {
            return Ok(());
        }
        let clock = ClockOffset {
            offset: self.clock.offset(),
        };
        self.write(vec![Change::put(&clock)?])
    }

    /// Writes `changes` and returns once they are committed.
    fn write(&self, changes: Vec<Change>) -> Result<(), MockError> {
        if changes.is_empty() {
            return Ok(());
        }
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            return journal.write(changes);
        }
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

    /// Writes what changed in the store (transactions, and the records of
    /// each table) through, in one transaction, and returns once it is
    /// committed; call it before releasing the store's lock (so that the
    /// changes reach the file in their order). For the control API and the
    /// Rust API; a request's reply uses [`Shared::commit_queued`].
    pub fn commit(&self, store: &mut Store) -> Result<(), MockError> {
        if !self.has_state_file() {
            return Ok(());
        }
        self.write(store_changes(store)?)
    }

    /// Like [`Shared::commit`], but returns as soon as the changes are
    /// queued: release the store's lock, then wait for the [`Written`]
    /// before replying, so that concurrent requests share a commit.
    pub fn commit_queued(&self, store: &mut Store) -> Result<Written, MockError> {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            let changes = store_changes(store)?;
            if !changes.is_empty() {
                return Ok(Written {
                    committed: Some(journal.queue_awaited(changes)?),
                });
            }
        }
        let _ = store;
        Ok(Written::NOTHING)
    }

    /// Returns once everything queued for the state file so far is in it
    /// (blocking the thread meanwhile): for the control API and the Rust
    /// API after the notifications of a change are queued. Whether those
    /// writes failed is not told (as for [`Shared::save`]).
    pub fn flush(&self) {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            journal.flush();
        }
    }

    /// Resolves once everything queued for the state file so far is in it
    /// (at once without a state file or when nothing is pending): a reply
    /// waits for it, so that nothing it reports (another request's change,
    /// a notification queued since) can be lost after it is sent.
    pub fn synced(&self) -> Written {
        #[cfg(feature = "state")]
        if let Some(journal) = &self.journal {
            return Written {
                committed: journal.synced(),
            };
        }
        Written::NOTHING
    }
}

/// What changed in the store since the last call (transactions, and the
/// records of each table), as writes.
fn store_changes(store: &mut Store) -> Result<Vec<Change>, MockError> {
    let mut changes = store
        .take_changed()
        .into_iter()
        .map(Change::put)
        .collect::<Result<Vec<_>, _>>()?;
    // Each table of the store, once.
    store.holds.take_changes(&mut changes)?;
    store.intents.take_changes(&mut changes)?;
    store.customs.take_changes(&mut changes)?;
    store.recurring.take_changes(&mut changes)?;
    Ok(changes)
}

/// Rebuilds the orders, the tables (the recurring ones with their billing
/// index), the notifications and the clock from the state file (nothing
/// without one) and, with one, starts tracking the store's changes. Returns whether there was anything to restore.
pub(crate) fn restore(shared: &Shared) -> Result<bool, MockError> {
    if !shared.has_state_file() {
        return Ok(false);
    }
    let txs: Vec<Tx> = shared.load()?;
    let holds: Vec<Hold> = shared.load()?;
    let intents: Vec<Intent> = shared.load()?;
    let customs: Vec<Declaration> = shared.load()?;
    let notifications: Vec<Notification> = shared.load()?;
    let recurring = Recurring::load(shared)?;
    let restored = !txs.is_empty()
        || !recurring.is_empty()
        || !notifications.is_empty()
        || !holds.is_empty()
        || !intents.is_empty()
        || !customs.is_empty();
    if let Some(clock) = shared.load::<ClockOffset>()?.pop() {
        shared.clock.set_offset(clock.offset);
    }
    let mut store = lock(&shared.store);
    for tx in txs {
        store.insert(tx);
    }
    for hold in holds {
        store.holds.put(hold);
    }
    for intent in intents {
        store.intents.put(intent);
    }
    for declaration in customs {
        store.customs.put(declaration);
    }
    store.recurring = recurring;
    store.track_changes();
    *lock(&shared.notifications) = notifications;
    Ok(restored)
}
