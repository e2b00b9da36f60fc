//! The payment journal in one process: recognising files, the schema and its upgrade,
//! `begin_push`'s decisions, the record transitions, and what reaches the file.

mod common;
mod journal_support;

use std::time::Instant;

use ovo::journal::{
    journal_file_contains, Begin, EventKind, Journal, JournalState, APPLICATION_ID, SCHEMA_VERSION,
};
use ovo::ResultCode;

use journal_support::*;

// ---- files and schema ----

#[test]
fn a_new_journal_has_its_identity_version_and_wal() {
    let (_dir, path) = scratch("journal-new");
    drop(Journal::open(&path).expect("create"));
    let db = sql(&path);
    let app_id: i32 = db
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let version: i64 = db
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_the_rows_and_changes_nothing() {
    let (dir, path) = scratch("journal-reopen");
    let journal = Journal::open(&path).unwrap();
    row_in_state(&journal, "INV-1", JournalState::Paid);
    drop(journal);
    let before = snapshot(dir.path());
    let journal = Journal::open(&path).expect("reopen");
    let entry = journal
        .get(CLIENT, "INV-1")
        .unwrap()
        .expect("the row survived");
    assert_eq!(entry.state, JournalState::Paid);
    drop(journal);
    assert!(snapshot(dir.path()) == before, "a reopen changed the files");
}

/// Schema version 1 exactly as libovo wrote it (the push log without status checks).
const VERSION_1: &str = "
    PRAGMA application_id = 1331056458;
    PRAGMA journal_mode = WAL;
    CREATE TABLE schema_version (version INTEGER NOT NULL) STRICT;
    INSERT INTO schema_version (version) VALUES (1);
    CREATE TABLE payments (
        client_id TEXT NOT NULL, invoice TEXT NOT NULL, amount INTEGER NOT NULL,
        ovo_id TEXT NOT NULL, request_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
            ('SENDING', 'NOT_SENT', 'REJECTED', 'PAID', 'NOT_PAID', 'REFUNDED', 'UNKNOWN')),
        attempts INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        result TEXT, doku_status TEXT, response_code TEXT, http_status INTEGER,
        raw_response BLOB, message TEXT,
        PRIMARY KEY (client_id, invoice)
    ) STRICT;
    CREATE INDEX payments_by_state ON payments (client_id, state, created_at);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, invoice TEXT NOT NULL,
        at TEXT NOT NULL, kind TEXT NOT NULL, request_id TEXT NOT NULL, reported TEXT,
        state TEXT NOT NULL, http_status INTEGER, doku_status TEXT, response_code TEXT,
        message TEXT, raw BLOB
    ) STRICT;
    CREATE INDEX events_by_invoice ON events (client_id, invoice, id);";

#[test]
fn a_version_1_journal_is_upgraded_in_place_keeping_its_rows() {
    let (_dir, path) = scratch("journal-v1");
    {
        let db = sql(&path);
        db.execute_batch(VERSION_1).unwrap();
        db.execute(
            "INSERT INTO payments (client_id, invoice, amount, ovo_id, request_id, state,
                 attempts, created_at, updated_at)
             VALUES (?1, 'INV-OLD', 5000, ?2, 'req-old', 'UNKNOWN', 1,
                 '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z')",
            [CLIENT, OVO_ID],
        )
        .unwrap();
    }
    let journal = Journal::open(&path).expect("upgrade");
    let version: i64 = sql(&path)
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let old = journal
        .get(CLIENT, "INV-OLD")
        .unwrap()
        .expect("the old row survived");
    assert_eq!(
        (old.amount, old.state, old.check_status.clone()),
        (5000, JournalState::Unknown, None)
    );
    assert_eq!(journal.unsettled(CLIENT).unwrap(), vec![old]);
    journal
        .record_check(&check("INV-OLD", "chk-1", JournalState::Paid))
        .expect("the new columns work");
    assert_eq!(
        journal
            .get(CLIENT, "INV-OLD")
            .unwrap()
            .unwrap()
            .check_request_id
            .as_deref(),
        Some("chk-1")
    );
}

