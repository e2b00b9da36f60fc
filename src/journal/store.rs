//! The SQL of each journal operation, run inside the caller's transaction.

use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

use super::entry::{
    Begin, CheckRecord, Entry, Event, EventKind, NewPush, PushRecord, ENTRY_COLUMNS, EVENT_COLUMNS,
};
use super::state::JournalState;
use crate::clock::format_utc;

/// The row of (`client_id`, `invoice`), if any.
pub(super) fn find(
    conn: &Connection,
    client_id: &str,
    invoice: &str,
) -> rusqlite::Result<Option<Entry>> {
    conn.query_row(
        &format!("SELECT {ENTRY_COLUMNS} FROM payments WHERE client_id = ?1 AND invoice = ?2"),
        params![client_id, invoice],
        Entry::from_row,
    )
    .optional()
}

/// `begin_push`'s decision; on `Go` the row is `SENDING` with the new push and an event.
pub(super) fn begin(conn: &Connection, push: &NewPush<'_>) -> rusqlite::Result<Begin> {
    if let Some(entry) = find(conn, push.client_id, push.invoice)? {
        match entry.state {
            JournalState::Paid => return Ok(Begin::AlreadyPaid(entry)),
            JournalState::Sending | JournalState::Unknown => return Ok(Begin::Unsettled(entry)),
            JournalState::NotPaid | JournalState::Refunded => return Ok(Begin::InvoiceUsed(entry)),
            JournalState::NotSent | JournalState::Rejected => {}
        }
    }
    let now = now();
    // A new push of a NOT_SENT or REJECTED invoice starts the row afresh (the events keep the
    // earlier attempts).
    conn.execute(
        "INSERT INTO payments (client_id, invoice, amount, ovo_id, request_id, state, attempts,
                               created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'SENDING', 1, ?6, ?6)
         ON CONFLICT (client_id, invoice) DO UPDATE SET
             amount = excluded.amount, ovo_id = excluded.ovo_id,
             request_id = excluded.request_id, state = 'SENDING', attempts = attempts + 1,
             created_at = excluded.created_at, updated_at = excluded.updated_at,
             result = NULL, doku_status = NULL, response_code = NULL, http_status = NULL,
             raw_response = NULL, message = NULL, check_status = NULL,
             check_request_id = NULL, check_raw = NULL, checked_at = NULL",
        params![
            push.client_id,
            push.invoice,
            push.amount,
            push.ovo_id,
            push.request_id,
            now
        ],
    )?;
    append_event(
        conn,
        &NewEvent {
            client_id: push.client_id,
            invoice: push.invoice,
            at: &now,
            kind: EventKind::Begin,
            request_id: push.request_id,
            reported: None,
            state: JournalState::Sending,
            http_status: None,
            doku_status: None,
            response_code: None,
            message: Some(&format!("amount {}, ovo_id {}", push.amount, push.ovo_id)),
            raw: None,
        },
    )?;
    Ok(Begin::Go)
}

/// Records a push's answer on the row of its request id; `false` when there is no such row.
pub(super) fn answer_push(conn: &Connection, record: &PushRecord<'_>) -> rusqlite::Result<bool> {
    let Some(entry) = find(conn, record.client_id, record.invoice)? else {
        return Ok(false);
    };
    if entry.request_id != record.request_id {
        return Ok(false);
    }
    let now = now();
    let state = entry.state.settle(record.state);
    let message = noted(record.message, entry.state, record.state, state);
    conn.execute(
        "UPDATE payments SET state = ?3, result = ?4, doku_status = ?5, response_code = ?6,
             http_status = ?7, raw_response = ?8, message = ?9, updated_at = ?10
         WHERE client_id = ?1 AND invoice = ?2",
        params![
            record.client_id,
            record.invoice,
            state.as_str(),
            record.result.name(),
            record.doku_status,
            record.response_code,
            record.http_status,
            record.raw_response,
            message,
            now
        ],
    )?;
    append_event(
        conn,
        &NewEvent {
            client_id: record.client_id,
            invoice: record.invoice,
            at: &now,
            kind: EventKind::Push,
            request_id: record.request_id,
            reported: Some(record.state),
            state,
            http_status: Some(record.http_status),
            doku_status: record.doku_status,
            response_code: record.response_code,
            message: Some(&message),
            raw: Some(record.raw_response),
        },
    )?;
    Ok(true)
}

