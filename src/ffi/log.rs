//! `ovo_set_log_callback`: libovo's log lines, handed to the host program.

use std::ffi::{c_char, c_void};

use super::cstr::c_string;
use super::error::run;
use crate::error::Error;
use crate::log::{self, Level};

/// Receives one log line: `level` (`OVO_LOG_LEVEL_*`) and `message`, a NUL-terminated UTF-8
/// line without a newline, borrowed for the duration of the call. Called on whichever thread
/// logs (a caller's thread or a libovo thread), possibly on several at once. It must return
/// normally (no unwinding or longjmp out of it) and must not call `ovo_set_log_callback`.
pub type OvoLogCallback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: Level, message: *const c_char)>;

/// A pointer the caller promised may be used from any thread.
struct UserData(*mut c_void);
// SAFETY: the caller of `ovo_set_log_callback` promises `userdata` may be used from any thread.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

/// Installs `callback` (process-wide, replacing any earlier one) for lines of `min_level`
/// (`OVO_LOG_LEVEL_DEBUG` = 1 ... `OVO_LOG_LEVEL_ERROR` = 4) and above; a NULL `callback`
/// turns logging off (the default). libovo logs one line when a push or status check is sent
/// (invoice, amount, request id), when its answer comes (HTTP status, DOKU status, code,
/// outcome, elapsed ms), and on each error, refusal and cancel. Lines never contain the secret
/// key, the signature or the checksum (nor the customer's phone number).
///
/// When this returns, the previous callback is not running and will not be called again, so
/// its `userdata` may be freed. Returns `OVO_RESULT_OK`, or `OVO_RESULT_INVALID_ARGUMENT` (and
/// changes nothing) for an unknown `min_level` or when called from inside a log callback.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_set_log_callback(
    min_level: u32,
    callback: OvoLogCallback,
    userdata: *mut c_void,
) -> crate::error::ResultCode {
    run(std::ptr::null_mut(), || {
        let level = Level::from_number(min_level).ok_or_else(|| {
            Error::invalid(
                "min_level",
                format!("{min_level} is not an OVO_LOG_LEVEL_* value"),
            )
        })?;
        let sink = callback.map(|call| {
            let userdata = UserData(userdata);
            Box::new(move |level: Level, line: &str| {
                let text = c_string(line);
                let userdata = &userdata;
                // SAFETY: the caller promised `call` may be called from any thread with this userdata.
                unsafe { call(userdata.0, level, text.as_ptr()) }
            }) as log::Sink
        });
        log::set_logger(level, sink)
    })
}
