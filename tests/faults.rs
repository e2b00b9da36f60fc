//! The library against a misbehaving server: every fault ends in the right result and
//! outcome, with a clear message, and no request is ever sent twice.

mod common;

use std::io::Write;
use std::net::{Shutdown, TcpListener};
use std::time::Duration;

use common::{client, client_with, echo_answer, invoice, respond, FaultServer, CLIENT_ID, SECRET};
use ovo::{Outcome, Payment, ResultCode};

fn pay(server: &FaultServer) -> Payment {
    client(&server.base_url).push_payment(&invoice("fault"), 10_000, "081211111111")
}

/// The payment ended with `result` and `outcome` (the error is shown when it did not).
fn assert_ends(p: &Payment, result: ResultCode, outcome: Outcome) {
    assert_eq!((p.result, p.outcome), (result, outcome), "{:?}", p.error);
}

fn message(p: &Payment) -> &str {
    &p.error.as_ref().expect("payment has an error").message
}

fn assert_unknown(p: &Payment, server: &FaultServer, needle: &str) {
    assert_ends(p, ResultCode::OutcomeUnknown, Outcome::Unknown);
    assert!(
        message(p).contains(needle),
        "{:?} lacks {needle:?}",
        message(p)
    );
    assert!(
        message(p).contains("check the payment status"),
        "{}",
        message(p)
    );
    assert_eq!(
        server.requests(),
        1,
        "exactly one request reached the server"
    );
    assert_no_secret(p);
}

fn assert_no_secret(p: &Payment) {
    if let Some(e) = &p.error {
        assert!(!e.message.contains(SECRET), "secret leaked: {}", e.message);
        assert!(!format!("{e:?} {e}").contains(SECRET));
    }
}

#[test]
fn connection_refused_is_not_sent() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let p = client(&format!("http://127.0.0.1:{port}")).push_payment(
        &invoice("refused"),
        10_000,
        "081211111111",
    );
    assert_ends(&p, ResultCode::NotSent, Outcome::NotPaid);
    assert!(message(&p).contains("not sent"), "{}", message(&p));
    assert_eq!(p.http_status, 0);
    assert_no_secret(&p);
}

#[test]
fn request_read_then_connection_dropped_is_unknown_and_sent_once() {
    let server = FaultServer::start(|stream, _| {
        let _ = stream.shutdown(Shutdown::Both);
    });
    let p = pay(&server);
    assert_unknown(&p, &server, "no usable answer");
}

#[test]
fn reset_in_the_middle_of_the_headers_is_unknown() {
    let server = FaultServer::start(|stream, _| {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Ty");
        let _ = stream.shutdown(Shutdown::Both);
    });
    assert_unknown(&pay(&server), &server, "no usable answer");
}

#[test]
fn body_cut_short_is_unknown() {
    let server = FaultServer::start(|stream, seen| {
        let body = echo_answer(seen, "SUCCESS", "00");
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body[..body.len() / 2]);
        let _ = stream.shutdown(Shutdown::Both);
    });
    assert_unknown(&pay(&server), &server, "no usable answer");
}

#[test]
fn no_answer_before_the_timeout_is_unknown() {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Mutex::new(rx);
    let server = FaultServer::start(move |_, _| {
        // Hold the connection open until the test ends.
        let _ = rx.lock().unwrap().recv();
    });
    let c = client_with(&server.base_url, SECRET, Duration::from_millis(300));
    let p = c.push_payment(&invoice("slow"), 10_000, "081211111111");
    drop(tx);
    assert_unknown(&p, &server, "timeout");
}

#[test]
fn server_errors_are_unknown() {
    for (status, content_type, body) in [
        (
            "500 Internal Server Error",
            "text/html",
            &b"<html><body><h1>Oops</h1></body></html>"[..],
        ),
        ("502 Bad Gateway", "text/plain", b""),
        ("503 Service Unavailable", "text/plain", b""),
        ("504 Gateway Timeout", "text/plain", b""),
    ] {
        let server =
            FaultServer::start(move |stream, _| respond(stream, status, content_type, body));
        let p = pay(&server);
        assert_unknown(&p, &server, &format!("HTTP {}", &status[..3]));
        assert_eq!(p.http_status.to_string(), status[..3]);
    }
}

