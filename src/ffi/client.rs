//! `ovo_client` and the push-payment calls, blocking and with a callback.

use std::ffi::{c_char, c_void};

use super::cancel::OvoPaymentHandle;
use super::config::OvoConfig;
use super::cstr::{arg, free_raw, into_raw};
use super::error::{run, OvoError};
use super::panic::guard;
use super::payment::OvoPayment;
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::config::ClientConfig;
use crate::error::{Error, ResultCode};
use crate::payment::{Kind, Payment};
use crate::validate::{FIELD_CLIENT_ID, FIELD_INVOICE_NUMBER, FIELD_OVO_ID, FIELD_SECRET_KEY};

/// A configured connection to DOKU for one merchant. Opaque. Immutable once created: share it
/// across threads freely; it reuses connections between payments.
pub struct OvoClient {
    pub(crate) inner: Client,
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
        *out = into_raw(OvoClient { inner: client });
        Ok(())
    })
}

/// Frees a client. NULL does nothing. Like any object, it must not be freed while another
/// thread may still be entering a call with it. Payments already under way keep what they
/// need alive and finish normally: every `ovo_push_payment_async` that has returned, and a
/// blocking `ovo_push_payment` once it is waiting for DOKU. Freeing twice is undefined.
#[no_mangle]
pub unsafe extern "C" fn ovo_client_free(client: *mut OvoClient) {
    guard(|| (), || free_raw(client))
}

/// The order a C call names; a NULL or non-UTF-8 string is an error naming the parameter.
unsafe fn order(
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
) -> Result<(String, i64, String), Error> {
    Ok((
        arg(invoice_number, FIELD_INVOICE_NUMBER)?.to_owned(),
        amount,
        arg(ovo_id, FIELD_OVO_ID)?.to_owned(),
    ))
}

/// The client behind a C pointer; NULL is an error naming `client`.
pub(crate) unsafe fn client_of<'a>(client: *const OvoClient) -> Result<&'a OvoClient, Error> {
    client
        .as_ref()
        .ok_or_else(|| Error::invalid("client", "must not be NULL"))
}

/// `run` for a call about `client`: the error's message is redacted with the client's key, as
/// every message about a client is.
pub(crate) unsafe fn run_for(
    client: *const OvoClient,
    error_out: *mut *mut OvoError,
    body: impl FnOnce() -> Result<(), Error>,
) -> ResultCode {
    run(error_out, || {
        body().map_err(|error| match client.as_ref() {
            Some(c) => c.inner.redact_error(error),
            None => error,
        })
    })
}

/// Hands `payment` to `*out` (when `out` is non-NULL) and returns its result.
pub(crate) unsafe fn hand_out(payment: Payment, out: *mut *mut OvoPayment) -> ResultCode {
    let result = payment.result;
    if !out.is_null() {
        *out = into_raw(guard(
            || OvoPayment::new(internal(Kind::Push)),
            || OvoPayment::new(payment),
        ));
    }
    result
}

/// The payment a caught panic leaves: outcome unknown.
fn internal(kind: Kind) -> Payment {
    Payment::internal(kind, OvoError::panic())
}

unsafe fn push(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    handle: *const OvoPaymentHandle,
) -> Payment {
    guard(
        || internal(Kind::Push),
        || {
            let c = match client_of(client) {
                Ok(c) => c,
                Err(error) => return Payment::refused_call(Kind::Push, error),
            };
            match order(invoice_number, amount, ovo_id) {
                Ok((invoice, amount, ovo_id)) => {
                    let token = handle.as_ref().map(|h| &h.token);
                    // A clone, so the call keeps the client alive if another thread frees it.
                    c.inner
                        .clone()
                        .push_payment_with(&invoice, amount, &ovo_id, token)
                }
                Err(error) => c.inner.refused(Kind::Push, error),
            }
        },
    )
}

