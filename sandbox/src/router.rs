//! The sandbox's routes.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use crate::app::App;
use crate::error::ApiError;
use crate::{control, payment, validate};

/// The sandbox's routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(validate::PAYMENT_PATH, post(payment::push))
        .route("/simulator/inquiry", post(control::inquiry))
        .route("/simulator/pay", post(control::pay))
        .route("/simulator/decline", post(control::decline))
        .route("/simulator/stats", get(control::stats))
        .route("/simulator/wallets", get(control::wallets))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response()
        })
        .with_state(app)
}
