//! The result codes and the error type shared by every layer.

use std::fmt;

/// What a libovo call did. Values are explicit and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultCode {
    /// The call worked. A push: DOKU answered SUCCESS, FAILED or TIMEOUT. A status check: DOKU
    /// answered, with the payment's status or "not found".
    Ok = 0,
    /// An argument broke a rule (the message names the field). Nothing was sent.
    InvalidArgument = 1,
    /// The caller's buffer is too small. Nothing was written but a NUL.
    BufferTooSmall = 2,
    /// The request never left this machine (DNS, connect, TLS, proxy). Safe to retry.
    NotSent = 3,
    /// The request was sent but no usable answer came back (timeout, reset, cancel, 3xx, 5xx,
    /// HTTP 408 or 409, a malformed or mismatched response), or DOKU answered FAILED with code
    /// 40 (the invoice was used before) or 68 (pending). The payment may or may not have
    /// happened: check its status with DOKU before trying again.
    OutcomeUnknown = 4,
    /// DOKU refused the request with an HTTP 4xx that shows it was not processed (400, 401, 403,
    /// 404, 422, 429...: checksum, credentials, fields). A refused push is not paid; a refused
    /// status check tells nothing about the payment.
    Rejected = 5,
    /// A bug in libovo (a caught panic). No unwinding ever crosses the C boundary.
    Internal = 6,
    /// A push for this invoice is already in flight on this client. Refused, nothing sent;
    /// the first push decides the outcome.
    InFlight = 7,
    /// The journal holds this invoice as paid. Refused, nothing sent; the payment carries the
    /// stored answer. Do not charge again.
    AlreadyPaid = 8,
    /// An earlier push of this invoice has no final outcome yet (it may be paid): settle it with a
    /// status check (`ovo_client_settle`) before anything else. Refused, nothing sent.
    Unsettled = 9,
    /// DOKU already answered this invoice as not paid, and it never takes an invoice number
    /// twice: push again with a new invoice number. Refused, nothing sent.
    InvoiceUsed = 10,
}

impl ResultCode {
    /// Every code, in value order.
    ///
    /// cbindgen:ignore
    pub const ALL: [ResultCode; 11] = [
        ResultCode::Ok,
        ResultCode::InvalidArgument,
        ResultCode::BufferTooSmall,
        ResultCode::NotSent,
        ResultCode::OutcomeUnknown,
        ResultCode::Rejected,
        ResultCode::Internal,
        ResultCode::InFlight,
        ResultCode::AlreadyPaid,
        ResultCode::Unsettled,
        ResultCode::InvoiceUsed,
    ];

    /// The stable upper-case name of the code, e.g. `"OUTCOME_UNKNOWN"`.
    pub fn name(self) -> &'static str {
        self.c_name().to_str().expect("names are ASCII")
    }

    /// The code named `name` (as [`ResultCode::name`] spells it), if any.
    pub fn from_name(name: &str) -> Option<ResultCode> {
        ResultCode::ALL.into_iter().find(|c| c.name() == name)
    }

    /// [`ResultCode::name`] as a C string.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            ResultCode::Ok => c"OK",
            ResultCode::InvalidArgument => c"INVALID_ARGUMENT",
            ResultCode::BufferTooSmall => c"BUFFER_TOO_SMALL",
            ResultCode::NotSent => c"NOT_SENT",
            ResultCode::OutcomeUnknown => c"OUTCOME_UNKNOWN",
            ResultCode::Rejected => c"REJECTED",
            ResultCode::Internal => c"INTERNAL",
            ResultCode::InFlight => c"IN_FLIGHT",
            ResultCode::AlreadyPaid => c"ALREADY_PAID",
            ResultCode::Unsettled => c"UNSETTLED",
            ResultCode::InvoiceUsed => c"INVOICE_USED",
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
