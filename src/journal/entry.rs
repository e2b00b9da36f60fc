//! What goes into the journal and what comes out of it: the records callers pass, the rows
//! and events they read back, and `begin_push`'s decision.

use rusqlite::types::Type;
use rusqlite::Row;

use super::state::JournalState;
use crate::error::{Error, ResultCode};
use crate::validate::FIELD_INVOICE_NUMBER;

/// A push about to be sent: written as `SENDING` before its first byte leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewPush<'a> {
    /// The merchant's client id.
    pub client_id: &'a str,
    /// The invoice number (unique per client id in the journal).
    pub invoice: &'a str,
    /// The amount in whole rupiah.
    pub amount: i64,
    /// The customer's OVO ID.
    pub ovo_id: &'a str,
    /// The `Request-Id` the push will carry.
    pub request_id: &'a str,
}

/// The answer to a push (or the fact that it never left), for the row of `request_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PushRecord<'a> {
    /// The merchant's client id.
    pub client_id: &'a str,
    /// The invoice number.
    pub invoice: &'a str,
    /// The `Request-Id` the push carried (must be the row's).
    pub request_id: &'a str,
    /// What the answer means for the invoice.
    pub state: JournalState,
    /// How the call ended (`ResultCode`).
    pub result: ResultCode,
    /// DOKU's `ovo_payment.status`, if it answered one.
    pub doku_status: Option<&'a str>,
    /// DOKU's `ovo_payment.response_code`, if it answered one.
    pub response_code: Option<&'a str>,
    /// The HTTP status; 0 when no answer came.
    pub http_status: u16,
    /// The response body as received (already redacted by the caller).
    pub raw_response: &'a [u8],
    /// A message for humans (already redacted by the caller).
    pub message: &'a str,
}

/// A status check's answer for an invoice's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckRecord<'a> {
    /// The merchant's client id.
    pub client_id: &'a str,
    /// The invoice number.
    pub invoice: &'a str,
    /// The `Request-Id` of the status check.
    pub check_request_id: &'a str,
    /// What the check says about the invoice (`PAID`, `NOT_PAID`, `REFUNDED` or `UNKNOWN`).
    pub state: JournalState,
    /// DOKU's status text from the check, if any.
    pub check_status: Option<&'a str>,
    /// DOKU's response code from the check, if any.
    pub response_code: Option<&'a str>,
    /// The HTTP status; 0 when no answer came.
    pub http_status: u16,
    /// The check's response body as received (already redacted by the caller).
    pub raw_response: &'a [u8],
    /// A message for humans (already redacted by the caller).
    pub message: &'a str,
}

/// One invoice's row: every stored column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The merchant's client id.
    pub client_id: String,
    /// The invoice number.
    pub invoice: String,
    /// The amount of the latest push, in whole rupiah.
    pub amount: i64,
    /// The customer's OVO ID of the latest push.
    pub ovo_id: String,
    /// The `Request-Id` of the latest push.
    pub request_id: String,
    /// Where the invoice stands.
    pub state: JournalState,
    /// How many pushes `begin_push` let go for this invoice (a new one only after NOT_SENT
    /// or REJECTED).
    pub attempts: u32,
    /// When the latest push was written (UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`).
    pub created_at: String,
    /// When the row last changed.
    pub updated_at: String,
    /// How the latest push ended (`ResultCode` name); `None` while no answer is recorded.
    pub result: Option<String>,
    /// DOKU's payment status from the push answer.
    pub doku_status: Option<String>,
    /// DOKU's response code from the push answer.
    pub response_code: Option<String>,
    /// The HTTP status of the push answer (0: none came).
    pub http_status: Option<u16>,
    /// The push's raw response body.
    pub raw_response: Option<Vec<u8>>,
    /// The push answer's message.
    pub message: Option<String>,
    /// DOKU's status from the latest status check.
    pub check_status: Option<String>,
    /// The `Request-Id` of the latest status check.
    pub check_request_id: Option<String>,
    /// The latest status check's raw response body.
    pub check_raw: Option<Vec<u8>>,
    /// When the latest status check was recorded.
    pub checked_at: Option<String>,
}

/// The columns [`Entry::from_row`] reads, for `SELECT`s.
pub(super) const ENTRY_COLUMNS: &str = "client_id, invoice, amount, ovo_id, request_id, state, \
     attempts, created_at, updated_at, result, doku_status, response_code, http_status, \
     raw_response, message, check_status, check_request_id, check_raw, checked_at";

