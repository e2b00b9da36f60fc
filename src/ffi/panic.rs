//! The panic boundary: each export runs its body through [`guard`].

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `body`; if it panics, returns `on_panic()` instead of unwinding into C. The panic is
/// kept quiet: nothing is printed to the host's stderr.
pub(crate) fn guard<T>(on_panic: impl FnOnce() -> T, body: impl FnOnce() -> T) -> T {
    crate::threads::quietly(|| catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| on_panic()))
}

/// The message a caught panic reports.
pub(crate) const PANIC_MESSAGE: &str = "internal error in libovo (a bug): please report it";
