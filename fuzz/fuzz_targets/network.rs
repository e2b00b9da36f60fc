//! A push answered by a loopback server with bytes the fuzzer makes (a whole raw answer, or a
//! body inside a 200, a 4xx/5xx holding the secret key, or a chunked 200), read through
//! libovo's own HTTP engine after a real socket read.
//!
//! Asserts: no panic; the request reached the server exactly once, so the result is never
//! NOT_SENT; PAID only for SUCCESS with code 00, NOT_PAID only for a 4xx refusal or a FAILED
//! answer with a final code, UNKNOWN otherwise; the raw body is at most 1 MiB; and no 6+
//! character prefix of the secret key shows in the message, the raw body or `Debug`.
#![no_main]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use ovo::{Client, ClientConfig, Outcome, ProxySetting, ResultCode, Status};

const SECRET: &str = "SK-9sCrJ1kdYUJAYlsJKlqz";
const CLIENT_ID: &str = "MCH-0001-10791114622547";

struct Server {
    base_url: String,
    answer: Arc<Mutex<Vec<u8>>>,
    requests: Arc<AtomicUsize>,
}

/// One loopback server for the whole run: it reads each request, counts it, writes the
/// current answer and closes the connection.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let answer = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(AtomicUsize::new(0));
        let (a, r) = (Arc::clone(&answer), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &a, &r);
            }
        });
        Server {
            base_url,
            answer,
            requests,
        }
    })
}

fn serve(mut stream: TcpStream, answer: &Mutex<Vec<u8>>, requests: &AtomicUsize) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let complete = loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                break true;
            }
        }
    };
    if complete {
        requests.fetch_add(1, Ordering::SeqCst);
        let bytes = answer.lock().unwrap().clone();
        let _ = stream.write_all(&bytes);
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The server's answer for this input: its first byte picks the shape.
fn answer(data: &[u8]) -> Vec<u8> {
    let (shape, rest) = data.split_first().unwrap_or((&0, &[]));
    match shape % 4 {
        0 => rest.to_vec(),
        1 => {
            let mut out = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", rest.len()).into_bytes();
            out.extend_from_slice(rest);
            out
        }
        2 => {
            let (code, rest) = rest.split_first().unwrap_or((&0, &[]));
            let status = 400 + u16::from(*code) % 200;
            let (at, rest) = rest.split_first().unwrap_or((&0, &[]));
            let at = usize::from(*at).min(rest.len());
            let mut body = rest[..at].to_vec();
            body.extend_from_slice(SECRET.as_bytes());
            body.extend_from_slice(&rest[at..]);
            let mut out = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
            out.extend_from_slice(&body);
            out
        }
        _ => {
            let mut out = format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n", rest.len()).into_bytes();
            out.extend_from_slice(rest);
            out.extend_from_slice(b"\r\n0\r\n\r\n");
            out
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let server = server();
    *server.answer.lock().unwrap() = answer(data);
    let config = ClientConfig {
        base_url: Some(server.base_url.clone()),
        proxy: ProxySetting::None,
        timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    };
    // A fresh client each time: the invoice is never "open" from an earlier input.
    let client = Client::new(CLIENT_ID, SECRET, &config).unwrap();
    let before = server.requests.load(Ordering::SeqCst);
    let p = client.push_payment("INV-20210115-0001", 10000, "081211111111");
    assert_eq!(server.requests.load(Ordering::SeqCst), before + 1, "sent exactly once");
    assert!(matches!(p.result, ResultCode::Ok | ResultCode::OutcomeUnknown | ResultCode::Rejected), "{p:?}");
    let final_failure = |r: &ovo::Response| {
        r.status == Status::Failed && !matches!(r.response_code.as_str(), "40" | "68" | "00")
    };
    match p.outcome {
        Outcome::Paid => {
            let r = p.response.as_ref().expect("a paid push has its answer");
            assert!(p.result == ResultCode::Ok && r.status == Status::Success && r.response_code == "00");
        }
        Outcome::NotPaid => assert!(
            p.result == ResultCode::Rejected
                || (p.result == ResultCode::Ok && p.response.as_ref().is_some_and(final_failure)),
            "{p:?}"
        ),
        Outcome::Unknown => {}
        Outcome::Refunded => panic!("a push is never refunded: {p:?}"),
    }
    assert!(p.raw_body.len() as u64 <= ovo::MAX_BODY_BYTES);
    let shown = [format!("{p:?}"), p.message().unwrap_or_default().to_owned(), String::from_utf8_lossy(&p.raw_body).into_owned()];
    for place in &shown {
        for len in 6..=SECRET.len() {
            assert!(!place.contains(&SECRET[..len]), "{:?} shows in {place:?}", &SECRET[..len]);
        }
    }
});