impl Entry {
    /// Reads a row selected with [`ENTRY_COLUMNS`].
    pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
        Ok(Entry {
            client_id: row.get("client_id")?,
            invoice: row.get("invoice")?,
            amount: row.get("amount")?,
            ovo_id: row.get("ovo_id")?,
            request_id: row.get("request_id")?,
            state: state_column(row, "state")?,
            attempts: row.get("attempts")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            result: row.get("result")?,
            doku_status: row.get("doku_status")?,
            response_code: row.get("response_code")?,
            http_status: row.get("http_status")?,
            raw_response: row.get("raw_response")?,
            message: row.get("message")?,
            check_status: row.get("check_status")?,
            check_request_id: row.get("check_request_id")?,
            check_raw: row.get("check_raw")?,
            checked_at: row.get("checked_at")?,
        })
    }
}

/// What an event recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `begin_push` let a push go (the row became `SENDING`).
    Begin,
    /// The push's answer, or the fact that it never left.
    Push,
    /// A status check's answer.
    Check,
}

impl EventKind {
    /// The stored name, e.g. `"PUSH"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Begin => "BEGIN",
            EventKind::Push => "PUSH",
            EventKind::Check => "CHECK",
        }
    }

    fn parse(name: &str) -> Option<EventKind> {
        [EventKind::Begin, EventKind::Push, EventKind::Check]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// One line of an invoice's append-only history: enough for support to rebuild a dispute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Increasing across the whole journal.
    pub id: i64,
    /// When it was written (UTC, milliseconds).
    pub at: String,
    /// What happened.
    pub kind: EventKind,
    /// The push's or the check's `Request-Id`.
    pub request_id: String,
    /// The state the answer reported (`None` for `Begin`).
    pub reported: Option<JournalState>,
    /// The row's state after the event (differs from `reported` when a final row kept its
    /// state; `message` then says so).
    pub state: JournalState,
    /// The HTTP status of the answer.
    pub http_status: Option<u16>,
    /// DOKU's status text.
    pub doku_status: Option<String>,
    /// DOKU's response code.
    pub response_code: Option<String>,
    /// The message recorded with it.
    pub message: Option<String>,
    /// The raw response body.
    pub raw: Option<Vec<u8>>,
}

/// The columns [`Event::from_row`] reads, for `SELECT`s.
pub(super) const EVENT_COLUMNS: &str =
    "id, at, kind, request_id, reported, state, http_status, doku_status, response_code, message, raw";

impl Event {
    /// Reads a row selected with [`EVENT_COLUMNS`].
    pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
        let kind: String = row.get("kind")?;
        let reported: Option<String> = row.get("reported")?;
        Ok(Event {
            id: row.get("id")?,
            at: row.get("at")?,
            kind: EventKind::parse(&kind).ok_or_else(|| unreadable("kind"))?,
            request_id: row.get("request_id")?,
            reported: match reported {
                Some(name) => {
                    Some(JournalState::parse(&name).ok_or_else(|| unreadable("reported"))?)
                }
                None => None,
            },
            state: state_column(row, "state")?,
            http_status: row.get("http_status")?,
            doku_status: row.get("doku_status")?,
            response_code: row.get("response_code")?,
            message: row.get("message")?,
            raw: row.get("raw")?,
        })
    }
}

fn state_column(row: &Row<'_>, column: &str) -> rusqlite::Result<JournalState> {
    let name: String = row.get(column)?;
    JournalState::parse(&name).ok_or_else(|| unreadable(column))
}

fn unreadable(column: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, column.to_owned(), Type::Text)
}

/// What `begin_push` decided. Only `Go` wrote anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Begin {
    /// The row is now `SENDING`, durably: send the push.
    Go,
    /// The journal holds the invoice as paid (the stored payment is here). Send nothing.
    AlreadyPaid(Entry),
    /// An earlier push's outcome is open (`SENDING` or `UNKNOWN`): a status check must settle
    /// it first. Send nothing.
    Unsettled(Entry),
    /// DOKU already processed the invoice (`NOT_PAID` or `REFUNDED`): a new push needs a new
    /// invoice number. Send nothing.
    InvoiceUsed(Entry),
}

impl Begin {
    /// The error a refused push reports (`InvalidArgument` naming the invoice number), or
    /// `None` for `Go`.
    pub fn refusal(&self) -> Option<Error> {
        let rule = match self {
            Begin::Go => return None,
            Begin::AlreadyPaid(_) => {
                "this invoice is already paid (the journal holds DOKU's SUCCESS for it); \
                 nothing was sent"
                    .to_owned()
            }
            Begin::Unsettled(entry) => format!(
                "an earlier push of this invoice has no known outcome yet ({} in the journal): \
                 check its status with DOKU first; nothing was sent",
                entry.state
            ),
            Begin::InvoiceUsed(entry) => format!(
                "DOKU already processed this invoice ({} in the journal): a new push needs a \
                 new invoice number; nothing was sent",
                entry.state
            ),
        };
        Some(Error::invalid(FIELD_INVOICE_NUMBER, rule))
    }
}
