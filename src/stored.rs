//! Payments rebuilt from their journal rows, and journal states from payments.

use crate::error::{Error, ResultCode};
use crate::journal::{Entry, JournalState};
use crate::payment::{JournalInfo, Kind, Order, Outcome, Payment};
use crate::response::Response;
use crate::status::StatusAnswer;
use crate::validate::PaymentFields;

/// The payment a journal row describes, nothing sent to make it: the push as recorded (its
/// result, its answer's fields) with the row's outcome, and, when a status check was recorded,
/// that check as its last check (as for a reconciled push: the outcome may be the check's
/// while the result stays the push's own). The row's state and times either way.
pub(crate) fn payment_of(entry: &Entry) -> Payment {
    let order = Order {
        invoice_number: entry.invoice.clone(),
        amount: Some(entry.amount),
        ovo_id: Some(entry.ovo_id.clone()),
    };
    let mut p = Payment::new(Kind::Push, order.clone(), &entry.request_id);
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
    p.result = match entry.state {
        JournalState::NotSent => ResultCode::NotSent,
        JournalState::Rejected => ResultCode::Rejected,
        JournalState::Sending => ResultCode::OutcomeUnknown,
        _ => entry
            .result
            .as_deref()
            .and_then(ResultCode::from_name)
            .unwrap_or(ResultCode::OutcomeUnknown),
    };
    // The check is kept when it decided what the push's own answer left open.
    let push_decided = matches!(entry.state, JournalState::NotSent | JournalState::Rejected)
        || (p.result == ResultCode::Ok
            && p.response
                .as_ref()
                .is_some_and(|r| r.status != crate::Status::Timeout));
    p.last_check = last_check(entry, order).filter(|c| !push_decided && c.outcome == p.outcome);
    let stored = entry.message.clone().filter(|m| !m.is_empty());
    let message = match entry.state {
        JournalState::Sending => Some(
            "the push was in flight when libovo last wrote the journal (the program may have \
             stopped): its outcome is unknown; settle it with a status check"
                .to_owned(),
        ),
        _ if p.result == ResultCode::Ok => None,
        state if state.is_final() && p.last_check.is_some() => Some(format!(
            "the push got no usable answer; a status check recorded in the journal decided it: \
             {}",
            p.outcome.name()
        )),
        _ => Some(stored.unwrap_or_else(|| match entry.state {
            JournalState::NotSent => {
                "the request was not sent (recorded in the journal)".to_owned()
            }
            JournalState::Rejected => {
                "DOKU rejected the request (recorded in the journal)".to_owned()
            }
            _ => "the outcome of this push is unknown: settle it with a status check".to_owned(),
        })),
    };
    p.error = message.map(|m| Error::new(p.result, m));
    p.journal = Some(JournalInfo {
        state: entry.state.as_str().to_owned(),
        created_at: entry.created_at.clone(),
        updated_at: entry.updated_at.clone(),
    });
    p
}

/// The status check recorded on the row, as a payment of its own.
fn last_check(entry: &Entry, order: Order) -> Option<Box<Payment>> {
    let raw = entry.check_raw.as_deref()?;
    let answer = StatusAnswer::parse(raw, &entry.invoice).ok()?;
    let mut check = Payment::new(
        Kind::StatusCheck,
        order,
        entry.check_request_id.as_deref().unwrap_or_default(),
    );
    check.http_status = 200; // only a 2xx answer parses
    check.raw_body = raw.to_vec();
    check.outcome = answer.outcome();
    check.status = Some(answer);
    Some(Box::new(check))
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
