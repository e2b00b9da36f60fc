//! What a push or a status check ended with: what the caller acts on.

use crate::error::{Error, ResultCode};
use crate::response::{Field, Response};
use crate::status::StatusAnswer;

/// Whether the customer paid. Zero is `Unknown`, so a zeroed value is never "paid" or "not paid".
/// Values are explicit and never reused; a program must treat a value it does not know as
/// `Unknown`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Nobody can say yet (DOKU's TIMEOUT, PENDING, no usable answer, a cancel, an invoice used
    /// before): check the status with DOKU before charging again or giving up. Never "failed".
    Unknown = 0,
    /// DOKU answered SUCCESS: the customer paid.
    Paid = 1,
    /// The customer did not pay: DOKU answered FAILED (or EXPIRED), refused the push, or it was
    /// never sent.
    NotPaid = 2,
    /// The payment was made and then refunded (a status check said REFUNDED): not paid now.
    Refunded = 3,
}

impl Outcome {
    /// Every outcome, in value order.
    ///
    /// cbindgen:ignore
    pub const ALL: [Outcome; 4] = [
        Outcome::Unknown,
        Outcome::Paid,
        Outcome::NotPaid,
        Outcome::Refunded,
    ];

    /// The stable upper-case name, e.g. `"NOT_PAID"`.
    pub fn name(self) -> &'static str {
        self.c_name().to_str().expect("names are ASCII")
    }

    /// [`Outcome::name`] as a C string.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            Outcome::Unknown => c"UNKNOWN",
            Outcome::Paid => c"PAID",
            Outcome::NotPaid => c"NOT_PAID",
            Outcome::Refunded => c"REFUNDED",
        }
    }

    /// Whether the payment's fate is decided (anything but `Unknown`).
    pub fn is_final(self) -> bool {
        self != Outcome::Unknown
    }

    /// The outcome of a sent push that ended with `code` and no answer deciding it: not paid
    /// only when it provably charged nothing (it never left, or DOKU refused it with a 4xx);
    /// anything else may be paid.
    pub(crate) fn of_unanswered_push(code: ResultCode) -> Outcome {
        match code {
            ResultCode::NotSent | ResultCode::Rejected => Outcome::NotPaid,
            _ => Outcome::Unknown,
        }
    }
}

/// Which request a payment (`ovo_payment`) describes. Values are explicit and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A push payment (`POST /ovo-emoney/v1/payment`), or its refusal.
    Push = 1,
    /// A status check (`GET /orders/v1/status/{invoice}`).
    StatusCheck = 2,
}

/// What libovo was asked for: the order as the caller gave it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order {
    /// `order.invoice_number`.
    pub invoice_number: String,
    /// `order.amount`, when known (a status check of an unknown push does not know it).
    pub amount: Option<i64>,
    /// `ovo_info.ovo_id`, when known.
    pub ovo_id: Option<String>,
}

/// Everything known about one push or status check, whatever happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// Push or status check.
    pub kind: Kind,
    /// `Ok` when DOKU gave a usable answer; otherwise why not (same as `error.code`).
    pub result: ResultCode,
    /// Paid, not paid, refunded, or unknown. For a push with reconcile on, the outcome of its
    /// last status check.
    pub outcome: Outcome,
    /// What was asked.
    pub order: Order,
    /// The `Request-Id` header sent (UUID v4); empty when nothing was sent.
    pub request_id: String,
    /// The HTTP status DOKU answered with; 0 when no answer came.
    pub http_status: u16,
    /// The response body as received (at most 1 MiB; the secret key, had a server echoed it,
    /// replaced by `***`), empty when none came.
    pub raw_body: Vec<u8>,
    /// The push answer, parsed and checked (a push that DOKU answered).
    pub response: Option<Response>,
    /// The status answer, parsed and checked (a status check that DOKU answered).
    pub status: Option<StatusAnswer>,
    /// For a push that libovo reconciled: its last status check.
    pub last_check: Option<Box<Payment>>,
    /// Why the call did not succeed (also the note on an answer that leaves the outcome open,
    /// e.g. code 40); `None` when `result` is `Ok` and there is nothing to add.
    pub error: Option<Error>,
    /// The caller cancelled the wait.
    pub cancelled: bool,
    /// Where the invoice stands in the journal, for a payment read from it.
    pub journal: Option<JournalInfo>,
}

/// A payment's row in the journal, as far as a caller reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalInfo {
    /// The row's state, e.g. `SENDING` or `PAID`.
    pub state: String,
    /// When the push was written (UTC, milliseconds).
    pub created_at: String,
    /// When the row last changed.
    pub updated_at: String,
}

impl Payment {
    /// A payment of `kind` for `order` sent as `request_id`, before its answer is known:
    /// result `Ok`, outcome `Unknown`, nothing else yet.
    pub fn new(kind: Kind, order: Order, request_id: &str) -> Payment {
        Payment {
            kind,
            result: ResultCode::Ok,
            outcome: Outcome::Unknown,
            order,
            request_id: request_id.to_owned(),
            http_status: 0,
            raw_body: Vec::new(),
            response: None,
            status: None,
            last_check: None,
            error: None,
            cancelled: false,
            journal: None,
        }
    }

    /// A payment of `kind` for `order` that ended with `error` before anything was sent.
    pub fn refused(kind: Kind, order: Order, error: Error, outcome: Outcome) -> Payment {
        Payment {
            result: error.code,
            outcome,
            error: Some(error),
            ..Payment::new(kind, order, "")
        }
    }

    /// A call of `kind` refused before anything was sent, about no order in particular (e.g. a
    /// NULL client): a push charged nothing (not paid); a status check learned nothing (unknown).
    pub fn refused_call(kind: Kind, error: Error) -> Payment {
        let outcome = match kind {
            Kind::Push => Outcome::NotPaid,
            Kind::StatusCheck => Outcome::Unknown,
        };
        Payment::refused(kind, Order::default(), error, outcome)
    }

    /// A call of `kind` that failed inside libovo (a caught panic): whether anything left is
    /// not known, so the outcome is unknown.
    pub fn internal(kind: Kind, error: Error) -> Payment {
        Payment::refused(kind, Order::default(), error, Outcome::Unknown)
    }

    /// The status answer this payment carries, its own or its last check's.
    pub fn status_answer(&self) -> Option<&StatusAnswer> {
        self.status
            .as_ref()
            .or_else(|| self.last_check.as_ref()?.status.as_ref())
    }

    /// Whether DOKU said it does not know the invoice (yet): the outcome stays unknown.
    pub fn not_found(&self) -> bool {
        self.status_answer().is_some_and(|s| s.not_found)
    }

    /// The message of the error or note, if any.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.message.as_str())
    }

    /// A text field (push answer, status answer or the order), `None` when absent or a number.
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::RequestInvoiceNumber => Some(&self.order.invoice_number),
            Field::RequestOvoId => self.order.ovo_id.as_deref(),
            Field::JournalState => self.journal.as_ref().map(|j| j.state.as_str()),
            Field::JournalCreatedAt => self.journal.as_ref().map(|j| j.created_at.as_str()),
            Field::JournalUpdatedAt => self.journal.as_ref().map(|j| j.updated_at.as_str()),
            f if f.is_status_field() => self.status_answer()?.text(f),
            f => self.response.as_ref()?.text(f),
        }
    }

    /// A number field (push answer, status answer or the order), `None` when absent or text.
    pub fn number(&self, field: Field) -> Option<i64> {
        match field {
            Field::RequestAmount => self.order.amount,
            f if f.is_status_field() => self.status_answer()?.number(f),
            f => self.response.as_ref()?.number(f),
        }
    }
}
