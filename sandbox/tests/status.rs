//! DOKU's Check Status API: `GET /orders/v1/status/{invoice}`.

mod common;

use std::time::Duration;

use common::*;
use ovo_sandbox::{PayMethod, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY, STATUS_PATH_PREFIX};
use serde_json::{json, Value};

fn url(sb: &ovo_sandbox::Sandbox, path: &str) -> String {
    format!("{}{path}", sb.base_url())
}

fn send(sb: &ovo_sandbox::Sandbox, path: &str, headers: &[(&'static str, String)]) -> (u16, Value) {
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    get_raw(&url(sb, path), &h)
}

fn assert_401(got: (u16, Value), code: &str) {
    assert_eq!(got.0, 401, "{}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{}", got.1);
    assert_eq!(got.1["error"]["type"], "invalid_request_error");
    if code == "invalid_signature" {
        assert_eq!(got.1["error"]["message"], "Invalid Header Signature");
    }
}

#[test]
fn headers_and_signature_are_required() {
    let sb = sandbox();
    push(&sb, "INV-S-1", 10_000, "081211111111");
    let path = format!("{STATUS_PATH_PREFIX}INV-S-1");
    let good = status_headers(&path, DEFAULT_SECRET_KEY);
    assert_eq!(send(&sb, &path, &good).0, 200);

    for missing in ["Client-Id", "Request-Id", "Request-Timestamp", "Signature"] {
        let mut h = good.clone();
        h.retain(|(k, _)| *k != missing);
        assert_401(send(&sb, &path, &h), "invalid_signature");
    }
    assert_401(
        send(&sb, &path, &status_headers(&path, "SK-wrong")),
        "invalid_signature",
    );
    // Signed for another invoice's path.
    let other = status_headers(&format!("{STATUS_PATH_PREFIX}INV-S-2"), DEFAULT_SECRET_KEY);
    assert_401(send(&sb, &path, &other), "invalid_signature");
    // A Digest line (as for a POST) is not part of a GET's signature.
    let mut h = good.clone();
    h[3].1 = ovo_sandbox::header_signature(
        DEFAULT_SECRET_KEY,
        DEFAULT_CLIENT_ID,
        "status-rid-1",
        "2021-01-15T03:04:05Z",
        &path,
        b"",
    );
    assert_401(send(&sb, &path, &h), "invalid_signature");
    // Garbage value.
    let mut h = good.clone();
    h[3].1 = "HMACSHA256=***".into();
    assert_401(send(&sb, &path, &h), "invalid_signature");
    // Another client id.
    let mut h = good.clone();
    h[0].1 = "MCH-OTHER".into();
    assert_401(send(&sb, &path, &h), "invalid_client_id");
    // Request-Target is optional, but must match when sent.
    let mut h = good.clone();
    h.push(("Request-Target", path.clone()));
    assert_eq!(send(&sb, &path, &h).0, 200);
    let mut h = good.clone();
    h.push(("Request-Target", "/orders/v1/status/INV-S-2".into()));
    assert_401(send(&sb, &path, &h), "invalid_signature");

    assert_eq!(
        sb.status_requests(),
        12,
        "every GET counts, rejected ones too"
    );
    assert_eq!(sb.payment_requests(), 1);
}

#[test]
fn pending_then_success_with_the_push_request_id() {
    let sb = sandbox();
    let mut sock = raw_push(&sb, "INV-S-OK", 12_345, MANUAL, Some("rid-push-1"));
    let before = ovo_sandbox::clock::now_epoch_secs();
    let (code, v) = check_status(&sb, "INV-S-OK");
    assert_eq!(code, 200, "{v}");
    assert_eq!(
        v["order"],
        json!({"invoice_number": "INV-S-OK", "amount": "12345"})
    );
    assert_eq!(v["transaction"]["status"], "PENDING");
    assert_eq!(v["transaction"]["original_request_id"], "rid-push-1");
    assert_eq!(v["ovo_payment"]["response_code"], "");
    let pending_date = v["transaction"]["date"].as_str().unwrap().to_owned();
    assert!(
        pending_date <= ovo_sandbox::clock::format_utc(before),
        "{pending_date}"
    );

    sb.pay("INV-S-OK", PayMethod::Cash).unwrap();
    let (answer, _) = read_all(&mut sock);
    let (_, _, body) = split_response(&answer);
    let pushed: Value = serde_json::from_slice(&body).unwrap();
    let (code, v) = check_status(&sb, "INV-S-OK");
    assert_eq!(code, 200);
    assert_eq!(
        v,
        json!({
            "order": {"invoice_number": "INV-S-OK", "amount": "12345"},
            "transaction": {
                "status": "SUCCESS",
                "date": v["transaction"]["date"],
                "original_request_id": "rid-push-1",
            },
            "service": {"id": "EMONEY"},
            "acquirer": {"id": "OVO"},
            "channel": {"id": "EMONEY_OVO"},
            "ovo_payment": {
                "response_code": "00",
                "approval_code": pushed["ovo_payment"]["approval_code"],
                "cash_used": 12_345,
                "ovo_points_used": 0,
            },
        })
    );
    let date = v["transaction"]["date"].as_str().unwrap();
    assert_eq!(date.len(), "2021-01-15T03:04:05Z".len());
    assert!(
        date.ends_with('Z') && date >= pending_date.as_str(),
        "{date}"
    );
    assert_eq!(sb.status("INV-S-OK").unwrap().status, "SUCCESS");
}

#[test]
fn failed_and_timeout_statuses() {
    let sb = with(|c| c.hold = Duration::from_millis(300));
    // Declined, failing wallet, short balance, nobody acting.
    let h = push_held(&sb, "INV-S-DECL", 1_000, MANUAL);
    sb.decline("INV-S-DECL").unwrap();
    h.join().unwrap();
    push(&sb, "INV-S-26", 1_000, "089900000026");
    let h = push_held(&sb, "INV-S-65", 2_000_000, MANUAL);
    sb.pay("INV-S-65", PayMethod::Points).unwrap();
    h.join().unwrap();
    push(&sb, "INV-S-TMO", 1_000, MANUAL);
    for (inv, status, code) in [
        ("INV-S-DECL", "FAILED", "17"),
        ("INV-S-26", "FAILED", "26"),
        ("INV-S-65", "FAILED", "65"),
        ("INV-S-TMO", "TIMEOUT", "68"),
    ] {
        let (http, v) = check_status(&sb, inv);
        assert_eq!(http, 200, "{inv}: {v}");
        assert_eq!(v["transaction"]["status"], status, "{inv}: {v}");
        assert_eq!(v["ovo_payment"]["response_code"], code, "{inv}: {v}");
        assert_eq!(v["ovo_payment"]["approval_code"], "", "{inv}");
        assert_eq!(v["ovo_payment"]["cash_used"], 0, "{inv}");
        assert_eq!(
            v["transaction"]["original_request_id"],
            Value::Null,
            "no Request-Id header was sent"
        );
    }
}

#[test]
fn first_push_wins_and_unknown_is_404() {
    let sb = sandbox();
    push(&sb, "INV-S-DUP", 10_000, "081211111111");
    let (_, dup) = push(&sb, "INV-S-DUP", 20_000, "081211111111");
    assert_eq!(result(&dup), ("FAILED", "40"));
    let (_, v) = check_status(&sb, "INV-S-DUP");
    assert_eq!(v["transaction"]["status"], "SUCCESS");
    assert_eq!(v["order"]["amount"], "10000");

    let not_found = json!({"error": {
        "code": "not_found",
        "message": "Transaction not found",
        "type": "invalid_request_error",
    }});
    assert_eq!(check_status(&sb, "INV-S-NONE"), (404, not_found.clone()));
    // A rejected push leaves no transaction behind.
    let mut b = body("INV-S-REJ", 10_000, "081211111111");
    b["security"]["check_sum"] = json!("0".repeat(64));
    assert_eq!(post(&sb, ovo_sandbox::PAYMENT_PATH, &b).0, 401);
    assert_eq!(check_status(&sb, "INV-S-REJ"), (404, not_found));
    assert!(sb.status("INV-S-REJ").is_none());
}

#[test]
fn invoice_in_the_path_is_percent_decoded() {
    let sb = sandbox();
    let invoice = "INV/1 a+b%";
    let h = push_held(&sb, invoice, 1_000, MANUAL);
    sb.pay(invoice, PayMethod::Points).unwrap();
    h.join().unwrap();
    // Signed over the path exactly as sent, still encoded.
    let (code, v) = check_status(&sb, "INV%2F1%20a+b%25");
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["order"]["invoice_number"], invoice);
    assert_eq!(v["ovo_payment"]["ovo_points_used"], 1_000);
    // The unsigned simulator lookup decodes the same way and is not counted.
    let before = sb.status_requests();
    let (code, same) = get(&sb, "/simulator/status/INV%2F1%20a+b%25");
    assert_eq!((code, &same), (200, &v));
    assert_eq!(get(&sb, "/simulator/status/INV-NONE").0, 404);
    assert_eq!(sb.status_requests(), before);
    // A bad escape is a 400 naming the rule.
    let (code, e) = check_status(&sb, "INV%zz");
    assert_eq!(code, 400, "{e}");
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("percent-encoded"));
}

#[test]
fn stats_count_status_requests_separately() {
    let sb = sandbox();
    push(&sb, "INV-S-ST", 10_000, "089900000026");
    check_status(&sb, "INV-S-ST");
    check_status(&sb, "INV-S-NONE");
    let (_, v) = get(&sb, "/simulator/stats");
    assert_eq!(
        v,
        json!({"payment_requests": 1, "status_requests": 2, "pending": 0})
    );
}
