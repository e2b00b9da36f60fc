//! Fault wallets: the customer pays, but the held push's answer goes wrong.

mod common;

use std::time::{Duration, Instant};

use common::*;
use ovo_sandbox::wallets::OPENING_CASH;
use ovo_sandbox::Sandbox;
use serde_json::Value;

/// The customer paid: ledger, balances, Check Status and the listing all say SUCCESS.
fn assert_paid(sb: &Sandbox, invoice: &str, ovo_id: &str, fault: &str) -> Value {
    let st = sb.status(invoice).expect("a transaction");
    assert_eq!(
        (st.status, st.response_code),
        ("SUCCESS", "00"),
        "{invoice}"
    );
    assert_eq!(
        sb.wallet(ovo_id).unwrap().cash_balance,
        OPENING_CASH - 7_000
    );
    let (_, v) = check_status(sb, invoice);
    assert_eq!(v["transaction"]["status"], "SUCCESS");
    let (_, list) = get(sb, "/simulator/payments");
    let rec = list["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["invoice_number"] == invoice)
        .expect("listed")
        .clone();
    assert_eq!(rec["status"], "SUCCESS");
    assert_eq!(rec["fault"], fault);
    rec
}

#[test]
fn http_500_with_html() {
    let sb = sandbox();
    let mut s = raw_push(&sb, "INV-F-500", 7_000, "089800000500", None);
    let (raw, _) = read_all(&mut s);
    let (code, head, body) = split_response(&raw);
    assert_eq!(code, 500);
    assert!(head.contains("content-type: text/html"), "{head}");
    let body = String::from_utf8(body).unwrap();
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
    let rec = assert_paid(&sb, "INV-F-500", "089800000500", "http_500_html");
    assert_eq!(rec["http_status"], 500);
    assert_eq!(rec["response_body"], body.as_str());
}

#[test]
fn http_503_with_an_empty_body() {
    let sb = sandbox();
    let mut s = raw_push(&sb, "INV-F-503", 7_000, "089800000503", None);
    let (raw, _) = read_all(&mut s);
    let (code, head, body) = split_response(&raw);
    assert_eq!(code, 503);
    assert!(head.contains("content-length: 0"), "{head}");
    assert!(!head.contains("content-type"), "{head}");
    assert!(body.is_empty());
    let rec = assert_paid(&sb, "INV-F-503", "089800000503", "http_503_empty");
    assert_eq!(rec["http_status"], 503);
    assert_eq!(rec["response_body"], "");
}

#[test]
fn connection_reset_without_an_answer() {
    let sb = sandbox();
    let mut s = raw_push(&sb, "INV-F-104", 7_000, "089800000104", None);
    let (raw, end) = read_all(&mut s);
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(end, Err(std::io::ErrorKind::ConnectionReset));
    let rec = assert_paid(&sb, "INV-F-104", "089800000104", "connection_reset");
    assert_eq!(rec["http_status"], Value::Null);
    assert_eq!(rec["response_body"], Value::Null);
}

#[test]
fn http_200_with_truncated_json() {
    let sb = sandbox();
    let mut s = raw_push(&sb, "INV-F-200", 7_000, "089800000200", None);
    let (raw, _) = read_all(&mut s);
    let (code, head, body) = split_response(&raw);
    assert_eq!(code, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(serde_json::from_slice::<Value>(&body).is_err(), "malformed");
    let body = String::from_utf8(body).unwrap();
    assert!(body.starts_with("{\""), "{body}");
    let rec = assert_paid(&sb, "INV-F-200", "089800000200", "truncated_json");
    assert_eq!(rec["response_body"], body.as_str());
}

#[test]
fn silent_until_the_window_ends_then_closed() {
    let hold = Duration::from_millis(1_500);
    let sb = with(|c| c.hold = hold);
    let start = Instant::now();
    let mut s = raw_push(&sb, "INV-F-408", 7_000, "089800000408", None);
    // Paid at once (approve delay 0), while the connection says nothing.
    wait_until("the payment", || sb.pending() == 0);
    assert_paid(&sb, "INV-F-408", "089800000408", "silent_until_hold_ends");
    let (raw, end) = read_all(&mut s);
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(end, Ok(()), "closed, not reset");
    assert!(start.elapsed() >= hold, "closed only when the window ended");
}

#[test]
fn duplicates_to_a_fault_wallet_are_answered_normally() {
    let sb = sandbox();
    let mut s = raw_push(&sb, "INV-F-DUP", 7_000, "089800000500", None);
    let _ = read_all(&mut s);
    let (code, v) = push(&sb, "INV-F-DUP", 7_000, "089800000500");
    assert_eq!(code, 200);
    assert_eq!(result(&v), ("FAILED", "40"));
}

#[test]
fn fault_wallets_are_listed() {
    let sb = sandbox();
    let (_, v) = get(&sb, "/simulator/wallets");
    for (id, what) in [
        ("089800000500", "HTTP 500"),
        ("089800000503", "HTTP 503"),
        ("089800000104", "reset"),
        ("089800000200", "truncated JSON"),
        ("089800000408", "closed when hold ends"),
    ] {
        let w = v["wallets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["ovo_id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"));
        let behaviour = w["behaviour"].as_str().unwrap();
        assert!(behaviour.contains(what), "{id}: {behaviour}");
        assert_eq!(w["cash_balance"], OPENING_CASH);
    }
}
