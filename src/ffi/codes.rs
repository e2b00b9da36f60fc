//! `ovo_code_describe`: the spec's response-code table for C.

use std::ffi::c_char;
use std::sync::OnceLock;

use super::cstr::c_string;
use super::panic::guard;
use crate::codes::{self, CodeInfo};

/// What the spec says about one OVO response code. All strings are static.
#[repr(C)]
pub struct OvoCodeInfo {
    /// The code, e.g. `"17"`; `"??"` when not in the spec's table.
    pub code: *const c_char,
    /// The spec's name, e.g. `"Transaction Decline"`.
    pub name: *const c_char,
    /// The spec's description.
    pub description: *const c_char,
    /// False when the code is not in the spec's table (or was NULL / not UTF-8).
    pub known: bool,
}

// SAFETY: the pointers refer to leaked, never-mutated C strings.
unsafe impl Send for OvoCodeInfo {}
unsafe impl Sync for OvoCodeInfo {}

fn table() -> &'static [OvoCodeInfo] {
    static TABLE: OnceLock<Vec<OvoCodeInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        codes::CODES
            .iter()
            .chain([&codes::UNKNOWN_CODE])
            .map(|info: &CodeInfo| OvoCodeInfo {
                code: c_string(info.code).into_raw(),
                name: c_string(info.name).into_raw(),
                description: c_string(info.description).into_raw(),
                known: info.known,
            })
            .collect()
    })
}

/// Returned if building the table ever failed.
static FALLBACK: OvoCodeInfo = OvoCodeInfo {
    code: c"??".as_ptr(),
    name: c"Unknown Response Code".as_ptr(),
    description: c"This response code is not in DOKU's OVO response code table".as_ptr(),
    known: false,
};

/// Describes an OVO response code (`ovo_payment.response_code`) from the spec's table.
/// An unknown, NULL or non-UTF-8 `code` gives an entry with `known == false` and a generic text.
/// Never returns NULL; the result is static (do not free it). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ovo_code_describe(code: *const c_char) -> *const OvoCodeInfo {
    guard(
        || &FALLBACK,
        || {
            let table = table();
            let index = match super::cstr::optional_arg(code, "code") {
                Ok(Some(code)) => codes::CODES.iter().position(|info| info.code == code),
                _ => None,
            };
            &table[index.unwrap_or(table.len() - 1)]
        },
    )
}
