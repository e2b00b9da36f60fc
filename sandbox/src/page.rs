//! The Payment Simulator page: plain HTML, CSS and JavaScript compiled into the binary.
//!
//! The page has no secret: it only calls the `/simulator/` control API.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the page lives (`/` redirects here).
pub const PAGE_PATH: &str = "/simulator/ovo";
/// The page's script.
pub const SCRIPT_PATH: &str = "/simulator/ovo/app.js";
/// The page's style sheet.
pub const STYLE_PATH: &str = "/simulator/ovo/style.css";

const HTML: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");

/// Same-origin only: no inline code, no CDN, no frames.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// `GET /`: 303 to the page.
pub async fn redirect() -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    resp.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static(PAGE_PATH));
    resp
}

/// `GET /simulator/ovo`: the page.
pub async fn html() -> Response {
    asset("text/html; charset=utf-8", HTML)
}

/// `GET /simulator/ovo/app.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /simulator/ovo/style.css`.
pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}