#[test]
fn a_journal_from_a_newer_libovo_is_refused_unchanged() {
    let (_dir, path) = scratch("journal-newer");
    row_in_state(&Journal::open(&path).unwrap(), "INV-1", JournalState::Paid);
    sql(&path)
        .execute(
            "UPDATE schema_version SET version = ?1",
            [SCHEMA_VERSION + 1],
        )
        .unwrap();
    let error = assert_refused_unchanged(&path, "newer libovo");
    assert!(error.message.contains("left unchanged"), "{error}");
}

#[test]
fn a_foreign_sqlite_file_is_refused_unchanged() {
    let (_dir, path) = scratch("journal-foreign");
    sql(&path)
        .execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO customers (name) VALUES ('Budi'), ('Sari');",
        )
        .unwrap();
    assert_refused_unchanged(&path, "not a libovo journal");

    let (_dir, path) = scratch("journal-foreign-id");
    sql(&path)
        .execute_batch("PRAGMA application_id = 42; PRAGMA journal_mode = WAL; CREATE TABLE t (x);")
        .unwrap();
    assert_refused_unchanged(&path, "not a libovo journal");

    let (_dir, path) = scratch("journal-no-version");
    sql(&path)
        .execute_batch("PRAGMA application_id = 1331056458; CREATE TABLE payments (x);")
        .unwrap();
    assert_refused_unchanged(&path, "damaged libovo journal");
}

/// Deterministic noise (xorshift), so a failure reproduces.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A closed journal of `rows` paid invoices, big enough to span many pages.
fn journal_with_rows(path: &std::path::Path, rows: usize) {
    let journal = Journal::open(path).unwrap();
    for i in 0..rows {
        row_in_state(&journal, &format!("INV-{i}"), JournalState::Paid);
    }
}

#[test]
fn corrupt_files_are_refused_unchanged() {
    let (_dir, path) = scratch("journal-noise");
    std::fs::write(&path, noise(16_384)).unwrap();
    assert_refused_unchanged(&path, "not an SQLite database");

    let (_dir, path) = scratch("journal-text");
    std::fs::write(&path, b"invoice,amount\nINV-1,10000\n").unwrap();
    assert_refused_unchanged(&path, "not an SQLite database");

    let (_dir, path) = scratch("journal-truncated");
    journal_with_rows(&path, 200);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16 * 4096, "the fixture spans many pages");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused_unchanged(&path, "corrupt");

    let (_dir, path) = scratch("journal-bad-page");
    journal_with_rows(&path, 200);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096 * 5;
    bytes[page..page + 4096].copy_from_slice(&noise(4096));
    std::fs::write(&path, &bytes).unwrap();
    assert_refused_unchanged(&path, "corrupt");
}

#[test]
fn an_empty_file_is_initialised() {
    let (_dir, path) = scratch("journal-empty");
    std::fs::write(&path, b"").unwrap();
    let journal = Journal::open(&path).expect("a 0-byte file becomes a journal");
    go(&journal, "INV-1", "req-1");
    drop(journal);
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn a_missing_directory_is_a_clear_error() {
    let (dir, _) = scratch("journal-missing-dir");
    let error = Journal::open(&dir.join("no/such/dir/journal.db")).expect_err("refused");
    assert_eq!(
        (error.code, error.field),
        (ResultCode::InvalidArgument, Some("journal"))
    );
    assert!(error.message.contains("cannot open or create"), "{error}");
    assert!(
        !error.message.contains("no/such"),
        "the path is never quoted: {error}"
    );
}

// ---- begin_push ----

#[test]
fn a_new_invoice_goes_and_is_sending_on_disk_before_begin_returns() {
    let (_dir, path) = scratch("journal-go");
    let journal = Journal::open(&path).unwrap();
    go(&journal, "INV-1", "req-1");
    // Another connection (as another process would) already sees the committed row.
    let (state, request_id): (String, String) = sql(&path)
        .query_row(
            "SELECT state, request_id FROM payments WHERE invoice = 'INV-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((state.as_str(), request_id.as_str()), ("SENDING", "req-1"));
    let entry = journal.get(CLIENT, "INV-1").unwrap().unwrap();
    assert_eq!(
        (
            entry.client_id.as_str(),
            entry.amount,
            entry.ovo_id.as_str(),
            entry.attempts
        ),
        (CLIENT, 10_000, OVO_ID, 1)
    );
    assert_eq!(
        (entry.result, entry.http_status, entry.raw_response),
        (None, None, None)
    );
    assert!(entry.created_at.ends_with('Z') && entry.created_at == entry.updated_at);
    let events = journal.events(CLIENT, "INV-1").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].kind, events[0].state),
        (EventKind::Begin, JournalState::Sending)
    );
    assert_eq!(
        events[0].message.as_deref(),
        Some("amount 10000, ovo_id 081211111111")
    );
}

