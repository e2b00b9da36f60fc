//! Helpers shared by the integration tests: a ureq agent and request builders.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use ovo_sandbox::{
    request_checksum, Sandbox, SandboxConfig, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY,
};
use serde_json::{json, Value};

/// A manual wallet (not in the scripted table).
pub const MANUAL: &str = "081399990000";

/// A client that never follows redirects and reads 4xx/5xx bodies.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .proxy(None)
        .build()
        .into()
}

/// Starts a sandbox with a 60 s hold and no scripted delay.
pub fn sandbox() -> Sandbox {
    with(|_| {})
}

/// Starts a sandbox with the defaults changed by `f` (hold 60 s, approve delay 0 first).
pub fn with(f: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut cfg = SandboxConfig {
        hold: Duration::from_secs(60),
        approve_delay: Duration::ZERO,
        ..SandboxConfig::default()
    };
    f(&mut cfg);
    Sandbox::start(cfg).expect("sandbox starts")
}

/// A correctly signed push body.
pub fn body(invoice: &str, amount: u64, ovo_id: &str) -> Value {
    let sum = request_checksum(
        amount,
        DEFAULT_CLIENT_ID,
        invoice,
        ovo_id,
        DEFAULT_SECRET_KEY,
    );
    json!({
        "client": {"id": DEFAULT_CLIENT_ID},
        "order": {"invoice_number": invoice, "amount": amount},
        "ovo_info": {"ovo_id": ovo_id},
        "security": {"check_sum": sum},
    })
}

/// POSTs raw `body` with extra `headers`; returns status and parsed JSON (Null if not JSON).
pub fn post_raw(url: &str, body: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req = agent().post(url).header("Content-Type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.send(body).expect("request completes");
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().expect("body readable");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// POSTs JSON to `path` on `sb`.
pub fn post(sb: &Sandbox, path: &str, body: &Value) -> (u16, Value) {
    post_raw(&format!("{}{path}", sb.base_url()), &body.to_string(), &[])
}

/// GETs `path` on `sb`.
pub fn get(sb: &Sandbox, path: &str) -> (u16, Value) {
    let mut resp = agent()
        .get(&format!("{}{path}", sb.base_url()))
        .call()
        .expect("request completes");
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().expect("body readable");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Pushes a correctly signed payment and waits for the answer.
pub fn push(sb: &Sandbox, invoice: &str, amount: u64, ovo_id: &str) -> (u16, Value) {
    post(
        sb,
        ovo_sandbox::PAYMENT_PATH,
        &body(invoice, amount, ovo_id),
    )
}

/// `(status, response_code)` of a payment response.
pub fn result(v: &Value) -> (&str, &str) {
    (
        v["ovo_payment"]["status"].as_str().unwrap_or("?"),
        v["ovo_payment"]["response_code"].as_str().unwrap_or("?"),
    )
}

/// Polls `cond` until true; panics after 20 s (a failure guard, not synchronisation).
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Starts a push on a thread and returns once the sandbox holds it.
pub fn push_held(
    sb: &Sandbox,
    invoice: &str,
    amount: u64,
    ovo_id: &str,
) -> std::thread::JoinHandle<(u16, Value)> {
    let url = format!("{}{}", sb.base_url(), ovo_sandbox::PAYMENT_PATH);
    let b = body(invoice, amount, ovo_id).to_string();
    let h = std::thread::spawn(move || post_raw(&url, &b, &[]));
    wait_until("the push to be held", || sb.inquiry(invoice).is_ok());
    h
}
