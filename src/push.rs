//! A push payment: claim the invoice, sign and send the push once, decide what DOKU's answer
//! means, and (with reconcile on) check the status until the outcome is known.

use std::sync::Arc;
use std::time::Instant;

use uuid::Uuid;

use crate::book::{Book, Busy, Ticket};
use crate::check;
use crate::checksum::checksum_unchecked;
use crate::client::Core;
use crate::config::PAYMENT_PATH;
use crate::error::{Error, ResultCode};
use crate::flow::{Flow, Step};
use crate::http::{Answer, Failure, Request};
use crate::log::Level;
use crate::payment::{Kind, Order, Outcome, Payment};
use crate::reconcile::next_pause;
use crate::request::RequestBody;
use crate::response::{Response, Status};
use crate::validate::{PaymentFields, FIELD_INVOICE_NUMBER};

/// One push, from claim to outcome.
pub(crate) struct PushFlow {
    core: Arc<Core>,
    order: Order,
    amount: i64,
    ovo_id: String,
    ticket: Option<Ticket>,
    request_id: String,
    started: Instant,
    /// The push's own result, once answered (while reconciling).
    push: Option<Payment>,
    /// When reconciling began, and how many checks were made.
    reconciling: Option<(Instant, u32)>,
    check_id: String,
    check_started: Instant,
}

impl PushFlow {
    /// A push of `amount` to `ovo_id` for `invoice_number` (checked when it starts).
    pub(crate) fn new(
        core: Arc<Core>,
        invoice_number: &str,
        amount: i64,
        ovo_id: &str,
    ) -> PushFlow {
        PushFlow {
            core,
            order: Order {
                invoice_number: invoice_number.to_owned(),
                amount: Some(amount),
                ovo_id: Some(ovo_id.to_owned()),
            },
            amount,
            ovo_id: ovo_id.to_owned(),
            ticket: None,
            request_id: String::new(),
            started: Instant::now(),
            push: None,
            reconciling: None,
            check_id: String::new(),
            check_started: Instant::now(),
        }
    }

    fn fields(&self) -> PaymentFields<'_> {
        PaymentFields {
            client_id: &self.core.client_id,
            invoice_number: &self.order.invoice_number,
            amount: self.amount,
            ovo_id: &self.ovo_id,
        }
    }

    /// Refuses the push for its invoice number (`rule` says why), nothing sent. The error names
    /// no field (C callers have always seen `ovo_error_field` NULL here, and the C tests pin
    /// it); its message starts with the invoice number's field name.
    fn refuse(&self, code: ResultCode, outcome: Outcome, rule: &str) -> Step {
        let error = Error::new(code, format!("{FIELD_INVOICE_NUMBER}: {rule}"));
        self.log_refusal(code, &error.message);
        self.finish(Payment::refused(
            Kind::Push,
            self.order.clone(),
            error,
            outcome,
        ))
    }

    fn log_refusal(&self, code: ResultCode, message: &str) {
        let invoice = &self.order.invoice_number;
        self.core.log(Level::Warn, || {
            format!(
                "push refused: invoice={invoice} result={}: {message}",
                code.name()
            )
        });
    }

    fn finish(&self, payment: Payment) -> Step {
        Step::Done(Box::new(self.core.seal(payment)))
    }

    fn end(&mut self, payment: Payment) -> Step {
        if let Some(ticket) = self.ticket.take() {
            ticket.end(payment.outcome == Outcome::Unknown, &payment.request_id);
        }
        self.finish(payment)
    }

    /// The push's answer arrived: decide, log, and reconcile when it is unknown.
    fn pushed(&mut self, result: Result<Answer, Failure>) -> Step {
        let payment = interpret(
            &self.core,
            &self.fields(),
            self.order.clone(),
            &self.request_id,
            result,
        );
        log_answer(&self.core, "push", &payment, self.started);
        self.core.journal_answer(&payment);
        match self.core.reconcile {
            Some(r) if payment.outcome == Outcome::Unknown && !payment.cancelled => {
                self.push = Some(payment);
                self.reconciling = Some((Instant::now(), 0));
                Step::Wait(next_pause(&r, 0, std::time::Duration::ZERO).unwrap_or_default())
            }
            _ => self.end(payment),
        }
    }

    /// The wait for a reconcile check (or the check itself) was cancelled: the push ends
    /// unknown and cancelled, the customer may still pay.
    fn reconcile_cancelled(&mut self, mut push: Payment) -> Step {
        push.cancelled = true;
        push.result = ResultCode::OutcomeUnknown;
        push.error = Some(Error::new(
            ResultCode::OutcomeUnknown,
            "the push ended with an unknown outcome and the wait for its status check was \
             cancelled: the customer may still pay until DOKU's 70 s window ends; check the \
             payment status with DOKU before charging again",
        ));
        let invoice = &self.order.invoice_number;
        self.core.log(Level::Warn, || {
            format!("push: reconcile cancelled invoice={invoice}: the outcome stays unknown; check the status")
        });
        self.end(push)
    }

    /// A reconcile check's answer arrived.
    fn checked(&mut self, result: Result<Answer, Failure>) -> Step {
        let check = check::interpret(&self.core, self.order.clone(), &self.check_id, result);
        log_answer(&self.core, "reconcile check", &check, self.check_started);
        let mut push = self.push.take().expect("reconciling a push");
        push.outcome = check.outcome;
        let cancelled = check.cancelled;
        push.last_check = Some(Box::new(check));
        if cancelled {
            return self.reconcile_cancelled(push);
        }
        let (since, checks) = self.reconciling.expect("reconciling");
        let pause = self
            .core
            .reconcile
            .and_then(|r| next_pause(&r, checks + 1, since.elapsed()));
        match pause {
            Some(pause) if push.outcome == Outcome::Unknown => {
                self.reconciling = Some((since, checks + 1));
                self.push = Some(push);
                Step::Wait(pause)
            }
            _ => self.end(push),
        }
    }
}