#[test]
fn begin_push_refuses_open_and_processed_invoices_and_writes_nothing() {
    let (dir, path) = scratch("journal-refuse");
    let journal = Journal::open(&path).unwrap();
    let cases = [
        (JournalState::Sending, "unsettled"),
        (JournalState::Unknown, "unsettled"),
        (JournalState::Paid, "paid"),
        (JournalState::NotPaid, "used"),
        (JournalState::Refunded, "used"),
    ];
    for (state, expected) in cases {
        let invoice = format!("INV-{state}");
        row_in_state(&journal, &invoice, state);
        let stored = journal.get(CLIENT, &invoice).unwrap().unwrap();
        let events = journal.events(CLIENT, &invoice).unwrap();
        let files = snapshot(dir.path());
        let decision = journal.begin_push(&push(&invoice, "req-again")).unwrap();
        let got = match &decision {
            Begin::Go => panic!("{state}: a second push must be refused"),
            Begin::Unsettled(entry) => ("unsettled", entry),
            Begin::AlreadyPaid(entry) => ("paid", entry),
            Begin::InvoiceUsed(entry) => ("used", entry),
        };
        assert_eq!((got.0, got.1), (expected, &stored), "{state}");
        assert!(decision
            .refusal()
            .unwrap()
            .message
            .contains("nothing was sent"));
        assert_eq!(
            journal.get(CLIENT, &invoice).unwrap().unwrap(),
            stored,
            "{state}"
        );
        assert_eq!(journal.events(CLIENT, &invoice).unwrap(), events, "{state}");
        assert!(
            snapshot(dir.path()) == files,
            "{state}: a refusal wrote to the journal"
        );
    }
    let Begin::AlreadyPaid(paid) = journal.begin_push(&push("INV-PAID", "r")).unwrap() else {
        panic!("paid")
    };
    assert_eq!(paid.doku_status.as_deref(), Some("SUCCESS"));
    assert_eq!(paid.raw_response.as_deref(), Some(&b"PAID"[..]));
}

#[test]
fn invoices_doku_never_processed_may_be_pushed_again() {
    let (_dir, path) = scratch("journal-again");
    let journal = Journal::open(&path).unwrap();
    for state in [JournalState::NotSent, JournalState::Rejected] {
        let invoice = format!("INV-{state}");
        row_in_state(&journal, &invoice, state);
        go(&journal, &invoice, "req-second");
        let entry = journal.get(CLIENT, &invoice).unwrap().unwrap();
        assert_eq!((entry.state, entry.attempts), (JournalState::Sending, 2));
        assert_eq!(entry.request_id, "req-second");
        assert_eq!(
            (entry.result, entry.raw_response, entry.message),
            (None, None, None)
        );
        let kinds: Vec<_> = journal
            .events(CLIENT, &invoice)
            .unwrap()
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [EventKind::Begin, EventKind::Push, EventKind::Begin],
            "{state}"
        );
    }
}

#[test]
fn the_same_invoice_number_of_another_client_is_another_payment() {
    let (_dir, path) = scratch("journal-clients");
    let journal = Journal::open(&path).unwrap();
    row_in_state(&journal, "INV-1", JournalState::Paid);
    let other = ovo::journal::NewPush {
        client_id: "MCH-OTHER",
        ..push("INV-1", "req-other")
    };
    assert_eq!(journal.begin_push(&other).unwrap(), Begin::Go);
}

