//! The library version at run time.

use std::ffi::c_char;

/// The library version, e.g. `"0.1.0"`, matching the `OVO_VERSION_*` macros of the header the
/// program was built with. Static: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn ovo_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
