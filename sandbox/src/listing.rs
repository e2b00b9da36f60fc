//! The Payment Simulator's read-only views: stats, wallets, held pushes, recent payments,
//! an unsigned status lookup and a long poll for changes (what the page uses).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::App;
use crate::clock;
use crate::error::ApiError;
use crate::ledger::{Finished, RECENT_MAX};
use crate::response;
use crate::status;

/// Default `limit` of `GET /simulator/payments`.
pub const DEFAULT_PAYMENTS_LIMIT: usize = 50;
/// Longest wait of `GET /simulator/changes`.
pub const CHANGES_WAIT: Duration = Duration::from_secs(25);

/// `GET /simulator/stats`: `{"payment_requests":N,"status_requests":N,"pending":N}`.
pub async fn stats(State(app): State<Arc<App>>) -> Response {
    Json(json!({
        "payment_requests": app.payment_requests(),
        "status_requests": app.status_requests(),
        "pending": app.ledger.pending_count(),
    }))
    .into_response()
}

/// `GET /simulator/wallets`: every known wallet with its balances.
pub async fn wallets(State(app): State<Arc<App>>) -> Response {
    Json(json!({"wallets": app.ledger.wallets()})).into_response()
}

/// `GET /simulator/pending`: `{"pending":[...]}`, the held pushes, soonest deadline first.
pub async fn pending(State(app): State<Arc<App>>) -> Response {
    Json(json!({"pending": app.ledger.held()})).into_response()
}

/// `GET /simulator/payments?limit=N`: `{"payments":[...]}`, answered pushes, newest first.
pub async fn payments(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let limit = match query_param(&uri, "limit") {
        None => DEFAULT_PAYMENTS_LIMIT,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=RECENT_MAX).contains(&n) => n,
            _ => {
                return ApiError::invalid_parameter(format!(
                    "limit must be an integer from 1 to {RECENT_MAX}"
                ))
                .into_response()
            }
        },
    };
    let list: Vec<Value> = app
        .ledger
        .recent(limit)
        .iter()
        .map(|f| payment(f, &app.config.secret_key))
        .collect();
    Json(json!({"payments": list})).into_response()
}

/// One entry of the payments listing, with the exact answer the push got (or, abandoned,
/// would have got).
pub fn payment(f: &Finished, secret_key: &str) -> Value {
    let o = &f.outcome;
    let answer = response::answer(f, secret_key);
    json!({
        "invoice_number": o.order.invoice_number,
        "amount": o.order.amount,
        "ovo_id": o.order.ovo_id,
        "ovo_account_name": o.account_name,
        "status": o.status,
        "response_code": o.response_code,
        "approval_code": o.approval_code,
        "cash_used": o.cash_used,
        "ovo_points_used": o.ovo_points_used,
        "request_id": f.request_id,
        "abandoned": f.abandoned,
        "fault": f.fault.map(|x| x.name()),
        "http_status": answer.http_status(),
        "response_body": answer.body(),
        "finished_at": clock::format_utc(o.numbers.epoch_secs),
    })
}

/// `GET /simulator/status/{invoice}`: the Check Status answer without a signature (for the
/// page, which has no secret); not counted in `status_requests`.
pub async fn status_lookup(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let raw = uri.path().rsplit('/').next().unwrap_or("");
    status::lookup(&app, raw)
}

/// `GET /simulator/changes?since=V`: `{"version":N}` as soon as the state's change counter
/// differs from `V` (at once without `since`), or after 25 s with the same `N`.
pub async fn changes(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let mut rx = app.ledger.subscribe();
    let since = query_param(&uri, "since").and_then(|v| v.parse::<u64>().ok());
    if since == Some(*rx.borrow_and_update()) {
        let _ = tokio::time::timeout(CHANGES_WAIT, rx.changed()).await;
    }
    let version = *rx.borrow();
    Json(json!({"version": version})).into_response()
}

/// The raw value of query parameter `name`, if present.
fn query_param<'a>(uri: &'a Uri, name: &str) -> Option<&'a str> {
    uri.query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}
