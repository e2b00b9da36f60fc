//! Settling an UNKNOWN: DOKU's Check Status API (request, every status, every answer shape),
//! code 40 and HTTP 408/409 on a push, and reconcile turning a late payment into PAID.

mod common;

use std::time::Duration;

use common::{
    client, client_with, echo_answer, header, invoice, respond, wait_for, FaultServer, CLIENT_ID,
    SECRET,
};
use ovo::{
    Client, ClientConfig, Field, Kind, Outcome, Payment, ProxySetting, Reconcile, ResultCode,
};
use ovo_sandbox::{PayMethod, Sandbox, SandboxConfig};

const MANUAL: &str = "081234567890";
const CASH: &str = "081211111111";

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(30),
        approve_delay: Duration::from_millis(20),
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

/// A server answering every status check with `status` and `body`.
fn status_server(status: &'static str, body: String) -> FaultServer {
    FaultServer::start(move |stream, _| {
        respond(stream, status, "application/json", body.as_bytes())
    })
}

fn check(server: &FaultServer, invoice: &str) -> Payment {
    client(&server.base_url).check_status(invoice)
}

fn answer(invoice: &str, status: &str, amount: &str) -> String {
    format!(
        r#"{{"order":{{"invoice_number":"{invoice}","amount":{amount}}},
            "transaction":{{"status":{status},"date":"2021-01-15T03:04:05Z","original_request_id":null}},
            "service":{{"id":"EMONEY"}},"acquirer":null,"channel":{{"id":""}}}}"#
    )
}

#[test]
fn status_request_is_a_signed_get_of_the_encoded_invoice() {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let server = FaultServer::start(move |stream, seen| {
        let _ = tx
            .lock()
            .unwrap()
            .send((seen.head.clone(), seen.body.clone()));
        respond(stream, "404 Not Found", "application/json", b"{}");
    });
    let p = check(&server, "INV 1/A?");
    assert_eq!(p.kind, Kind::StatusCheck);
    let (head, body) = rx.recv().unwrap();
    let path = "/orders/v1/status/INV%201%2FA%3F";
    assert!(
        head.starts_with(&format!("GET {path} HTTP/1.1\r\n")),
        "{head}"
    );
    assert!(body.is_empty());
    assert_eq!(header(&head, "Client-Id"), Some(CLIENT_ID));
    assert_eq!(header(&head, "Request-Target"), Some(path));
    assert_eq!(header(&head, "Request-Id"), Some(p.request_id.as_str()));
    assert!(header(&head, "Digest").is_none() && header(&head, "Content-Length").is_none());
    let expected = ovo_sandbox::get_signature(
        SECRET,
        CLIENT_ID,
        header(&head, "Request-Id").unwrap(),
        header(&head, "Request-Timestamp").unwrap(),
        path,
    );
    assert_eq!(header(&head, "Signature"), Some(expected.as_str()));
}

