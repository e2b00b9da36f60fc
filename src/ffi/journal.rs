//! The journal calls: the invoices whose outcome is open, and settling them.

use std::ffi::c_char;

use super::client::{client_of, invoice_call, run_for, OvoClient};
use super::cstr::{free_raw, into_raw};
use super::error::OvoError;
use super::panic::guard;
use super::payment::OvoPayment;
use crate::client::Client;
use crate::error::{Error, ResultCode};
use crate::payment::Payment;

/// A list of payments, owned by the caller. Opaque. Immutable; safe to read from several
/// threads at once.
pub struct OvoPaymentList {
    items: Vec<OvoPayment>,
}

impl OvoPaymentList {
    fn new(payments: Vec<Payment>) -> OvoPaymentList {
        OvoPaymentList {
            items: payments.into_iter().map(OvoPayment::new).collect(),
        }
    }
}

/// Hands `payments` to `*out` (when `out` is non-NULL).
unsafe fn hand_list(payments: Vec<Payment>, out: *mut *mut OvoPaymentList) {
    if !out.is_null() {
        *out = into_raw(OvoPaymentList::new(payments));
    }
}

/// A call that hands out a list: `*out` NULL first, an error for NULL `client` or `out`.
unsafe fn list_call(
    client: *const OvoClient,
    out: *mut *mut OvoPaymentList,
    error: *mut *mut OvoError,
    make: impl FnOnce(Client) -> Result<Vec<Payment>, Error>,
) -> ResultCode {
    if !out.is_null() {
        *out = std::ptr::null_mut();
    }
    run_for(client, error, || {
        if out.is_null() {
            return Err(Error::invalid("out", "must not be NULL"));
        }
        hand_list(make(client_of(client)?.inner.clone())?, out);
        Ok(())
    })
}

/// The invoices whose outcome is not final, oldest first: with a journal
/// (`ovo_config_set_journal`), every row of this client's id left `SENDING` (by a crash, or
/// in flight in another process) or `UNKNOWN`, across restarts; without one, this client's
/// pushes that ended unknown and were not settled. Each is a payment of kind `OVO_KIND_PUSH`
/// with the push as recorded (`OVO_FIELD_REQUEST_*`, request id, any answer's fields) and
/// `OVO_FIELD_JOURNAL_STATE`, `_CREATED_AT`, `_UPDATED_AT`. Nothing is sent.
///
/// On `OVO_RESULT_OK` `*out` receives the list (free it with `ovo_payment_list_free`; empty
/// when nothing is open). Otherwise `*out` is NULL: `OVO_RESULT_INVALID_ARGUMENT` (NULL
/// `client` or `out`, or the journal cannot be read, naming `journal`); when `error` is
/// non-NULL `*error` receives an `ovo_error` (free it with `ovo_error_free`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_journal_unsettled(
    client: *const OvoClient,
    out: *mut *mut OvoPaymentList,
    error: *mut *mut OvoError,
) -> ResultCode {
    list_call(client, out, error, |c| c.unsettled())
}

/// Settles one invoice: an open one (journal row `SENDING` or `UNKNOWN`, or an unknown push of
/// this client) is checked with DOKU like `ovo_check_status` (its amount compared with the
/// push's) and the answer recorded in the journal; a row the journal holds as final is returned
/// as stored (kind `OVO_KIND_PUSH`), nothing sent (a row whose request provably never left is
/// final: `NOT_SENT`, outcome `OVO_OUTCOME_NOT_PAID`). The payment's outcome is the invoice's:
/// `OVO_OUTCOME_UNKNOWN` until DOKU gives a final answer (check again later; never push the
/// invoice again meanwhile). Returns the payment's result; when `out` is non-NULL `*out` always
/// receives a payment (free it with `ovo_payment_free`). A NULL `client` or a NULL or non-UTF-8
/// `invoice_number` gives `OVO_RESULT_INVALID_ARGUMENT` (such a payment, nothing sent). Blocks
/// up to the status timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_client_settle(
    client: *const OvoClient,
    invoice_number: *const c_char,
    out: *mut *mut OvoPayment,
) -> ResultCode {
    invoice_call(client, invoice_number, out, |c, invoice| c.settle(invoice))
}

/// `ovo_client_settle` for every invoice `ovo_journal_unsettled` lists, one after the other.
/// On `OVO_RESULT_OK` `*out` receives the settled payments (free the list with
/// `ovo_payment_list_free`), whatever each one's own result; read each outcome. Otherwise as
/// `ovo_journal_unsettled`. Blocks up to the status timeout per invoice. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_client_settle_all(
    client: *const OvoClient,
    out: *mut *mut OvoPaymentList,
    error: *mut *mut OvoError,
) -> ResultCode {
    list_call(client, out, error, |c| c.settle_all())
}

/// The number of payments in `list` (0 for NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_list_len(list: *const OvoPaymentList) -> usize {
    list.as_ref().map_or(0, |l| l.items.len())
}

/// The payment at `index`, or NULL when `index` is out of range or `list` is NULL. Borrowed:
/// valid until `ovo_payment_list_free(list)`; do not free it. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_list_get(
    list: *const OvoPaymentList,
    index: usize,
) -> *const OvoPayment {
    list.as_ref()
        .and_then(|l| l.items.get(index))
        .map_or(std::ptr::null(), |p| p as *const _)
}

/// Frees a list and every payment in it. NULL does nothing. Freeing twice is undefined.
/// Not while another thread reads `list` or a payment in it.
#[no_mangle]
pub unsafe extern "C" fn ovo_payment_list_free(list: *mut OvoPaymentList) {
    guard(|| (), || free_raw(list))
}
