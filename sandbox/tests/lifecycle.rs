//! Starting, stopping and Debug output of the in-process sandbox.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::*;
use ovo_sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY};

#[test]
fn shutdown_cuts_off_held_pushes_and_frees_the_port() {
    let sb = sandbox();
    let addr = sb.local_addr();
    assert_eq!(sb.base_url(), format!("http://{addr}"));
    let body = body("INV-LIFE-1", 1_000, MANUAL).to_string();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        ovo_sandbox::PAYMENT_PATH,
        body.len()
    )
    .unwrap();
    wait_until("the push to be held", || sb.pending() == 1);
    sb.shutdown();
    // The held connection is closed without an answer (EOF or reset).
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(buf.is_empty());
    // The port is free again.
    let again = Sandbox::start(SandboxConfig {
        port: addr.port(),
        ..SandboxConfig::default()
    })
    .expect("rebind the same port");
    drop(again);
}

#[test]
fn bind_errors_are_returned() {
    let sb = sandbox();
    let err = Sandbox::start(SandboxConfig {
        port: sb.local_addr().port(),
        ..SandboxConfig::default()
    })
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn debug_output_never_shows_the_secret() {
    let sb = sandbox();
    let text = format!("{sb:?} {:?}", SandboxConfig::default());
    assert!(!text.contains(DEFAULT_SECRET_KEY), "{text}");
    assert!(text.contains("redacted"));
}