#[test]
fn every_status_maps_to_its_outcome() {
    for (status, outcome) in [
        (r#""SUCCESS""#, Outcome::Paid),
        (r#""FAILED""#, Outcome::NotPaid),
        (r#""EXPIRED""#, Outcome::NotPaid),
        (r#""REFUNDED""#, Outcome::Refunded),
        (r#""TIMEOUT""#, Outcome::Unknown),
        (r#""PENDING""#, Outcome::Unknown),
        (r#""REDIRECT""#, Outcome::Unknown),
        ("null", Outcome::Unknown),
    ] {
        let inv = invoice("map");
        let server = status_server("200 OK", answer(&inv, status, "\"10000.00\""));
        let p = check(&server, &inv);
        assert_eq!(
            (p.result, p.outcome),
            (ResultCode::Ok, outcome),
            "{status}: {:?}",
            p.error
        );
        assert_eq!(
            p.text(Field::TransactionStatus),
            status.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
        );
        assert_eq!(p.number(Field::CheckAmount), Some(10_000));
        assert_eq!(p.text(Field::ServiceId), Some("EMONEY"));
        assert_eq!(p.text(Field::AcquirerId), None);
        assert!(!p.not_found());
    }
}

#[test]
fn amounts_come_as_numbers_decimals_or_strings() {
    for amount in ["10000", "10000.0", "\"10000\"", "\"10000.00\""] {
        let inv = invoice("amt");
        let server = status_server("200 OK", answer(&inv, r#""SUCCESS""#, amount));
        assert_eq!(
            check(&server, &inv).number(Field::CheckAmount),
            Some(10_000),
            "{amount}"
        );
    }
}

#[test]
fn not_found_is_unknown_never_not_paid() {
    let inv = invoice("nf");
    for (status, body) in [
        (
            "404 Not Found",
            r#"{"error":{"code":"not_found","message":"Transaction not found"}}"#.to_owned(),
        ),
        ("404 Not Found", "<html>nope</html>".to_owned()),
        (
            "200 OK",
            r#"{"error":{"message":"Transaction Not Found"}}"#.to_owned(),
        ),
    ] {
        let server = status_server(status, body);
        let p = check(&server, &inv);
        assert_eq!(
            (p.result, p.outcome),
            (ResultCode::Ok, Outcome::Unknown),
            "{status}"
        );
        assert!(p.not_found(), "{status}");
    }
}

#[test]
fn refusals_errors_and_mismatches_leave_the_payment_unknown() {
    let inv = invoice("bad");
    let cases = [
        (
            "401 Unauthorized",
            r#"{"error":{"message":"Invalid Header Signature"}}"#.to_owned(),
            ResultCode::Rejected,
        ),
        ("400 Bad Request", "{}".to_owned(), ResultCode::Rejected),
        (
            "503 Service Unavailable",
            String::new(),
            ResultCode::OutcomeUnknown,
        ),
        ("302 Found", String::new(), ResultCode::OutcomeUnknown),
        ("200 OK", "not json".to_owned(), ResultCode::OutcomeUnknown),
        (
            "200 OK",
            answer("OTHER-INVOICE", r#""SUCCESS""#, "1"),
            ResultCode::OutcomeUnknown,
        ),
        (
            "200 OK",
            answer(&inv, r#""SUCCESS""#, "\"12.5\""),
            ResultCode::OutcomeUnknown,
        ),
    ];
    for (status, body, result) in cases {
        let server = status_server(status, body);
        let p = check(&server, &inv);
        assert_eq!(
            (p.result, p.outcome),
            (result, Outcome::Unknown),
            "{status}: {:?}",
            p.error
        );
        assert!(p.message().is_some_and(|m| !m.is_empty()));
    }
    let p = client("http://127.0.0.1:1").check_status(&inv);
    assert_eq!(
        (p.result, p.outcome),
        (ResultCode::NotSent, Outcome::Unknown)
    );
    let p = client("http://127.0.0.1:1").check_status("");
    assert_eq!(
        (p.result, p.outcome),
        (ResultCode::InvalidArgument, Outcome::Unknown)
    );
    assert_eq!(
        p.error.as_ref().and_then(|e| e.field),
        Some("order.invoice_number")
    );
}

#[test]
fn status_of_a_sandbox_payment_follows_the_customer() {
    let sb = sandbox();
    let c = client(sb.base_url());
    let inv = invoice("sb");
    let paid = c.push_payment(&inv, 12_000, CASH);
    assert_eq!(paid.outcome, Outcome::Paid);
    let s = c.check_status(&inv);
    assert_eq!(
        (s.result, s.outcome),
        (ResultCode::Ok, Outcome::Paid),
        "{:?}",
        s.error
    );
    assert_eq!(s.text(Field::TransactionStatus), Some("SUCCESS"));
    assert_eq!(
        s.text(Field::OriginalRequestId),
        Some(paid.request_id.as_str())
    );
    assert_eq!(s.number(Field::CheckAmount), Some(12_000));
    let unknown = c.check_status(&invoice("never-pushed"));
    assert!(unknown.not_found() && unknown.outcome == Outcome::Unknown);
    assert_eq!(sb.status_requests(), 2);
}

#[test]
fn push_408_and_409_are_unknown_other_4xx_not_paid() {
    for (status, result, outcome) in [
        (
            "408 Request Timeout",
            ResultCode::OutcomeUnknown,
            Outcome::Unknown,
        ),
        ("409 Conflict", ResultCode::OutcomeUnknown, Outcome::Unknown),
        ("400 Bad Request", ResultCode::Rejected, Outcome::NotPaid),
        ("401 Unauthorized", ResultCode::Rejected, Outcome::NotPaid),
        ("403 Forbidden", ResultCode::Rejected, Outcome::NotPaid),
        ("404 Not Found", ResultCode::Rejected, Outcome::NotPaid),
        (
            "422 Unprocessable Entity",
            ResultCode::Rejected,
            Outcome::NotPaid,
        ),
        (
            "429 Too Many Requests",
            ResultCode::Rejected,
            Outcome::NotPaid,
        ),
    ] {
        let server =
            FaultServer::start(move |stream, _| respond(stream, status, "application/json", b"{}"));
        let p = client(&server.base_url).push_payment(&invoice("4xx"), 10_000, CASH);
        assert_eq!((p.result, p.outcome), (result, outcome), "{status}");
        assert_eq!(server.requests(), 1);
    }
}

#[test]
fn push_failed_40_or_68_is_unknown_and_keeps_the_answer() {
    for code in ["40", "68"] {
        let server = FaultServer::start(move |stream, seen| {
            respond(
                stream,
                "200 OK",
                "application/json",
                &echo_answer(seen, "FAILED", code),
            )
        });
        let p = client(&server.base_url).push_payment(&invoice("40"), 10_000, CASH);
        assert_eq!(
            (p.result, p.outcome),
            (ResultCode::OutcomeUnknown, Outcome::Unknown),
            "{code}"
        );
        assert_eq!(p.text(Field::ResponseCode), Some(code));
        assert!(p.message().unwrap().contains(&format!("code {code}")));
    }
}

fn reconciling(base_url: &str, timeout: Duration) -> Client {
    let config = ClientConfig {
        base_url: Some(base_url.to_owned()),
        proxy: ProxySetting::None,
        timeout,
        connect_timeout: Duration::from_secs(5),
        reconcile: Some(Reconcile {
            first_delay: Duration::ZERO,
            max_wait: Duration::from_secs(20),
        }),
        ..ClientConfig::default()
    };
    Client::new(CLIENT_ID, SECRET, &config).expect("valid client")
}

#[test]
fn reconcile_turns_a_late_payment_into_paid_without_pushing_again() {
    let sb = sandbox();
    let c = reconciling(sb.base_url(), Duration::from_millis(300));
    let inv = invoice("late");
    let pusher = {
        let (c, inv) = (c.clone(), inv.clone());
        std::thread::spawn(move || c.push_payment(&inv, 15_000, MANUAL))
    };
    // The client gave up on the push; the first check says PENDING; then the customer pays.
    wait_for("a PENDING status check", Duration::from_secs(20), || {
        sb.status_requests() >= 1
    });
    sb.pay(&inv, PayMethod::Cash)
        .expect("still payable after the client gave up");
    let p = pusher.join().unwrap();
    assert_eq!(
        p.result,
        ResultCode::OutcomeUnknown,
        "the push itself got no answer"
    );
    assert_eq!(p.outcome, Outcome::Paid, "{:?}", p.last_check);
    let last = p.last_check.as_ref().expect("the last check is kept");
    assert_eq!(
        (last.kind, last.outcome),
        (Kind::StatusCheck, Outcome::Paid)
    );
    assert_eq!(p.text(Field::TransactionStatus), Some("SUCCESS"));
    assert_eq!(sb.payment_requests(), 1, "never pushed again");
    assert!(sb.status_requests() >= 2);
    // Settled: the invoice is no longer open on this client, and DOKU refuses it as used.
    let again = c.push_payment(&inv, 15_000, MANUAL);
    assert_eq!(
        again.result,
        ResultCode::OutcomeUnknown,
        "DOKU answers 40: {:?}",
        again.error
    );
}

#[test]
fn an_unsettled_invoice_is_refused_until_a_status_check_settles_it() {
    let sb = sandbox();
    let c = client_with(sb.base_url(), SECRET, Duration::from_millis(300));
    let inv = invoice("open");
    let first = c.push_payment(&inv, 9_000, MANUAL);
    assert_eq!(
        (first.result, first.outcome),
        (ResultCode::OutcomeUnknown, Outcome::Unknown)
    );
    let refused = c.push_payment(&inv, 9_000, MANUAL);
    assert_eq!(
        (refused.result, refused.outcome),
        (ResultCode::Unsettled, Outcome::Unknown)
    );
    assert_eq!(sb.payment_requests(), 1, "nothing sent");
    sb.decline(&inv).expect("still held");
    let settled = c.check_status(&inv);
    assert_eq!(settled.outcome, Outcome::NotPaid, "{:?}", settled.error);
    // Settled NOT_PAID: libovo lets the push through; DOKU itself refuses a used invoice.
    let again = c.push_payment(&inv, 9_000, MANUAL);
    assert_eq!(again.text(Field::ResponseCode), Some("40"));
    assert_eq!(sb.payment_requests(), 2);
}

#[test]
fn a_status_answer_for_another_amount_settles_nothing() {
    let inv = invoice("amount");
    let status = answer(&inv, r#""SUCCESS""#, "5000");
    let server = FaultServer::start(move |stream, seen| {
        let body = if seen.head.starts_with("GET ") {
            status.clone().into_bytes()
        } else {
            echo_answer(seen, "FAILED", "40")
        };
        respond(stream, "200 OK", "application/json", &body)
    });
    let c = client(&server.base_url);
    let first = c.push_payment(&inv, 9_000, CASH);
    assert_eq!(first.outcome, Outcome::Unknown);
    let check = c.check_status(&inv);
    assert_eq!(
        (check.result, check.outcome),
        (ResultCode::OutcomeUnknown, Outcome::Unknown),
        "a SUCCESS for 5000 says nothing of a push for 9000"
    );
    assert!(check.message().unwrap().contains("does not match the push"));
    let again = c.push_payment(&inv, 9_000, CASH);
    assert_eq!(again.result, ResultCode::Unsettled, "still open");
    assert_eq!(
        server.requests(),
        2,
        "the push and the check; nothing pushed again"
    );
}

#[test]
fn cancelling_a_reconcile_check_ends_the_push_cancelled_and_unknown() {
    let server = FaultServer::start(move |stream, seen| {
        if seen.head.starts_with("GET ") {
            // Hold the status check until the client hangs up (its cancel).
            let _ = std::io::Read::read(stream, &mut [0u8; 1]);
        } else {
            respond(
                stream,
                "200 OK",
                "application/json",
                &echo_answer(seen, "FAILED", "40"),
            )
        }
    });
    let c = reconciling(&server.base_url, Duration::from_secs(30));
    let token = ovo::CancelToken::new();
    let pusher = {
        let (c, token) = (c.clone(), token.clone());
        std::thread::spawn(move || {
            c.push_payment_with(&invoice("rcancel"), 10_000, CASH, Some(&token))
        })
    };
    wait_for("the reconcile check", Duration::from_secs(20), || {
        server.requests() >= 2
    });
    token.cancel();
    let p = pusher.join().unwrap();
    assert_eq!(
        (p.result, p.outcome, p.cancelled),
        (ResultCode::OutcomeUnknown, Outcome::Unknown, true),
        "{:?}",
        p.error
    );
    assert!(p.message().unwrap().contains("may still pay"));
    assert!(p.last_check.as_ref().is_some_and(|check| check.cancelled));
    assert_eq!(server.requests(), 2, "one push, one check");
}