// ---- records ----

#[test]
fn a_push_answer_is_stored_on_its_row_with_an_event() {
    let (_dir, path) = scratch("journal-answer");
    let journal = Journal::open(&path).unwrap();
    go(&journal, "INV-1", "req-1");
    journal
        .record_push(&answer("INV-1", "req-1", JournalState::Paid))
        .unwrap();
    let entry = journal.get(CLIENT, "INV-1").unwrap().unwrap();
    assert_eq!(entry.state, JournalState::Paid);
    assert_eq!(entry.result.as_deref(), Some("OK"));
    assert_eq!(entry.doku_status.as_deref(), Some("SUCCESS"));
    assert_eq!(entry.response_code.as_deref(), Some("00"));
    assert_eq!(entry.http_status, Some(200));
    assert_eq!(entry.raw_response.as_deref(), Some(&b"PAID"[..]));
    assert_eq!(entry.message.as_deref(), Some("answer"));
    assert!(entry.updated_at >= entry.created_at);
    let events = journal.events(CLIENT, "INV-1").unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.kind, last.reported, last.state),
        (
            EventKind::Push,
            Some(JournalState::Paid),
            JournalState::Paid
        )
    );
    assert_eq!(
        (last.http_status, last.raw.as_deref()),
        (Some(200), Some(&b"PAID"[..]))
    );
}

#[test]
fn not_sent_is_recorded_as_final_not_sent() {
    let (_dir, path) = scratch("journal-not-sent");
    let journal = Journal::open(&path).unwrap();
    go(&journal, "INV-1", "req-1");
    journal
        .record_not_sent(CLIENT, "INV-1", "req-1", "connection refused")
        .unwrap();
    let entry = journal.get(CLIENT, "INV-1").unwrap().unwrap();
    assert_eq!(
        (entry.state, entry.result.as_deref()),
        (JournalState::NotSent, Some("NOT_SENT"))
    );
    assert!(
        journal.unsettled(CLIENT).unwrap().is_empty(),
        "NOT_SENT needs no check"
    );
}

#[test]
fn answers_for_another_request_or_a_missing_row_are_refused() {
    let (_dir, path) = scratch("journal-mismatch");
    let journal = Journal::open(&path).unwrap();
    go(&journal, "INV-1", "req-1");
    let stored = journal.get(CLIENT, "INV-1").unwrap();
    for error in [
        journal
            .record_push(&answer("INV-1", "req-other", JournalState::Paid))
            .unwrap_err(),
        journal
            .record_not_sent(CLIENT, "INV-1", "req-other", "x")
            .unwrap_err(),
        journal
            .record_push(&answer("INV-NONE", "req-1", JournalState::Paid))
            .unwrap_err(),
        journal
            .record_check(&check("INV-NONE", "chk", JournalState::Paid))
            .unwrap_err(),
    ] {
        assert_eq!(
            (error.code, error.field),
            (ResultCode::InvalidArgument, Some("journal"))
        );
    }
    assert_eq!(journal.get(CLIENT, "INV-1").unwrap(), stored);
    assert_eq!(journal.events(CLIENT, "INV-1").unwrap().len(), 1);
    assert!(journal.get(CLIENT, "INV-NONE").unwrap().is_none());
}

#[test]
fn a_check_settles_an_open_row_and_is_stored() {
    let (_dir, path) = scratch("journal-check");
    let journal = Journal::open(&path).unwrap();
    row_in_state(&journal, "INV-1", JournalState::Unknown);
    journal
        .record_check(&check("INV-1", "chk-1", JournalState::Unknown))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-1").unwrap().unwrap().state,
        JournalState::Unknown
    );
    journal
        .record_check(&check("INV-1", "chk-2", JournalState::Paid))
        .unwrap();
    let entry = journal.get(CLIENT, "INV-1").unwrap().unwrap();
    assert_eq!(entry.state, JournalState::Paid);
    assert_eq!(entry.check_status.as_deref(), Some("PAID"));
    assert_eq!(entry.check_request_id.as_deref(), Some("chk-2"));
    assert_eq!(entry.check_raw.as_deref(), Some(&b"{\"check\":true}"[..]));
    assert!(entry.checked_at.is_some());
    assert_eq!(
        entry.result.as_deref(),
        Some("OUTCOME_UNKNOWN"),
        "the push answer is kept"
    );
    let kinds: Vec<_> = journal
        .events(CLIENT, "INV-1")
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::Begin,
            EventKind::Push,
            EventKind::Check,
            EventKind::Check
        ]
    );

    // A row a crash left SENDING is settled by a check too.
    row_in_state(&journal, "INV-2", JournalState::Sending);
    journal
        .record_check(&check("INV-2", "chk-3", JournalState::NotPaid))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-2").unwrap().unwrap().state,
        JournalState::NotPaid
    );
}

