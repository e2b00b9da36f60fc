//! Request validation: shape, client id, field rules, checksum, header signature, duplicates.

mod common;

use common::*;
use ovo_sandbox::{
    header_signature, request_checksum, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY, PAYMENT_PATH,
};
use serde_json::{json, Value};

/// Fails at once, so valid pushes answer immediately.
const FAST: &str = "089900000026";

fn url(sb: &ovo_sandbox::Sandbox) -> String {
    format!("{}{PAYMENT_PATH}", sb.base_url())
}

fn assert_error(got: &(u16, Value), status: u16, code: &str, field: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    let e = &got.1["error"];
    assert_eq!(e["code"], code, "{}", got.1);
    assert_eq!(e["type"], "invalid_request_error");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains(field), "message {msg:?} should name {field:?}");
}

#[test]
fn non_json_and_wrong_shape_are_400_invalid_request() {
    let sb = sandbox();
    let u = url(&sb);
    assert_error(
        &post_raw(&u, "not json", &[]),
        400,
        "invalid_request",
        "JSON",
    );
    assert_error(&post_raw(&u, "", &[]), 400, "invalid_request", "JSON");
    assert_error(
        &post_raw(&u, "[1,2]", &[]),
        400,
        "invalid_request",
        "object",
    );

    let mut b = body("INV-1", 10_000, FAST);
    b.as_object_mut().unwrap().remove("ovo_info");
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        400,
        "invalid_request",
        "ovo_info.ovo_id",
    );

    let mut b = body("INV-1", 10_000, FAST);
    b["order"]["amount"] = json!("10000");
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        400,
        "invalid_request",
        "order.amount",
    );

    let mut b = body("INV-1", 10_000, FAST);
    b["client"]["id"] = json!(42);
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        400,
        "invalid_request",
        "client.id",
    );

    let mut b = body("INV-1", 10_000, FAST);
    b["security"] = json!("x");
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        400,
        "invalid_request",
        "security.check_sum",
    );

    let mut b = body("INV-1", 10_000, FAST);
    b["order"]["invoice_number"] = Value::Null;
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        400,
        "invalid_request",
        "order.invoice_number",
    );

    assert_eq!(sb.payment_requests(), 8, "rejected requests are counted");
    assert_eq!(sb.pending(), 0);
}

#[test]
fn unknown_client_id_is_401() {
    let sb = sandbox();
    let sum = request_checksum(10_000, "MCH-OTHER", "INV-1", FAST, DEFAULT_SECRET_KEY);
    let b = json!({
        "client": {"id": "MCH-OTHER"},
        "order": {"invoice_number": "INV-1", "amount": 10_000},
        "ovo_info": {"ovo_id": FAST},
        "security": {"check_sum": sum},
    });
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        401,
        "invalid_client_id",
        "client.id",
    );
}

#[test]
fn field_rules_are_400_invalid_parameter() {
    let sb = sandbox();
    let set = |path: [&str; 2], v: Value| {
        let mut b = body("INV-RULE", 10_000, FAST);
        b[path[0]][path[1]] = v;
        post(&sb, PAYMENT_PATH, &b)
    };
    let inv = ["order", "invoice_number"];
    for bad in [
        json!(""),
        json!("X".repeat(65)),
        json!("INV\n1"),
        json!("INV-é"),
    ] {
        assert_error(
            &set(inv, bad),
            400,
            "invalid_parameter",
            "order.invoice_number",
        );
    }
    let amount = ["order", "amount"];
    for bad in [
        json!(0),
        json!(-5),
        json!(10.5),
        json!(1_000_000_000_000u64),
        json!(1e20),
    ] {
        assert_error(&set(amount, bad), 400, "invalid_parameter", "order.amount");
    }
    let ovo = ["ovo_info", "ovo_id"];
    for bad in [
        json!("0812abc4567"),
        json!("08121111"),
        json!("0812111111111111"),
        json!(""),
    ] {
        assert_error(&set(ovo, bad), 400, "invalid_parameter", "ovo_info.ovo_id");
    }
    let sum = ["security", "check_sum"];
    for bad in [json!("ab".repeat(31)), json!("zz".repeat(32)), json!("")] {
        assert_error(
            &set(sum, bad),
            400,
            "invalid_parameter",
            "security.check_sum",
        );
    }
    // Boundaries that are fine (manual wallets: held, then declined).
    let long = "X".repeat(64);
    let h = push_held(&sb, &long, 999_999_999_999, "081211111");
    sb.decline(&long).unwrap();
    assert_eq!(result(&h.join().unwrap().1), ("FAILED", "17"));
    let h = push_held(&sb, " ~!", 1, "081211111111111");
    sb.decline(" ~!").unwrap();
    assert_eq!(result(&h.join().unwrap().1), ("FAILED", "17"));
}

