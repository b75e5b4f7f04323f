//! The SQLite side of a state file (feature `state`): one table of
//! *(kind, id, body)* rows, upserted; see `persist` for what goes in.
//!
//! WAL mode with `synchronous=NORMAL`: a committed write survives the mock
//! process being killed (the operating system has it), not a power loss or
//! a kernel crash, which may lose the last transactions — the right trade
//! for a test server, and what keeps a write at a few microseconds.
//!
//! **Group commit.** One thread, the writer, applies the writes: it takes
//! every write queued since its last transaction and commits them all in
//! one, then tells each write's waiter. Writes are queued in the order of
//! the changes they record (under the lock of the change), and applied in
//! that order. A request whose reply waits for its write waits for the
//! transaction holding it, so what a client was answered is still on disk
//! when it hears it; but concurrent requests share one commit instead of
//! paying one each.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension};
use tokio::sync::oneshot;

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

/// What a write's committing transaction ended with (the error's text).
type Outcome = Result<(), String>;

/// Who waits for a write to be committed.
enum Waiter {
    /// Nobody (a notification's delivery, the clock's tick).
    None,
    /// A task (a request's reply).
    Task(oneshot::Sender<Outcome>),
    /// A thread (the control API and the Rust API, which are not async).
    Thread(mpsc::SyncSender<Outcome>),
}

/// A write on its way to the writer.
struct Write {
    changes: Vec<Change>,
    waiter: Waiter,
}

/// A queued write's commit, awaited by a task: see [`Journal::queue`].
pub(crate) struct Committed(oneshot::Receiver<Outcome>);

impl Committed {
    /// Waits for the transaction holding the write.
    pub async fn wait(self) -> Result<(), MockError> {
        self.0
            .await
            .map_err(|_| MockError::State("writer stopped before committing".into()))?
            .map_err(MockError::State)
    }
}