#[test]
fn client_errors_are_rejected_with_doku_message() {
    for (status, body, needle) in [
        (
            "400 Bad Request",
            r#"{"error":{"message":"Invalid invoice","code":"invalid_parameter"}}"#,
            "Invalid invoice",
        ),
        (
            "401 Unauthorized",
            r#"{"code":"invalid_signature","message":"Invalid Header Signature","type":"invalid_request_error"}"#,
            "Invalid Header Signature",
        ),
        ("403 Forbidden", "<html>denied</html>", "denied"),
    ] {
        let server = FaultServer::start(move |stream, _| {
            respond(stream, status, "application/json", body.as_bytes())
        });
        let p = pay(&server);
        assert_ends(&p, ResultCode::Rejected, Outcome::NotPaid);
        assert!(message(&p).contains(needle), "{}", message(&p));
        assert_eq!(server.requests(), 1);
        assert_eq!(p.raw_body, body.as_bytes());
    }
}

#[test]
fn redirects_are_not_followed() {
    let target = FaultServer::start(|stream, seen| {
        respond(
            stream,
            "200 OK",
            "application/json",
            &echo_answer(seen, "SUCCESS", "00"),
        )
    });
    let location = format!("{}/ovo-emoney/v1/payment", target.base_url);
    for status in ["302 Found", "307 Temporary Redirect"] {
        let location = location.clone();
        let server = FaultServer::start(move |stream, _| {
            let head =
                format!("HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
        });
        assert_unknown(&pay(&server), &server, "redirect");
    }
    assert_eq!(target.requests(), 0);
}

#[test]
fn malformed_or_mismatched_answers_are_unknown() {
    type Body = fn(&common::Seen) -> Vec<u8>;
    let bodies: [(Body, &str); 8] = [
        (|_| b"{not json".to_vec(), "not valid JSON"),
        (
            |_| br#"{"ovo_payment":{"status":"SUCCESS"}}"#.to_vec(),
            "is missing",
        ),
        (
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace(r#""status":"SUCCESS""#, r#""status":"PAID""#)
                    .into_bytes()
            },
            "not SUCCESS, FAILED or TIMEOUT",
        ),
        (
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace(r#""amount":10000"#, r#""amount":[1]"#)
                    .into_bytes()
            },
            "order.amount in the response is not a whole number",
        ),
        (
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace(r#""response_code":"00""#, r#""response_code":0"#)
                    .into_bytes()
            },
            "ovo_payment.response_code in the response is not a string",
        ),
        (
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace("10000", "99999")
                    .into_bytes()
            },
            "order.amount is \"99999\", sent \"10000\"",
        ),
        (
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace(CLIENT_ID, "MCH-X")
                    .into_bytes()
            },
            "client.id is \"MCH-X\"",
        ),
        (
            // A phone number is personal data: the message names the field, never the number.
            |seen| {
                String::from_utf8(echo_answer(seen, "SUCCESS", "00"))
                    .unwrap()
                    .replace("081211111111", "089912345678")
                    .into_bytes()
            },
            "ovo_info.ovo_id is another phone number",
        ),
    ];
    for (body, needle) in bodies {
        let server = FaultServer::start(move |stream, seen| {
            respond(stream, "200 OK", "application/json", &body(seen))
        });
        let p = pay(&server);
        assert_ends(&p, ResultCode::OutcomeUnknown, Outcome::Unknown);
        assert!(
            message(&p).contains(needle),
            "{:?} lacks {needle:?}",
            message(&p)
        );
        assert!(
            p.response.is_none(),
            "an untrusted answer is not exposed as fields"
        );
        assert_eq!(server.requests(), 1);
    }
}

#[test]
fn oversized_body_is_unknown_and_the_read_stops_at_1_mib() {
    const SENT: usize = 64 * 1024 * 1024;
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let server = FaultServer::start(move |stream, _| {
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {SENT}\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        let chunk = vec![b' '; 64 * 1024];
        let mut written = 0;
        while written < SENT && stream.write_all(&chunk).is_ok() {
            written += chunk.len();
        }
        let _ = tx.lock().unwrap().send(written);
    });
    let p = pay(&server);
    assert_unknown(&p, &server, "larger than 1048576 bytes");
    assert!(p.raw_body.is_empty());
    // The client stopped reading and closed: the server could not write its 64 MiB (what it
    // did write is what sat in socket buffers when the client closed).
    let written = rx.recv().unwrap();
    assert!(
        written < SENT / 4,
        "the client read on: the server wrote {written} bytes"
    );
}

