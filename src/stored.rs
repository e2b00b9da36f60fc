//! Payments rebuilt from their journal rows, and journal states from payments.

use crate::error::{Error, ResultCode};
use crate::journal::{Entry, JournalState};
use crate::payment::{JournalInfo, Kind, Order, Outcome, Payment};
use crate::response::Response;
use crate::status::StatusAnswer;
use crate::validate::PaymentFields;

/// The payment a journal row describes: the push as recorded, its answer's fields, its last
/// status check's answer, and the row's state and times. Nothing is sent to make it.
pub(crate) fn payment_of(entry: &Entry) -> Payment {
    let order = Order {
        invoice_number: entry.invoice.clone(),
        amount: Some(entry.amount),
        ovo_id: Some(entry.ovo_id.clone()),
    };
    let mut p = Payment::new(Kind::Push, order, &entry.request_id);
    p.outcome = outcome_of(entry.state);
    p.http_status = entry.http_status.unwrap_or(0);
    p.raw_body = entry.raw_response.clone().unwrap_or_default();
    let fields = PaymentFields {
        client_id: &entry.client_id,
        invoice_number: &entry.invoice,
        amount: entry.amount,
        ovo_id: &entry.ovo_id,
    };
    p.response = Response::parse(&p.raw_body, &fields).ok();
    p.status = entry
        .check_raw
        .as_deref()
        .and_then(|raw| StatusAnswer::parse(raw, &entry.invoice).ok());
    // A decided row reads as a usable answer; a row that never reached DOKU, or was refused,
    // as what happened then; an open row as the unknown it is.
    p.result = match entry.state {
        JournalState::Paid | JournalState::NotPaid | JournalState::Refunded => ResultCode::Ok,
        JournalState::NotSent => ResultCode::NotSent,
        JournalState::Rejected => ResultCode::Rejected,
        JournalState::Sending | JournalState::Unknown => ResultCode::OutcomeUnknown,
    };
    let stored = entry.message.clone().filter(|m| !m.is_empty());
    let message =
        match entry.state {
            JournalState::Sending => Some(
                "the push was in flight when libovo last wrote the journal (the program may have \
             stopped): its outcome is unknown; settle it with a status check"
                    .to_owned(),
            ),
            JournalState::Unknown => Some(stored.unwrap_or_else(|| {
                "the outcome of this push is unknown: settle it with a status check".to_owned()
            })),
            JournalState::NotSent => Some(stored.unwrap_or_else(|| {
                "the request was not sent (recorded in the journal)".to_owned()
            })),
            JournalState::Rejected => Some(stored.unwrap_or_else(|| {
                "DOKU rejected the request (recorded in the journal)".to_owned()
            })),
            _ => None,
        };
    p.error = message.map(|m| Error::new(p.result, m));
    p.journal = Some(JournalInfo {
        state: entry.state.as_str().to_owned(),
        created_at: entry.created_at.clone(),
        updated_at: entry.updated_at.clone(),
    });
    p
}

/// What a row in `state` means for the payment.
pub(crate) fn outcome_of(state: JournalState) -> Outcome {
    match state {
        JournalState::Paid => Outcome::Paid,
        JournalState::NotPaid | JournalState::NotSent | JournalState::Rejected => Outcome::NotPaid,
        JournalState::Refunded => Outcome::Refunded,
        JournalState::Sending | JournalState::Unknown => Outcome::Unknown,
    }
}

/// The journal state a push's payment reports.
pub(crate) fn push_state(p: &Payment) -> JournalState {
    match (p.result, p.outcome) {
        (ResultCode::NotSent, _) => JournalState::NotSent,
        (ResultCode::Rejected, _) => JournalState::Rejected,
        (_, Outcome::Paid) => JournalState::Paid,
        (_, Outcome::NotPaid) => JournalState::NotPaid,
        (_, Outcome::Refunded) => JournalState::Refunded,
        (_, Outcome::Unknown) => JournalState::Unknown,
    }
}

/// The journal state a status check reports (only DOKU's word on the payment is final).
pub(crate) fn check_state(p: &Payment) -> JournalState {
    match p.outcome {
        Outcome::Paid => JournalState::Paid,
        Outcome::NotPaid => JournalState::NotPaid,
        Outcome::Refunded => JournalState::Refunded,
        Outcome::Unknown => JournalState::Unknown,
    }
}
