//! `ovo_payment`: the result of one push or status check, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use super::cstr::{c_string, free_raw};
use super::error::OvoError;
use super::panic::guard;
use crate::error::ResultCode;
use crate::payment::{Kind, Outcome, Payment};
use crate::response::Field;

/// The result of one push payment or status check: outcome, DOKU's answer, and the error if
/// any. Opaque. Immutable; safe to read from several threads at once.
pub struct OvoPayment {
    payment: Payment,
    error: Option<OvoError>,
    request_id: CString,
    /// The body as received plus a NUL terminator.
    raw_body: Vec<u8>,
    /// Text fields as C strings, made on first read.
    texts: Vec<OnceLock<Option<CString>>>,
    last_check: Option<Box<OvoPayment>>,
}

impl OvoPayment {
    /// Wraps a core payment.
    pub(crate) fn new(mut payment: Payment) -> Self {
        let last_check = payment
            .last_check
            .take()
            .map(|check| Box::new(OvoPayment::new(*check)));
        let error = payment.error.as_ref().map(OvoError::new);
        let mut raw_body = std::mem::take(&mut payment.raw_body);
        raw_body.push(0);
        OvoPayment {
            error,
            request_id: c_string(&payment.request_id),
            raw_body,
            texts: Field::all().iter().map(|_| OnceLock::new()).collect(),
            last_check,
            payment,
        }
    }
}

impl OvoPayment {
    /// Where `field` is read: a status field of a reconciled push comes from its last check.
    fn source(&self, field: Field) -> &Payment {
        match &self.last_check {
            Some(check) if field.is_status_field() && self.payment.status.is_none() => {
                &check.payment
            }
            _ => &self.payment,
        }
    }
}

/// Frees a payment (with its last check, if any). NULL does nothing. Freeing twice is
/// undefined behaviour; so is freeing a payment borrowed from another (`ovo_payment_last_check`).
/// Not while another thread reads `payment`.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_free(payment: *mut OvoPayment) {
    guard(|| (), || free_raw(payment))
}

/// What the call did: `OVO_RESULT_OK` when DOKU gave a usable answer, otherwise why not.
/// NULL gives `OVO_RESULT_INVALID_ARGUMENT`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_result(payment: *const OvoPayment) -> ResultCode {
    payment
        .as_ref()
        .map_or(ResultCode::InvalidArgument, |p| p.payment.result)
}

/// Whether the customer paid: `OVO_OUTCOME_PAID`, `OVO_OUTCOME_NOT_PAID`,
/// `OVO_OUTCOME_REFUNDED`, or `OVO_OUTCOME_UNKNOWN` (check the status with DOKU; never treat it
/// as failed). For a push that libovo reconciled, the outcome of its last status check.
/// NULL gives `OVO_OUTCOME_UNKNOWN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_outcome(payment: *const OvoPayment) -> Outcome {
    payment
        .as_ref()
        .map_or(Outcome::Unknown, |p| p.payment.outcome)
}

/// Which request this payment describes: `OVO_KIND_PUSH` or `OVO_KIND_STATUS_CHECK`.
/// NULL gives `OVO_KIND_PUSH`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_kind(payment: *const OvoPayment) -> Kind {
    payment.as_ref().map_or(Kind::Push, |p| p.payment.kind)
}

/// The error of a payment whose result is not `OVO_RESULT_OK`, else NULL (also for NULL
/// `payment`). Its message says what to do next. Borrowed: valid until
/// `ovo_payment_free(payment)`; do not free it. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_error(payment: *const OvoPayment) -> *const OvoError {
    payment
        .as_ref()
        .and_then(|p| p.error.as_ref())
        .map_or(ptr::null(), |e| e as *const _)
}

/// True when the caller cancelled the wait (`ovo_payment_cancel`): then the result is
/// `OVO_RESULT_OUTCOME_UNKNOWN` (or `OVO_RESULT_NOT_SENT` if nothing had left) and the customer
/// may still pay: check the status. False for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_cancelled(payment: *const OvoPayment) -> bool {
    payment.as_ref().is_some_and(|p| p.payment.cancelled)
}