#[test]
fn a_final_row_never_moves_back_and_the_contradiction_is_logged() {
    let (_dir, path) = scratch("journal-final");
    let journal = Journal::open(&path).unwrap();
    row_in_state(&journal, "INV-PAID", JournalState::Paid);
    journal
        .record_check(&check("INV-PAID", "chk-1", JournalState::NotPaid))
        .unwrap();
    journal
        .record_check(&check("INV-PAID", "chk-2", JournalState::Unknown))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-PAID").unwrap().unwrap().state,
        JournalState::Paid
    );
    let events = journal.events(CLIENT, "INV-PAID").unwrap();
    let contradiction = &events[2];
    assert_eq!(
        (contradiction.reported, contradiction.state),
        (Some(JournalState::NotPaid), JournalState::Paid)
    );
    assert!(
        contradiction
            .message
            .as_deref()
            .unwrap()
            .contains("stays PAID; this answer says NOT_PAID"),
        "{:?}",
        contradiction.message
    );

    journal
        .record_check(&check("INV-PAID", "chk-3", JournalState::Refunded))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-PAID").unwrap().unwrap().state,
        JournalState::Refunded
    );
    journal
        .record_check(&check("INV-PAID", "chk-4", JournalState::Paid))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-PAID").unwrap().unwrap().state,
        JournalState::Refunded
    );

    row_in_state(&journal, "INV-FAILED", JournalState::NotPaid);
    journal
        .record_check(&check("INV-FAILED", "chk-5", JournalState::Paid))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-FAILED").unwrap().unwrap().state,
        JournalState::NotPaid
    );

    // An unknown outcome was sent: it can never become "not sent" or "rejected".
    row_in_state(&journal, "INV-UNKNOWN", JournalState::Unknown);
    journal
        .record_not_sent(CLIENT, "INV-UNKNOWN", "req-INV-UNKNOWN", "late")
        .unwrap();
    journal
        .record_push(&answer(
            "INV-UNKNOWN",
            "req-INV-UNKNOWN",
            JournalState::Rejected,
        ))
        .unwrap();
    assert_eq!(
        journal.get(CLIENT, "INV-UNKNOWN").unwrap().unwrap().state,
        JournalState::Unknown
    );
}

#[test]
fn a_late_push_answer_does_not_undo_a_check() {
    let (_dir, path) = scratch("journal-late");
    let journal = Journal::open(&path).unwrap();
    go(&journal, "INV-1", "req-1");
    journal
        .record_check(&check("INV-1", "chk-1", JournalState::Paid))
        .unwrap();
    journal
        .record_push(&answer("INV-1", "req-1", JournalState::Unknown))
        .unwrap();
    let entry = journal.get(CLIENT, "INV-1").unwrap().unwrap();
    assert_eq!(entry.state, JournalState::Paid);
    assert!(entry
        .message
        .unwrap()
        .contains("stays PAID; this answer says UNKNOWN"));
}