#[test]
fn chunked_answer_is_read() {
    let server = FaultServer::start(|stream, seen| {
        let body = echo_answer(seen, "FAILED", "17");
        let (a, b) = body.split_at(body.len() / 2);
        let chunked = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            a.len()
        );
        let _ = stream.write_all(chunked.as_bytes());
        let _ = stream.write_all(a);
        let _ = stream.write_all(format!("\r\n{:x}\r\n", b.len()).as_bytes());
        let _ = stream.write_all(b);
        let _ = stream.write_all(b"\r\n0\r\n\r\n");
    });
    let p = pay(&server);
    assert_ends(&p, ResultCode::Ok, Outcome::NotPaid);
    assert_eq!(server.requests(), 1);
    assert_eq!(
        p.response.as_ref().map(|r| r.response_code.as_str()),
        Some("17")
    );
}

#[test]
fn request_is_the_spec_json_with_doku_headers() {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let server = FaultServer::start(move |stream, seen| {
        let _ = tx
            .lock()
            .unwrap()
            .send((seen.head.clone(), seen.body.clone()));
        respond(
            stream,
            "200 OK",
            "application/json",
            &echo_answer(seen, "SUCCESS", "00"),
        );
    });
    let inv = invoice("wire");
    let p = client(&server.base_url).push_payment(&inv, 10_000, "081211111111");
    assert_eq!(p.outcome, Outcome::Paid);
    let (head, body) = rx.recv().unwrap();
    let expected_sum = ovo::checksum(
        &ovo::PaymentFields {
            client_id: CLIENT_ID,
            invoice_number: &inv,
            amount: 10_000,
            ovo_id: "081211111111",
        },
        SECRET,
    )
    .unwrap();
    let expected = format!(
        r#"{{"client":{{"id":"{CLIENT_ID}"}},"order":{{"invoice_number":"{inv}","amount":10000}},"ovo_info":{{"ovo_id":"081211111111"}},"security":{{"check_sum":"{expected_sum}"}}}}"#
    );
    assert_eq!(String::from_utf8(body).unwrap(), expected);
    assert!(
        head.starts_with("POST /ovo-emoney/v1/payment HTTP/1.1\r\n"),
        "{head}"
    );
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(": ")
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_owned())
            })
            .unwrap_or_else(|| panic!("no {name} header in {head}"))
    };
    assert_eq!(header("Content-Type"), "application/json");
    assert_eq!(header("Client-Id"), CLIENT_ID);
    assert_eq!(header("Request-Id"), p.request_id);
    assert_eq!(header("Request-Target"), "/ovo-emoney/v1/payment");
    assert!(header("Signature").starts_with("HMACSHA256="));
    assert_eq!(header("Request-Timestamp").len(), 20);
    assert!(!head.contains(SECRET));
}

