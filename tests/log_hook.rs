//! The log hook: one line per request sent, per answer, per error and per cancel; never the
//! secret key, the signature, the checksum or the customer's phone number. (Its own test
//! binary: the hook is process-wide.)

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{client, invoice, wait_for, CLIENT_ID, SECRET};
use ovo::log::{set_logger, Level};
use ovo::{CancelToken, Outcome, PaymentFields};
use ovo_sandbox::{Sandbox, SandboxConfig};

type Lines = Arc<Mutex<Vec<(Level, String)>>>;

fn capture(min: Level) -> Lines {
    let lines: Lines = Arc::default();
    let sink = Arc::clone(&lines);
    set_logger(
        min,
        Some(Box::new(move |level, line| {
            sink.lock().unwrap().push((level, line.to_owned()))
        })),
    )
    .unwrap();
    lines
}

#[test]
fn every_request_answer_error_and_cancel_is_logged_without_secrets() {
    let sb = Sandbox::start(SandboxConfig {
        approve_delay: Duration::from_millis(20),
        ..SandboxConfig::default()
    })
    .unwrap();
    let c = client(sb.base_url());
    let lines = capture(Level::Debug);

    let paid_invoice = invoice("log-paid");
    let paid = c.push_payment(&paid_invoice, 10_000, "081211111111");
    assert_eq!(paid.outcome, Outcome::Paid);
    let refused =
        client("http://127.0.0.1:1").push_payment(&invoice("log-refused"), 10_000, "081211111111");
    assert_eq!(refused.result, ovo::ResultCode::NotSent);
    let token = CancelToken::new();
    let held = invoice("log-cancel");
    let pusher = {
        let (c, held, token) = (c.clone(), held.clone(), token.clone());
        std::thread::spawn(move || c.push_payment_with(&held, 5_000, "081234567890", Some(&token)))
    };
    wait_for("the push to be held", Duration::from_secs(10), || {
        sb.inquiry(&held).is_ok()
    });
    token.cancel();
    assert!(pusher.join().unwrap().cancelled);
    let checked = c.check_status(&paid_invoice);
    assert_eq!(checked.outcome, Outcome::Paid);

    let got = lines.lock().unwrap().clone();
    let text: Vec<&str> = got.iter().map(|(_, l)| l.as_str()).collect();
    let has = |level: Level, needle: &str| {
        got.iter()
            .any(|(l, line)| *l == level && line.contains(needle))
    };
    assert!(
        has(
            Level::Info,
            &format!(
                "push: sending invoice={paid_invoice} amount=10000 request_id={}",
                paid.request_id
            )
        ),
        "{text:#?}"
    );
    assert!(
        has(
            Level::Info,
            &format!(
                "push: invoice={paid_invoice} request_id={}",
                paid.request_id
            )
        ),
        "{text:#?}"
    );
    assert!(
        has(
            Level::Info,
            "outcome=PAID http=200 status=SUCCESS code=00 elapsed_ms="
        ),
        "{text:#?}"
    );
    assert!(has(Level::Error, "result=NOT_SENT"), "{text:#?}");
    assert!(
        has(Level::Warn, &format!("invoice={held}")) && has(Level::Warn, "cancelled"),
        "{text:#?}"
    );
    assert!(
        has(
            Level::Info,
            &format!("status check: sending invoice={paid_invoice}")
        ),
        "{text:#?}"
    );
    assert!(has(Level::Info, "status check: invoice="), "{text:#?}");

    let checksum = ovo::checksum(
        &PaymentFields {
            client_id: CLIENT_ID,
            invoice_number: &paid_invoice,
            amount: 10_000,
            ovo_id: "081211111111",
        },
        SECRET,
    )
    .unwrap();
    for line in &text {
        for secret in [
            SECRET,
            &SECRET[..8],
            checksum.as_str(),
            "HMACSHA256=",
            "081211111111",
            "081234567890",
        ] {
            assert!(!line.contains(secret), "{secret:?} in {line:?}");
        }
    }

    // A logger cannot replace itself from inside; removing it stops the lines.
    let inner: Arc<Mutex<Option<bool>>> = Arc::default();
    let seen = Arc::clone(&inner);
    set_logger(
        Level::Info,
        Some(Box::new(move |_, _| {
            let refused = set_logger(Level::Info, None).is_err();
            seen.lock().unwrap().get_or_insert(refused);
        })),
    )
    .unwrap();
    c.check_status(&paid_invoice);
    assert_eq!(
        *inner.lock().unwrap(),
        Some(true),
        "set_logger from inside a logger is refused"
    );
    set_logger(Level::Info, None).unwrap();
    let before = lines.lock().unwrap().len();
    c.check_status(&paid_invoice);
    assert_eq!(lines.lock().unwrap().len(), before, "no logger, no lines");
}
