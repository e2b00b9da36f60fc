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

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn help_shows_flags_defaults_wallets_and_api() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for text in [
        "--host ADDR",
        "[127.0.0.1]",
        "--port PORT",
        "--hold SECS",
        "[70]",
        "--approve-delay SECS",
        "[2]",
        "--client-id ID",
        DEFAULT_CLIENT_ID,
        "--secret-key KEY",
        "--secret-key-file PATH",
        "--require-signature",
        "--tls-cert",
        "--tls-key",
        "--version",
        "081211111111",
        "089800000104",
        "089800000408",
        "any other",
        "/ovo-emoney/v1/payment",
        "/orders/v1/status/{invoice}",
        "/simulator/pay",
        "/simulator/payments",
    ] {
        assert!(help.contains(text), "--help lacks {text:?}:\n{help}");
    }
    assert!(!help.contains(ovo_sandbox::DEFAULT_SECRET_KEY));
    assert_eq!(run(&["-h"]).stdout, help.as_bytes());
}

#[test]
fn version_flag() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("ovo-sandbox {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn secret_key_file_is_read_and_never_shown() {
    let dir = std::env::temp_dir().join(format!("ovo-sandbox-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("key");
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
        .args(["--port", "0", "--secret-key-file"])
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first.trim_end();
    let sum = request_checksum(1_000, DEFAULT_CLIENT_ID, "INV-KF-1", "089900000026", SECRET);
    let b = json!({
        "client": {"id": DEFAULT_CLIENT_ID},
        "order": {"invoice_number": "INV-KF-1", "amount": 1_000},
        "ovo_info": {"ovo_id": "089900000026"},
        "security": {"check_sum": sum},
    });
    let (status, v) = post(&format!("{base}{PAYMENT_PATH}"), &b.to_string());
    assert_eq!(status, 200, "the file's key signs: {v}");
    // Nothing to see in `ps`.
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
    assert!(!String::from_utf8_lossy(&cmdline).contains(SECRET));
    // SAFETY: plain kill(2) on our own child's pid.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));

    // Empty, unreadable or doubled: exit 2, no path and no key in the message.
    std::fs::write(&file, "\n").unwrap();
    let path = file.to_str().unwrap();
    let out = run(&["--secret-key-file", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let missing = dir.join("missing");
    let out = run(&["--secret-key-file", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--secret-key-file") && !err.contains("missing"),
        "{err}"
    );
    let out = run(&["--secret-key", SECRET, "--secret-key-file", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn log_has_timestamps_unknown_paths_and_abandoned_pushes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ovo-sandbox"))
        .args(["--port", "0", "--hold", "30"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first.trim_end().to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    assert_eq!(
        agent
            .get(&format!("{base}/no/such"))
            .call()
            .unwrap()
            .status(),
        404
    );

    // A push whose client gives up: the sandbox logs it as abandoned.
    let sum = request_checksum(
        1_000,
        DEFAULT_CLIENT_ID,
        "INV-GONE-1",
        "081234567890",
        ovo_sandbox::DEFAULT_SECRET_KEY,
    );
    let b = json!({
        "client": {"id": DEFAULT_CLIENT_ID},
        "order": {"invoice_number": "INV-GONE-1", "amount": 1_000},
        "ovo_info": {"ovo_id": "081234567890"},
        "security": {"check_sum": sum},
    })
    .to_string();
    let addr = base.trim_start_matches("http://").to_owned();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::Write;
    write!(
        s,
        "POST {PAYMENT_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{b}",
        b.len()
    )
    .unwrap();
    let pending = || {
        let mut r = agent
            .get(&format!("{base}/simulator/pending"))
            .call()
            .unwrap();
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        v["pending"].as_array().cloned().unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while pending().is_empty() {
        assert!(start.elapsed().as_secs() < 20, "push never held");
        std::thread::sleep(std::time::Duration::from_millis(2)); // paces the poll only
    }
    drop(s);
    while pending()[0]["client_connected"] != false {
        assert!(start.elapsed().as_secs() < 20, "hang-up never noticed");
        std::thread::sleep(std::time::Duration::from_millis(2)); // paces the poll only
    }

    // SAFETY: plain kill(2) on our own child's pid.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("SandboxConfig"), "no Debug dump:\n{err}");
    assert!(err.contains("listening on http://127.0.0.1:"), "{err}");
    let requests: Vec<&str> = err.lines().filter(|l| l.contains(" -> ")).collect();
    assert!(requests.len() >= 3, "{err}");
    for line in &requests {
        // 2021-01-15T03:04:05.123Z GET /path -> 200
        let (ts, _) = line.split_once(' ').unwrap();
        assert_eq!(ts.len(), 24, "{line}");
        assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{line}");
    }
    assert!(
        requests
            .iter()
            .any(|l| l.contains("GET /no/such -> 404 not_found")),
        "{err}"
    );
    assert!(
        requests
            .iter()
            .any(|l| l.contains("invoice=INV-GONE-1") && l.contains("abandoned")),
        "{err}"
    );
}
