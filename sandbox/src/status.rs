//! DOKU's Check Status API (non-SNAP): `GET /orders/v1/status/{invoice_number}`.
//!
//! Signed like DOKU's GETs (see [`validate::check_get_signature`]); the invoice in the path
//! is percent-decoded (UTF-8) before the lookup. The answer is the invoice's first
//! accepted push: `PENDING` while held, then `SUCCESS`, `FAILED` or `TIMEOUT`.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::App;
use crate::clock;
use crate::error::ApiError;
use crate::ledger::TransactionStatus;
use crate::log::{LogDetail, LogInvoice};
use crate::validate;

/// The Check Status handler (counted in `status_requests`, any outcome, once its answer is
/// decided: a test that sees the count knows what that check was told).
pub async fn check(State(app): State<Arc<App>>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    let cfg = &app.config;
    let resp = match validate::check_get_signature(&headers, path, &cfg.client_id, &cfg.secret_key)
    {
        Err(e) => e.into_response(),
        Ok(()) => lookup(
            &app,
            path.strip_prefix(validate::STATUS_PATH_PREFIX)
                .unwrap_or(""),
        ),
    };
    app.status_requests.fetch_add(1, Ordering::SeqCst);
    resp
}

/// Answers with the status of the invoice whose percent-encoded form is `raw`: 200 with
/// [`body`], 404 `not_found` "Transaction not found", or 400 for a bad encoding.
pub fn lookup(app: &App, raw: &str) -> Response {
    let Some(invoice) = validate::percent_decode(raw) else {
        return ApiError::invalid_parameter(
            "invoice_number in the path must be percent-encoded UTF-8",
        )
        .into_response();
    };
    let mut resp = match app.ledger.status(&invoice) {
        Some(st) => {
            let mut resp = Json(body(&st)).into_response();
            resp.extensions_mut()
                .insert(LogDetail(format!("{} {}", st.status, st.response_code)));
            resp
        }
        None => ApiError::new(StatusCode::NOT_FOUND, "not_found", "Transaction not found")
            .into_response(),
    };
    resp.extensions_mut().insert(LogInvoice(invoice));
    resp
}

/// The Check Status body of `st` (`order.amount` is a string, as DOKU documents it).
pub fn body(st: &TransactionStatus) -> Value {
    json!({
        "order": {"invoice_number": st.invoice_number, "amount": st.amount.to_string()},
        "transaction": {
            "status": st.status,
            "date": clock::format_utc(st.epoch_secs),
            "original_request_id": st.original_request_id,
        },
        "service": {"id": "EMONEY"},
        "acquirer": {"id": "OVO"},
        "channel": {"id": "EMONEY_OVO"},
        "ovo_payment": {
            "response_code": st.response_code,
            "approval_code": st.approval_code,
            "cash_used": st.cash_used,
            "ovo_points_used": st.ovo_points_used,
        },
    })
}
