//! Each scripted wallet answers with its documented status and response code.

mod common;

use std::time::Duration;

use common::*;
use ovo_sandbox::wallets::{OPENING_CASH, OPENING_POINTS};

#[test]
fn scripted_wallets_answer_as_documented() {
    let sb = sandbox();
    let cases = [
        ("081211111111", "SUCCESS", "00"),
        ("081522222222", "SUCCESS", "00"),
        ("081733333333", "FAILED", "17"),
        ("089900000014", "FAILED", "14"),
        ("089900000026", "FAILED", "26"),
        ("089900000056", "FAILED", "56"),
        ("089900000064", "FAILED", "64"),
        ("089900000061", "FAILED", "61"),
        ("089900000065", "FAILED", "65"),
        ("089900000067", "FAILED", "67"),
    ];
    for (i, (ovo_id, status, code)) in cases.iter().enumerate() {
        let (http, v) = push(&sb, &format!("INV-W-{i}"), 10_000, ovo_id);
        assert_eq!(http, 200, "{ovo_id}: {v}");
        assert_eq!(result(&v), (*status, *code), "{ovo_id}: {v}");
        let approval = v["ovo_payment"]["approval_code"].as_str().unwrap();
        if *status == "SUCCESS" {
            assert_eq!(approval.len(), 6, "{v}");
            assert!(approval.bytes().all(|b| b.is_ascii_digit()));
        } else {
            assert_eq!(approval, "");
            assert_eq!(v["ovo_payment"]["cash_used"], 0);
            assert_eq!(v["ovo_payment"]["ovo_points_used"], 0);
            assert_eq!(v["ovo_payment"]["ovo_points_earned"], 0);
        }
    }
    assert_eq!(sb.payment_requests(), cases.len() as u64);
    assert_eq!(sb.pending(), 0);
}

#[test]
fn cash_wallet_balances_move() {
    let sb = sandbox();
    let (_, a) = push(&sb, "INV-CASH-1", 12_345, "081211111111");
    assert_eq!(result(&a), ("SUCCESS", "00"));
    let p = &a["ovo_payment"];
    assert_eq!(a["ovo_info"]["ovo_account_name"], "Taufik Ismail");
    assert_eq!(p["cash_used"], 12_345);
    assert_eq!(p["cash_balance"], OPENING_CASH - 12_345);
    assert_eq!(p["ovo_points_used"], 0);
    assert_eq!(p["ovo_points_earned"], 123);
    assert_eq!(p["ovo_points_balance"], OPENING_POINTS + 123);

    let (_, b) = push(&sb, "INV-CASH-2", 1_000, "081211111111");
    assert_eq!(b["ovo_payment"]["cash_balance"], OPENING_CASH - 13_345);
    assert_eq!(b["ovo_payment"]["ovo_points_balance"], OPENING_POINTS + 133);

    // Too much for the cash balance: FAILED 65, nothing moves.
    let (_, c) = push(&sb, "INV-CASH-3", OPENING_CASH, "081211111111");
    assert_eq!(result(&c), ("FAILED", "65"));
    assert_eq!(c["ovo_payment"]["cash_balance"], OPENING_CASH - 13_345);
    assert_eq!(c["ovo_payment"]["cash_used"], 0);

    let w = sb.wallet("081211111111").unwrap();
    assert_eq!(w.cash_balance, OPENING_CASH - 13_345);
}

#[test]
fn points_wallet_spends_points() {
    let sb = sandbox();
    let (_, a) = push(&sb, "INV-PTS-1", 5_000, "081522222222");
    assert_eq!(result(&a), ("SUCCESS", "00"));
    let p = &a["ovo_payment"];
    assert_eq!(p["ovo_points_used"], 5_000);
    assert_eq!(p["ovo_points_balance"], OPENING_POINTS - 5_000);
    assert_eq!(p["cash_used"], 0);
    assert_eq!(p["cash_balance"], OPENING_CASH);
    assert_eq!(p["ovo_points_earned"], 0);
}

#[test]
fn never_answering_wallet_times_out() {
    let sb = with(|c| c.hold = Duration::from_millis(200));
    let (http, v) = push(&sb, "INV-TO-1", 10_000, "080012341234");
    assert_eq!(http, 200);
    assert_eq!(result(&v), ("TIMEOUT", "68"));
    assert_eq!(v["ovo_payment"]["approval_code"], "");
    assert_eq!(v["ovo_payment"]["cash_balance"], OPENING_CASH);
    assert_eq!(sb.pending(), 0);
}

#[test]
fn manual_wallet_times_out_without_action() {
    let sb = with(|c| c.hold = Duration::from_millis(200));
    let (_, v) = push(&sb, "INV-TO-2", 10_000, MANUAL);
    assert_eq!(result(&v), ("TIMEOUT", "68"));
    assert_eq!(v["ovo_info"]["ovo_account_name"], "OVO Customer");
    // A timed-out invoice is used: pushing it again is a duplicate.
    let (_, d) = push(&sb, "INV-TO-2", 10_000, MANUAL);
    assert_eq!(result(&d), ("FAILED", "40"));
}

#[test]
fn scripted_wallet_waits_for_approve_delay_while_held() {
    // With a long approve delay the push is held and visible to the simulator; a manual
    // decline beats the scripted approval.
    let sb = with(|c| c.approve_delay = Duration::from_secs(60));
    let h = push_held(&sb, "INV-DELAY-1", 10_000, "081211111111");
    assert_eq!(sb.pending(), 1);
    sb.decline("INV-DELAY-1").unwrap();
    let (_, v) = h.join().unwrap();
    assert_eq!(result(&v), ("FAILED", "17"));
}

#[test]
fn wallet_listing_shows_scripted_table() {
    let sb = sandbox();
    let (http, v) = get(&sb, "/simulator/wallets");
    assert_eq!(http, 200);
    let list = v["wallets"].as_array().unwrap();
    assert_eq!(list.len(), ovo_sandbox::wallets::SCRIPTED.len());
    let taufik = list.iter().find(|w| w["ovo_id"] == "081211111111").unwrap();
    assert_eq!(taufik["account_name"], "Taufik Ismail");
    assert_eq!(taufik["cash_balance"], OPENING_CASH);
    assert_eq!(taufik["ovo_points_balance"], OPENING_POINTS);
}
