//! Names of result and outcome values, for logs and messages.

use std::ffi::c_char;

use crate::error::ResultCode;
use crate::payment::Outcome;

/// The name of an `ovo_result` value, e.g. `"OUTCOME_UNKNOWN"`; `"UNKNOWN_RESULT"` for a value
/// this library does not know. Static: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn ovo_result_name(result: u32) -> *const c_char {
    ResultCode::ALL
        .iter()
        .find(|r| **r as u32 == result)
        .map_or(c"UNKNOWN_RESULT".as_ptr(), |r| r.c_name().as_ptr())
}

/// The name of an `ovo_outcome` value, e.g. `"NOT_PAID"`; `"UNKNOWN"` for a value this
/// library does not know (treat it as unknown). Static: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn ovo_outcome_name(outcome: u32) -> *const c_char {
    Outcome::ALL
        .iter()
        .find(|o| **o as u32 == outcome)
        .map_or(c"UNKNOWN".as_ptr(), |o| o.c_name().as_ptr())
}