#[test]
fn unsettled_lists_open_rows_of_the_client_oldest_first() {
    let (_dir, path) = scratch("journal-unsettled");
    let journal = Journal::open(&path).unwrap();
    for (invoice, state) in [
        ("A", JournalState::Unknown),
        ("B", JournalState::Paid),
        ("C", JournalState::Sending),
        ("D", JournalState::NotPaid),
        ("E", JournalState::NotSent),
        ("F", JournalState::Rejected),
        ("G", JournalState::Unknown),
    ] {
        row_in_state(&journal, invoice, state);
    }
    let other = ovo::journal::NewPush {
        client_id: "MCH-OTHER",
        ..push("Z", "req-z")
    };
    assert_eq!(journal.begin_push(&other).unwrap(), Begin::Go);
    let open: Vec<_> = journal
        .unsettled(CLIENT)
        .unwrap()
        .into_iter()
        .map(|e| e.invoice)
        .collect();
    assert_eq!(open, ["A", "C", "G"]);
    assert_eq!(journal.unsettled("MCH-OTHER").unwrap().len(), 1);
}

// ---- what reaches the file ----

#[test]
fn the_file_holds_exactly_what_it_is_given() {
    const FAKE_KEY: &[u8] = b"SK-FAKE-journal-key-0123456789";
    let (_dir, path) = scratch("journal-secret");
    let journal = Journal::open(&path).unwrap();
    for state in JournalState::ALL {
        row_in_state(&journal, &format!("INV-{state}"), state);
    }
    journal
        .record_check(&check("INV-UNKNOWN", "chk", JournalState::Paid))
        .unwrap();
    assert!(
        !journal_file_contains(&path, FAKE_KEY).unwrap(),
        "nothing given held the key"
    );

    // The scan sees what a caller did pass, in the WAL now and in the file after closing.
    go(&journal, "INV-MARKED", "req-marked");
    let marked = ovo::journal::PushRecord {
        message: "MARKER-7f3a9c",
        ..answer("INV-MARKED", "req-marked", JournalState::Paid)
    };
    journal.record_push(&marked).unwrap();
    assert!(journal_file_contains(&path, b"MARKER-7f3a9c").unwrap());
    drop(journal);
    assert!(
        !std::fs::exists(format!("{}-wal", path.display())).unwrap(),
        "closed cleanly"
    );
    assert!(journal_file_contains(&path, b"MARKER-7f3a9c").unwrap());
    assert!(!journal_file_contains(&path, FAKE_KEY).unwrap());
    assert!(journal_file_contains(&path.with_extension("nope"), b"x").is_err());
}

/// The cost of one durable push (`begin_push` + `record_push`, two fsync'd commits) on this
/// machine. A figure for the docs, not a timed test:
/// `cargo test --release --test journal -- --ignored --nocapture cost_per_push`
#[test]
#[ignore = "benchmark: run by hand"]
fn cost_per_push() {
    let (_dir, path) = scratch("journal-bench");
    let journal = Journal::open(&path).unwrap();
    let raw = vec![b'x'; 1_000];
    let pushes = 500;
    let start = Instant::now();
    for i in 0..pushes {
        let invoice = format!("INV-{i}");
        let request_id = format!("req-{i}");
        go(&journal, &invoice, &request_id);
        let record = ovo::journal::PushRecord {
            raw_response: &raw,
            ..answer(&invoice, &request_id, JournalState::Paid)
        };
        journal.record_push(&record).unwrap();
    }
    let per_push = start.elapsed() / pushes;
    println!("journal cost per push (begin_push + record_push, 1 kB body): {per_push:?}");
}

/// How long opening takes for a big journal (the integrity check reads every page).
/// `cargo test --release --test journal -- --ignored --nocapture open_cost`
#[test]
#[ignore = "benchmark: run by hand"]
fn open_cost_of_a_big_journal() {
    let (_dir, path) = scratch("journal-bench-open");
    drop(Journal::open(&path).unwrap());
    let rows = 100_000;
    {
        let mut db = sql(&path);
        let tx = db.transaction().unwrap();
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO payments (client_id, invoice, amount, ovo_id, request_id, state,
                 attempts, created_at, updated_at, raw_response)
             SELECT 'MCH', 'INV-' || i, 10000, '081211111111', 'req-' || i, 'PAID', 1,
                 '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z', randomblob(1000)
             FROM n",
            [rows],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    let start = Instant::now();
    drop(Journal::open(&path).unwrap());
    println!(
        "open of a journal with {rows} rows ({} MiB): {:?}",
        size >> 20,
        start.elapsed()
    );
}
