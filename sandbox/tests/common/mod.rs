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

/// GETs `url` with extra `headers`; returns status and parsed JSON (Null if not JSON).
pub fn get_raw(url: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.call().expect("request completes");
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().expect("body readable");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The four signed headers of a Check Status GET of `path` (as sent on the wire).
pub fn status_headers(path: &str, secret: &str) -> Vec<(&'static str, String)> {
    let (rid, ts) = ("status-rid-1", "2021-01-15T03:04:05Z");
    vec![
        ("Client-Id", DEFAULT_CLIENT_ID.to_owned()),
        ("Request-Id", rid.to_owned()),
        ("Request-Timestamp", ts.to_owned()),
        (
            "Signature",
            ovo_sandbox::get_signature(secret, DEFAULT_CLIENT_ID, rid, ts, path),
        ),
    ]
}

/// A correctly signed Check Status GET of `/orders/v1/status/{encoded}`.
pub fn check_status(sb: &Sandbox, encoded: &str) -> (u16, Value) {
    let path = format!("{}{encoded}", ovo_sandbox::STATUS_PATH_PREFIX);
    let headers = status_headers(&path, DEFAULT_SECRET_KEY);
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    get_raw(&format!("{}{path}", sb.base_url()), &h)
}

/// Sends a correctly signed push on a raw socket (with `Request-Id: {rid}` when given) and
/// returns the socket without reading, once the sandbox holds the push or has answered it.
pub fn raw_push(
    sb: &Sandbox,
    invoice: &str,
    amount: u64,
    ovo_id: &str,
    rid: Option<&str>,
) -> std::net::TcpStream {
    use std::io::Write;
    let b = body(invoice, amount, ovo_id).to_string();
    let mut s = std::net::TcpStream::connect(sb.local_addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let rid = rid.map_or(String::new(), |r| format!("Request-Id: {r}\r\n"));
    write!(
        s,
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{rid}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{b}",
        ovo_sandbox::PAYMENT_PATH,
        b.len()
    )
    .unwrap();
    wait_until("the push to be accepted", || sb.status(invoice).is_some());
    s
}

/// Reads everything until the server closes: `(bytes, Ok or the read error's kind)`.
pub fn read_all(s: &mut std::net::TcpStream) -> (Vec<u8>, Result<(), std::io::ErrorKind>) {
    use std::io::Read;
    let mut buf = Vec::new();
    let r = s.read_to_end(&mut buf).map(drop).map_err(|e| e.kind());
    (buf, r)
}

/// Splits a raw HTTP/1.1 response into status code, lower-cased head and body.
pub fn split_response(raw: &[u8]) -> (u16, String, Vec<u8>) {
    let text = String::from_utf8_lossy(raw);
    let end = text.find("\r\n\r\n").expect("a complete head");
    let head = text[..end].to_ascii_lowercase();
    let code = head[9..12].parse().expect("a status code");
    (code, head, raw[end + 4..].to_vec())
}
