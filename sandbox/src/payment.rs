//! `POST /ovo-emoney/v1/payment`: validates, then holds the request until the customer acts.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokio::sync::oneshot;

use crate::app::App;
use crate::error::ApiError;
use crate::ledger::{Accepted, Action, Ledger, Outcome};
use crate::{response, validate};

/// Largest accepted request body.
pub const MAX_BODY: usize = 64 * 1024;

/// The push-payment handler.
pub async fn push(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    app.payment_requests.fetch_add(1, Ordering::Relaxed);
    let path = validate::PAYMENT_PATH;
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        let e = ApiError::invalid_request("request body is unreadable or larger than 64 KiB");
        app.log_line(
            "POST",
            path,
            None,
            &format!("{} {}", e.status.as_u16(), e.code),
        );
        return e.into_response();
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
        Err(e) => {
            let inv = loose_invoice(&bytes);
            app.log_line(
                "POST",
                path,
                inv.as_deref(),
                &format!("{} {}", e.status.as_u16(), e.code),
            );
            return e.into_response();
        }
    };
    let invoice = order.invoice_number.clone();
    let outcome = match app.ledger.accept(order) {
        Accepted::Done(out) => Some(*out),
        Accepted::Held { rx, hold, auto } => wait(&app.ledger, &invoice, rx, hold, auto).await,
    };
    let Some(out) = outcome else {
        let e = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the held payment was lost",
        );
        app.log_line("POST", path, Some(&invoice), "500 internal_error");
        return e.into_response();
    };
    app.log_line(
        "POST",
        path,
        Some(&invoice),
        &format!("200 {} {}", out.status, out.response_code),
    );
    Json(response::payment_body(&out, &cfg.secret_key)).into_response()
}

/// Settles the push as `TIMEOUT` if the request future is dropped (client gone, shutdown).
struct SettleOnDrop<'a> {
    ledger: &'a Ledger,
    invoice: &'a str,
    armed: bool,
}

impl Drop for SettleOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = self.ledger.settle(self.invoice, Action::Timeout);
        }
    }
}

/// Waits for a control action, the wallet's scripted answer or the hold, whichever is first.
async fn wait(
    ledger: &Ledger,
    invoice: &str,
    mut rx: oneshot::Receiver<Outcome>,
    hold: Duration,
    auto: Option<(Duration, Action)>,
) -> Option<Outcome> {
    let mut guard = SettleOnDrop {
        ledger,
        invoice,
        armed: true,
    };
    let auto_delay = auto.map_or(Duration::ZERO, |a| a.0);
    let action = tokio::select! {
        r = &mut rx => {
            guard.armed = false;
            return r.ok();
        }
        _ = tokio::time::sleep(auto_delay), if auto.is_some() => auto.map_or(Action::Timeout, |a| a.1),
        _ = tokio::time::sleep(hold) => Action::Timeout,
    };
    // Whoever settles first wins; the outcome always arrives on `rx`.
    let _ = ledger.settle(invoice, action);
    guard.armed = false;
    rx.await.ok()
}

/// Best-effort `order.invoice_number` of a rejected body, for the log line.
fn loose_invoice(bytes: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    Some(v.get("order")?.get("invoice_number")?.as_str()?.to_owned())
}
