//! The request log: one line per request on stderr, with a UTC timestamp.
//!
//! Handlers describe their answer with [`LogInvoice`] and [`LogDetail`] response extensions;
//! [`log_requests`] writes the line once the response is ready. Lines that belong to no
//! response (a client abandoning a held push) go through [`line`].

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::App;
use crate::clock;
use crate::serve::CloseConnection;

/// Response extension: the invoice a request was about.
#[derive(Clone, Debug)]
pub struct LogInvoice(pub String);

/// Response extension: what happened, after the HTTP status (e.g. `SUCCESS 00`).
#[derive(Clone, Debug)]
pub struct LogDetail(pub String);

/// Middleware: logs `TIMESTAMP METHOD PATH [invoice=INV] -> STATUS [DETAIL]` per request.
pub async fn log_requests(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if !app.log {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let path = printable(req.uri().path(), 160);
    let resp = next.run(req).await;
    let ext = resp.extensions();
    let invoice = ext
        .get::<LogInvoice>()
        .map(|i| format!(" invoice={}", printable(&i.0, 64)))
        .unwrap_or_default();
    let status = match ext.get::<CloseConnection>() {
        None => resp.status().as_u16().to_string(),
        Some(CloseConnection::Close) => "no answer, connection closed".to_owned(),
        Some(CloseConnection::Reset) => "no answer, connection reset".to_owned(),
    };
    let detail = ext
        .get::<LogDetail>()
        .map(|d| format!(" {}", d.0))
        .unwrap_or_default();
    line(
        &app,
        &format!("{method} {path}{invoice} -> {status}{detail}"),
    );
    resp
}

/// Writes `TIMESTAMP text` to stderr when logging is on.
pub fn line(app: &App, text: &str) {
    if app.log {
        eprintln!("{} {text}", clock::log_timestamp());
    }
}

/// `text` cut to `max` characters, anything but printable ASCII replaced by `?`.
pub fn printable(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}
