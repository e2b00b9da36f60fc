//! Cancelling a wait keeps the result: the callback (or the blocking call) ends promptly,
//! exactly once, with an unknown outcome, and a status check then shows what the customer did.
//! One push per invoice at a time: a second one is refused, nothing sent.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{client, invoice, wait_for};
use ovo::{CancelToken, Outcome, Payment, ResultCode};
use ovo_sandbox::{PayMethod, Sandbox, SandboxConfig};

const MANUAL: &str = "081234567890";
const CASH: &str = "081211111111";

fn sandbox(approve_delay: Duration) -> Sandbox {
    Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(60),
        approve_delay,
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

fn held(sb: &Sandbox, inv: &str) {
    wait_for("the push to be held", Duration::from_secs(10), || {
        sb.inquiry(inv).is_ok()
    });
}

fn assert_cancelled(p: &Payment) {
    assert_eq!(
        (p.result, p.outcome),
        (ResultCode::OutcomeUnknown, Outcome::Unknown),
        "{:?}",
        p.error
    );
    assert!(p.cancelled);
    let message = p.message().unwrap();
    assert!(
        message.contains("may still pay") && message.contains("check the payment status"),
        "{message}"
    );
}

#[test]
fn async_cancel_calls_back_promptly_and_the_late_payment_shows_in_the_status() {
    let sb = sandbox(Duration::from_millis(20));
    let c = client(sb.base_url());
    let inv = invoice("acancel");
    let token = CancelToken::new();
    let (tx, rx) = mpsc::channel();
    c.push_payment_async(&inv, 20_000, MANUAL, Some(token.clone()), move |p| {
        tx.send((p, Instant::now())).unwrap()
    })
    .unwrap();
    held(&sb, &inv);
    let cancelled_at = Instant::now();
    token.cancel();
    let (p, called_at) = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the callback ran");
    assert!(
        called_at - cancelled_at < Duration::from_millis(100),
        "{:?}",
        called_at - cancelled_at
    );
    assert_cancelled(&p);
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "exactly one callback"
    );
    token.cancel(); // after the callback: nothing happens
                    // The customer pays after the cashier gave up; the status check tells the truth.
    sb.pay(&inv, PayMethod::Points).expect("still payable");
    assert_eq!(c.check_status(&inv).outcome, Outcome::Paid);
}

#[test]
fn blocking_push_cancelled_from_another_thread() {
    let sb = sandbox(Duration::from_millis(20));
    let c = client(sb.base_url());
    let inv = invoice("bcancel");
    let token = CancelToken::new();
    let pusher = {
        let (c, inv, token) = (c.clone(), inv.clone(), token.clone());
        std::thread::spawn(move || c.push_payment_with(&inv, 20_000, MANUAL, Some(&token)))
    };
    held(&sb, &inv);
    token.cancel();
    let p = pusher.join().unwrap();
    assert_cancelled(&p);
    assert_eq!(sb.payment_requests(), 1);
}

#[test]
fn a_token_cancelled_before_the_push_sends_nothing() {
    let sb = sandbox(Duration::from_millis(20));
    let token = CancelToken::new();
    token.cancel();
    let p = client(sb.base_url()).push_payment_with(&invoice("pre"), 1_000, CASH, Some(&token));
    assert_eq!(
        (p.result, p.outcome),
        (ResultCode::NotSent, Outcome::NotPaid),
        "{:?}",
        p.error
    );
    assert_eq!(sb.payment_requests(), 0);
}

#[test]
fn cancel_racing_the_answer_calls_back_exactly_once() {
    let sb = sandbox(Duration::ZERO);
    let c = client(sb.base_url());
    let rounds = 1_000;
    let (tx, rx) = mpsc::channel();
    for n in 0..rounds {
        let token = CancelToken::new();
        let tx = tx.clone();
        c.push_payment_async(
            &invoice("race"),
            1_000,
            CASH,
            Some(token.clone()),
            move |p| tx.send((n, p)).unwrap(),
        )
        .unwrap();
        // Cancel at varying moments around the answer's arrival (the pause only spreads them).
        std::thread::sleep(Duration::from_micros((n % 80) as u64 * 25));
        token.cancel();
    }
    drop(tx);
    let mut seen = vec![0u32; rounds];
    let (mut paid, mut cancelled) = (0, 0);
    for (n, p) in rx.iter() {
        seen[n] += 1;
        match (p.result, p.outcome) {
            (ResultCode::Ok, Outcome::Paid) => paid += 1,
            (ResultCode::OutcomeUnknown | ResultCode::NotSent, _) if p.cancelled => cancelled += 1,
            other => panic!("unexpected {other:?}: {:?}", p.error),
        }
    }
    assert!(
        seen.iter().all(|&s| s == 1),
        "every payment called back exactly once"
    );
    assert_eq!(paid + cancelled, rounds);
    eprintln!("cancel race: {paid} answered first, {cancelled} cancelled first");
}

#[test]
fn a_second_push_of_an_invoice_in_flight_is_refused_and_nothing_is_sent() {
    let sb = sandbox(Duration::from_millis(20));
    let c = client(sb.base_url());
    let inv = invoice("twice");
    let token = CancelToken::new();
    let (tx, rx) = mpsc::channel();
    c.push_payment_async(&inv, 5_000, MANUAL, Some(token.clone()), move |p| {
        tx.send(p).unwrap()
    })
    .unwrap();
    held(&sb, &inv);
    let second = c.push_payment(&inv, 5_000, MANUAL);
    assert_eq!(
        (second.result, second.outcome),
        (ResultCode::InFlight, Outcome::Unknown)
    );
    assert!(second.request_id.is_empty() && second.message().unwrap().contains("in flight"));
    let (tx2, rx2) = mpsc::channel();
    c.push_payment_async(&inv, 5_000, MANUAL, None, move |p| tx2.send(p).unwrap())
        .unwrap();
    assert_eq!(
        rx2.recv().unwrap().result,
        ResultCode::InFlight,
        "refusals come through the callback"
    );
    assert_eq!(sb.payment_requests(), 1, "the refused pushes sent nothing");
    sb.pay(&inv, PayMethod::Cash).unwrap();
    assert_eq!(rx.recv().unwrap().outcome, Outcome::Paid);
}
