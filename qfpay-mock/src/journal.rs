//! The SQLite side of a state file (feature `state`): one table of
//! *(kind, id, body)* rows, upserted; see `persist` for what goes in.
//!
//! WAL mode with `synchronous=NORMAL`: a committed write survives the mock
//! process being killed (the operating system has it), not a power loss or
//! a kernel crash, which may lose the last transactions — the right trade
//! for a test server, and what keeps a write at a few microseconds.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use crate::error::MockError;
use crate::persist::{Change, Record};
use crate::state::lock;

/// `PRAGMA user_version` of the layout below; a file of another version is refused.
const VERSION: i64 = 1;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS record (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
)";

// An upsert updates the row in place: it keeps its rowid, so loading by
// rowid gives the order of first saves (the store's creation order).
const UPSERT: &str = "INSERT INTO record (kind, id, body) VALUES (?1, ?2, ?3)
    ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body";

const DELETE: &str = "DELETE FROM record WHERE kind = ?1 AND id = ?2";

const LOAD: &str = "SELECT id, body FROM record WHERE kind = ?1 ORDER BY rowid";

/// An open state file.
pub(crate) struct Journal {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Dropped with the journal: stops the checkpointer.
    _checkpointer: mpsc::Sender<()>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    /// Opens (or creates) the state file at `path`.
    pub fn open(path: &Path) -> Result<Journal, MockError> {
        let err = |e: rusqlite::Error| state_error(path, e);
        let conn = Connection::open(path).map_err(err)?;
        // A server still shutting down may hold the file for a moment.
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(state_error(path, format!("journal mode {mode}, not WAL")));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        // No checkpoint in a write (it syncs the file: 40 µs a write instead
        // of 16 here); `checkpoints` copies the log into the file instead.
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(err)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(err)?;
        // Anything in a file of version 0 is someone else's database.
        let empty = conn
            .query_row("SELECT 1 FROM sqlite_master LIMIT 1", [], |_| Ok(()))
            .optional()
            .map_err(err)?
            .is_none();
        match (version, empty) {
            (VERSION, _) => {}
            (0, true) => {
                conn.execute_batch(SCHEMA).map_err(err)?;
                conn.pragma_update(None, "user_version", VERSION)
                    .map_err(err)?;
            }
            _ => {
                return Err(state_error(
                    path,
                    format!(
                        "not a qfpay-mock state file of version {VERSION} (user_version {version})"
                    ),
                ));
            }
        }
        let checkpoint = Connection::open(path).map_err(err)?;
        checkpoint
            .busy_timeout(Duration::from_secs(5))
            .map_err(err)?;
        let (stop, stopped) = mpsc::channel();
        std::thread::Builder::new()
            .name("qfpay-mock state checkpoints".into())
            .spawn(move || checkpoints(&checkpoint, &stopped))
            .map_err(|e| state_error(path, e))?;
        Ok(Journal {
            conn: Mutex::new(conn),
            path: path.to_owned(),
            _checkpointer: stop,
        })
    }

    /// Applies `changes` in one transaction.
    pub fn write(&self, changes: &[Change]) -> Result<(), MockError> {
        let err = |e: rusqlite::Error| state_error(&self.path, e);
        let mut conn = lock(&self.conn);
        let tx = conn.transaction().map_err(err)?;
        {
            let mut upsert = tx.prepare_cached(UPSERT).map_err(err)?;
            let mut delete = tx.prepare_cached(DELETE).map_err(err)?;
            for c in changes {
                match &c.body {
                    Some(body) => upsert.execute((c.kind, &c.id, body)),
                    None => delete.execute((c.kind, &c.id)),
                }
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Every record of kind `R`, in the order of first saves.
    pub fn load<R: Record>(&self) -> Result<Vec<R>, MockError> {
        let err = |e: rusqlite::Error| state_error(&self.path, e);
        let conn = lock(&self.conn);
        let mut select = conn.prepare(LOAD).map_err(err)?;
        let rows = select
            .query_map([R::KIND], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(err)?;
        let mut records = Vec::new();
        for row in rows {
            let (id, body) = row.map_err(err)?;
            let record = serde_json::from_str(&body).map_err(|e| {
                state_error(&self.path, format!("{} {id} cannot be read: {e}", R::KIND))
            })?;
            records.push(record);
        }
        Ok(records)
    }
}

/// Copies the write-ahead log into the database twice a second (without
/// blocking writers) until the journal is dropped, so the log stays small.
fn checkpoints(conn: &Connection, stopped: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) =
        stopped.recv_timeout(Duration::from_millis(500))
    {
        // A failed checkpoint is tried again at the next; writes go on.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

fn state_error(path: &Path, e: impl std::fmt::Display) -> MockError {
    MockError::State(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Hold {
        id: String,
        amount: u64,
    }

    impl Record for Hold {
        const KIND: &'static str = "hold";
        fn id(&self) -> Cow<'_, str> {
            Cow::Borrowed(&self.id)
        }
    }

    fn put<R: Record>(j: &Journal, r: &R) {
        j.write(&[Change::put(r).unwrap()]).unwrap();
    }

    fn hold(id: &str, amount: u64) -> Hold {
        Hold {
            id: id.into(),
            amount,
        }
    }

    #[test]
    fn records_round_trip_replaced_in_place_and_removed_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        {
            let j = Journal::open(&path).unwrap();
            assert_eq!(j.load::<Hold>().unwrap(), []);
            put(&j, &hold("b", 1));
            put(&j, &hold("a", 2));
            // A second save of `b` replaces it and keeps its place.
            put(&j, &hold("b", 3));
            put(&j, &hold("c", 4));
            j.write(&[Change::remove::<Hold>("c".into())]).unwrap();
        }
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.load::<Hold>().unwrap(), [hold("b", 3), hold("a", 2)]);
    }

    #[test]
    fn kinds_are_separate_namespaces() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Other(String);
        impl Record for Other {
            const KIND: &'static str = "other";
            fn id(&self) -> Cow<'_, str> {
                Cow::Borrowed(&self.0)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("s")).unwrap();
        put(&j, &hold("x", 1));
        put(&j, &Other("x".into()));
        assert_eq!(j.load::<Hold>().unwrap(), [hold("x", 1)]);
        assert_eq!(j.load::<Other>().unwrap(), [Other("x".into())]);
    }

    #[test]
    fn refuses_a_file_that_is_not_a_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = Journal::open(&path).unwrap_err().to_string();
        assert!(err.contains("not a qfpay-mock state file"), "{err}");
        assert!(err.contains("other.sqlite"), "{err}");

        let text = dir.path().join("text");
        std::fs::write(&text, "not a database at all, just some text here").unwrap();
        let err = Journal::open(&text).unwrap_err().to_string();
        assert!(err.contains("text"), "{err}");
    }

    #[test]
    fn an_unreadable_body_names_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let j = Journal::open(&path).unwrap();
        lock(&j.conn)
            .execute(UPSERT, ("hold", "h1", "{\"id\": 3}"))
            .unwrap();
        let err = j.load::<Hold>().unwrap_err().to_string();
        assert!(err.contains("hold h1 cannot be read"), "{err}");
    }
}
