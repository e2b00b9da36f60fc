//! 1,000 pushes held at once on raw loopback sockets, all answered.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use ovo_sandbox::wallets::OPENING_CASH;
use ovo_sandbox::{
    request_checksum, PayMethod, Sandbox, SandboxConfig, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY,
};
use serde_json::{json, Value};

const N: usize = 1_000;
const WALLET: &str = "081344445555";

/// Opens `N` connections, each sending one correctly signed push for `wallet`.
fn open_pushes(addr: SocketAddr, wallet: &str) -> Vec<(String, TcpStream)> {
    let mut socks = Vec::with_capacity(N);
    for i in 0..N {
        let inv = format!("INV-C-{i:04}");
        let sum = request_checksum(1_000, DEFAULT_CLIENT_ID, &inv, wallet, DEFAULT_SECRET_KEY);
        let body = json!({
            "client": {"id": DEFAULT_CLIENT_ID},
            "order": {"invoice_number": inv, "amount": 1_000},
            "ovo_info": {"ovo_id": wallet},
            "security": {"check_sum": sum},
        })
        .to_string();
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "POST /ovo-emoney/v1/payment HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        socks.push((inv, s));
    }
    socks
}

/// Reads one `Connection: close` response and checks it is a 200 for `inv`.
fn read_response(inv: &str, mut s: TcpStream) -> Value {
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("response");
    let text = String::from_utf8(raw).unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["order"]["invoice_number"], inv);
    v
}

#[test]
fn thousand_concurrent_pending_pushes_are_all_answered() {
    ovo_sandbox::raise_nofile_limit().expect("raise RLIMIT_NOFILE");
    let sb = Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(120),
        ..SandboxConfig::default()
    })
    .unwrap();
    let addr = sb.local_addr();

    let socks = open_pushes(addr, WALLET);

    // Every push is held at the same time.
    let start = std::time::Instant::now();
    while sb.pending() < N {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "only {} held",
            sb.pending()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(sb.payment_requests(), N as u64);

    // The customer pays the even ones with cash and declines the odd ones.
    for (i, (inv, _)) in socks.iter().enumerate() {
        if i % 2 == 0 {
            sb.pay(inv, PayMethod::Cash).unwrap();
        } else {
            sb.decline(inv).unwrap();
        }
    }
    assert_eq!(sb.pending(), 0);

    let mut references = Vec::with_capacity(N);
    for (i, (inv, s)) in socks.into_iter().enumerate() {
        let v = read_response(&inv, s);
        let expected = if i % 2 == 0 { "SUCCESS" } else { "FAILED" };
        assert_eq!(v["ovo_payment"]["status"], expected);
        references.push(v["ovo_payment"]["reference_number"].as_u64().unwrap());
    }
    references.sort_unstable();
    assert_eq!(
        references,
        (1..=N as u64).collect::<Vec<_>>(),
        "unique consecutive references"
    );
    let w = sb.wallet(WALLET).unwrap();
    assert_eq!(w.cash_balance, OPENING_CASH - (N as u64 / 2) * 1_000);
    sb.shutdown();
}

#[test]
fn thousand_never_answered_pushes_all_time_out() {
    ovo_sandbox::raise_nofile_limit().expect("raise RLIMIT_NOFILE");
    let sb = Sandbox::start(SandboxConfig {
        hold: Duration::from_secs(1),
        ..SandboxConfig::default()
    })
    .unwrap();
    let socks = open_pushes(sb.local_addr(), "080012341234");
    for (inv, s) in socks {
        let v = read_response(&inv, s);
        assert_eq!(v["ovo_payment"]["status"], "TIMEOUT");
        assert_eq!(v["ovo_payment"]["response_code"], "68");
    }
    assert_eq!(sb.payment_requests(), N as u64);
    assert_eq!(sb.pending(), 0);
}
