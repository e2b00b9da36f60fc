//! The `ovo-sandbox` binary: base URL first on stdout, request log on stderr, no secret leaks.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use ovo_sandbox::{request_checksum, DEFAULT_CLIENT_ID, PAYMENT_PATH};
use serde_json::{json, Value};

const SECRET: &str = "SK-cli-Secret-7f3e9a";

fn post(url: &str, body: &str) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let mut r = agent.post(url).send(body).unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    (
        r.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

#[test]
fn cli_prints_base_url_first_and_never_the_secret() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
        .args(["--port", "0", "--hold", "5", "--approve-delay", "0.0"])
        .args(["--secret-key", SECRET])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first.trim_end();
    assert!(base.starts_with("http://127.0.0.1:"), "{first:?}");
    assert!(!base.ends_with('/'));

    let url = format!("{base}{PAYMENT_PATH}");
    let sum = request_checksum(
        10_000,
        DEFAULT_CLIENT_ID,
        "INV-CLI-1",
        "081211111111",
        SECRET,
    );
    let mut b = json!({
        "client": {"id": DEFAULT_CLIENT_ID},
        "order": {"invoice_number": "INV-CLI-1", "amount": 10_000},
        "ovo_info": {"ovo_id": "081211111111"},
        "security": {"check_sum": sum},
    });
    let (status, v) = post(&url, &b.to_string());
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["ovo_payment"]["status"], "SUCCESS");
    b["order"]["invoice_number"] = json!("INV-CLI-2");
    assert_eq!(post(&url, &b.to_string()).0, 401);

    // SIGTERM: clean exit.
    let pid = child.id() as libc::pid_t;
    // SAFETY: plain kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("INV-CLI-1") && err.contains("SUCCESS"),
        "{err}"
    );
    assert!(
        err.contains("INV-CLI-2") && err.contains("401 invalid_checksum"),
        "{err}"
    );
    for out in [&first, &rest, &err] {
        assert!(!out.contains(SECRET), "secret leaked: {out}");
    }
}

#[test]
fn cli_rejects_bad_arguments_without_echoing_the_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
        .args(["--secret-key", SECRET, "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--bogus"), "{err}");
    assert!(!err.contains(SECRET));
}

#[test]
fn cli_tls_needs_both_files_and_readable_ones() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["--port", "0", "--tls-cert", "chain.pem"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tls-key"), "{err}");

    let missing = "/nonexistent/ovo-sandbox-test/chain.pem";
    let out = run(&["--port", "0", "--tls-cert", missing, "--tls-key", missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot start") && err.contains(missing),
        "{err}"
    );
}