impl Flow for PushFlow {
    fn start(&mut self) -> Step {
        if let Err(error) = self.fields().validate() {
            return self.finish(Payment::refused(
                Kind::Push,
                self.order.clone(),
                error,
                Outcome::NotPaid,
            ));
        }
        if self.core.journal.is_some() {
            // The journal, shared with other lanes, decides about invoices left open (another
            // client on the file may have settled one): this client's memory only guards the
            // invoices it has in flight.
            self.core.book.settled(&self.order.invoice_number);
        }
        match Book::begin(&self.core.book, &self.order) {
            Ok(ticket) => self.ticket = Some(ticket),
            Err(Busy::InFlight) => {
                return self.refuse(
                    ResultCode::InFlight,
                    Outcome::Unknown,
                    "a push of this invoice is already in flight on this \
                     client; its answer decides the payment (nothing was sent)",
                )
            }
            Err(Busy::Open) => {
                return self.refuse(
                    ResultCode::Unsettled,
                    Outcome::Unknown,
                    "an earlier push of this invoice ended with an unknown \
                     outcome and may be paid: check its status with DOKU before pushing it again \
                     (nothing was sent)",
                )
            }
        }
        self.request_id = Uuid::new_v4().to_string();
        if let Err(stored) = self.core.journal_push(&self.order, &self.request_id) {
            if let Some(ticket) = self.ticket.take() {
                ticket.end(false, ""); // the journal decides this invoice
            }
            self.log_refusal(stored.result, stored.message().unwrap_or_default());
            return self.finish(*stored);
        }
        let fields = self.fields();
        let check_sum = checksum_unchecked(&fields, self.core.secret.expose());
        let check_sum = std::str::from_utf8(&check_sum).expect("hex is ASCII");
        let body = RequestBody::new(&fields, check_sum).to_json();
        let path = format!("{}{PAYMENT_PATH}", self.core.http.prefix());
        let headers = self.core.headers(&self.request_id, &path, Some(&body));
        let (invoice, amount, id) = (&self.order.invoice_number, self.amount, &self.request_id);
        self.core.log(Level::Info, || {
            format!("push: sending invoice={invoice} amount={amount} request_id={id}")
        });
        self.started = Instant::now();
        Step::Send(Request {
            method: "POST",
            path,
            headers,
            body,
            timeout: self.core.push_timeout,
        })
    }

    fn answered(&mut self, result: Result<Answer, Failure>) -> Step {
        if self.push.is_none() {
            self.pushed(result)
        } else {
            self.checked(result)
        }
    }

    fn waited(&mut self, cancelled: bool) -> Step {
        if cancelled {
            let push = self.push.take().expect("reconciling a push");
            return self.reconcile_cancelled(push);
        }
        let (request, id) = check::request(&self.core, &self.order.invoice_number);
        self.check_id = id;
        self.check_started = Instant::now();
        Step::Send(request)
    }

    fn order(&self) -> &Order {
        &self.order
    }
}

