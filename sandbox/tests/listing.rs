//! The simulator's listings: recent payments (bounded, newest first, exact answers) and the
//! long poll the page waits on.

mod common;

use common::*;
use ovo_sandbox::ledger::RECENT_MAX;
use serde_json::Value;

const FAST: &str = "089900000026";

#[test]
fn payments_are_newest_first_with_the_exact_body_sent() {
    let sb = sandbox();
    let mut sock = raw_push(&sb, "INV-L-1", 3_000, FAST, Some("rid-l-1"));
    let (raw, _) = read_all(&mut sock);
    let (_, _, sent) = split_response(&raw);
    push(&sb, "INV-L-2", 3_000, "081211111111");
    push(&sb, "INV-L-2", 3_000, "081211111111"); // duplicate: FAILED 40, listed too

    let (code, v) = get(&sb, "/simulator/payments");
    assert_eq!(code, 200);
    let list = v["payments"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = list
        .iter()
        .map(|r| {
            (
                r["invoice_number"].as_str().unwrap(),
                r["response_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [("INV-L-2", "40"), ("INV-L-2", "00"), ("INV-L-1", "26")]
    );
    let first = &list[2];
    assert_eq!(first["response_body"], String::from_utf8(sent).unwrap());
    assert_eq!(first["http_status"], 200);
    assert_eq!(first["status"], "FAILED");
    assert_eq!(first["request_id"], "rid-l-1");
    assert_eq!(first["abandoned"], false);
    assert_eq!(first["fault"], Value::Null);
    assert_eq!(first["ovo_account_name"], "Rina Wijaya");
    let at = first["finished_at"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    let paid = &list[1];
    assert_eq!(paid["cash_used"], 3_000);
    assert_eq!(paid["approval_code"].as_str().unwrap().len(), 6);

    let (_, one) = get(&sb, "/simulator/payments?limit=1");
    assert_eq!(one["payments"].as_array().unwrap().len(), 1);
    assert_eq!(one["payments"][0], list[0]);
    for bad in ["0", "501", "x", "-1", ""] {
        let (code, e) = get(&sb, &format!("/simulator/payments?limit={bad}"));
        assert_eq!(code, 400, "limit={bad}");
        assert!(e["error"]["message"].as_str().unwrap().contains("limit"));
    }
}

#[test]
fn payments_default_to_50_and_keep_the_last_500() {
    let sb = sandbox();
    let n = RECENT_MAX + 5;
    for i in 0..n {
        push(&sb, &format!("INV-B-{i}"), 1_000, FAST);
    }
    let (_, v) = get(&sb, "/simulator/payments");
    assert_eq!(v["payments"].as_array().unwrap().len(), 50);
    let (_, v) = get(&sb, &format!("/simulator/payments?limit={RECENT_MAX}"));
    let list = v["payments"].as_array().unwrap();
    assert_eq!(list.len(), RECENT_MAX);
    assert_eq!(list[0]["invoice_number"], format!("INV-B-{}", n - 1));
    assert_eq!(list[RECENT_MAX - 1]["invoice_number"], "INV-B-5");
}

#[test]
fn changes_long_poll_returns_on_the_next_change() {
    let sb = sandbox();
    let (code, v) = get(&sb, "/simulator/changes");
    assert_eq!(code, 200);
    let v0 = v["version"].as_u64().unwrap();
    // A stale version answers at once.
    let (_, v) = get(&sb, &format!("/simulator/changes?since={}", v0 + 100));
    assert_eq!(v["version"], v0);

    let url = format!("{}/simulator/changes?since={v0}", sb.base_url());
    let waiter = std::thread::spawn(move || get_raw(&url, &[]));
    // Whether the poll is already parked or not, a change made after `v0` must end it
    // with a newer version (parked: woken; late: answered at once).
    push(&sb, "INV-CH-1", 1_000, FAST);
    let (code, v) = waiter.join().unwrap();
    assert_eq!(code, 200);
    assert!(v["version"].as_u64().unwrap() > v0, "{v}");
}
