//! C string helpers: reading arguments and making C strings from Rust text.

use std::ffi::{c_char, CStr, CString};

use crate::error::Error;

/// Reads a required NUL-terminated UTF-8 argument; NULL or bad UTF-8 is an error naming `field`.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn arg<'a>(ptr: *const c_char, field: &'static str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid(field, "must not be NULL"));
    }
    CStr::from_ptr(ptr).to_str().map_err(|e| {
        Error::invalid(
            field,
            format!("is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })
}

/// Reads an optional argument: NULL is `None`.
///
/// # Safety
/// As [`arg`].
pub(crate) unsafe fn optional_arg<'a>(
    ptr: *const c_char,
    field: &'static str,
) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        Ok(None)
    } else {
        arg(ptr, field).map(Some)
    }
}

/// A C string from Rust text; an interior NUL (possible in JSON) becomes U+FFFD.
pub(crate) fn c_string(text: &str) -> CString {
    CString::new(text)
        .unwrap_or_else(|_| CString::new(text.replace('\0', "\u{fffd}")).expect("no NUL left"))
}

/// Writes `value` and its NUL into `out[..out_len]`, or reports how short the buffer is.
///
/// # Safety
/// `out` is NULL or valid for `out_len` bytes.
pub(crate) unsafe fn write_into(
    value: &[u8],
    out: *mut c_char,
    out_len: usize,
) -> Result<(), usize> {
    let needed = value.len() + 1;
    if out.is_null() || out_len < needed {
        if !out.is_null() && out_len > 0 {
            *out = 0;
        }
        return Err(needed);
    }
    std::ptr::copy_nonoverlapping(value.as_ptr(), out.cast::<u8>(), value.len());
    *out.add(value.len()) = 0;
    Ok(())
}

/// Moves a value to the heap and hands C the pointer.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops what [`into_raw`] handed out; NULL is ignored.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw`] and was not freed before.
pub(crate) unsafe fn free_raw<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(Box::from_raw(ptr));
    }
}