#[test]
fn wrong_checksum_is_401_and_case_is_ignored() {
    let sb = sandbox();
    let mut b = body("INV-SUM-1", 10_000, FAST);
    b["security"]["check_sum"] = json!("0".repeat(64));
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        401,
        "invalid_checksum",
        "check_sum",
    );

    // Checksum of different amount.
    let mut b = body("INV-SUM-1", 10_000, FAST);
    b["order"]["amount"] = json!(10_001);
    assert_error(
        &post(&sb, PAYMENT_PATH, &b),
        401,
        "invalid_checksum",
        "check_sum",
    );

    let mut b = body("INV-SUM-2", 10_000, FAST);
    let upper = b["security"]["check_sum"].as_str().unwrap().to_uppercase();
    b["security"]["check_sum"] = json!(upper);
    let (status, v) = post(&sb, PAYMENT_PATH, &b);
    assert_eq!(status, 200, "{v}");
    assert_eq!(result(&v), ("FAILED", "26"));
}

fn signed_headers(body: &str, target: &str, secret: &str) -> Vec<(&'static str, String)> {
    let sig = header_signature(
        secret,
        DEFAULT_CLIENT_ID,
        "req-1",
        "2021-01-15T00:00:00Z",
        target,
        body.as_bytes(),
    );
    vec![
        ("Client-Id", DEFAULT_CLIENT_ID.to_owned()),
        ("Request-Id", "req-1".to_owned()),
        ("Request-Timestamp", "2021-01-15T00:00:00Z".to_owned()),
        ("Request-Target", target.to_owned()),
        ("Signature", sig),
    ]
}

fn send(sb: &ovo_sandbox::Sandbox, body: &str, headers: &[(&'static str, String)]) -> (u16, Value) {
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_raw(&url(sb), body, &h)
}

#[test]
fn header_signature_is_checked_when_present() {
    let sb = sandbox();
    let b = body("INV-SIG-1", 10_000, FAST).to_string();
    let (status, v) = send(
        &sb,
        &b,
        &signed_headers(&b, PAYMENT_PATH, DEFAULT_SECRET_KEY),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(result(&v), ("FAILED", "26"));

    let b = body("INV-SIG-2", 10_000, FAST).to_string();
    let wrong_key = signed_headers(&b, PAYMENT_PATH, "SK-wrong");
    let got = send(&sb, &b, &wrong_key);
    assert_error(&got, 401, "invalid_signature", "Invalid Header Signature");

    let wrong_target = signed_headers(&b, "/other", DEFAULT_SECRET_KEY);
    assert_error(
        &send(&sb, &b, &wrong_target),
        401,
        "invalid_signature",
        "Signature",
    );

    // Signed over a different body (the digest line differs).
    let other = body("INV-SIG-3", 10_000, FAST).to_string();
    let h = signed_headers(&other, PAYMENT_PATH, DEFAULT_SECRET_KEY);
    assert_error(&send(&sb, &b, &h), 401, "invalid_signature", "Signature");

    // Missing a component header.
    let mut h = signed_headers(&b, PAYMENT_PATH, DEFAULT_SECRET_KEY);
    h.retain(|(k, _)| *k != "Request-Id");
    assert_error(&send(&sb, &b, &h), 401, "invalid_signature", "Signature");

    // Garbage signature value.
    let mut h = signed_headers(&b, PAYMENT_PATH, DEFAULT_SECRET_KEY);
    h[4].1 = "HMACSHA256=***".into();
    assert_error(&send(&sb, &b, &h), 401, "invalid_signature", "Signature");

    // No Signature header at all is fine by default.
    let (status, _) = send(&sb, &b, &[]);
    assert_eq!(status, 200);
}

#[test]
fn signature_can_be_required() {
    let sb = with(|c| c.require_signature = true);
    let b = body("INV-REQ-1", 10_000, FAST).to_string();
    assert_error(&send(&sb, &b, &[]), 401, "invalid_signature", "Signature");
    let (status, v) = send(
        &sb,
        &b,
        &signed_headers(&b, PAYMENT_PATH, DEFAULT_SECRET_KEY),
    );
    assert_eq!(status, 200, "{v}");
}

#[test]
fn duplicate_invoice_fails_40() {
    let sb = sandbox();
    let (_, first) = push(&sb, "INV-DUP-1", 10_000, "081211111111");
    assert_eq!(result(&first), ("SUCCESS", "00"));
    let (status, dup) = push(&sb, "INV-DUP-1", 10_000, "081211111111");
    assert_eq!(status, 200);
    assert_eq!(result(&dup), ("FAILED", "40"));
    assert_eq!(dup["ovo_payment"]["cash_used"], 0);
    assert_eq!(
        dup["ovo_payment"]["cash_balance"],
        first["ovo_payment"]["cash_balance"]
    );

    // Also while the first push is still held; the held one is unaffected.
    let h = push_held(&sb, "INV-DUP-2", 10_000, MANUAL);
    let (_, dup) = push(&sb, "INV-DUP-2", 10_000, "081211111111");
    assert_eq!(result(&dup), ("FAILED", "40"));
    assert_eq!(sb.pending(), 1);
    sb.pay("INV-DUP-2", ovo_sandbox::PayMethod::Cash).unwrap();
    assert_eq!(result(&h.join().unwrap().1), ("SUCCESS", "00"));

    // Rejected requests do not use up the invoice.
    let mut b = body("INV-DUP-3", 10_000, FAST);
    b["security"]["check_sum"] = json!("0".repeat(64));
    assert_eq!(post(&sb, PAYMENT_PATH, &b).0, 401);
    assert_eq!(
        result(&push(&sb, "INV-DUP-3", 10_000, FAST).1),
        ("FAILED", "26")
    );
}