/// An open state file.
pub(crate) struct Journal {
    /// Read at start (`load`); written by the writer thread only.
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    /// To the writer; `None` once dropped (which stops the writer).
    queue: Option<mpsc::Sender<Write>>,
    /// Writes with changes queued and not yet committed.
    pending: Arc<AtomicUsize>,
    writer: Option<JoinHandle<()>>,
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
        // No checkpoint inside a commit (it syncs the files: a stall of
        // milliseconds for every request waiting on the writer);
        // `checkpoints` copies the log into the database on its own thread,
        // and the writer finishes the copy now and then (`writer`).
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(err)?;
        // The log's file, once written from its start again, is cut back to
        // 64 MiB (its size is what one second of payments writes).
        conn.pragma_update(None, "journal_size_limit", 64 << 20)
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
        let conn = Arc::new(Mutex::new(conn));
        let pending = Arc::new(AtomicUsize::new(0));
        let (queue, queued) = mpsc::channel();
        let writer = {
            let (conn, pending, at) = (Arc::clone(&conn), Arc::clone(&pending), path.to_owned());
            std::thread::Builder::new()
                .name("qfpay-mock state writer".into())
                .spawn(move || writer(&conn, &at, &queued, &pending))
                .map_err(|e| state_error(path, e))?
        };
        Ok(Journal {
            conn,
            path: path.to_owned(),
            queue: Some(queue),
            pending,
            writer: Some(writer),
            _checkpointer: stop,
        })
    }

    fn send(&self, changes: Vec<Change>, waiter: Waiter) -> Result<(), MockError> {
        let stopped = || state_error(&self.path, "the writer stopped");
        let queue = self.queue.as_ref().ok_or_else(stopped)?;
        let counted = !changes.is_empty();
        if counted {
            self.pending.fetch_add(1, Ordering::SeqCst);
        }
        queue.send(Write { changes, waiter }).map_err(|_| {
            if counted {
                self.pending.fetch_sub(1, Ordering::SeqCst);
            }
            stopped()
        })
    }

    /// Queues `changes` for the writer and returns at once; nobody hears
    /// whether they were committed (a failure shows in the next waited
    /// write's, as the file is then failing).
    pub fn queue(&self, changes: Vec<Change>) -> Result<(), MockError> {
        self.send(changes, Waiter::None)
    }

    /// Queues `changes`; the returned [`Committed`] resolves when the
    /// transaction holding them is committed.
    pub fn queue_awaited(&self, changes: Vec<Change>) -> Result<Committed, MockError> {
        let (done, committed) = oneshot::channel();
        self.send(changes, Waiter::Task(done))?;
        Ok(Committed(committed))
    }

    /// Applies `changes` and returns once they are committed (blocking the
    /// calling thread meanwhile).
    pub fn write(&self, changes: Vec<Change>) -> Result<(), MockError> {
        let (done, committed) = mpsc::sync_channel(1);
        self.send(changes, Waiter::Thread(done))?;
        committed
            .recv()
            .map_err(|_| state_error(&self.path, "the writer stopped"))?
            .map_err(MockError::State)
    }

    /// Resolves once every write queued so until now is committed (at once
    /// when none is pending).
    pub fn synced(&self) -> Option<Committed> {
        if self.pending.load(Ordering::SeqCst) == 0 {
            return None;
        }
        // An empty write behind the others: the writer answers it after
        // the transaction holding the last of them.
        self.queue_awaited(Vec::new()).ok()
    }

    /// Returns once every write queued so far is committed (or failed).
    pub fn flush(&self) {
        if self.pending.load(Ordering::SeqCst) > 0 {
            let _ = self.write(Vec::new());
        }
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

impl Drop for Journal {
    /// Lets the writer commit what is queued, then stops it.
    fn drop(&mut self) {
        self.queue = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// How long a write nobody waits for (a notification's delivery) may wait
/// for one somebody waits for, to share its transaction rather than cost
/// one of its own.
const LINGER: Duration = Duration::from_millis(10);

/// How often the writer completes a checkpoint itself: `checkpoints`, on
/// its own thread, never catches up with a writer that never pauses, and
/// SQLite writes the log from its start again only after a checkpoint
/// that copied all of it — without this the log would grow by some 6 kB a
/// payment for as long as payments keep coming.
const RESTART_EVERY: Duration = Duration::from_secs(1);

/// The writer thread: until the journal is dropped, takes every write
/// queued, commits them in one transaction, and answers their waiters.
/// Writes nobody waits for are held (up to [`LINGER`]) for the next that
/// somebody does.
fn writer(
    conn: &Mutex<Connection>,
    path: &Path,
    queued: &mpsc::Receiver<Write>,
    pending: &AtomicUsize,
) {
    let mut batch: Vec<Write> = Vec::new();
    let mut restarted = Instant::now();
    // When the oldest write of `batch` was taken.
    let mut since = Instant::now();
    loop {
        let next = if batch.is_empty() {
            let next = queued.recv().map_err(|_| RecvTimeoutError::Disconnected);
            since = Instant::now();
            next
        } else {
            queued.recv_timeout(LINGER.saturating_sub(since.elapsed()))
        };
        let stopped = match next {
            Ok(write) => {
                batch.push(write);
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        batch.extend(queued.try_iter());
        let waited = batch.iter().any(|w| !matches!(w.waiter, Waiter::None));
        if waited || stopped || since.elapsed() >= LINGER {
            commit(conn, path, pending, std::mem::take(&mut batch));
            if restarted.elapsed() >= RESTART_EVERY {
                // Between two transactions: copies what `checkpoints` has
                // not yet (little), so the next transaction writes the log
                // from its start again. A failure is tried again next time.
                let _ = lock(conn).query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                restarted = Instant::now();
            }
        }
        if stopped {
            return;
        }
    }
}

/// Commits `batch` in one transaction and answers its waiters.
fn commit(conn: &Mutex<Connection>, path: &Path, pending: &AtomicUsize, batch: Vec<Write>) {
    let counted = batch.iter().filter(|w| !w.changes.is_empty()).count();
    let outcome = apply(conn, path, latest(batch.iter().flat_map(|w| &w.changes)));
    let outcomes: Vec<Outcome> = if outcome.is_err() && counted > 1 {
        // One write's failure must not fail the others': each alone.
        batch
            .iter()
            .map(|w| apply(conn, path, &w.changes))
            .collect()
    } else {
        vec![outcome; batch.len()]
    };
    pending.fetch_sub(counted, Ordering::SeqCst);
    for (write, outcome) in batch.into_iter().zip(outcomes) {
        match write.waiter {
            Waiter::None => {}
            Waiter::Task(done) => {
                let _ = done.send(outcome);
            }
            Waiter::Thread(done) => {
                let _ = done.send(outcome);
            }
        }
    }
}

/// `changes` with each record's later saves folded into its first: what
/// the file ends with is the same (a record keeps the place of its first
/// save), at one upsert a record. A removal is never folded, nor folded
/// into, so a record removed and saved again goes to the end as before.
fn latest<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Vec<&'a Change> {
    let mut kept: Vec<&Change> = Vec::new();
    // (kind, id) -> its place in `kept`, while it is a save.
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    for c in changes {
        let key = (c.kind, c.id.as_str());
        match at.get(&key) {
            Some(&i) if c.body.is_some() => kept[i] = c,
            _ => {
                if c.body.is_some() {
                    at.insert(key, kept.len());
                } else {
                    at.remove(&key);
                }
                kept.push(c);
            }
        }
    }
    kept
}

/// Applies `changes` in one transaction (none without changes).
fn apply<'a>(
    conn: &Mutex<Connection>,
    path: &Path,
    changes: impl IntoIterator<Item = &'a Change>,
) -> Outcome {
    let mut changes = changes.into_iter().peekable();
    if changes.peek().is_none() {
        return Ok(());
    }
    let err = |e: rusqlite::Error| state_text(path, e);
    let mut conn = lock(conn);
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

/// Copies the write-ahead log into the database twice a second (without
/// blocking the writer) until the journal is dropped.
fn checkpoints(conn: &Connection, stopped: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) =
        stopped.recv_timeout(Duration::from_millis(500))
    {
        // A failed checkpoint is tried again at the next; writes go on.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

fn state_error(path: &Path, e: impl std::fmt::Display) -> MockError {
    MockError::State(state_text(path, e))
}

/// What a [`MockError::State`] about `path` says.
fn state_text(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
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
        j.write(vec![Change::put(r).unwrap()]).unwrap();
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
            j.write(vec![Change::remove::<Hold>("c".into())]).unwrap();
        }
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.load::<Hold>().unwrap(), [hold("b", 3), hold("a", 2)]);
    }

    #[test]
    fn queued_writes_are_applied_in_their_order_by_a_flush_and_by_the_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        {
            let j = Journal::open(&path).unwrap();
            for amount in 0..100 {
                j.queue(vec![Change::put(&hold("a", amount)).unwrap()])
                    .unwrap();
            }
            j.flush();
            assert_eq!(j.load::<Hold>().unwrap(), [hold("a", 99)]);
            // Not waited for: the drop lets the writer commit them.
            j.queue(vec![Change::put(&hold("b", 1)).unwrap()]).unwrap();
            j.queue(vec![Change::remove::<Hold>("a".into())]).unwrap();
        }
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.load::<Hold>().unwrap(), [hold("b", 1)]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_awaited_writes_are_all_committed_when_awaited() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let j = Arc::new(Journal::open(&path).unwrap());
        let tasks: Vec<_> = (0..64u64)
            .map(|n| {
                let j = Arc::clone(&j);
                tokio::spawn(async move {
                    let id = format!("h{n:02}");
                    let w = j
                        .queue_awaited(vec![Change::put(&hold(&id, n)).unwrap()])
                        .unwrap();
                    w.wait().await.unwrap();
                    // Committed: another connection sees it.
                    let other = Connection::open(&j.path).unwrap();
                    let body: String = other
                        .query_row("SELECT body FROM record WHERE id = ?1", [&id], |r| r.get(0))
                        .unwrap();
                    assert!(body.contains(&format!("\"amount\":{n}")), "{body}");
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert!(j.synced().is_none(), "nothing left pending");
        assert_eq!(j.load::<Hold>().unwrap().len(), 64);
    }

    #[test]
    fn later_saves_of_a_record_fold_into_its_first_but_not_across_a_removal() {
        let c = |id: &str, amount| Change::put(&hold(id, amount)).unwrap();
        let changes = [
            c("a", 1),
            c("b", 1),
            c("a", 2),
            Change::remove::<Hold>("b".into()),
            c("b", 2),
            c("b", 3),
        ];
        let kept: Vec<(&str, Option<&str>)> = latest(&changes)
            .into_iter()
            .map(|c| (c.id.as_str(), c.body.as_deref()))
            .collect();
        assert_eq!(
            kept,
            [
                ("a", Some(r#"{"id":"a","amount":2}"#)),
                ("b", Some(r#"{"id":"b","amount":1}"#)),
                ("b", None),
                ("b", Some(r#"{"id":"b","amount":3}"#)),
            ]
        );
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
