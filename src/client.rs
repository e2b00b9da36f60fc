//! The OVO push-payment client: validate, sign, send once, interpret.

use std::fmt;

use uuid::Uuid;

use crate::checksum::{checksum_unchecked, sign};
use crate::clock;
use crate::config::ClientConfig;
use crate::error::{Error, ResultCode};
use crate::http::{Answer, Http};
use crate::payment::Payment;
use crate::request::RequestBody;
use crate::response::{error_text, Response};
use crate::secret::Secret;
use crate::validate::{self, PaymentFields};

/// A configured connection to DOKU for one merchant. Immutable once built; share it freely
/// across threads (it is `Send + Sync`) and it reuses connections between payments.
pub struct Client {
    client_id: String,
    secret: Secret,
    target: String,
    http: Http,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("endpoint", &self.http.endpoint())
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
        Ok(Client {
            client_id: client_id.to_owned(),
            secret: Secret::new(secret_key.to_owned()),
            target: config.request_target(),
            http: Http::new(config, config.endpoint()?)?,
        })
    }

    /// The merchant's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL payments are POSTed to.
    pub fn endpoint(&self) -> &str {
        self.http.endpoint()
    }

    /// Checks a payment's fields against the spec's rules without sending anything.
    pub fn check_payment(
        &self,
        invoice_number: &str,
        amount: i64,
        ovo_id: &str,
    ) -> Result<(), Error> {
        self.fields(invoice_number, amount, ovo_id).validate()
    }

    fn fields<'a>(
        &'a self,
        invoice_number: &'a str,
        amount: i64,
        ovo_id: &'a str,
    ) -> PaymentFields<'a> {
        PaymentFields {
            client_id: &self.client_id,
            invoice_number,
            amount,
            ovo_id,
        }
    }

    /// Pushes a payment request to the customer's OVO app and blocks until DOKU answers
    /// (up to its 70 s hold) or the timeout passes. Sends at most one request, never retries.
    /// Always returns a [`Payment`]; its `result` and `outcome` say what happened.
    pub fn push_payment(&self, invoice_number: &str, amount: i64, ovo_id: &str) -> Payment {
        let fields = self.fields(invoice_number, amount, ovo_id);
        if let Err(error) = fields.validate() {
            return Payment::failed(error, String::new(), 0, Vec::new());
        }
        let check_sum = checksum_unchecked(&fields, self.secret.expose());
        let body = RequestBody::new(&fields, &check_sum).to_json();
        let request_id = Uuid::new_v4().to_string();
        let timestamp = clock::request_timestamp();
        let signed = sign(
            &self.client_id,
            &request_id,
            &timestamp,
            &self.target,
            &body,
            &self.secret,
        );
        let headers = [
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("Client-Id", self.client_id.as_str()),
            ("Request-Id", request_id.as_str()),
            ("Request-Timestamp", timestamp.as_str()),
            ("Request-Target", self.target.as_str()),
            ("Signature", signed.signature.as_str()),
        ];
        match self.http.post(&headers, &body) {
            Ok(answer) => self.interpret(answer, &fields, request_id),
            Err((error, status)) => {
                Payment::failed(self.redact(error), request_id, status, Vec::new())
            }
        }
    }

    fn interpret(&self, answer: Answer, fields: &PaymentFields<'_>, request_id: String) -> Payment {
        let Answer { status, body } = answer;
        // Redact before excerpting: a cut could otherwise leave a prefix of the key.
        let summary = || {
            error_text(
                self.secret
                    .redact(&String::from_utf8_lossy(&body))
                    .as_bytes(),
            )
        };
        let parsed = match status {
            200..=299 => Response::parse(&body, fields),
            400..=499 => Err(Error::new(
                ResultCode::Rejected,
                format!("DOKU rejected the request (HTTP {status}): {}", summary()),
            )),
            300..=399 => Err(Error::new(
                ResultCode::OutcomeUnknown,
                format!(
                    "DOKU answered with a redirect (HTTP {status}), which is never followed; \
                     check the payment status before trying again"
                ),
            )),
            _ => Err(Error::new(
                ResultCode::OutcomeUnknown,
                format!(
                    "DOKU answered HTTP {status} ({}); check the payment status before trying again",
                    summary()
                ),
            )),
        };
        match parsed {
            Ok(response) => Payment::answered(response, request_id, status, body),
            Err(error) => Payment::failed(self.redact(error), request_id, status, body),
        }
    }

    fn redact(&self, mut error: Error) -> Error {
        error.message = self.secret.redact(&error.message);
        error
    }
}
