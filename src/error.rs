//! The result codes and the error type shared by every layer.

use std::fmt;

/// What a libovo call did. Values are explicit and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultCode {
    /// The call worked. For a payment: DOKU answered (SUCCESS, FAILED or TIMEOUT).
    Ok = 0,
    /// An argument broke a rule (the message names the field). Nothing was sent.
    InvalidArgument = 1,
    /// The caller's buffer is too small. Nothing was written but a NUL.
    BufferTooSmall = 2,
    /// The request never left this machine (DNS, connect, TLS, proxy). Safe to retry.
    NotSent = 3,
    /// The request was sent but no usable answer came back (timeout, reset, 5xx,
    /// malformed or mismatched response). The payment may or may not have happened:
    /// check its status with DOKU before trying again.
    OutcomeUnknown = 4,
    /// DOKU refused the request with HTTP 4xx (bad checksum, credentials, fields). Not paid.
    Rejected = 5,
    /// A bug in libovo (a caught panic). No unwinding ever crosses the C boundary.
    Internal = 6,
}

impl ResultCode {
    /// The stable upper-case name of the code, e.g. `"OUTCOME_UNKNOWN"`.
    pub fn name(self) -> &'static str {
        match self {
            ResultCode::Ok => "OK",
            ResultCode::InvalidArgument => "INVALID_ARGUMENT",
            ResultCode::BufferTooSmall => "BUFFER_TOO_SMALL",
            ResultCode::NotSent => "NOT_SENT",
            ResultCode::OutcomeUnknown => "OUTCOME_UNKNOWN",
            ResultCode::Rejected => "REJECTED",
            ResultCode::Internal => "INTERNAL",
        }
    }
}

/// An error: its result code, the request field at fault (for `InvalidArgument`), and a
/// message for humans. Messages never contain the secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The result code this error reports.
    pub code: ResultCode,
    /// The field that broke a rule, in the spec's dotted form (e.g. `order.amount`).
    pub field: Option<&'static str>,
    /// A human-readable message.
    pub message: String,
}

impl Error {
    /// An error with a code and a message, not tied to a field.
    pub fn new(code: ResultCode, message: impl Into<String>) -> Self {
        Error {
            code,
            field: None,
            message: message.into(),
        }
    }

    /// An `InvalidArgument` error for `field`: the message starts with the field's name.
    pub fn invalid(field: &'static str, rule: impl fmt::Display) -> Self {
        Error {
            code: ResultCode::InvalidArgument,
            field: Some(field),
            message: format!("{field}: {rule}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for Error {}
