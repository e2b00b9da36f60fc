//! The OVO client: push payments, check their status, and never lose track of an invoice.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::book::Book;
use crate::cancel::CancelToken;
use crate::check::CheckFlow;
use crate::checksum::sign;
use crate::clock;
use crate::config::{ClientConfig, Reconcile};
use crate::error::Error;
use crate::flow;
use crate::http::Http;
use crate::journal::Journal;
use crate::log::{self, Level};
use crate::payment::Payment;
use crate::push::PushFlow;
use crate::response::error_text;
use crate::secret::Secret;
use crate::stored;
use crate::validate;

/// A configured connection to DOKU for one merchant. Immutable once built; share it freely
/// across threads (it is `Send + Sync`); it reuses connections between requests. Clones are
/// cheap and share everything (connections, the invoices in flight).
#[derive(Clone)]
pub struct Client {
    core: Arc<Core>,
}

/// What every request of a client needs; shared with the payments in flight.
pub(crate) struct Core {
    pub(crate) client_id: String,
    pub(crate) secret: Secret,
    pub(crate) http: Arc<Http>,
    pub(crate) book: Arc<Book>,
    pub(crate) push_timeout: Duration,
    pub(crate) status_timeout: Duration,
    pub(crate) reconcile: Option<Reconcile>,
    pub(crate) journal: Option<Journal>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.core.client_id)
            .field("secret", &self.core.secret)
            .field("endpoint", &self.endpoint())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Checks the credentials and settings and builds the client (reads the CA file and the
    /// proxy environment now). Errors are `InvalidArgument` naming the field.
    pub fn new(client_id: &str, secret_key: &str, config: &ClientConfig) -> Result<Client, Error> {
        validate::client_id(client_id)?;
        validate::secret_key(secret_key)?;
        config.check_timeouts()?;
        let core = Core {
            client_id: client_id.to_owned(),
            secret: Secret::new(secret_key.to_owned()),
            http: Arc::new(Http::new(config)?),
            book: Arc::new(Book::default()),
            push_timeout: config.timeout,
            status_timeout: config.status_timeout,
            reconcile: config.reconcile,
            journal: config.journal.as_deref().map(Journal::open).transpose()?,
        };
        Ok(Client {
            core: Arc::new(core),
        })
    }

    /// The merchant's client id.
    pub fn client_id(&self) -> &str {
        &self.core.client_id
    }

    /// The URL payments are POSTed to.
    pub fn endpoint(&self) -> String {
        self.core.http.url(crate::config::PAYMENT_PATH)
    }

    /// Checks a payment's fields against the spec's rules without sending anything.
    pub fn check_payment(
        &self,
        invoice_number: &str,
        amount: i64,
        ovo_id: &str,
    ) -> Result<(), Error> {
        validate::PaymentFields {
            client_id: &self.core.client_id,
            invoice_number,
            amount,
            ovo_id,
        }
        .validate()
        .map_err(|error| self.core.seal_error(error))
    }

    /// `error` with every copy of the secret key (or of a long prefix of it) removed from its
    /// message, as in every error and payment the client hands out. For errors a caller builds
    /// about this client's calls (a C skin's NULL or non-UTF-8 argument).
    pub fn redact_error(&self, error: Error) -> Error {
        self.core.seal_error(error)
    }

    /// A payment of `kind` refused before anything was sent, for an argument the caller could
    /// not even pass (a C skin's NULL or non-UTF-8 string): not paid for a push, unknown for a
    /// status check, its message redacted like every payment the client hands out.
    pub fn refused(&self, kind: crate::Kind, error: Error) -> Payment {
        self.core.seal(Payment::refused_call(kind, error))
    }

    /// Pushes a payment request to the customer's OVO app and blocks until DOKU answers
    /// (up to its 70 s hold) or the timeout passes. Sends at most one request, never retries.
    /// Always returns a [`Payment`]; its `result` and `outcome` say what happened.
    pub fn push_payment(&self, invoice_number: &str, amount: i64, ovo_id: &str) -> Payment {
        self.push_payment_with(invoice_number, amount, ovo_id, None)
    }

    /// [`Client::push_payment`] that `cancel` can stop from another thread: the wait ends at
    /// once with `OutcomeUnknown` (or `NotSent` if nothing had left yet).
    pub fn push_payment_with(
        &self,
        invoice_number: &str,
        amount: i64,
        ovo_id: &str,
        cancel: Option<&CancelToken>,
    ) -> Payment {
        let mut push = PushFlow::new(Arc::clone(&self.core), invoice_number, amount, ovo_id);
        flow::run(&mut push, &self.core.http, cancel)
    }

    /// Pushes a payment without blocking: `done` gets the payment exactly once, on a libovo
    /// thread (refusals such as `InFlight` too). Bad arguments come back here instead (then
    /// `done` is never called and nothing was sent), and so does a failure to start libovo's
    /// threads (`NotSent`).
    pub fn push_payment_async(
        &self,
        invoice_number: &str,
        amount: i64,
        ovo_id: &str,
        cancel: Option<CancelToken>,
        done: impl FnOnce(Payment) + Send + 'static,
    ) -> Result<(), Error> {
        self.check_payment(invoice_number, amount, ovo_id)?;
        let push = PushFlow::new(Arc::clone(&self.core), invoice_number, amount, ovo_id);
        flow::spawn(
            Box::new(push),
            Arc::clone(&self.core.http),
            cancel,
            Box::new(done),
        )
        .map_err(|error| self.core.seal_error(error))
    }

    /// Asks DOKU for the status of `invoice_number` (Check Status API), once, blocking up to
    /// the status timeout. An answer that decides the payment (paid, not paid, refunded) also
    /// settles the invoice for this client: a push of it is no longer refused as unsettled.
    /// The answer is compared with this client's push of the invoice, when it knows one (its
    /// journal row or its open push), like [`Client::settle`]'s: a different amount decides
    /// nothing.
    pub fn check_status(&self, invoice_number: &str) -> Payment {
        let mut check = CheckFlow::new(
            Arc::clone(&self.core),
            invoice_number,
            self.pushed_order(invoice_number),
        );
        flow::run(&mut check, &self.core.http, None)
    }

    /// The order of this client's push of `invoice_number`: its journal row (a row that cannot
    /// be read gives none), else its open push in memory.
    fn pushed_order(&self, invoice_number: &str) -> Option<crate::Order> {
        match &self.core.journal {
            Some(journal) => journal
                .get(&self.core.client_id, invoice_number)
                .ok()
                .flatten()
                .map(|entry| stored::payment_of(&entry).order),
            None => self.core.book.open_order(invoice_number),
        }
    }
}

