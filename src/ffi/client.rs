//! `ovo_client` and the push-payment calls, blocking and with a callback.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::config::OvoConfig;
use super::cstr::{arg, free_raw, into_raw};
use super::error::{run, OvoError};
use super::panic::guard;
use super::payment::OvoPayment;
use crate::client::Client;
use crate::config::ClientConfig;
use crate::error::{Error, ResultCode};
use crate::payment::Payment;
use crate::validate::{FIELD_CLIENT_ID, FIELD_INVOICE_NUMBER, FIELD_OVO_ID, FIELD_SECRET_KEY};

/// A configured connection to DOKU for one merchant. Opaque. Immutable once created: share it
/// across threads freely; it reuses connections between payments.
pub struct OvoClient {
    inner: Arc<Client>,
}

/// Receives the result of `ovo_push_payment_async`, exactly once, on a library thread.
/// `payment` is never NULL and belongs to the callback: free it with `ovo_payment_free`
/// (now or later, from any thread). The callback must return normally: no unwinding, longjmp
/// or `pthread_exit` out of it (that aborts the process). A language runtime that stops
/// foreign threads at exit (CPython does) must wait for its callbacks before it exits.
pub type OvoPaymentCallback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, payment: *mut OvoPayment)>;

/// Creates a client from the merchant's credentials and settings (`config` may be NULL for the
/// defaults; it is only read, and may be freed right after). Reads the CA file and the proxy
/// environment now.
///
/// On success writes the client to `*out` (the caller frees it with `ovo_client_free`) and
/// returns `OVO_RESULT_OK`. Otherwise `*out` is NULL and the result is
/// `OVO_RESULT_INVALID_ARGUMENT` (a NULL, non-UTF-8 or invalid argument or setting); when
/// `error` is non-NULL, `*error` receives an `ovo_error` naming the field (free it with
/// `ovo_error_free`), else NULL. The secret key is copied and never shown in any message.
/// Fields named in errors: `client.id`, `secret_key`, `out`, and the settings `environment`,
/// `base_url`, `connect_timeout`, `timeout`, `ca_file`, `proxy`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_client_new(
    client_id: *const c_char,
    secret_key: *const c_char,
    config: *const OvoConfig,
    out: *mut *mut OvoClient,
    error: *mut *mut OvoError,
) -> ResultCode {
    if !out.is_null() {
        *out = std::ptr::null_mut();
    }
    run(error, || {
        if out.is_null() {
            return Err(Error::invalid("out", "must not be NULL"));
        }
        let client_id = arg(client_id, FIELD_CLIENT_ID)?;
        let secret_key = arg(secret_key, FIELD_SECRET_KEY)?;
        let config = match config.as_ref() {
            Some(config) => config.to_core()?,
            None => ClientConfig::default(),
        };
        let client = Client::new(client_id, secret_key, &config)?;
        *out = into_raw(OvoClient {
            inner: Arc::new(client),
        });
        Ok(())
    })
}

/// Frees a client. NULL does nothing. Like any object, it must not be freed while another
/// thread may still be entering a call with it. Payments already under way keep what they
/// need alive and finish normally: every `ovo_push_payment_async` that has returned, and a
/// blocking `ovo_push_payment` once it is waiting for DOKU. Freeing twice is undefined.
#[no_mangle]
pub unsafe extern "C" fn ovo_client_free(client: *mut OvoClient) {
    guard((), || free_raw(client))
}

/// The arguments of one push, copied so they can cross to another thread.
struct Push {
    client: Arc<Client>,
    invoice_number: String,
    amount: i64,
    ovo_id: String,
}

impl Push {
    /// Reads and checks the arguments; an error here means nothing was sent.
    unsafe fn read(
        client: *const OvoClient,
        invoice_number: *const c_char,
        amount: i64,
        ovo_id: *const c_char,
    ) -> Result<Push, Error> {
        let client = client
            .as_ref()
            .ok_or_else(|| Error::invalid("client", "must not be NULL"))?;
        let push = Push {
            client: Arc::clone(&client.inner),
            invoice_number: arg(invoice_number, FIELD_INVOICE_NUMBER)?.to_owned(),
            amount,
            ovo_id: arg(ovo_id, FIELD_OVO_ID)?.to_owned(),
        };
        push.client
            .check_payment(&push.invoice_number, push.amount, &push.ovo_id)?;
        Ok(push)
    }

