//! Response shape, numbering, date and checksum.

mod common;

use common::*;
use ovo_sandbox::clock;
use ovo_sandbox::validate::response_checksum;
use ovo_sandbox::{DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY};
use serde_json::Value;

#[test]
fn response_has_every_field_of_the_sample() {
    let sb = sandbox();
    let (_, v) = push(&sb, "INV-20210115-0001", 10_000, "081211111111");
    assert_eq!(v["client"]["id"], DEFAULT_CLIENT_ID);
    assert_eq!(v["order"]["invoice_number"], "INV-20210115-0001");
    assert_eq!(v["order"]["amount"], 10_000);
    assert_eq!(v["ovo_info"]["ovo_id"], "081211111111");
    assert_eq!(v["ovo_info"]["ovo_account_name"], "Taufik Ismail");
    let c = &v["ovo_configuration"];
    assert_eq!(c["merchant_id"], "00000179");
    assert_eq!(c["store_code"], "000000000000179");
    assert_eq!(c["mid"], "000000000000179");
    assert_eq!(c["tid"], "00000179");
    let p = v["ovo_payment"].as_object().unwrap();
    for (k, is_number) in [
        ("date", false),
        ("batch_number", true),
        ("trace_number", true),
        ("reference_number", true),
        ("approval_code", false),
        ("response_code", false),
        ("cash_used", true),
        ("cash_balance", true),
        ("ovo_points_used", true),
        ("ovo_points_balance", true),
        ("ovo_points_earned", true),
        ("status", false),
    ] {
        let f = p
            .get(k)
            .unwrap_or_else(|| panic!("missing ovo_payment.{k}"));
        assert_eq!(f.is_u64(), is_number, "ovo_payment.{k} = {f}");
        assert!(f.is_u64() || f.is_string());
    }
    assert_eq!(p.len(), 12);
    assert!(v["security"]["check_sum"].is_string());
}

#[test]
fn response_checksum_is_the_documented_sandbox_formula() {
    let sb = sandbox();
    let (_, v) = push(&sb, "INV-RSUM-1", 10_000, "081211111111");
    let p = &v["ovo_payment"];
    let n = |k: &str| p[k].as_u64().unwrap() as u32;
    let expected = response_checksum(
        10_000,
        p["approval_code"].as_str().unwrap(),
        n("batch_number"),
        DEFAULT_CLIENT_ID,
        "INV-RSUM-1",
        "081211111111",
        n("reference_number"),
        n("trace_number"),
        DEFAULT_SECRET_KEY,
    );
    assert_eq!(v["security"]["check_sum"], expected.as_str());
    assert_eq!(expected, expected.to_uppercase());
    assert_eq!(expected.len(), 64);
}

#[test]
fn reference_number_increments_per_push() {
    let sb = sandbox();
    let refs: Vec<Value> = (0..4)
        .map(|i| {
            let ovo = [
                "081211111111",
                "089900000056",
                "081733333333",
                "089900000014",
            ][i];
            push(&sb, &format!("INV-REF-{i}"), 1_000, ovo).1
        })
        .collect();
    for (i, v) in refs.iter().enumerate() {
        let p = &v["ovo_payment"];
        assert_eq!(p["reference_number"], i as u64 + 1, "{v}");
        assert_eq!(p["batch_number"], 1);
        let trace = p["trace_number"].as_u64().unwrap();
        assert!((1..=999_999).contains(&trace));
    }
    // Rejected requests do not consume a reference number.
    let mut b = body("INV-REF-X", 1_000, "081211111111");
    b["order"]["amount"] = serde_json::json!(0);
    assert_eq!(post(&sb, ovo_sandbox::PAYMENT_PATH, &b).0, 400);
    let (_, v) = push(&sb, "INV-REF-4", 1_000, "081211111111");
    assert_eq!(v["ovo_payment"]["reference_number"], 5);
}

#[test]
fn date_is_utc7_now_in_yyyymmddhhmmss() {
    let sb = sandbox();
    let before = clock::format_utc7(clock::now_epoch_secs());
    let (_, v) = push(&sb, "INV-DATE-1", 1_000, "089900000026");
    let after = clock::format_utc7(clock::now_epoch_secs());
    let date = v["ovo_payment"]["date"].as_str().unwrap();
    assert_eq!(date.len(), 14);
    assert!(date.bytes().all(|b| b.is_ascii_digit()));
    // Same fixed-width format, so string order is time order.
    assert!(
        before.as_str() <= date && date <= after.as_str(),
        "{before} <= {date} <= {after}"
    );
}
