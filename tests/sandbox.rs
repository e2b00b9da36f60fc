//! The library against the local DOKU sandbox: every behaviour the sandbox scripts.

mod common;

use std::thread;
use std::time::Duration;

use common::{client, client_with, invoice, CLIENT_ID, SECRET};
use ovo::response::Field;
use ovo::{Outcome, Payment, ResultCode, Status};
use ovo_sandbox::{PayMethod, Sandbox, SandboxConfig};

fn sandbox_with(hold_ms: u64, require_signature: bool) -> Sandbox {
    Sandbox::start(SandboxConfig {
        hold: Duration::from_millis(hold_ms),
        approve_delay: Duration::from_millis(20),
        require_signature,
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

fn sandbox() -> Sandbox {
    sandbox_with(30_000, false)
}

fn answered(p: &Payment) -> &ovo::Response {
    assert_eq!(p.result, ResultCode::Ok, "{:?}", p.error);
    p.response
        .as_ref()
        .expect("answered payment has a response")
}

#[test]
fn cash_wallet_pays_and_every_field_is_typed() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let inv = invoice("cash");
    let p = c.push_payment(&inv, 10_000, "081211111111");
    let r = answered(&p);
    assert_eq!(p.outcome, Outcome::Paid);
    assert_eq!(p.http_status, 200);
    assert_eq!(p.request_id.len(), 36);
    assert_eq!(r.status, Status::Success);
    assert_eq!(r.response_code, "00");
    assert_eq!(
        (r.invoice_number.as_str(), r.amount),
        (inv.as_str(), 10_000)
    );
    assert_eq!(r.client_id, CLIENT_ID);
    assert_eq!(r.cash_used, Some(10_000));
    assert_eq!(r.points_used, Some(0));
    for field in [
        Field::AccountName,
        Field::MerchantId,
        Field::StoreCode,
        Field::Mid,
        Field::Tid,
        Field::Date,
        Field::ApprovalCode,
        Field::CheckSum,
    ] {
        assert!(!r.text(field).unwrap_or_default().is_empty(), "{field:?}");
    }
    for field in [
        Field::BatchNumber,
        Field::TraceNumber,
        Field::ReferenceNumber,
        Field::CashBalance,
        Field::PointsBalance,
        Field::PointsEarned,
    ] {
        assert!(r.number(field).is_some(), "{field:?}");
    }
    let date = r.date.as_deref().unwrap();
    assert!(
        date.len() == 14 && date.bytes().all(|b| b.is_ascii_digit()),
        "{date}"
    );
    let raw: serde_json::Value = serde_json::from_slice(&p.raw_body).unwrap();
    assert_eq!(raw["order"]["invoice_number"], inv.as_str());
}

#[test]
fn balances_move_and_reference_numbers_increase() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let first = c.push_payment(&invoice("bal"), 1_000, "081211111111");
    let second = c.push_payment(&invoice("bal"), 2_500, "081211111111");
    let (a, b) = (answered(&first), answered(&second));
    assert_eq!(b.cash_balance, Some(a.cash_balance.unwrap() - 2_500));
    assert!(b.reference_number > a.reference_number);
}

#[test]
fn points_wallet_pays_with_points() {
    let sb = sandbox();
    let p = client(sb.base_url()).push_payment(&invoice("pts"), 5_000, "081522222222");
    let r = answered(&p);
    assert_eq!(p.outcome, Outcome::Paid);
    assert_eq!((r.points_used, r.cash_used), (Some(5_000), Some(0)));
}

#[test]
fn scripted_failures_are_not_paid_with_their_code() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let table = [
        ("081733333333", "17"),
        ("089900000014", "14"),
        ("089900000026", "26"),
        ("089900000056", "56"),
        ("089900000064", "64"),
        ("089900000061", "61"),
        ("089900000065", "65"),
        ("089900000067", "67"),
    ];
    for (wallet, code) in table {
        let p = c.push_payment(&invoice("fail"), 10_000, wallet);
        let r = answered(&p);
        assert_eq!(
            (p.outcome, r.status),
            (Outcome::NotPaid, Status::Failed),
            "{wallet}"
        );
        assert_eq!(r.response_code, code, "{wallet}");
        assert!(ovo::describe(&r.response_code).known);
    }
}

#[test]
fn duplicate_invoice_fails_with_40() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let inv = invoice("dup");
    assert_eq!(
        c.push_payment(&inv, 10_000, "081211111111").outcome,
        Outcome::Paid
    );
    let again = c.push_payment(&inv, 10_000, "081211111111");
    // Code 40: this push charged nothing, but the invoice was used (and here paid) before.
    assert_eq!(
        (again.result, again.outcome),
        (ResultCode::OutcomeUnknown, Outcome::Unknown)
    );
    let response = again.response.as_ref().expect("DOKU's answer is kept");
    assert_eq!(
        (response.status, response.response_code.as_str()),
        (Status::Failed, "40")
    );
    let message = again.message().unwrap_or_default();
    assert!(
        message.contains("code 40") && message.contains("may be paid"),
        "{message}"
    );
    // The invoice is now open on this client: a third push is refused, nothing sent.
    let sent = sb.payment_requests();
    let third = c.push_payment(&inv, 10_000, "081211111111");
    assert_eq!(
        (third.result, third.outcome),
        (ResultCode::Unsettled, Outcome::Unknown)
    );
    assert_eq!(sb.payment_requests(), sent, "nothing was sent");
}