    /// Sends the payment; a panic becomes an `OVO_RESULT_INTERNAL` payment with outcome unknown.
    fn send(self) -> Payment {
        guard(internal(), || {
            self.client
                .push_payment(&self.invoice_number, self.amount, &self.ovo_id)
        })
    }
}

fn internal() -> Payment {
    Payment::failed(OvoError::panic(), String::new(), 0, Vec::new())
}

/// Pushes a payment to the customer's OVO app and blocks the calling thread until DOKU
/// answers (it holds the request up to 70 s while the customer approves) or the client's
/// timeout passes. Sends at most one request and never retries.
///
/// Returns the payment's result: `OVO_RESULT_OK` when DOKU answered SUCCESS, FAILED or
/// TIMEOUT (read the outcome), `OVO_RESULT_INVALID_ARGUMENT` (NULL `client`, NULL/non-UTF-8
/// strings, or a broken field rule: nothing sent), `OVO_RESULT_NOT_SENT`,
/// `OVO_RESULT_OUTCOME_UNKNOWN`, `OVO_RESULT_REJECTED` or `OVO_RESULT_INTERNAL`.
/// When `out` is non-NULL, `*out` always receives a payment (never NULL) carrying the same
/// result, the outcome, DOKU's fields and the error; the caller frees it with `ovo_payment_free`.
/// Thread-safe: many threads may push through one client at once.
#[no_mangle]
pub unsafe extern "C" fn ovo_push_payment(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    out: *mut *mut OvoPayment,
) -> ResultCode {
    let payment = guard(internal(), || {
        match Push::read(client, invoice_number, amount, ovo_id) {
            Ok(push) => push.send(),
            Err(error) => Payment::failed(error, String::new(), 0, Vec::new()),
        }
    });
    let result = payment.result;
    if !out.is_null() {
        *out = into_raw(guard(OvoPayment::new(internal()), || {
            OvoPayment::new(payment)
        }));
    }
    result
}

/// A pointer the caller promised may cross threads.
struct UserData(*mut c_void);
// SAFETY: the caller of `ovo_push_payment_async` hands `userdata` to a library thread.
unsafe impl Send for UserData {}

/// Pushes a payment like `ovo_push_payment` but returns at once; the result arrives through
/// `callback(userdata, payment)` on a library thread.
///
/// Arguments are checked before returning. On `OVO_RESULT_OK` the callback is called exactly
/// once and owns the payment it receives (whatever the payment's own result). On any other
/// result the callback is never called and nothing was sent: `OVO_RESULT_INVALID_ARGUMENT`
/// (NULL `client` or `callback`, non-NULL `reserved`, bad strings or fields) or
/// `OVO_RESULT_NOT_SENT` (no thread could be started); when `error` is non-NULL `*error`
/// receives an `ovo_error` (free it with `ovo_error_free`), else NULL.
///
/// `reserved` must be NULL: a later version may hand back a cancellation handle through it.
/// `userdata` is passed through untouched; it must stay valid until the callback runs.
/// The client may be freed while the payment is in flight. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_push_payment_async(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    callback: OvoPaymentCallback,
    userdata: *mut c_void,
    reserved: *mut *mut c_void,
    error: *mut *mut OvoError,
) -> ResultCode {
    run(error, || {
        let callback = callback.ok_or_else(|| Error::invalid("callback", "must not be NULL"))?;
        if !reserved.is_null() {
            return Err(Error::invalid("reserved", "must be NULL in this version"));
        }
        let push = Push::read(client, invoice_number, amount, ovo_id)?;
        let userdata = UserData(userdata);
        std::thread::Builder::new()
            .name("ovo-payment".into())
            .spawn(move || {
                let userdata = userdata;
                let payment = into_raw(guard(OvoPayment::new(internal()), || {
                    OvoPayment::new(push.send())
                }));
                // SAFETY: the caller promised `callback` is callable from any thread.
                guard((), || unsafe { callback(userdata.0, payment) });
            })
            .map(drop)
            .map_err(|e| {
                Error::new(
                    ResultCode::NotSent,
                    format!("the request was not sent: cannot start a payment thread ({e})"),
                )
            })
    })
}
