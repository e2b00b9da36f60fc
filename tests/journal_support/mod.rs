//! Helpers shared by the journal tests: fresh journals, records, raw SQL access to a file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ovo::journal::{Begin, CheckRecord, Journal, JournalState, NewPush, PushRecord};
use ovo::{Error, ResultCode};

use crate::common::scratch::TempDir;

pub const CLIENT: &str = "MCH-0001-10791114622547";
pub const OVO_ID: &str = "081211111111";

/// A scratch directory and the path of a journal file (not created yet) inside it.
pub fn scratch(tag: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(tag);
    let path = dir.join("journal.db");
    (dir, path)
}

/// A push of `invoice` for 10,000 rupiah with request id `request_id`.
pub fn push<'a>(invoice: &'a str, request_id: &'a str) -> NewPush<'a> {
    NewPush {
        client_id: CLIENT,
        invoice,
        amount: 10_000,
        ovo_id: OVO_ID,
        request_id,
    }
}

/// An answer for the push of `request_id` meaning `state`, with a raw body naming it.
pub fn answer<'a>(invoice: &'a str, request_id: &'a str, state: JournalState) -> PushRecord<'a> {
    let (result, status, http) = match state {
        JournalState::Paid => (ResultCode::Ok, Some("SUCCESS"), 200),
        JournalState::NotPaid => (ResultCode::Ok, Some("FAILED"), 200),
        JournalState::Unknown => (ResultCode::OutcomeUnknown, None, 0),
        JournalState::Rejected => (ResultCode::Rejected, None, 400),
        JournalState::NotSent => (ResultCode::NotSent, None, 0),
        JournalState::Refunded | JournalState::Sending => (ResultCode::Ok, Some("REFUNDED"), 200),
    };
    PushRecord {
        client_id: CLIENT,
        invoice,
        request_id,
        state,
        result,
        doku_status: status,
        response_code: status.map(|_| "00"),
        http_status: http,
        raw_response: state.as_str().as_bytes(),
        message: "answer",
    }
}

/// A status check of `invoice` saying `state`.
pub fn check<'a>(
    invoice: &'a str,
    check_request_id: &'a str,
    state: JournalState,
) -> CheckRecord<'a> {
    CheckRecord {
        client_id: CLIENT,
        invoice,
        check_request_id,
        state,
        check_status: Some(state.as_str()),
        response_code: Some("00"),
        http_status: 200,
        raw_response: b"{\"check\":true}",
        message: "check",
    }
}

/// `begin_push`, which must say `Go`.
pub fn go(journal: &Journal, invoice: &str, request_id: &str) {
    match journal.begin_push(&push(invoice, request_id)) {
        Ok(Begin::Go) => {}
        other => panic!("{invoice}: expected Go, got {other:?}"),
    }
}

/// A journal row for `invoice` brought into `state` the way the client would.
pub fn row_in_state(journal: &Journal, invoice: &str, state: JournalState) {
    let request_id = format!("req-{invoice}");
    go(journal, invoice, &request_id);
    match state {
        JournalState::Sending => {}
        JournalState::NotSent => journal
            .record_not_sent(CLIENT, invoice, &request_id, "connect refused")
            .unwrap(),
        other => journal
            .record_push(&answer(invoice, &request_id, other))
            .unwrap(),
    }
    assert_eq!(journal.get(CLIENT, invoice).unwrap().unwrap().state, state);
}

/// A plain SQLite connection to the file, for looking behind the journal's back.
pub fn sql(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("open with plain SQLite")
}

/// `PRAGMA integrity_check` of the file.
pub fn integrity(path: &Path) -> String {
    sql(path)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs")
}

/// Every file in `dir` with its bytes, sorted by name.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read the dir")
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Asserts that opening `path` fails with `InvalidArgument` naming `journal` and saying `says`,
/// and that no file in its directory changed (none added, none removed, no byte different).
pub fn assert_refused_unchanged(path: &Path, says: &str) -> Error {
    let dir = path.parent().unwrap();
    let before = snapshot(dir);
    let error = Journal::open(path).expect_err("the file must be refused");
    assert_eq!(error.code, ResultCode::InvalidArgument, "{error}");
    assert_eq!(error.field, Some("journal"), "{error}");
    assert!(error.message.starts_with("journal: "), "{error}");
    assert!(error.message.contains(says), "{error} (expected: {says})");
    assert!(
        snapshot(dir) == before,
        "opening the refused file changed its directory"
    );
    error
}

/// A scratch directory under the system temp dir (which every user can reach, unlike a
/// checkout under `/root`), removed on drop.
pub struct SystemScratch {
    pub path: PathBuf,
}

impl SystemScratch {
    /// Creates `$TMPDIR/ovo-{tag}-{pid}` afresh.
    pub fn new(tag: &str) -> SystemScratch {
        let path = std::env::temp_dir().join(format!("ovo-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        SystemScratch { path }
    }
}

impl Drop for SystemScratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
