//! `ovo_checksum`: the request's `security.check_sum` for callers who build requests themselves.

use std::ffi::c_char;

use super::cstr::{arg, write_into};
use super::error::{run, OvoError};
use crate::checksum::{checksum_hex, CHECKSUM_HEX_LEN};
use crate::error::{Error, ResultCode};
use crate::validate::{
    PaymentFields, FIELD_CLIENT_ID, FIELD_INVOICE_NUMBER, FIELD_OVO_ID, FIELD_SECRET_KEY,
};

/// Bytes a checksum buffer needs: 64 hex characters and a NUL.
pub const OVO_CHECKSUM_BUFFER_LEN: usize = 65;
const _: () = assert!(OVO_CHECKSUM_BUFFER_LEN == CHECKSUM_HEX_LEN + 1);

/// Writes `security.check_sum` = lower-case hex `sha256(amount + client_id + invoice_number +
/// ovo_id + secret_key)` and a NUL into `out` (at least `OVO_CHECKSUM_BUFFER_LEN` = 65 bytes).
///
/// Applies the push payment's field rules: a NULL, non-UTF-8 or invalid argument gives
/// `OVO_RESULT_INVALID_ARGUMENT`; a NULL or short `out` gives `OVO_RESULT_BUFFER_TOO_SMALL`.
/// On any error `out[0]` is set to NUL when `out_len > 0`, and when `error` is non-NULL
/// `*error` receives an `ovo_error` the caller frees with `ovo_error_free` (else NULL).
/// The secret key is only hashed, never copied or shown. Thread-safe; sends nothing.
#[no_mangle]
pub unsafe extern "C" fn ovo_checksum(
    amount: i64,
    client_id: *const c_char,
    invoice_number: *const c_char,
    ovo_id: *const c_char,
    secret_key: *const c_char,
    out: *mut c_char,
    out_len: usize,
    error: *mut *mut OvoError,
) -> ResultCode {
    if !out.is_null() && out_len > 0 {
        *out = 0;
    }
    run(error, || {
        let fields = PaymentFields {
            client_id: arg(client_id, FIELD_CLIENT_ID)?,
            invoice_number: arg(invoice_number, FIELD_INVOICE_NUMBER)?,
            amount,
            ovo_id: arg(ovo_id, FIELD_OVO_ID)?,
        };
        let secret = arg(secret_key, FIELD_SECRET_KEY)?;
        let hex = checksum_hex(&fields, secret)?;
        write_into(&hex, out, out_len).map_err(|needed| {
            Error::new(
                ResultCode::BufferTooSmall,
                format!("out: needs {needed} bytes (64 hex characters and a NUL), got {out_len}"),
            )
        })
    })
}
