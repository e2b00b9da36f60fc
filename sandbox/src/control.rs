//! The Payment Simulator control API: acts as the customer on held pushes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::App;
use crate::error::ApiError;
use crate::ledger::{Action, ControlError};
use crate::response;
use crate::wallets::PayMethod;

/// Settles `invoice` with `action` and returns the payment response body the held push gets.
pub fn settle(app: &App, invoice: &str, action: Action) -> Result<Value, ControlError> {
    let out = app.ledger.settle(invoice, action)?;
    Ok(response::payment_body(&out, &app.config.secret_key))
}

fn control_error(invoice: &str, e: ControlError, done_status: StatusCode) -> ApiError {
    match e {
        ControlError::NotPending => ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("order.invoice_number {invoice:?} has no pending payment"),
        ),
        ControlError::AlreadyDone(status) => ApiError::new(
            done_status,
            "already_completed",
            format!("order.invoice_number {invoice:?} is already completed with status {status}"),
        ),
    }
}

struct ControlRequest {
    invoice: String,
    body: Value,
}

fn parse(bytes: &[u8]) -> Result<ControlRequest, ApiError> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
    let invoice = body
        .get("invoice_number")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid_request("invoice_number must be a string"))?
        .to_owned();
    Ok(ControlRequest { invoice, body })
}

fn finish(
    app: &App,
    path: &str,
    invoice: Option<&str>,
    result: Result<Response, ApiError>,
) -> Response {
    match result {
        Ok(r) => {
            app.log_line("POST", path, invoice, "200");
            r
        }
        Err(e) => {
            app.log_line(
                "POST",
                path,
                invoice,
                &format!("{} {}", e.status.as_u16(), e.code),
            );
            e.into_response()
        }
    }
}

/// `POST /simulator/inquiry {"invoice_number"}`: the held push's details, or 404.
pub async fn inquiry(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    let req = match parse(&bytes) {
        Ok(r) => r,
        Err(e) => return finish(&app, "/simulator/inquiry", None, Err(e)),
    };
    let result = app
        .ledger
        .inquiry(&req.invoice)
        .map(|info| Json(info).into_response())
        .map_err(|e| control_error(&req.invoice, e, StatusCode::NOT_FOUND));
    finish(&app, "/simulator/inquiry", Some(&req.invoice), result)
}

/// `POST /simulator/pay {"invoice_number","method":"cash"|"points"}`: completes the push.
pub async fn pay(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    let req = match parse(&bytes) {
        Ok(r) => r,
        Err(e) => return finish(&app, "/simulator/pay", None, Err(e)),
    };
    let method = req
        .body
        .get("method")
        .and_then(Value::as_str)
        .and_then(PayMethod::parse);
    let result = match method {
        None => Err(ApiError::invalid_parameter(
            "method must be \"cash\" or \"points\"",
        )),
        Some(m) => settle(&app, &req.invoice, Action::Pay(m))
            .map(|v| Json(v).into_response())
            .map_err(|e| control_error(&req.invoice, e, StatusCode::CONFLICT)),
    };
    finish(&app, "/simulator/pay", Some(&req.invoice), result)
}

/// `POST /simulator/decline {"invoice_number"}`: the customer declines (`FAILED`/`17`).
pub async fn decline(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    let req = match parse(&bytes) {
        Ok(r) => r,
        Err(e) => return finish(&app, "/simulator/decline", None, Err(e)),
    };
    let result = settle(&app, &req.invoice, Action::Decline)
        .map(|v| Json(v).into_response())
        .map_err(|e| control_error(&req.invoice, e, StatusCode::CONFLICT));
    finish(&app, "/simulator/decline", Some(&req.invoice), result)
}

/// `GET /simulator/stats`: `{"payment_requests":N,"pending":N}`.
pub async fn stats(State(app): State<Arc<App>>) -> Response {
    app.log_line("GET", "/simulator/stats", None, "200");
    Json(json!({
        "payment_requests": app.payment_requests(),
        "pending": app.ledger.pending_count(),
    }))
    .into_response()
}

/// `GET /simulator/wallets`: every known wallet with its balances.
pub async fn wallets(State(app): State<Arc<App>>) -> Response {
    app.log_line("GET", "/simulator/wallets", None, "200");
    Json(json!({"wallets": app.ledger.wallets()})).into_response()
}