/// Records a status check's answer on the invoice's row; `false` when there is no such row.
pub(super) fn answer_check(conn: &Connection, record: &CheckRecord<'_>) -> rusqlite::Result<bool> {
    let Some(entry) = find(conn, record.client_id, record.invoice)? else {
        return Ok(false);
    };
    let now = now();
    let state = entry.state.settle(record.state);
    let message = noted(record.message, entry.state, record.state, state);
    conn.execute(
        "UPDATE payments SET state = ?3, check_status = ?4, check_request_id = ?5,
             check_raw = ?6, checked_at = ?7, updated_at = ?7
         WHERE client_id = ?1 AND invoice = ?2",
        params![
            record.client_id,
            record.invoice,
            state.as_str(),
            record.check_status,
            record.check_request_id,
            record.raw_response,
            now
        ],
    )?;
    append_event(
        conn,
        &NewEvent {
            client_id: record.client_id,
            invoice: record.invoice,
            at: &now,
            kind: EventKind::Check,
            request_id: record.check_request_id,
            reported: Some(record.state),
            state,
            http_status: Some(record.http_status),
            doku_status: record.check_status,
            response_code: record.response_code,
            message: Some(&message),
            raw: Some(record.raw_response),
        },
    )?;
    Ok(true)
}

/// Rows of `client_id` whose outcome is open, oldest first.
pub(super) fn unsettled(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<Entry>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM payments
         WHERE client_id = ?1 AND state IN ('SENDING', 'UNKNOWN')
         ORDER BY created_at, rowid"
    ))?;
    let rows = statement.query_map([client_id], Entry::from_row)?;
    rows.collect()
}

/// The events of an invoice, oldest first.
pub(super) fn events(
    conn: &Connection,
    client_id: &str,
    invoice: &str,
) -> rusqlite::Result<Vec<Event>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE client_id = ?1 AND invoice = ?2 ORDER BY id"
    ))?;
    let rows = statement.query_map([client_id, invoice], Event::from_row)?;
    rows.collect()
}

/// An event about to be appended.
struct NewEvent<'a> {
    client_id: &'a str,
    invoice: &'a str,
    at: &'a str,
    kind: EventKind,
    request_id: &'a str,
    reported: Option<JournalState>,
    state: JournalState,
    http_status: Option<u16>,
    doku_status: Option<&'a str>,
    response_code: Option<&'a str>,
    message: Option<&'a str>,
    raw: Option<&'a [u8]>,
}

fn append_event(conn: &Connection, event: &NewEvent<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO events (client_id, invoice, at, kind, request_id, reported, state,
                             http_status, doku_status, response_code, message, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            event.client_id,
            event.invoice,
            event.at,
            event.kind.as_str(),
            event.request_id,
            event.reported.map(JournalState::as_str),
            event.state.as_str(),
            event.http_status,
            event.doku_status,
            event.response_code,
            event.message,
            event.raw
        ],
    )?;
    Ok(())
}

/// `message`, plus a note when the row kept its state against what the answer reported.
fn noted(
    message: &str,
    before: JournalState,
    reported: JournalState,
    after: JournalState,
) -> String {
    if after == reported {
        message.to_owned()
    } else {
        format!("{message} [journal: the row stays {before}; this answer says {reported}]")
    }
}

/// Now in UTC with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ` (sorts as text).
fn now() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = format_utc(since.as_secs() as i64);
    format!(
        "{}.{:03}Z",
        seconds.trim_end_matches('Z'),
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_with_milliseconds() {
        let t = now();
        assert_eq!(t.len(), "2024-01-02T03:04:05.678Z".len(), "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T' && t.as_bytes()[19] == b'.');
    }

    #[test]
    fn a_kept_state_is_noted() {
        use JournalState::*;
        assert_eq!(noted("ok", Sending, Paid, Paid), "ok");
        assert_eq!(
            noted("FAILED", Paid, NotPaid, Paid),
            "FAILED [journal: the row stays PAID; this answer says NOT_PAID]"
        );
    }
}
