//! The payment journal: a durable SQLite log of every push, written before the request leaves,
//! so that no crash, restart or second process loses a payment or pushes an invoice twice.
//!
//! [`Journal::begin_push`] decides and writes in one transaction; the answer, a status check
//! or the fact that the request never left update the same row, and every step appends an
//! [`Event`]. See `docs/journal.md` for the design.
//!
//! The journal stores what it is given: callers redact the secret key before passing text.
//! Its messages never quote the path or any caller text.

mod entry;
mod failure;
mod scan;
mod schema;
mod state;
mod store;

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior, MAIN_DB};

pub use entry::{Begin, CheckRecord, Entry, Event, EventKind, NewPush, PushRecord};
pub use scan::journal_file_contains;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use state::JournalState;

use crate::error::{Error, ResultCode};
use failure::{not_sent, unusable};

pub use crate::config::FIELD_JOURNAL;

/// How long a call waits for another process's write lock before it fails.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open journal file. `Send + Sync`: share one per process; several processes may open
/// the same file (SQLite's locking serialises their writes).
pub struct Journal {
    conn: Mutex<Connection>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal").finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens the journal at `path`, creating it (or initialising a 0-byte file) and upgrading
    /// an older schema. Sets WAL with `synchronous=FULL` and [`BUSY_TIMEOUT`]. A file that is
    /// not a libovo journal, is corrupt, read-only or from a newer libovo is refused unchanged
    /// with `InvalidArgument` naming `journal`.
    pub fn open(path: &Path) -> Result<Journal, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(unusable)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(unusable)?;
        if conn.is_readonly(MAIN_DB).map_err(unusable)? {
            return Err(Error::invalid(
                FIELD_JOURNAL,
                "the file is read-only; it was left unchanged",
            ));
        }
        schema::prepare(&mut conn)?;
        Ok(Journal {
            conn: Mutex::new(conn),
        })
    }

    /// Decides, in one write transaction, whether `push` may be sent. A new invoice, or one
    /// that never reached DOKU (`NOT_SENT`, `REJECTED`), becomes `SENDING` durably before this
    /// returns [`Begin::Go`]; any other state is refused and nothing is written. Any journal
    /// failure is `NotSent`: the push must not go out without its row.
    pub fn begin_push(&self, push: &NewPush<'_>) -> Result<Begin, Error> {
        self.write(|conn| store::begin(conn, push))
            .map_err(not_sent)
    }

    /// Records durably that the push of `request_id` never left this machine: the row
    /// becomes `NOT_SENT` (final, and the invoice may be pushed again).
    pub fn record_not_sent(
        &self,
        client_id: &str,
        invoice: &str,
        request_id: &str,
        message: &str,
    ) -> Result<(), Error> {
        self.record_push(&PushRecord {
            client_id,
            invoice,
            request_id,
            state: JournalState::NotSent,
            result: ResultCode::NotSent,
            doku_status: None,
            response_code: None,
            http_status: 0,
            raw_response: b"",
            message,
        })
    }

    /// Records the answer to the push of `record.request_id` and appends an event. The row
    /// takes the answer's state unless it is already final (see [`JournalState::settle`]).
    pub fn record_push(&self, record: &PushRecord<'_>) -> Result<(), Error> {
        match self.write(|conn| store::answer_push(conn, record)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::invalid(
                FIELD_JOURNAL,
                "no push with this request id is recorded for the invoice",
            )),
            Err(e) => Err(unusable(e)),
        }
    }

    /// Records a status check's answer for the invoice and appends an event. An open row takes
    /// the check's state; a final row keeps its own (`PAID` may become `REFUNDED`) and the
    /// event notes the contradiction.
    pub fn record_check(&self, record: &CheckRecord<'_>) -> Result<(), Error> {
        match self.write(|conn| store::answer_check(conn, record)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::invalid(
                FIELD_JOURNAL,
                "the invoice has no row to record a status check on",
            )),
            Err(e) => Err(unusable(e)),
        }
    }

    /// The row of `invoice` for `client_id`, if any.
    pub fn get(&self, client_id: &str, invoice: &str) -> Result<Option<Entry>, Error> {
        store::find(&self.lock(), client_id, invoice).map_err(unusable)
    }

    /// Rows of `client_id` in `SENDING` or `UNKNOWN` (including rows a crash left behind),
    /// oldest first: each needs a status check with DOKU.
    pub fn unsettled(&self, client_id: &str) -> Result<Vec<Entry>, Error> {
        store::unsettled(&self.lock(), client_id).map_err(unusable)
    }

    /// The history of `invoice` for `client_id`, oldest first.
    pub fn events(&self, client_id: &str, invoice: &str) -> Result<Vec<Event>, Error> {
        store::events(&self.lock(), client_id, invoice).map_err(unusable)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction (the write lock first, so no decision is
    /// made on a snapshot another process is about to change) and commits durably.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // Nothing panics while holding the lock; if something did, the transaction rolled
        // back on unwind and the connection is still sound.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_is_send_and_sync() {
        fn both<T: Send + Sync>() {}
        both::<Journal>();
    }

    #[test]
    fn every_commit_is_durable_and_waits_for_other_writers() {
        let path = std::env::temp_dir().join(format!("ovo-journal-unit-{}.db", std::process::id()));
        let journal = Journal::open(&path).expect("open");
        let (mode, synchronous, busy_ms) = {
            let conn = journal.lock();
            let mode: String = conn
                .pragma_query_value(None, "journal_mode", |r| r.get(0))
                .unwrap();
            let synchronous: i64 = conn
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .unwrap();
            let busy_ms: u128 = conn
                .pragma_query_value(None, "busy_timeout", |r| r.get::<_, i64>(0))
                .unwrap() as u128;
            (mode, synchronous, busy_ms)
        };
        drop(journal);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        assert_eq!(mode, "wal");
        assert_eq!(synchronous, 2, "synchronous=FULL");
        assert_eq!(busy_ms, BUSY_TIMEOUT.as_millis());
    }

    #[test]
    fn refusals_name_the_invoice_number_and_say_nothing_was_sent() {
        assert_eq!(Begin::Go.refusal(), None);
        let entry = |state| Entry {
            client_id: "MCH".into(),
            invoice: "INV".into(),
            amount: 1,
            ovo_id: "081211111111".into(),
            request_id: "r".into(),
            state,
            attempts: 1,
            created_at: String::new(),
            updated_at: String::new(),
            result: None,
            doku_status: None,
            response_code: None,
            http_status: None,
            raw_response: None,
            message: None,
            check_status: None,
            check_request_id: None,
            check_raw: None,
            checked_at: None,
        };
        let cases = [
            (
                Begin::AlreadyPaid(entry(JournalState::Paid)),
                "already paid",
            ),
            (
                Begin::Unsettled(entry(JournalState::Unknown)),
                "check its status",
            ),
            (
                Begin::InvoiceUsed(entry(JournalState::NotPaid)),
                "new invoice number",
            ),
        ];
        for (begin, says) in cases {
            let error = begin.refusal().expect("a refusal");
            assert_eq!(error.code, ResultCode::InvalidArgument);
            assert_eq!(error.field, Some(crate::validate::FIELD_INVOICE_NUMBER));
            assert!(error.message.contains(says), "{}", error.message);
            assert!(
                error.message.contains("nothing was sent"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn sqlite_failures_are_named_without_caller_text() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("caller text SK-secret".into()),
        );
        let error = not_sent(full);
        assert_eq!(error.code, ResultCode::NotSent);
        assert!(error.message.starts_with("journal: "), "{}", error.message);
        assert!(
            error.message.contains("the disk is full"),
            "{}",
            error.message
        );
        assert!(!error.message.contains("SK-secret"));
    }
}
