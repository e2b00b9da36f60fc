//! A status check (DOKU's Check Status API), alone or as a step of a reconciling push.

use std::sync::Arc;
use std::time::Instant;

use uuid::Uuid;

use crate::client::Core;
use crate::config::STATUS_PATH;
use crate::error::{Error, ResultCode};
use crate::flow::{Flow, Step};
use crate::http::{Answer, Failure, Request};
use crate::log::Level;
use crate::payment::{Kind, Order, Outcome, Payment};
use crate::push::log_answer;
use crate::status::{percent_encode, refused, StatusAnswer};
use crate::validate;

/// One status check of one invoice.
pub(crate) struct CheckFlow {
    core: Arc<Core>,
    order: Order,
    request_id: String,
    started: Instant,
}

impl CheckFlow {
    /// A check of `invoice_number`; `order` (amount and OVO ID) when the push is known.
    pub(crate) fn new(core: Arc<Core>, invoice_number: &str, order: Option<Order>) -> CheckFlow {
        CheckFlow {
            core,
            order: order.unwrap_or_else(|| Order {
                invoice_number: invoice_number.to_owned(),
                ..Order::default()
            }),
            request_id: String::new(),
            started: Instant::now(),
        }
    }
}

impl Flow for CheckFlow {
    fn start(&mut self) -> Step {
        if let Err(error) = validate::invoice_number(&self.order.invoice_number) {
            let refused = Payment::refused(
                Kind::StatusCheck,
                self.order.clone(),
                error,
                Outcome::Unknown,
            );
            return Step::Done(Box::new(self.core.seal(refused)));
        }
        let (request, id) = request(&self.core, &self.order.invoice_number);
        self.request_id = id;
        self.started = Instant::now();
        Step::Send(request)
    }

    fn answered(&mut self, result: Result<Answer, Failure>) -> Step {
        let payment = interpret(&self.core, self.order.clone(), &self.request_id, result);
        log_answer(&self.core, "status check", &payment, self.started);
        Step::Done(Box::new(self.core.seal(payment)))
    }

    fn waited(&mut self, _cancelled: bool) -> Step {
        unreachable!("a status check never waits")
    }

    fn order(&self) -> &Order {
        &self.order
    }
}

/// The signed `GET {prefix}/orders/v1/status/{invoice}` (the invoice percent-encoded; the
/// `Request-Target` signed is that path exactly as sent) and its fresh `Request-Id`.
pub(crate) fn request(core: &Core, invoice: &str) -> (Request, String) {
    let request_id = Uuid::new_v4().to_string();
    let path = format!(
        "{}{STATUS_PATH}{}",
        core.http.prefix(),
        percent_encode(invoice)
    );
    let headers = core.headers(&request_id, &path, None);
    core.log(Level::Info, || {
        format!("status check: sending invoice={invoice} request_id={request_id}")
    });
    let request = Request {
        method: "GET",
        path,
        headers,
        body: Vec::new(),
        timeout: core.status_timeout,
    };
    (request, request_id)
}

/// What a status check's result means. A decided answer also settles the invoice in the
/// client's book. The outcome is unknown unless DOKU answered with a final status.
pub(crate) fn interpret(
    core: &Core,
    order: Order,
    request_id: &str,
    result: Result<Answer, Failure>,
) -> Payment {
    let mut p = Payment::new(Kind::StatusCheck, order, request_id);
    let error = match result {
        Err(f) => {
            p.http_status = f.http_status;
            p.cancelled = f.cancelled;
            Some(if f.sent {
                Error::new(
                    ResultCode::OutcomeUnknown,
                    format!(
                        "the status check was sent but no usable answer came back: {}",
                        f.reason
                    ),
                )
            } else {
                Error::new(
                    ResultCode::NotSent,
                    format!("the status check was not sent: {}", f.reason),
                )
            })
        }
        Ok(answer) => {
            p.http_status = answer.status;
            let body = core.redacted_body(answer.body);
            let error = match answer.status {
                200..=299 => match StatusAnswer::parse(&body, &p.order.invoice_number) {
                    Ok(status) => decide(&mut p, status),
                    Err(e) => Some(e),
                },
                404 => {
                    let not_found = StatusAnswer::not_found(&p.order.invoice_number);
                    decide(&mut p, not_found)
                }
                status => Some(refused(status, &core.summary(&body))),
            };
            p.raw_body = body;
            error
        }
    };
    if let Some(error) = error {
        p.result = error.code;
        p.error = Some(error);
    }
    if p.outcome.is_final() {
        core.book.settled(&p.order.invoice_number);
    }
    core.journal_check(&p);
    p
}

/// Applies a parsed answer (not found included: the outcome stays unknown); an error when it
/// cannot be trusted for this payment.
fn decide(p: &mut Payment, status: StatusAnswer) -> Option<Error> {
    let mismatch = match (p.order.amount, status.amount) {
        (Some(want), Some(got)) if want != got => Some(Error::new(
            ResultCode::OutcomeUnknown,
            format!(
                "the status answer does not match the push: order.amount is {got}, the push was \
                 for {want}; check the payment in DOKU's back office"
            ),
        )),
        _ => None,
    };
    if mismatch.is_none() {
        p.outcome = status.outcome();
    }
    p.status = Some(status);
    mismatch
}