/// True when a status check found no payment for the invoice (HTTP 404 or a not-found body;
/// for a push, its last check). DOKU may lag behind a push, so the outcome stays
/// `OVO_OUTCOME_UNKNOWN`: check again later, never treat it as not paid. False for NULL.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_not_found(payment: *const OvoPayment) -> bool {
    payment
        .as_ref()
        .is_some_and(|p| p.source(Field::TransactionStatus).not_found())
}

/// For a push that libovo reconciled (`ovo_config_set_reconcile`): its last status check, a
/// payment of kind `OVO_KIND_STATUS_CHECK` read with the same functions. NULL when no check was
/// made (or `payment` is NULL). Borrowed: valid until `ovo_payment_free(payment)`; do not free
/// it. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_last_check(payment: *const OvoPayment) -> *const OvoPayment {
    payment
        .as_ref()
        .and_then(|p| p.last_check.as_deref())
        .map_or(ptr::null(), |c| c as *const _)
}

/// The HTTP status DOKU answered with, or 0 when no answer came (or `payment` is NULL).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_http_status(payment: *const OvoPayment) -> u32 {
    payment.as_ref().map_or(0, |p| p.payment.http_status.into())
}

/// The `Request-Id` sent (a UUID v4), or `""` when nothing was sent because the call was
/// refused before (NULL `payment` gives `""` too). Borrowed: valid until
/// `ovo_payment_free(payment)`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_request_id(payment: *const OvoPayment) -> *const c_char {
    payment
        .as_ref()
        .map_or(c"".as_ptr(), |p| p.request_id.as_ptr())
}

/// The response body as received (at most 1 MiB; a secret key echoed by a server is replaced
/// by `***`), `""` when none came. Writes its length to `*len` when `len` is non-NULL; a NUL
/// follows the last byte, but the body itself may contain NUL bytes and is not guaranteed
/// UTF-8: use `*len`. Borrowed: valid until `ovo_payment_free(payment)`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_raw_body(
    payment: *const OvoPayment,
    len: *mut usize,
) -> *const c_char {
    let body: &[u8] = payment.as_ref().map_or(b"\0", |p| &p.raw_body);
    if !len.is_null() {
        *len = body.len() - 1;
    }
    body.as_ptr().cast()
}

/// A text field: of DOKU's push answer (`OVO_FIELD_STATUS`, `OVO_FIELD_RESPONSE_CODE`,
/// `OVO_FIELD_ACCOUNT_NAME`, ...), of a status answer (`OVO_FIELD_TRANSACTION_STATUS`, ...; on a
/// reconciled push, of its last check) or of the order as given (`OVO_FIELD_REQUEST_*`). NULL
/// when the field is absent, is a number field, is not an `OVO_FIELD_*` value, or no such answer
/// came. Borrowed: valid until `ovo_payment_free(payment)`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_text(payment: *const OvoPayment, field: u32) -> *const c_char {
    guard(ptr::null, || {
        let Some(p) = payment.as_ref() else {
            return ptr::null();
        };
        let Some(field) = Field::from_number(field) else {
            return ptr::null();
        };
        p.texts[field as usize - 1]
            .get_or_init(|| p.source(field).text(field).map(c_string))
            .as_ref()
            .map_or(ptr::null(), |t| t.as_ptr())
    })
}

/// A number field (`OVO_FIELD_AMOUNT`, `OVO_FIELD_CASH_USED`, `OVO_FIELD_CHECK_AMOUNT`,
/// `OVO_FIELD_REQUEST_AMOUNT`, ...): writes it to `*out` and returns true; returns false
/// (leaving `*out` alone) when the field is absent, is a text field, is not an `OVO_FIELD_*`
/// value, no such answer came, or `payment`/`out` is NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_number(
    payment: *const OvoPayment,
    field: u32,
    out: *mut i64,
) -> bool {
    let value = payment.as_ref().and_then(|p| {
        let field = Field::from_number(field)?;
        p.source(field).number(field)
    });
    match (value, out.is_null()) {
        (Some(v), false) => {
            *out = v;
            true
        }
        _ => false,
    }
}