/// What a push's result means.
fn interpret(
    core: &Core,
    fields: &PaymentFields<'_>,
    order: Order,
    request_id: &str,
    result: Result<Answer, Failure>,
) -> Payment {
    let mut p = Payment::new(Kind::Push, order, request_id);
    let error = match result {
        Err(failure) => {
            p.http_status = failure.http_status;
            p.cancelled = failure.cancelled;
            Some(failed(&failure))
        }
        Ok(answer) => {
            p.http_status = answer.status;
            let body = core.redacted_body(answer.body);
            let status = answer.status;
            let refused = |code, text: String| Some(Error::new(code, text));
            let error = match status {
                200..=299 => match Response::parse(&body, fields) {
                    Ok(response) => decide(&mut p, response),
                    Err(e) => Some(e),
                },
                408 | 409 => refused(
                    ResultCode::OutcomeUnknown,
                    format!(
                        "DOKU answered HTTP {status} ({}): it may already hold a push of this \
                         invoice; check the payment status with DOKU before trying again",
                        core.summary(&body)
                    ),
                ),
                400..=499 => refused(
                    ResultCode::Rejected,
                    format!("DOKU rejected the request (HTTP {status}): {}", core.summary(&body)),
                ),
                300..=399 => refused(
                    ResultCode::OutcomeUnknown,
                    format!(
                        "DOKU answered with a redirect (HTTP {status}), which is never followed; \
                         check the payment status before trying again"
                    ),
                ),
                _ => refused(
                    ResultCode::OutcomeUnknown,
                    format!(
                        "DOKU answered HTTP {status} ({}); check the payment status before trying again",
                        core.summary(&body)
                    ),
                ),
            };
            p.raw_body = body;
            error
        }
    };
    if let Some(error) = error {
        p.outcome = Outcome::of_unanswered_push(error.code);
        p.result = error.code;
        p.error = Some(error);
    }
    p
}

/// The outcome of a parsed answer; an error when the answer leaves the outcome open.
fn decide(p: &mut Payment, response: Response) -> Option<Error> {
    let code = response.response_code.clone();
    let status = response.status;
    p.response = Some(response);
    let open = |text: String| Some(Error::new(ResultCode::OutcomeUnknown, text));
    match (status, code.as_str()) {
        (Status::Success, "00") => {
            p.outcome = Outcome::Paid;
            None
        }
        (Status::Failed, "40") => open(
            "DOKU answered FAILED with code 40 (invoice already used): this push charged nothing, \
             but the invoice was used before and that payment may be paid; check its status \
             with DOKU before charging again"
                .into(),
        ),
        (Status::Failed, "68") => open(
            "DOKU answered FAILED with code 68 (transaction pending / timeout at OVO): the \
             customer may still have paid; check the payment status with DOKU"
                .into(),
        ),
        (Status::Success, code) | (Status::Failed, code @ "00") => open(format!(
            "DOKU's answer contradicts itself (status {} with response code {code:?}); check the \
             payment status with DOKU",
            status.as_str()
        )),
        (Status::Failed, _) => {
            p.outcome = Outcome::NotPaid;
            None
        }
        (Status::Timeout, _) => None,
    }
}

/// The error of a push that got no usable answer.
fn failed(f: &Failure) -> Error {
    match (f.cancelled, f.sent) {
        (true, true) => Error::new(
            ResultCode::OutcomeUnknown,
            "the push was cancelled while waiting for DOKU's answer: the customer may still pay \
             until DOKU's 70 s window ends; check the payment status with DOKU before charging again",
        ),
        (true, false) => Error::new(
            ResultCode::NotSent,
            "the request was not sent: the push was cancelled before any of it reached DOKU",
        ),
        (false, true) => Error::new(
            ResultCode::OutcomeUnknown,
            format!(
                "the request was sent but no usable answer came back: {}; check the payment \
                 status with DOKU before trying again",
                f.reason
            ),
        ),
        (false, false) => Error::new(
            ResultCode::NotSent,
            format!("the request was not sent: {}", f.reason),
        ),
    }
}

/// One log line for an answer (or its absence): INFO when decided, WARN when open or
/// cancelled, ERROR when nothing usable came.
pub(crate) fn log_answer(core: &Core, what: &str, p: &Payment, started: Instant) {
    let level = match (p.result, p.outcome) {
        _ if p.cancelled => Level::Warn,
        (ResultCode::Ok, Outcome::Unknown) | (ResultCode::OutcomeUnknown, _) => Level::Warn,
        (ResultCode::Ok, _) => Level::Info,
        _ => Level::Error,
    };
    core.log(level, || {
        let status = p
            .response
            .as_ref()
            .map(|r| r.status.as_str())
            .or_else(|| p.status.as_ref().and_then(|s| s.status.as_deref()))
            .unwrap_or("-");
        let code = p
            .response
            .as_ref()
            .map(|r| r.response_code.as_str())
            .or_else(|| p.status.as_ref().and_then(|s| s.response_code.as_deref()))
            .unwrap_or("-");
        let mut line = format!(
            "{what}: invoice={} request_id={} result={} outcome={} http={} status={status} code={code} elapsed_ms={}",
            p.order.invoice_number,
            if p.request_id.is_empty() { "-" } else { &p.request_id },
            p.result.name(),
            p.outcome.name(),
            p.http_status,
            started.elapsed().as_millis()
        );
        if p.not_found() {
            line.push_str(" not_found=yes");
        }
        if let Some(message) = p.message() {
            line.push_str(": ");
            line.push_str(message);
        }
        line
    });
}