/// Pushes a payment to the customer's OVO app and blocks the calling thread until DOKU
/// answers (it holds the request up to 70 s while the customer approves) or the client's
/// timeout passes. Sends at most one request and never retries.
///
/// Returns the payment's result: `OVO_RESULT_OK` when DOKU answered SUCCESS, FAILED or
/// TIMEOUT (read the outcome), `OVO_RESULT_INVALID_ARGUMENT` (NULL `client`, NULL/non-UTF-8
/// strings, or a broken field rule: nothing sent), `OVO_RESULT_IN_FLIGHT` (this invoice is
/// being pushed on this client already), `OVO_RESULT_UNSETTLED` (an earlier push of it ended
/// unknown: check its status first), `OVO_RESULT_NOT_SENT`, `OVO_RESULT_OUTCOME_UNKNOWN`,
/// `OVO_RESULT_REJECTED` or `OVO_RESULT_INTERNAL`. With reconcile on, the outcome is the last
/// status check's. When `out` is non-NULL, `*out` always receives a payment (never NULL)
/// carrying the same result, the outcome, DOKU's fields and the error; the caller frees it with
/// `ovo_payment_free`. Thread-safe: many threads may push through one client at once.
#[no_mangle]
pub unsafe extern "C" fn ovo_push_payment(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    out: *mut *mut OvoPayment,
) -> ResultCode {
    hand_out(
        push(client, invoice_number, amount, ovo_id, std::ptr::null()),
        out,
    )
}

/// `ovo_push_payment` that another thread can stop with `ovo_payment_cancel(handle)` (a handle
/// from `ovo_payment_handle_new`; NULL makes it the same as `ovo_push_payment`). A cancelled
/// push returns promptly with `OVO_RESULT_OUTCOME_UNKNOWN` (or `OVO_RESULT_NOT_SENT` when
/// nothing had left) and `ovo_payment_cancelled()` true: the customer may still pay until DOKU's
/// 70 s window ends, so check the status before charging again. The handle is only borrowed;
/// one handle may serve several calls (one cancel stops them all). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_push_payment_cancellable(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    handle: *const OvoPaymentHandle,
    out: *mut *mut OvoPayment,
) -> ResultCode {
    hand_out(push(client, invoice_number, amount, ovo_id, handle), out)
}

/// A pointer the caller promised may cross threads.
struct UserData(*mut c_void);
// SAFETY: the caller of `ovo_push_payment_async` hands `userdata` to a library thread.
unsafe impl Send for UserData {}

/// Pushes a payment like `ovo_push_payment` but returns at once; the result arrives through
/// `callback(userdata, payment)` on a libovo thread.
///
/// Arguments are checked before returning. On `OVO_RESULT_OK` the callback is called exactly
/// once and owns the payment it receives (whatever the payment's own result, refusals such as
/// `OVO_RESULT_IN_FLIGHT` included). On any other result the callback is never called and
/// nothing was sent: `OVO_RESULT_INVALID_ARGUMENT` (NULL `client` or `callback`, bad strings or
/// fields) or `OVO_RESULT_NOT_SENT` (libovo's threads could not be started); when `error` is
/// non-NULL `*error` receives an `ovo_error` (free it with `ovo_error_free`), else NULL.
///
/// When `handle` is non-NULL, `*handle` receives a new `ovo_payment_handle` on success (else
/// NULL): `ovo_payment_cancel(*handle)` stops the wait (the callback then runs within 100 ms
/// with an unknown outcome); free it with `ovo_payment_handle_free` whenever you like, before or
/// after the callback. `userdata` is passed through untouched; it must stay valid until the
/// callback runs. The client may be freed while the payment is in flight. Callbacks of one
/// client run one at a time, in order, on one libovo thread: return promptly. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_push_payment_async(
    client: *const OvoClient,
    invoice_number: *const c_char,
    amount: i64,
    ovo_id: *const c_char,
    callback: OvoPaymentCallback,
    userdata: *mut c_void,
    handle: *mut *mut OvoPaymentHandle,
    error: *mut *mut OvoError,
) -> ResultCode {
    if !handle.is_null() {
        *handle = std::ptr::null_mut();
    }
    run_for(client, error, || {
        let callback = callback.ok_or_else(|| Error::invalid("callback", "must not be NULL"))?;
        let client = client_of(client)?;
        let (invoice, amount, ovo_id) = order(invoice_number, amount, ovo_id)?;
        let token = (!handle.is_null()).then(CancelToken::new);
        let userdata = UserData(userdata);
        client.inner.push_payment_async(
            &invoice,
            amount,
            &ovo_id,
            token.clone(),
            move |payment| {
                let userdata = userdata;
                let payment = into_raw(guard(
                    || OvoPayment::new(internal(Kind::Push)),
                    || OvoPayment::new(payment),
                ));
                // SAFETY: the caller promised `callback` is callable from any thread.
                guard(|| (), || unsafe { callback(userdata.0, payment) });
            },
        )?;
        if let Some(token) = token {
            *handle = into_raw(OvoPaymentHandle { token });
        }
        Ok(())
    })
}