#[test]
fn unanswered_push_times_out_and_stays_unknown() {
    let sb = sandbox_with(200, false);
    let p = client(sb.base_url()).push_payment(&invoice("tmo"), 10_000, "080012341234");
    let r = answered(&p);
    assert_eq!(
        (r.status, r.response_code.as_str()),
        (Status::Timeout, "68")
    );
    assert_eq!(p.outcome, Outcome::Unknown, "DOKU's TIMEOUT is not final");
}

/// Waits until the sandbox holds `invoice` (polls a condition; the pause only paces the loop).
fn wait_until_held(sb: &Sandbox, invoice: &str) {
    for _ in 0..10_000 {
        if sb.inquiry(invoice).is_ok() {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
    panic!("{invoice} was never held");
}

#[test]
fn customer_acts_through_the_simulator() {
    let sb = sandbox();
    let c = client(sb.base_url());
    for (method, expect) in [
        (Some(PayMethod::Cash), Outcome::Paid),
        (Some(PayMethod::Points), Outcome::Paid),
        (None, Outcome::NotPaid),
    ] {
        let inv = invoice("manual");
        let payment = thread::scope(|s| {
            let push = s.spawn(|| c.push_payment(&inv, 7_000, "081298765432"));
            wait_until_held(&sb, &inv);
            assert_eq!(sb.inquiry(&inv).unwrap().amount, 7_000);
            match method {
                Some(m) => sb.pay(&inv, m).map(drop).unwrap(),
                None => sb.decline(&inv).map(drop).unwrap(),
            }
            push.join().unwrap()
        });
        assert_eq!(payment.outcome, expect, "{method:?}");
    }
}

#[test]
fn bad_credentials_are_rejected_and_not_paid() {
    let sb = sandbox();
    let wrong_secret = client_with(sb.base_url(), "SK-wrong", Duration::from_secs(30));
    let p = wrong_secret.push_payment(&invoice("rej"), 10_000, "081211111111");
    assert_eq!(
        (p.result, p.outcome, p.http_status),
        (ResultCode::Rejected, Outcome::NotPaid, 401)
    );
    let message = &p.error.as_ref().unwrap().message;
    assert!(message.contains("401"), "{message}");
    assert!(
        !message.contains(SECRET) && !message.contains("SK-wrong"),
        "{message}"
    );

    let config = ovo::ClientConfig {
        base_url: Some(sb.base_url().to_owned()),
        proxy: ovo::ProxySetting::None,
        ..Default::default()
    };
    let other = ovo::Client::new("MCH-OTHER", SECRET, &config).unwrap();
    let p = other.push_payment(&invoice("rej"), 10_000, "081211111111");
    assert_eq!((p.result, p.http_status), (ResultCode::Rejected, 401));
}

#[test]
fn invalid_input_sends_nothing() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let before = sb.payment_requests();
    for (inv, amount, wallet, field) in [
        ("", 10, "081211111111", "order.invoice_number"),
        ("INV", 0, "081211111111", "order.amount"),
        ("INV", 1_000_000_000_000, "081211111111", "order.amount"),
        ("INV", 10, "0812-1111", "ovo_info.ovo_id"),
    ] {
        let p = c.push_payment(inv, amount, wallet);
        assert_eq!(
            (p.result, p.outcome),
            (ResultCode::InvalidArgument, Outcome::NotPaid)
        );
        assert_eq!(p.error.unwrap().field, Some(field));
        assert!(p.request_id.is_empty());
    }
    assert_eq!(sb.payment_requests(), before);
}

#[test]
fn signature_header_is_what_doku_expects() {
    let sb = sandbox_with(30_000, true);
    let p = client(sb.base_url()).push_payment(&invoice("sig"), 10_000, "081211111111");
    assert_eq!(p.outcome, Outcome::Paid, "{:?}", p.error);
}

#[test]
fn one_client_shared_by_many_threads_gets_its_own_answers() {
    let sb = sandbox();
    let c = client(sb.base_url());
    thread::scope(|s| {
        for t in 0..16 {
            let c = &c;
            s.spawn(move || {
                for i in 0..5 {
                    let inv = invoice(&format!("mt{t}"));
                    let amount = 1_000 + t * 10 + i;
                    let p = c.push_payment(&inv, amount, "081211111111");
                    let r = answered(&p);
                    assert_eq!(
                        (r.invoice_number.as_str(), r.amount),
                        (inv.as_str(), amount)
                    );
                }
            });
        }
    });
}
