//! The window of a held push, enforced apart from its HTTP request: a push whose client
//! hung up stays payable until its deadline, and scripted wallets still answer on time.

use std::sync::Arc;
use std::time::Instant;

use crate::app::App;
use crate::ledger::{Action, ControlError, Finished, Held};
use crate::log;

/// Spawns the timer of the push `invoice`: the scripted wallet's answer at its time, then
/// `TIMEOUT` at the deadline (each a no-op if someone settled it first).
pub fn enforce(app: Arc<App>, invoice: String, held: &Held) {
    let (deadline, auto) = (held.deadline, held.auto);
    tokio::spawn(async move {
        if let Some((at, action)) = auto {
            if at < deadline {
                // A zero approve delay answers at once (a timer would wait for its next tick).
                if at > Instant::now() {
                    tokio::time::sleep_until(at.into()).await;
                }
                let _ = settle(&app, &invoice, action);
            }
        }
        tokio::time::sleep_until(deadline.into()).await;
        let _ = settle(&app, &invoice, Action::Timeout);
    });
}

/// Ends the held push `invoice` with `action`; logs it when its client was already gone.
pub fn settle(app: &App, invoice: &str, action: Action) -> Result<Arc<Finished>, ControlError> {
    let done = app.ledger.settle(invoice, action)?;
    if done.abandoned {
        let o = &done.outcome;
        log::line(
            app,
            &format!(
                "abandoned push invoice={} ended {} {}",
                log::printable(invoice, 64),
                o.status,
                o.response_code
            ),
        );
    }
    Ok(done)
}

/// Marks `invoice` abandoned when dropped while armed: the request future was dropped
/// because the client hung up (not when the server itself stops).
pub struct AbandonOnDrop<'a> {
    app: &'a App,
    invoice: &'a str,
    since: Instant,
    armed: bool,
}

impl<'a> AbandonOnDrop<'a> {
    /// Armed guard for the held push `invoice`.
    pub fn new(app: &'a App, invoice: &'a str) -> AbandonOnDrop<'a> {
        AbandonOnDrop {
            app,
            invoice,
            since: Instant::now(),
            armed: true,
        }
    }

    /// The request got its outcome: nothing to mark.
    pub fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for AbandonOnDrop<'_> {
    fn drop(&mut self) {
        let stopping = self.app.stopping.load(std::sync::atomic::Ordering::Relaxed);
        if self.armed && !stopping && self.app.ledger.abandon(self.invoice) {
            let waited = self.since.elapsed().as_secs_f64();
            log::line(
                self.app,
                &format!(
                    "POST {} invoice={} -> client gone after {waited:.1} s; push abandoned, \
                     still payable until its window ends",
                    crate::validate::PAYMENT_PATH,
                    log::printable(self.invoice, 64),
                ),
            );
        }
    }
}
