//! The result of one push payment: what the caller acts on.

use crate::error::{Error, ResultCode};
use crate::response::{Response, Status};

/// Whether the customer paid. Zero is `Unknown`, so a zeroed value is never "paid" or "not paid".
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nobody can say yet (DOKU's TIMEOUT, or no usable answer): check the status with DOKU
    /// before charging again or giving up. Never treat as failed.
    Unknown = 0,
    /// DOKU answered SUCCESS: the customer paid.
    Paid = 1,
    /// The customer did not pay: DOKU answered FAILED, refused the request, or it was never sent.
    NotPaid = 2,
}

impl Outcome {
    /// The outcome a call ends with, from its result code and DOKU's status (if any).
    pub fn of(result: ResultCode, status: Option<Status>) -> Outcome {
        match (result, status) {
            (ResultCode::Ok, Some(Status::Success)) => Outcome::Paid,
            (ResultCode::Ok, Some(Status::Failed)) => Outcome::NotPaid,
            (ResultCode::Ok, _) => Outcome::Unknown,
            (ResultCode::InvalidArgument | ResultCode::NotSent | ResultCode::Rejected, _) => {
                Outcome::NotPaid
            }
            (ResultCode::BufferTooSmall, _) => Outcome::NotPaid,
            (ResultCode::OutcomeUnknown | ResultCode::Internal, _) => Outcome::Unknown,
        }
    }

    /// The stable upper-case name, e.g. `"NOT_PAID"`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Unknown => "UNKNOWN",
            Outcome::Paid => "PAID",
            Outcome::NotPaid => "NOT_PAID",
        }
    }
}

/// Everything known about one push payment, whatever happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// `Ok` when DOKU gave a usable answer; otherwise why not (same as `error.code`).
    pub result: ResultCode,
    /// Paid, not paid, or unknown.
    pub outcome: Outcome,
    /// The `Request-Id` header sent (UUID v4); empty when nothing was built.
    pub request_id: String,
    /// The HTTP status DOKU answered with; 0 when no answer came.
    pub http_status: u16,
    /// The response body as received (capped), empty when none came.
    pub raw_body: Vec<u8>,
    /// The parsed, checked response; `None` unless `result` is `Ok`.
    pub response: Option<Response>,
    /// Why the call did not succeed; `None` when `result` is `Ok`.
    pub error: Option<Error>,
}

impl Payment {
    /// A payment that ended with `error` before or instead of a usable response.
    pub fn failed(error: Error, request_id: String, http_status: u16, raw_body: Vec<u8>) -> Self {
        Payment {
            result: error.code,
            outcome: Outcome::of(error.code, None),
            request_id,
            http_status,
            raw_body,
            response: None,
            error: Some(error),
        }
    }

    /// A payment DOKU answered with a usable response.
    pub fn answered(
        response: Response,
        request_id: String,
        http_status: u16,
        raw_body: Vec<u8>,
    ) -> Self {
        Payment {
            result: ResultCode::Ok,
            outcome: Outcome::of(ResultCode::Ok, Some(response.status)),
            request_id,
            http_status,
            raw_body,
            response: Some(response),
            error: None,
        }
    }
}
