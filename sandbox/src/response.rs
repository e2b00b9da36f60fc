//! The push-payment answer: DOKU's JSON body (every field of the sample response), or the
//! broken answer of a fault wallet.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::ledger::{Finished, Outcome};
use crate::serve::CloseConnection;
use crate::validate;
use crate::wallets::Fault;

/// The HTML page a fault wallet's push gets with HTTP 500.
pub const FAULT_HTML: &str = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n\
<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n";

/// How a push is answered on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP response.
    Http {
        /// HTTP status.
        status: StatusCode,
        /// `Content-Type`, if any.
        content_type: Option<&'static str>,
        /// The body, exactly as sent.
        body: String,
    },
    /// No response: the connection is closed or reset instead.
    Close(CloseConnection),
}

impl Answer {
    /// The HTTP status, `None` when nothing is answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Answer::Http { status, .. } => Some(status.as_u16()),
            Answer::Close(_) => None,
        }
    }

    /// The body, `None` when nothing is answered.
    pub fn body(&self) -> Option<&str> {
        match self {
            Answer::Http { body, .. } => Some(body),
            Answer::Close(_) => None,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Http {
                status,
                content_type,
                body,
            } => {
                let mut resp = (status, body).into_response();
                match content_type {
                    Some(ct) => {
                        let value = header::HeaderValue::from_static(ct);
                        resp.headers_mut().insert(header::CONTENT_TYPE, value);
                    }
                    None => {
                        resp.headers_mut().remove(header::CONTENT_TYPE);
                    }
                }
                resp
            }
            Answer::Close(how) => {
                let mut resp = StatusCode::OK.into_response();
                resp.extensions_mut().insert(how);
                resp
            }
        }
    }
}

/// What the push of `done` is (or, once abandoned, would have been) answered with.
pub fn answer(done: &Finished, secret_key: &str) -> Answer {
    let json = || payment_body(&done.outcome, secret_key).to_string();
    let http = |status, content_type, body| Answer::Http {
        status,
        content_type,
        body,
    };
    match done.fault {
        None => http(StatusCode::OK, Some("application/json"), json()),
        Some(Fault::Http500Html) => http(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("text/html; charset=utf-8"),
            FAULT_HTML.to_owned(),
        ),
        Some(Fault::Http503Empty) => http(StatusCode::SERVICE_UNAVAILABLE, None, String::new()),
        Some(Fault::TruncatedJson) => {
            let mut body = json();
            let mut cut = body.len() / 2;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
            http(StatusCode::OK, Some("application/json"), body)
        }
        Some(Fault::ConnectionReset) => Answer::Close(CloseConnection::Reset),
        Some(Fault::SilentUntilHoldEnds) => Answer::Close(CloseConnection::Close),
    }
}

/// `ovo_configuration.merchant_id` (from the spec's sample).
pub const MERCHANT_ID: &str = "00000179";
/// `ovo_configuration.store_code`.
pub const STORE_CODE: &str = "000000000000179";
/// `ovo_configuration.mid`.
pub const MID: &str = "000000000000179";
/// `ovo_configuration.tid`.
pub const TID: &str = "00000179";

/// Builds the HTTP 200 body for `out`, signed with the sandbox-only response checksum
/// (see [`validate::response_checksum`]).
pub fn payment_body(out: &Outcome, secret_key: &str) -> Value {
    let o = &out.order;
    let n = &out.numbers;
    let check_sum = validate::response_checksum(
        o.amount,
        &out.approval_code,
        n.batch_number,
        &o.client_id,
        &o.invoice_number,
        &o.ovo_id,
        n.reference_number,
        n.trace_number,
        secret_key,
    );
    json!({
        "client": {"id": o.client_id},
        "order": {"invoice_number": o.invoice_number, "amount": o.amount},
        "ovo_info": {"ovo_id": o.ovo_id, "ovo_account_name": out.account_name},
        "ovo_configuration": {
            "merchant_id": MERCHANT_ID,
            "store_code": STORE_CODE,
            "mid": MID,
            "tid": TID,
        },
        "ovo_payment": {
            "date": n.date,
            "batch_number": n.batch_number,
            "trace_number": n.trace_number,
            "reference_number": n.reference_number,
            "approval_code": out.approval_code,
            "response_code": out.response_code,
            "cash_used": out.cash_used,
            "cash_balance": out.cash_balance,
            "ovo_points_used": out.ovo_points_used,
            "ovo_points_balance": out.ovo_points_balance,
            "ovo_points_earned": out.ovo_points_earned,
            "status": out.status,
        },
        "security": {"check_sum": check_sum},
    })
}