#[test]
fn secret_never_appears_in_debug_output() {
    let c = client("http://127.0.0.1:9");
    let shown = format!("{c:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("***"));
    let bad =
        ovo::Client::new(CLIENT_ID, "SK with space", &ovo::ClientConfig::default()).unwrap_err();
    assert!(
        !bad.message.contains("SK with space") && !format!("{bad:?}").contains("SK with space")
    );
}

#[test]
fn bad_settings_name_the_field() {
    use ovo::{ClientConfig, ProxySetting};
    let cases: [(ClientConfig, &str); 11] = [
        (
            ClientConfig {
                base_url: Some("ftp://x".into()),
                ..Default::default()
            },
            "base_url",
        ),
        (
            ClientConfig {
                base_url: Some("http://".into()),
                ..Default::default()
            },
            "base_url",
        ),
        (
            ClientConfig {
                base_url: Some("http://a b".into()),
                ..Default::default()
            },
            "base_url",
        ),
        (
            ClientConfig {
                timeout: Duration::ZERO,
                ..Default::default()
            },
            "timeout",
        ),
        (
            ClientConfig {
                connect_timeout: Duration::ZERO,
                ..Default::default()
            },
            "connect_timeout",
        ),
        (
            ClientConfig {
                base_url: Some("https://api-sandbox.doku.com/ovo-emoney/v1/payment".into()),
                ..Default::default()
            },
            "base_url",
        ),
        (
            ClientConfig {
                status_timeout: Duration::from_secs(601),
                ..Default::default()
            },
            "status_timeout",
        ),
        (
            ClientConfig {
                reconcile: Some(ovo::Reconcile {
                    first_delay: Duration::from_secs(10),
                    max_wait: Duration::from_secs(5),
                }),
                ..Default::default()
            },
            "reconcile",
        ),
        (
            ClientConfig {
                proxy: ProxySetting::Url("https://proxy.example:3128".into()),
                ..Default::default()
            },
            "proxy",
        ),
        (
            ClientConfig {
                ca_file: Some("/nonexistent/ca.pem".into()),
                ..Default::default()
            },
            "ca_file",
        ),
        (
            ClientConfig {
                proxy: ProxySetting::Url("not a url at all".into()),
                ..Default::default()
            },
            "proxy",
        ),
    ];
    for (config, field) in cases {
        let e = ovo::Client::new(CLIENT_ID, SECRET, &config).unwrap_err();
        assert_eq!(
            (e.code, e.field),
            (ResultCode::InvalidArgument, Some(field)),
            "{e}"
        );
        assert!(e.message.starts_with(field), "{e}");
    }
}

#[test]
fn tls_handshake_failure_is_not_sent() {
    // A server that answers a TLS ClientHello with plain HTTP: the handshake fails.
    let server = FaultServer::start_raw(|stream| {
        let mut hello = [0u8; 512];
        let _ = std::io::Read::read(stream, &mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let https = server.base_url.replace("http://", "https://");
    let p = client(&https).push_payment(&invoice("tls"), 10_000, "081211111111");
    assert_ends(&p, ResultCode::NotSent, Outcome::NotPaid);
    assert!(message(&p).contains("TLS"), "{}", message(&p));
    server.wait_finished(1);
    assert_eq!(
        server.requests(),
        0,
        "no HTTP request was readable by the server"
    );
    // The same raw server does count a plain HTTP request (so the 0 above can fail).
    let plain = client(&server.base_url).push_payment(&invoice("tls"), 10_000, "081211111111");
    assert_eq!(plain.result, ResultCode::Rejected);
    server.wait_finished(2);
    assert_eq!(server.requests(), 1);
}

#[test]
fn body_trickling_past_the_deadline_is_unknown() {
    let server = FaultServer::start(|stream, seen| {
        let body = echo_answer(seen, "SUCCESS", "00");
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = stream.write_all(head.as_bytes());
        for byte in body {
            if stream.write_all(&[byte]).is_err() {
                return;
            }
            // The fault itself: one byte every 50 ms, far slower than the client's deadline.
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let c = client_with(&server.base_url, SECRET, Duration::from_millis(400));
    let p = c.push_payment(&invoice("trickle"), 10_000, "081211111111");
    assert_unknown(&p, &server, "timeout");
    assert_eq!(p.http_status, 200, "the status line had arrived");
}

#[test]
fn gzip_answer_is_decoded_even_unasked() {
    let server = FaultServer::start(|stream, seen| {
        // libovo does not ask for compression (a ~1 KiB answer gains nothing), but a server
        // that compresses anyway is still understood.
        assert!(!seen.head.to_ascii_lowercase().contains("accept-encoding"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&echo_answer(seen, "SUCCESS", "00")).unwrap();
        let body = gz.finish().unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    });
    let p = pay(&server);
    assert_ends(&p, ResultCode::Ok, Outcome::Paid);
    assert_eq!(server.requests(), 1);
}

#[test]
fn idle_pooled_connection_closed_by_the_server_still_sends_once() {
    // Answers with keep-alive, then closes the connection while it sits idle in the pool.
    let (closed_tx, closed) = std::sync::mpsc::channel();
    let closed_tx = std::sync::Mutex::new(closed_tx);
    let server = FaultServer::start(move |stream, seen| {
        respond(
            stream,
            "200 OK",
            "application/json",
            &echo_answer(seen, "SUCCESS", "00"),
        );
        let _ = stream.shutdown(Shutdown::Both);
        let _ = closed_tx.lock().unwrap().send(());
    });
    let c = client(&server.base_url);
    for n in 1..=3 {
        let p = c.push_payment(&invoice("pool"), 10_000, "081211111111");
        assert_eq!(p.outcome, Outcome::Paid, "payment {n}: {:?}", p.error);
        assert_eq!(server.requests(), n, "payment {n} was sent exactly once");
        closed.recv().unwrap();
    }
}
