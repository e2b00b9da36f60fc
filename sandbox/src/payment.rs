//! `POST /ovo-emoney/v1/payment`: validates, then waits until the held push is settled.
//!
//! The window itself is enforced by [`crate::hold`]: when the client hangs up, the push is
//! only marked abandoned and stays payable until its deadline.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::error::ApiError;
use crate::hold::{self, AbandonOnDrop};
use crate::ledger::{Accepted, Finished};
use crate::log::{LogDetail, LogInvoice};
use crate::serve::CloseConnection;
use crate::{response, validate};

/// Largest accepted request body.
pub const MAX_BODY: usize = 64 * 1024;

/// The push-payment handler.
pub async fn push(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    app.payment_requests.fetch_add(1, Ordering::Relaxed);
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::invalid_request("request body is unreadable or larger than 64 KiB")
            .into_response();
    };
    let cfg = &app.config;
    let checked = validate::parse_push(&bytes, &cfg.client_id, &cfg.secret_key).and_then(|o| {
        validate::check_signature(
            &headers,
            &bytes,
            &o.client_id,
            &cfg.secret_key,
            cfg.require_signature,
        )?;
        Ok(o)
    });
    let order = match checked {
        Ok(o) => o,
        Err(e) => return with_invoice(e.into_response(), loose_invoice(&bytes)),
    };
    let invoice = order.invoice_number.clone();
    let request_id = headers
        .get("Request-Id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let done = match app.ledger.accept(order, request_id) {
        Accepted::Done(done) => done,
        Accepted::Held(held) => {
            hold::enforce(Arc::clone(&app), invoice.clone(), &held);
            let mut guard = AbandonOnDrop::new(&app, &invoice);
            let settled = held.rx.await;
            guard.disarm();
            drop(guard);
            let Ok(done) = settled else {
                let e = ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the held payment was lost",
                );
                return with_invoice(e.into_response(), Some(invoice));
            };
            let answer = response::answer(&done, &cfg.secret_key);
            if answer == response::Answer::Close(CloseConnection::Close) {
                // The silent fault: nothing until the window ends, then the close.
                tokio::time::sleep_until(held.deadline.into()).await;
            }
            return answered(answer, &done, invoice);
        }
    };
    answered(response::answer(&done, &cfg.secret_key), &done, invoice)
}

fn answered(answer: response::Answer, done: &Finished, invoice: String) -> Response {
    let o = &done.outcome;
    let mut resp = answer.into_response();
    let detail = match done.fault {
        None => format!("{} {}", o.status, o.response_code),
        Some(f) => format!("{} {} fault={}", o.status, o.response_code, f.name()),
    };
    resp.extensions_mut().insert(LogDetail(detail));
    with_invoice(resp, Some(invoice))
}

fn with_invoice(mut resp: Response, invoice: Option<String>) -> Response {
    if let Some(inv) = invoice {
        resp.extensions_mut().insert(LogInvoice(inv));
    }
    resp
}

/// Best-effort `order.invoice_number` of a rejected body, for the log line.
fn loose_invoice(bytes: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    Some(v.get("order")?.get("invoice_number")?.as_str()?.to_owned())
}
