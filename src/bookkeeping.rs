//! What a client writes to its journal, and when: the push before it leaves, its answer, and
//! every status check. Without a journal these are no-ops.

use crate::client::Core;
use crate::error::{Error, ResultCode};
use crate::journal::{Begin, CheckRecord, NewPush, PushRecord};
use crate::log::Level;
use crate::payment::{Kind, Order, Payment};
use crate::stored::{check_state, payment_of, push_state};

impl Core {
    /// Writes the push of `order` as `SENDING` before it is sent. `Err` is the payment to
    /// return instead, nothing sent: the journal holds the invoice as paid, unsettled or used,
    /// or cannot be written (then `NotSent`, naming the journal).
    pub(crate) fn journal_push(&self, order: &Order, request_id: &str) -> Result<(), Box<Payment>> {
        let Some(journal) = &self.journal else {
            return Ok(());
        };
        let push = NewPush {
            client_id: &self.client_id,
            invoice: &order.invoice_number,
            amount: order.amount.unwrap_or_default(),
            ovo_id: order.ovo_id.as_deref().unwrap_or_default(),
            request_id,
        };
        let begin = match journal.begin_push(&push) {
            Ok(Begin::Go) => return Ok(()),
            Ok(begin) => begin,
            Err(error) => {
                let refused =
                    Payment::refused(Kind::Push, order.clone(), error, crate::Outcome::NotPaid);
                return Err(Box::new(refused));
            }
        };
        let message = begin.refusal().map(|e| e.message).unwrap_or_default();
        let (code, entry) = match begin {
            Begin::AlreadyPaid(e) => (ResultCode::AlreadyPaid, e),
            Begin::Unsettled(e) => (ResultCode::Unsettled, e),
            Begin::InvoiceUsed(e) => (ResultCode::InvoiceUsed, e),
            Begin::Go => unreachable!("handled above"),
        };
        let mut stored = payment_of(&entry);
        stored.result = code;
        stored.error = Some(Error {
            code,
            field: Some(crate::validate::FIELD_INVOICE_NUMBER),
            message,
        });
        Err(Box::new(stored))
    }

    /// Records a push's answer (or that it never left). A failure here cannot undo the push:
    /// the row stays `SENDING` (listed as unsettled) and an error line is logged.
    pub(crate) fn journal_answer(&self, p: &Payment) {
        let Some(journal) = &self.journal else {
            return;
        };
        let message = self.secret.redact(p.message().unwrap_or_default());
        let message = message.as_ref();
        let recorded = if p.result == ResultCode::NotSent {
            journal.record_not_sent(
                &self.client_id,
                &p.order.invoice_number,
                &p.request_id,
                message,
            )
        } else {
            journal.record_push(&PushRecord {
                client_id: &self.client_id,
                invoice: &p.order.invoice_number,
                request_id: &p.request_id,
                state: push_state(p),
                result: p.result,
                doku_status: p.response.as_ref().map(|r| r.status.as_str()),
                response_code: p.response.as_ref().map(|r| r.response_code.as_str()),
                http_status: p.http_status,
                raw_response: &p.raw_body,
                message,
            })
        };
        self.journal_failed("push answer", &p.order.invoice_number, recorded);
    }

    /// Records a status check's answer on the invoice's row (if the journal has one).
    pub(crate) fn journal_check(&self, p: &Payment) {
        let Some(journal) = &self.journal else {
            return;
        };
        let invoice = &p.order.invoice_number;
        match journal.get(&self.client_id, invoice) {
            Ok(Some(_)) => {}
            Ok(None) => return,
            Err(e) => return self.journal_failed("status check", invoice, Err(e)),
        }
        let answer = p.status.as_ref();
        let message = self.secret.redact(p.message().unwrap_or_default());
        let recorded = journal.record_check(&CheckRecord {
            client_id: &self.client_id,
            invoice,
            check_request_id: &p.request_id,
            state: check_state(p),
            check_status: answer.and_then(|s| s.status.as_deref()),
            response_code: answer.and_then(|s| s.response_code.as_deref()),
            http_status: p.http_status,
            raw_response: &p.raw_body,
            message: &message,
        });
        self.journal_failed("status check", invoice, recorded);
    }

    fn journal_failed(&self, what: &str, invoice: &str, recorded: Result<(), Error>) {
        if let Err(e) = recorded {
            self.log(Level::Error, || {
                format!(
                    "journal: could not record the {what} of invoice={invoice} ({}); the row \
                     stays open and will be listed as unsettled",
                    e.message
                )
            });
        }
    }
}
