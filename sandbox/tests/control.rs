//! The Payment Simulator control API acting on held pushes.

mod common;

use common::*;
use ovo_sandbox::wallets::{OPENING_CASH, OPENING_POINTS};
use ovo_sandbox::{ControlError, PayMethod};
use serde_json::json;

#[test]
fn manual_wallet_paid_with_cash_via_http() {
    let sb = sandbox();
    let url = format!("{}{}", sb.base_url(), ovo_sandbox::PAYMENT_PATH);
    let b = body("INV-M-1", 25_000, MANUAL).to_string();
    let h = std::thread::spawn(move || post_raw(&url, &b, &[]));

    let inv = json!({"invoice_number": "INV-M-1"});
    let mut info = serde_json::Value::Null;
    wait_until("inquiry to find the push", || {
        let (status, v) = post(&sb, "/simulator/inquiry", &inv);
        info = v;
        status == 200
    });
    assert_eq!(info["invoice_number"], "INV-M-1");
    assert_eq!(info["amount"], 25_000);
    assert_eq!(info["ovo_id"], MANUAL);
    assert_eq!(info["ovo_account_name"], "OVO Customer");
    assert_eq!(info["cash_balance"], OPENING_CASH);
    assert!(info["seconds_left"].as_f64().unwrap() > 0.0);
    assert_eq!(
        get(&sb, "/simulator/stats").1,
        json!({"payment_requests": 1, "status_requests": 0, "pending": 1})
    );

    let (status, paid) = post(
        &sb,
        "/simulator/pay",
        &json!({"invoice_number": "INV-M-1", "method": "cash"}),
    );
    assert_eq!(status, 200, "{paid}");
    let (http, v) = h.join().unwrap();
    assert_eq!(http, 200);
    assert_eq!(result(&v), ("SUCCESS", "00"));
    assert_eq!(v, paid, "the simulator returns what the push got");
    assert_eq!(v["ovo_payment"]["cash_balance"], OPENING_CASH - 25_000);
    assert_eq!(
        get(&sb, "/simulator/stats").1,
        json!({"payment_requests": 1, "status_requests": 0, "pending": 0})
    );

    // Already done: pay/decline 409, inquiry 404.
    let again = json!({"invoice_number": "INV-M-1", "method": "points"});
    let (status, e) = post(&sb, "/simulator/pay", &again);
    assert_eq!(status, 409);
    assert_eq!(e["error"]["code"], "already_completed");
    assert_eq!(post(&sb, "/simulator/decline", &inv).0, 409);
    assert_eq!(post(&sb, "/simulator/inquiry", &inv).0, 404);
}

#[test]
fn manual_wallet_paid_with_points_via_rust_api() {
    let sb = sandbox();
    let h = push_held(&sb, "INV-M-2", 7_000, MANUAL);
    let paid = sb.pay("INV-M-2", PayMethod::Points).unwrap();
    let (_, v) = h.join().unwrap();
    assert_eq!(v, paid);
    assert_eq!(result(&v), ("SUCCESS", "00"));
    assert_eq!(v["ovo_payment"]["ovo_points_used"], 7_000);
    assert_eq!(
        v["ovo_payment"]["ovo_points_balance"],
        OPENING_POINTS - 7_000
    );
    assert_eq!(
        sb.pay("INV-M-2", PayMethod::Cash),
        Err(ControlError::AlreadyDone("SUCCESS"))
    );
    assert_eq!(sb.decline("INV-NOPE"), Err(ControlError::NotPending));
}

#[test]
fn manual_wallet_declined_via_http() {
    let sb = sandbox();
    let h = push_held(&sb, "INV-M-3", 10_000, MANUAL);
    let (status, d) = post(
        &sb,
        "/simulator/decline",
        &json!({"invoice_number": "INV-M-3"}),
    );
    assert_eq!(status, 200);
    let (_, v) = h.join().unwrap();
    assert_eq!(v, d);
    assert_eq!(result(&v), ("FAILED", "17"));
    assert_eq!(v["ovo_payment"]["cash_balance"], OPENING_CASH);
}

#[test]
fn control_errors() {
    let sb = sandbox();
    let (status, e) = post(
        &sb,
        "/simulator/inquiry",
        &json!({"invoice_number": "NONE"}),
    );
    assert_eq!(status, 404);
    assert_eq!(e["error"]["code"], "not_found");
    assert_eq!(e["error"]["type"], "invalid_request_error");
    let pay = json!({"invoice_number": "NONE", "method": "cash"});
    assert_eq!(post(&sb, "/simulator/pay", &pay).0, 404);
    assert_eq!(
        post(
            &sb,
            "/simulator/decline",
            &json!({"invoice_number": "NONE"})
        )
        .0,
        404
    );

    let h = push_held(&sb, "INV-M-4", 10_000, MANUAL);
    let (status, e) = post(
        &sb,
        "/simulator/pay",
        &json!({"invoice_number": "INV-M-4", "method": "gold"}),
    );
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("method"));
    let (status, e) = post(&sb, "/simulator/pay", &json!({"method": "cash"}));
    assert_eq!(status, 400);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("invoice_number"));
    assert_eq!(sb.pending(), 1, "bad control calls leave the push held");
    sb.decline("INV-M-4").unwrap();
    assert_eq!(result(&h.join().unwrap().1), ("FAILED", "17"));

    assert_eq!(get(&sb, "/no/such/path").0, 404);
    assert_eq!(sb.payment_requests(), 1);
}