/// Asks DOKU for the status of `invoice_number` (Check Status API: `GET
/// {base}/orders/v1/status/{invoice}`, signed like a push but without a `Digest` line; the
/// invoice is percent-encoded outside `A-Z a-z 0-9 - . _ ~`, and the path signed as
/// `Request-Target` is that encoded path exactly as sent). Sends one request, never retried,
/// no redirects; blocks up to the status timeout (`ovo_config_set_status_timeout_ms`, 30 s).
///
/// Read the answer like a push's: `ovo_payment_kind` is `OVO_KIND_STATUS_CHECK`, the fields
/// `OVO_FIELD_TRANSACTION_STATUS`, `OVO_FIELD_CHECK_AMOUNT`, ... hold DOKU's answer. Outcome:
/// SUCCESS paid; FAILED, EXPIRED not paid; REFUNDED refunded; PENDING, TIMEOUT, anything else,
/// and "not found" (`ovo_payment_not_found`, HTTP 404) unknown: still open, check again later.
/// Result: `OVO_RESULT_OK` when DOKU answered (found or not), `OVO_RESULT_REJECTED` for a 4xx
/// such as a bad signature, `OVO_RESULT_NOT_SENT` / `OVO_RESULT_OUTCOME_UNKNOWN` for network
/// failures and 3xx/5xx (the outcome is then unknown), `OVO_RESULT_INVALID_ARGUMENT` for a bad
/// invoice (nothing sent). The answer is compared with this client's push of the invoice when it
/// knows one (journal row or open push): another amount decides nothing. A decided answer also
/// settles the invoice for this client (a push of it is no longer refused as unsettled). When `out` is non-NULL, `*out` always receives a
/// payment (free it with `ovo_payment_free`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_check_status(
    client: *const OvoClient,
    invoice_number: *const c_char,
    out: *mut *mut OvoPayment,
) -> ResultCode {
    invoice_call(client, invoice_number, out, |c, invoice| {
        c.check_status(invoice)
    })
}

/// A status-check call about one invoice (`ovo_check_status`, `ovo_client_settle`): a NULL
/// client or a NULL/non-UTF-8 invoice is refused, anything else is `call`'s payment.
pub(crate) unsafe fn invoice_call(
    client: *const OvoClient,
    invoice_number: *const c_char,
    out: *mut *mut OvoPayment,
    call: impl FnOnce(Client, &str) -> Payment,
) -> ResultCode {
    let payment = guard(
        || internal(Kind::StatusCheck),
        || match client_of(client) {
            // A clone, so the call keeps the client alive if another thread frees it.
            Ok(c) => match arg(invoice_number, FIELD_INVOICE_NUMBER) {
                Ok(invoice) => call(c.inner.clone(), invoice),
                Err(error) => c.inner.refused(Kind::StatusCheck, error),
            },
            Err(error) => Payment::refused_call(Kind::StatusCheck, error),
        },
    );
    hand_out(payment, out)
}
