//! Recognising a journal file and creating or upgrading its schema.
//!
//! Nothing is written until the file is known to be empty or an intact libovo journal of
//! this or an older version: a foreign, corrupt or newer file is refused as it is.

use std::time::{Duration, Instant};

use rusqlite::{Connection, TransactionBehavior};

use super::failure::{reason, unusable};
use super::{BUSY_TIMEOUT, FIELD_JOURNAL};
use crate::error::Error;

/// `PRAGMA application_id` of every libovo journal: "OVOJ".
pub const APPLICATION_ID: i32 = 0x4F56_4F4A;

/// The schema version this libovo writes (and the newest it reads).
pub const SCHEMA_VERSION: i64 = 2;

/// The schema, one step per version: step `n` turns version `n` into `n + 1`. A new file runs
/// them all; an older journal runs the ones it lacks. Released steps never change.
const STEPS: [&str; SCHEMA_VERSION as usize] = [
    // Version 1: the push log and its events.
    "PRAGMA application_id = 1331056458;
     CREATE TABLE schema_version (version INTEGER NOT NULL) STRICT;
     INSERT INTO schema_version (version) VALUES (1);
     CREATE TABLE payments (
         client_id TEXT NOT NULL,
         invoice TEXT NOT NULL,
         amount INTEGER NOT NULL,
         ovo_id TEXT NOT NULL,
         request_id TEXT NOT NULL,
         state TEXT NOT NULL CHECK (state IN
             ('SENDING', 'NOT_SENT', 'REJECTED', 'PAID', 'NOT_PAID', 'REFUNDED', 'UNKNOWN')),
         attempts INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         result TEXT,
         doku_status TEXT,
         response_code TEXT,
         http_status INTEGER,
         raw_response BLOB,
         message TEXT,
         PRIMARY KEY (client_id, invoice)
     ) STRICT;
     CREATE INDEX payments_by_state ON payments (client_id, state, created_at);
     CREATE TABLE events (
         id INTEGER PRIMARY KEY,
         client_id TEXT NOT NULL,
         invoice TEXT NOT NULL,
         at TEXT NOT NULL,
         kind TEXT NOT NULL,
         request_id TEXT NOT NULL,
         reported TEXT,
         state TEXT NOT NULL,
         http_status INTEGER,
         doku_status TEXT,
         response_code TEXT,
         message TEXT,
         raw BLOB
     ) STRICT;
     CREATE INDEX events_by_invoice ON events (client_id, invoice, id);",
    // Version 2: status checks.
    "ALTER TABLE payments ADD COLUMN check_status TEXT;
     ALTER TABLE payments ADD COLUMN check_request_id TEXT;
     ALTER TABLE payments ADD COLUMN check_raw BLOB;
     ALTER TABLE payments ADD COLUMN checked_at TEXT;",
];

/// What an opened file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    /// No schema at all (a new or 0-byte file): to be initialised.
    Empty,
    /// A libovo journal of this schema version (at most [`SCHEMA_VERSION`]).
    Journal(i64),
}

/// Makes `conn` a usable, durable journal of [`SCHEMA_VERSION`], or refuses the file unchanged.
///
/// Several processes may open a new file at once; some SQLite steps of that (switching to WAL
/// among them) answer "busy" without waiting for the other process, so the whole preparation
/// is tried again, for up to [`BUSY_TIMEOUT`], while the only trouble is another process's lock.
pub(super) fn prepare(conn: &mut Connection) -> Result<(), Error> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match prepare_once(conn) {
            Err(e) if e.message.contains(&busy_reason()) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The reason a lock held by another process gives (see `failure::reason`).
fn busy_reason() -> String {
    reason(&rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        None,
    ))
}

fn prepare_once(conn: &mut Connection) -> Result<(), Error> {
    // Both reads of `identify` in one snapshot: another process creating the file at this
    // moment must not be seen half way (its tables without its application id).
    let found = {
        let snapshot = conn.transaction().map_err(untouched)?;
        let found = identify(&snapshot)?;
        snapshot.commit().map_err(untouched)?;
        found
    };
    check_intact(conn)?;
    make_durable(conn)?;
    if found != Found::Journal(SCHEMA_VERSION) {
        // Another process may be creating or upgrading the same file: decide again under
        // the write lock.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(unusable)?;
        let from = match identify(&tx)? {
            Found::Empty => 0,
            Found::Journal(version) => version,
        };
        upgrade(&tx, from).map_err(unusable)?;
        tx.commit().map_err(unusable)?;
    }
    Ok(())
}

/// Reads what the file holds, writing nothing.
fn identify(conn: &Connection) -> Result<Found, Error> {
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(untouched)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(untouched)?;
    if app_id == 0 && objects == 0 {
        return Ok(Found::Empty);
    }
    if app_id != APPLICATION_ID {
        return Err(refuse(
            "the file is not a libovo journal (another application's database)",
        ));
    }
    let version = conn
        .query_row(
            "SELECT max(version), count(*) FROM schema_version",
            [],
            |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, i64>(1)?)),
        )
        .map_err(|_| refuse("the file is a damaged libovo journal (no schema version)"))?;
    match version {
        (Some(v), 1) if v > SCHEMA_VERSION => Err(refuse(&format!(
            "the file was written by a newer libovo (schema version {v}; this one reads up \
             to {SCHEMA_VERSION})"
        ))),
        (Some(v), 1) if v >= 1 => Ok(Found::Journal(v)),
        _ => Err(refuse(
            "the file is a damaged libovo journal (bad schema version)",
        )),
    }
}

/// Refuses a corrupt file (`PRAGMA quick_check`: every page, no index cross-check).
fn check_intact(conn: &Connection) -> Result<(), Error> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(untouched)?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(refuse("the file is corrupt (integrity check failed)"))
    }
}

/// WAL with `synchronous=FULL`: every commit is on disk before it returns, and readers in
/// other processes never block the writer.
fn make_durable(conn: &Connection) -> Result<(), Error> {
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(unusable)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::invalid(
            FIELD_JOURNAL,
            "the file system does not support SQLite's WAL mode",
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(unusable)
}

/// Runs the steps from `version` up to [`SCHEMA_VERSION`] and records the new version.
fn upgrade(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    if version == SCHEMA_VERSION {
        return Ok(()); // another process got there first
    }
    for step in &STEPS[version as usize..] {
        conn.execute_batch(step)?;
    }
    conn.execute("UPDATE schema_version SET version = ?1", [SCHEMA_VERSION])?;
    Ok(())
}

/// A refusal for a SQLite failure before anything was written.
fn untouched(error: rusqlite::Error) -> Error {
    refuse(&reason(&error))
}

fn refuse(why: &str) -> Error {
    Error::invalid(FIELD_JOURNAL, format!("{why}; it was left unchanged"))
}
