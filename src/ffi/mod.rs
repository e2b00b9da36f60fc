//! The C ABI: a thin skin over the core that checks pointers, stops panics at the boundary
//! and owns the objects handed to C. No business logic lives here.
//!
//! Rules that hold for every function (the header repeats what applies):
//! - Strings are NUL-terminated UTF-8. A NULL or non-UTF-8 argument is `OVO_RESULT_INVALID_ARGUMENT`
//!   naming the parameter, and nothing is sent.
//! - Every object comes with its `_free` function; `_free(NULL)` does nothing. Returned
//!   `const char *` are borrowed from the object they came from and live as long as it does.
//! - Objects are immutable once returned and safe to read from any thread at once; a
//!   `ovo_config` is the exception (set it up on one thread).
//! - Panics never unwind into C: they become `OVO_RESULT_INTERNAL`.
//! - There is no thread-local "last error": errors travel in `ovo_error` and `ovo_payment`.

#![allow(clippy::missing_safety_doc)]

mod cancel;
mod checksum;
mod client;
mod codes;
mod config;
mod cstr;
mod error;
mod journal;
mod log;
mod names;
mod panic;
mod payment;
mod version;

pub use cancel::*;
pub use checksum::*;
pub use client::*;
pub use codes::*;
pub use config::*;
pub use error::*;
pub use journal::*;
pub use log::*;
pub use names::*;
pub use payment::*;
pub use version::*;
