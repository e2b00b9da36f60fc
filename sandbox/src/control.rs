//! The Payment Simulator's actions: the customer inquires, pays or declines a held push.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use crate::app::App;
use crate::error::ApiError;
use crate::hold;
use crate::ledger::{Action, ControlError};
use crate::log::LogInvoice;
use crate::response;
use crate::wallets::PayMethod;

/// Settles `invoice` with `action` and returns DOKU's JSON payment body for it (what the
/// push gets; for a fault wallet, what it would have got).
pub fn settle(app: &App, invoice: &str, action: Action) -> Result<Value, ControlError> {
    let done = hold::settle(app, invoice, action)?;
    Ok(response::payment_body(
        &done.outcome,
        &app.config.secret_key,
    ))
}

/// The 404 / 409 error of a control action on `invoice`.
pub fn control_error(invoice: &str, e: ControlError, done_status: StatusCode) -> ApiError {
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

fn parse(bytes: &[u8]) -> Result<(String, Value), ApiError> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
    let invoice = body
        .get("invoice_number")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid_request("invoice_number must be a string"))?
        .to_owned();
    Ok((invoice, body))
}

/// Runs `act` on a parsed control request and tags the response with its invoice.
fn control(bytes: &[u8], act: impl FnOnce(&str, &Value) -> Result<Response, ApiError>) -> Response {
    let (invoice, body) = match parse(bytes) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let mut resp = act(&invoice, &body).unwrap_or_else(IntoResponse::into_response);
    resp.extensions_mut().insert(LogInvoice(invoice));
    resp
}

/// `POST /simulator/inquiry {"invoice_number"}`: the held push's details, or 404.
pub async fn inquiry(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    control(&bytes, |invoice, _| {
        app.ledger
            .inquiry(invoice)
            .map(|info| Json(info).into_response())
            .map_err(|e| control_error(invoice, e, StatusCode::NOT_FOUND))
    })
}

/// `POST /simulator/pay {"invoice_number","method":"cash"|"points"}`: completes the push.
pub async fn pay(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    control(&bytes, |invoice, body| {
        let method = body
            .get("method")
            .and_then(Value::as_str)
            .and_then(PayMethod::parse)
            .ok_or_else(|| ApiError::invalid_parameter("method must be \"cash\" or \"points\""))?;
        settle(&app, invoice, Action::Pay(method))
            .map(|v| Json(v).into_response())
            .map_err(|e| control_error(invoice, e, StatusCode::CONFLICT))
    })
}

/// `POST /simulator/decline {"invoice_number"}`: the customer declines (`FAILED`/`17`).
pub async fn decline(State(app): State<Arc<App>>, bytes: Bytes) -> Response {
    control(&bytes, |invoice, _| {
        settle(&app, invoice, Action::Decline)
            .map(|v| Json(v).into_response())
            .map_err(|e| control_error(invoice, e, StatusCode::CONFLICT))
    })
}
