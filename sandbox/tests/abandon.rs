//! A client that hangs up does not settle its push: the window is the ledger's.

mod common;

use std::time::Duration;

use common::*;
use ovo_sandbox::wallets::OPENING_CASH;
use ovo_sandbox::{PayMethod, Sandbox};

/// Pushes on a raw socket, then hangs up once the push is held; waits until the sandbox
/// has noticed.
fn push_and_hang_up(sb: &Sandbox, invoice: &str, ovo_id: &str) {
    let sock = raw_push(sb, invoice, 5_000, ovo_id, Some("rid-gone"));
    drop(sock);
    wait_until("the sandbox to notice the hang-up", || {
        sb.held()
            .iter()
            .any(|p| p.invoice_number == invoice && !p.client_connected)
    });
}

#[test]
fn abandoned_push_is_still_payable_until_its_deadline() {
    let sb = sandbox();
    push_and_hang_up(&sb, "INV-AB-1", MANUAL);
    let (_, v) = get(&sb, "/simulator/pending");
    let p = &v["pending"][0];
    assert_eq!(p["invoice_number"], "INV-AB-1");
    assert_eq!(p["client_connected"], false);
    assert_eq!(p["request_id"], "rid-gone");
    assert!(p["seconds_left"].as_f64().unwrap() > 0.0);
    assert_eq!(
        check_status(&sb, "INV-AB-1").1["transaction"]["status"],
        "PENDING"
    );

    let paid = sb.pay("INV-AB-1", PayMethod::Cash).unwrap();
    assert_eq!(result(&paid), ("SUCCESS", "00"));
    assert_eq!(
        sb.wallet(MANUAL).unwrap().cash_balance,
        OPENING_CASH - 5_000
    );
    let (_, st) = check_status(&sb, "INV-AB-1");
    assert_eq!(st["transaction"]["status"], "SUCCESS");
    assert_eq!(st["transaction"]["original_request_id"], "rid-gone");

    // The listing marks it and shows the answer DOKU would have sent, byte for byte.
    let (_, list) = get(&sb, "/simulator/payments");
    let rec = &list["payments"][0];
    assert_eq!(rec["invoice_number"], "INV-AB-1");
    assert_eq!(rec["abandoned"], true);
    assert_eq!(rec["http_status"], 200);
    assert_eq!(rec["response_body"], paid.to_string());
}

#[test]
fn abandoned_push_times_out_at_its_deadline() {
    let sb = with(|c| c.hold = Duration::from_millis(400));
    push_and_hang_up(&sb, "INV-AB-2", MANUAL);
    wait_until("the window to end", || sb.pending() == 0);
    let st = sb.status("INV-AB-2").unwrap();
    assert_eq!((st.status, st.response_code), ("TIMEOUT", "68"));
    let (_, list) = get(&sb, "/simulator/payments");
    assert_eq!(list["payments"][0]["abandoned"], true);
    assert_eq!(list["payments"][0]["status"], "TIMEOUT");
}

#[test]
fn scripted_wallet_still_answers_after_the_client_left() {
    // Long enough that the hang-up is noticed first: the approval comes after it.
    let sb = with(|c| c.approve_delay = Duration::from_secs(3));
    push_and_hang_up(&sb, "INV-AB-3", "081211111111");
    wait_until("the scripted approval", || sb.pending() == 0);
    let st = sb.status("INV-AB-3").unwrap();
    assert_eq!((st.status, st.response_code), ("SUCCESS", "00"));
    assert_eq!(st.cash_used, 5_000);
}

#[test]
fn pending_listing_is_sorted_by_deadline() {
    let sb = sandbox();
    let handles: Vec<_> = ["INV-P-A", "INV-P-B", "INV-P-C"]
        .into_iter()
        .map(|inv| push_held(&sb, inv, 1_000, MANUAL))
        .collect();
    let (code, v) = get(&sb, "/simulator/pending");
    assert_eq!(code, 200);
    let list = v["pending"].as_array().unwrap();
    let order: Vec<_> = list.iter().map(|p| p["invoice_number"].clone()).collect();
    assert_eq!(order, ["INV-P-A", "INV-P-B", "INV-P-C"]);
    let left: Vec<f64> = list
        .iter()
        .map(|p| p["seconds_left"].as_f64().unwrap())
        .collect();
    assert!(left.windows(2).all(|w| w[0] <= w[1]), "{left:?}");
    let p = &list[0];
    assert_eq!(p["ovo_id"], MANUAL);
    assert_eq!(p["ovo_account_name"], "OVO Customer");
    assert_eq!(p["amount"], 1_000);
    assert_eq!(p["client_connected"], true);
    assert_eq!(p["request_id"], serde_json::Value::Null);
    for inv in ["INV-P-A", "INV-P-B", "INV-P-C"] {
        sb.decline(inv).unwrap();
    }
    for h in handles {
        assert_eq!(result(&h.join().unwrap().1), ("FAILED", "17"));
    }
    assert_eq!(
        get(&sb, "/simulator/pending").1["pending"],
        serde_json::json!([])
    );
}
