//! `ovo_payment_handle`: stops a payment's wait from another thread.

use super::cstr::{free_raw, into_raw};
use super::panic::guard;
use crate::cancel::CancelToken;
use crate::error::ResultCode;

/// A handle that cancels the wait of the payment(s) it was given to. Opaque. Thread-safe: any
/// thread may cancel while another waits. Once cancelled it stays cancelled.
pub struct OvoPaymentHandle {
    pub(crate) token: CancelToken,
}

/// A new handle for `ovo_push_payment_cancellable` (async pushes make their own). The caller
/// frees it with `ovo_payment_handle_free` once no call uses it. Never NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ovo_payment_handle_new() -> *mut OvoPaymentHandle {
    into_raw(OvoPaymentHandle {
        token: CancelToken::new(),
    })
}

/// Stops the wait of the payment(s) using `handle`, promptly: a blocking push returns, and an
/// async push's callback runs within 100 ms, exactly once, with result
/// `OVO_RESULT_OUTCOME_UNKNOWN` (or `OVO_RESULT_NOT_SENT` if nothing had left yet) and
/// `ovo_payment_cancelled()` true. The customer may still pay in their OVO app until DOKU's
/// 70 s window ends: check the status (`ovo_check_status`) before charging again. A cancel after
/// the payment ended does nothing; cancelling twice is fine. A handle cancelled before its push
/// starts makes the push end at once with nothing sent.
/// Returns `OVO_RESULT_OK`, or `OVO_RESULT_INVALID_ARGUMENT` for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_cancel(handle: *const OvoPaymentHandle) -> ResultCode {
    guard(
        || ResultCode::Internal,
        || match handle.as_ref() {
            Some(h) => {
                h.token.cancel();
                ResultCode::Ok
            }
            None => ResultCode::InvalidArgument,
        },
    )
}

/// Frees a handle. NULL does nothing. It may be freed at any time, also while its payment is in
/// flight (the payment then simply can no longer be cancelled) or before its callback runs.
/// Freeing twice is undefined behaviour, as is freeing it while another thread may still pass it
/// to `ovo_payment_cancel`.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_handle_free(handle: *mut OvoPaymentHandle) {
    guard(|| (), || free_raw(handle))
}