/// Settling the invoices whose outcome is open.
impl Client {
    /// The invoices whose outcome is not final: with a journal, every row of this client left
    /// `SENDING` (a crash, another lane in flight) or `UNKNOWN`, oldest first, across restarts
    /// and processes; without one, the pushes of this client (since it was made) that ended
    /// unknown and were not settled. Nothing is sent.
    pub fn unsettled(&self) -> Result<Vec<Payment>, Error> {
        match &self.core.journal {
            Some(journal) => Ok(journal
                .unsettled(&self.core.client_id)
                .map_err(|error| self.core.seal_error(error))?
                .iter()
                .map(|entry| self.core.seal(stored::payment_of(entry)))
                .collect()),
            None => Ok(self
                .core
                .book
                .open_pushes()
                .into_iter()
                .map(|open| {
                    let mut p = Payment::new(crate::Kind::Push, open.order, &open.request_id);
                    p.result = crate::ResultCode::OutcomeUnknown;
                    p.error = Some(Error::new(
                        crate::ResultCode::OutcomeUnknown,
                        "the push of this invoice ended with an unknown outcome: settle it with a \
                         status check before pushing it again",
                    ));
                    p
                })
                .collect()),
        }
    }

    /// Settles `invoice_number`: an open invoice is checked with DOKU (its amount compared with
    /// the push's) and the answer recorded; a row the journal holds as final is returned as
    /// stored, nothing sent. A row left `SENDING` whose request provably never left is already
    /// final (`NOT_SENT`). The returned payment's outcome is the invoice's.
    pub fn settle(&self, invoice_number: &str) -> Payment {
        let known = match &self.core.journal {
            Some(journal) => match journal.get(&self.core.client_id, invoice_number) {
                Ok(Some(entry)) if entry.state.is_final() => {
                    self.core.book.settled(invoice_number);
                    return self.core.seal(stored::payment_of(&entry));
                }
                Ok(Some(entry)) => Some(stored::payment_of(&entry).order),
                Ok(None) => None,
                Err(error) => {
                    let order = crate::Order {
                        invoice_number: invoice_number.to_owned(),
                        ..Default::default()
                    };
                    return self.core.seal(Payment::refused(
                        crate::Kind::StatusCheck,
                        order,
                        error,
                        crate::Outcome::Unknown,
                    ));
                }
            },
            None => self.core.book.open_order(invoice_number),
        };
        let mut check = CheckFlow::new(Arc::clone(&self.core), invoice_number, known);
        flow::run(&mut check, &self.core.http, None)
    }

