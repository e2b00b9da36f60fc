//! A payment as a sequence of steps (send a request, wait, done), and the two ways to run one:
//! on the caller's thread, or on libovo's threads with a callback at the end.
//!
//! The push and status-check logic ([`crate::push`], [`crate::check`]) is written once as a
//! [`Flow`]; [`run`] and [`spawn`] only carry out its steps.

use std::sync::Arc;
use std::time::Duration;

use crate::cancel::{self, CancelToken};
use crate::error::{Error, ResultCode};
use crate::http::{Answer, Failure, Http, Request};
use crate::payment::{Kind, Order, Outcome, Payment};

/// What a flow wants next.
pub(crate) enum Step {
    /// Send this request once and report its result with [`Flow::answered`].
    Send(Request),
    /// Pause, then report with [`Flow::waited`] (`true` when the pause ended by a cancel).
    Wait(Duration),
    /// The flow is over.
    Done(Box<Payment>),
}

/// A payment's logic, step by step.
pub(crate) trait Flow: Send {
    /// The first step.
    fn start(&mut self) -> Step;
    /// The result of the request of the last `Send` step.
    fn answered(&mut self, result: Result<Answer, Failure>) -> Step;
    /// The end of the last `Wait` step.
    fn waited(&mut self, cancelled: bool) -> Step;
    /// What the flow is about (for the payment a broken flow still reports).
    fn order(&self) -> &Order;
}

/// Runs `flow` on the caller's thread.
pub(crate) fn run(flow: &mut dyn Flow, http: &Http, cancel: Option<&CancelToken>) -> Payment {
    let mut step = flow.start();
    loop {
        step = match step {
            Step::Send(request) => flow.answered(http.send(&request, cancel)),
            Step::Wait(pause) => flow.waited(cancel::sleep(cancel, pause)),
            Step::Done(payment) => return *payment,
        };
    }
}

/// Receives the end of an async flow.
pub(crate) type Callback = Box<dyn FnOnce(Payment) + Send>;

/// Calls its callback exactly once: with the payment, or (if the flow is dropped half-way, a
/// bug) with an internal-error payment whose outcome is unknown.
struct Once {
    callback: Option<Callback>,
    order: Order,
}

impl Once {
    fn call(mut self, payment: Payment) {
        if let Some(callback) = self.callback.take() {
            callback(payment);
        }
    }
}

impl Drop for Once {
    fn drop(&mut self) {
        if let Some(callback) = self.callback.take() {
            let error = Error::new(
                ResultCode::Internal,
                "internal error in libovo: the payment's processing stopped half-way; \
                 check its status with DOKU before charging again",
            );
            callback(Payment::refused(
                Kind::Push,
                std::mem::take(&mut self.order),
                error,
                Outcome::Unknown,
            ));
        }
    }
}

/// Runs `flow` on libovo's threads: its first step on the caller's thread (so refusals and
/// the journal's record happen before this returns), the rest on the I/O and dispatcher
/// threads; `callback` runs on the dispatcher thread. Fails (and never calls back) only when
/// the threads cannot be started, before the flow begins.
pub(crate) fn spawn(
    mut flow: Box<dyn Flow>,
    http: Arc<Http>,
    cancel: Option<CancelToken>,
    callback: Callback,
) -> Result<(), Error> {
    http.dispatch(Box::new(|| {}))?; // starts the threads, or fails before anything happens
    let done = Once {
        callback: Some(callback),
        order: flow.order().clone(),
    };
    let step = flow.start();
    drive(flow, step, http, cancel, done);
    Ok(())
}

fn drive(
    mut flow: Box<dyn Flow>,
    step: Step,
    http: Arc<Http>,
    cancel: Option<CancelToken>,
    done: Once,
) {
    match step {
        Step::Done(payment) => {
            let _ = http.dispatch(Box::new(move || done.call(*payment)));
        }
        Step::Send(request) => {
            let back = Arc::clone(&http);
            let token = cancel.clone();
            let _ = http.submit(
                &request,
                cancel,
                Box::new(move |result| {
                    let next = Arc::clone(&back);
                    let _ = back.dispatch(Box::new(move || {
                        let step = flow.answered(result);
                        drive(flow, step, next, token, done);
                    }));
                }),
            );
        }
        Step::Wait(pause) => {
            let back = Arc::clone(&http);
            let token = cancel.clone();
            let _ = http.after(
                pause,
                cancel,
                Box::new(move |cancelled| {
                    let next = Arc::clone(&back);
                    let _ = back.dispatch(Box::new(move || {
                        let step = flow.waited(cancelled);
                        drive(flow, step, next, token, done);
                    }));
                }),
            );
        }
    }
}
