//! `ovo_payment`: the result of one push payment, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;

use super::cstr::{c_string, free_raw};
use super::error::OvoError;
use super::panic::guard;
use crate::error::ResultCode;
use crate::payment::{Outcome, Payment};
use crate::response::Field;

/// The result of one push payment: outcome, DOKU's answer, and the error if any. Opaque.
/// Immutable; safe to read from several threads at once.
pub struct OvoPayment {
    payment: Payment,
    error: Option<OvoError>,
    request_id: CString,
    /// The body as received plus a NUL terminator.
    raw_body: Vec<u8>,
    texts: Vec<Option<CString>>,
}

impl OvoPayment {
    /// Wraps a core payment, preparing its C strings once.
    pub(crate) fn new(payment: Payment) -> Self {
        let texts = Field::all()
            .iter()
            .map(|&field| payment.response.as_ref()?.text(field).map(c_string))
            .collect();
        OvoPayment {
            error: payment.error.as_ref().map(OvoError::new),
            request_id: c_string(&payment.request_id),
            raw_body: payment.raw_body.iter().copied().chain([0]).collect(),
            texts,
            payment,
        }
    }
}

/// Frees a payment. NULL does nothing. Freeing twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_free(payment: *mut OvoPayment) {
    guard((), || free_raw(payment))
}

/// What the call did: `OVO_RESULT_OK` when DOKU gave a usable answer (SUCCESS, FAILED or
/// TIMEOUT), otherwise why not. NULL gives `OVO_RESULT_INVALID_ARGUMENT`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_result(payment: *const OvoPayment) -> ResultCode {
    payment
        .as_ref()
        .map_or(ResultCode::InvalidArgument, |p| p.payment.result)
}

/// Whether the customer paid: `OVO_OUTCOME_PAID`, `OVO_OUTCOME_NOT_PAID`, or
/// `OVO_OUTCOME_UNKNOWN` (check the status with DOKU; never treat it as failed).
/// NULL gives `OVO_OUTCOME_UNKNOWN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_outcome(payment: *const OvoPayment) -> Outcome {
    payment
        .as_ref()
        .map_or(Outcome::Unknown, |p| p.payment.outcome)
}

/// The error of a payment whose result is not `OVO_RESULT_OK`, else NULL (also for NULL
/// `payment`). Borrowed: valid until `ovo_payment_free(payment)`; do not free it. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_error(payment: *const OvoPayment) -> *const OvoError {
    payment
        .as_ref()
        .and_then(|p| p.error.as_ref())
        .map_or(ptr::null(), |e| e as *const _)
}

/// The HTTP status DOKU answered with, or 0 when no answer came (or `payment` is NULL).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_http_status(payment: *const OvoPayment) -> u32 {
    payment.as_ref().map_or(0, |p| p.payment.http_status.into())
}

/// The `Request-Id` sent (a UUID v4), or `""` when nothing was sent because an argument was
/// invalid (NULL `payment` gives `""` too). Borrowed: valid until `ovo_payment_free(payment)`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_request_id(payment: *const OvoPayment) -> *const c_char {
    payment
        .as_ref()
        .map_or(c"".as_ptr(), |p| p.request_id.as_ptr())
}

/// The response body exactly as received (at most 1 MiB), `""` when none came. Writes its
/// length to `*len` when `len` is non-NULL; a NUL follows the last byte, but the body itself
/// may contain NUL bytes and is not guaranteed UTF-8: use `*len`. Borrowed: valid until
/// `ovo_payment_free(payment)`. Thread-safe.
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

/// A text field of DOKU's answer (`OVO_FIELD_STATUS`, `OVO_FIELD_RESPONSE_CODE`,
/// `OVO_FIELD_ACCOUNT_NAME`, ...), or NULL when the field is absent, is a number field, is not
/// an `OVO_FIELD_*` value, or the payment has no usable answer (result not OK).
/// Borrowed: valid until `ovo_payment_free(payment)`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_text(payment: *const OvoPayment, field: u32) -> *const c_char {
    payment
        .as_ref()
        .and_then(|p| p.texts.get((field as usize).checked_sub(1)?)?.as_ref())
        .map_or(ptr::null(), |t| t.as_ptr())
}

/// A number field of DOKU's answer (`OVO_FIELD_AMOUNT`, `OVO_FIELD_CASH_USED`, ...): writes it
/// to `*out` and returns true; returns false (leaving `*out` alone) when the field is absent,
/// is a text field, is not an `OVO_FIELD_*` value, the payment has no usable answer, or
/// `payment`/`out` is NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_number(
    payment: *const OvoPayment,
    field: u32,
    out: *mut i64,
) -> bool {
    let value = payment.as_ref().and_then(|p| {
        p.payment
            .response
            .as_ref()?
            .number(Field::from_number(field)?)
    });
    match (value, out.is_null()) {
        (Some(v), false) => {
            *out = v;
            true
        }
        _ => false,
    }
}