    /// [`Client::settle`] for every invoice [`Client::unsettled`] lists, in that order.
    pub fn settle_all(&self) -> Result<Vec<Payment>, Error> {
        Ok(self
            .unsettled()?
            .iter()
            .map(|p| self.settle(&p.order.invoice_number))
            .collect())
    }
}

impl Core {
    /// The signed DOKU headers of one request (`body` for a POST, `None` for a GET).
    pub(crate) fn headers(
        &self,
        request_id: &str,
        target: &str,
        body: Option<&[u8]>,
    ) -> Vec<(&'static str, String)> {
        let timestamp = clock::request_timestamp();
        let signed = sign(
            &self.client_id,
            request_id,
            &timestamp,
            target,
            body,
            &self.secret,
        );
        let mut headers = Vec::with_capacity(7);
        if body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        headers.push(("Accept", "application/json".to_owned()));
        headers.push(("Client-Id", self.client_id.clone()));
        headers.push(("Request-Id", request_id.to_owned()));
        headers.push(("Request-Timestamp", timestamp));
        headers.push(("Request-Target", target.to_owned()));
        headers.push(("Signature", signed.signature));
        headers
    }

    /// Logs the line `make` builds, redacted, when a logger wants `level`.
    pub(crate) fn log(&self, level: Level, make: impl FnOnce() -> String) {
        if log::enabled(level) {
            log::emit(level, &self.secret.redact(&make()));
        }
    }

    /// A one-line summary of an error body, with the key redacted before it is cut.
    pub(crate) fn summary(&self, body: &[u8]) -> String {
        let summary = error_text(&self.secret.redact_bytes(body));
        self.secret.redact(&summary).into_owned()
    }

    /// `body` with any copy of the key replaced (what a payment keeps of a response).
    pub(crate) fn redacted_body(&self, body: Vec<u8>) -> Vec<u8> {
        match self.secret.redact_bytes(&body) {
            std::borrow::Cow::Borrowed(_) => body,
            std::borrow::Cow::Owned(clean) => clean,
        }
    }

    /// The payment as handed out: every message redacted (after all formatting).
    pub(crate) fn seal(&self, mut payment: Payment) -> Payment {
        payment.error = payment.error.map(|error| self.seal_error(error));
        if let Some(check) = payment.last_check.take() {
            payment.last_check = Some(Box::new(self.seal(*check)));
        }
        payment
    }

    /// `error` with its message redacted.
    pub(crate) fn seal_error(&self, mut error: Error) -> Error {
        if let std::borrow::Cow::Owned(clean) = self.secret.redact(&error.message) {
            error.message = clean;
        }
        error
    }
}
