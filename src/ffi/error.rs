//! `ovo_error`: an error's code, field and message, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;

use super::cstr::{c_string, free_raw, into_raw};
use super::panic::{guard, PANIC_MESSAGE};
use crate::error::{Error, ResultCode};

/// An error: its result code, the field at fault (if any) and a message. Opaque.
pub struct OvoError {
    code: ResultCode,
    field: Option<CString>,
    message: CString,
}

impl OvoError {
    pub(crate) fn new(error: &Error) -> Self {
        OvoError {
            code: error.code,
            field: error.field.map(c_string),
            message: c_string(&error.message),
        }
    }

    /// The error a caught panic becomes.
    pub(crate) fn panic() -> Error {
        Error::new(ResultCode::Internal, PANIC_MESSAGE)
    }
}

/// Hands `error` to the caller through `out` (if non-NULL) and returns its code.
///
/// # Safety
/// `out` is NULL or valid for one pointer write.
pub(crate) unsafe fn report(error: Error, out: *mut *mut OvoError) -> ResultCode {
    if !out.is_null() {
        *out = into_raw(OvoError::new(&error));
    }
    error.code
}

/// Clears an error out-parameter at the start of a call.
///
/// # Safety
/// `out` is NULL or valid for one pointer write.
pub(crate) unsafe fn clear(out: *mut *mut OvoError) {
    if !out.is_null() {
        *out = ptr::null_mut();
    }
}

/// Runs a fallible body behind the panic boundary, reporting any error through `error_out`.
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write.
pub(crate) unsafe fn run(
    error_out: *mut *mut OvoError,
    body: impl FnOnce() -> Result<(), Error>,
) -> ResultCode {
    clear(error_out);
    let result = guard(|| Err(OvoError::panic()), body);
    match result {
        Ok(()) => ResultCode::Ok,
        Err(error) => report(error, error_out),
    }
}

/// The result code of `error`. NULL gives `OVO_RESULT_INVALID_ARGUMENT`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_error_result(error: *const OvoError) -> ResultCode {
    error
        .as_ref()
        .map_or(ResultCode::InvalidArgument, |e| e.code)
}

/// The message of `error`: never NULL (NULL `error` gives a fixed text). Borrowed: valid until
/// `ovo_error_free(error)`. Never contains the secret key. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_error_message(error: *const OvoError) -> *const c_char {
    match error.as_ref() {
        Some(e) => e.message.as_ptr(),
        None => c"error: NULL ovo_error".as_ptr(),
    }
}

/// The field that broke a rule, e.g. `"order.amount"`, or NULL when the error is not about a
/// field (or `error` is NULL). Borrowed: valid until `ovo_error_free(error)`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_error_field(error: *const OvoError) -> *const c_char {
    error
        .as_ref()
        .and_then(|e| e.field.as_ref())
        .map_or(ptr::null(), |f| f.as_ptr())
}

/// Frees an error. NULL does nothing. Freeing twice is undefined behaviour.
/// Not while another thread reads `error`.
#[no_mangle]
pub unsafe extern "C" fn ovo_error_free(error: *mut OvoError) {
    guard(|| (), || free_raw(error))
}
