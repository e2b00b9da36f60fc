//! The sandbox's routes, behind the request log.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use crate::app::App;
use crate::error::ApiError;
use crate::{control, listing, log, page, payment, status, validate};

/// The sandbox's routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(validate::PAYMENT_PATH, post(payment::push))
        .route("/orders/v1/status/{invoice}", get(status::check))
        .route("/simulator/inquiry", post(control::inquiry))
        .route("/simulator/pay", post(control::pay))
        .route("/simulator/decline", post(control::decline))
        .route("/simulator/stats", get(listing::stats))
        .route("/simulator/wallets", get(listing::wallets))
        .route("/simulator/pending", get(listing::pending))
        .route("/simulator/payments", get(listing::payments))
        .route("/simulator/status/{invoice}", get(listing::status_lookup))
        .route("/simulator/changes", get(listing::changes))
        .route("/", get(page::redirect))
        .route(page::PAGE_PATH, get(page::html))
        .route(page::SCRIPT_PATH, get(page::script))
        .route(page::STYLE_PATH, get(page::style))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response()
        })
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            log::log_requests,
        ))
        .with_state(app)
}
