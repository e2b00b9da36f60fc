//! The library against real TLS: the sandbox in HTTPS mode with certificates from a local CA
//! (made by the `openssl` CLI), and `openssl s_server` for a server stuck below TLS 1.2.
//!
//! A certificate or protocol problem must end the call before anything is sent: `NotSent`,
//! `NotPaid`, a message that says what is wrong, and no request at the sandbox.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::certs::{CertPair, Pki};
use common::{invoice, CLIENT_ID, SECRET};
use ovo::{Client, ClientConfig, Outcome, Payment, ProxySetting, ResultCode};
use ovo_sandbox::{Sandbox, SandboxConfig};

const PAYS_WITH_CASH: &str = "081211111111";

/// The sandbox over HTTPS with `pair`, answering the scripted wallets at once.
fn https_sandbox(pair: &CertPair) -> Sandbox {
    let sandbox = Sandbox::start(SandboxConfig {
        approve_delay: Duration::ZERO,
        tls: Some(pair.sandbox_files()),
        ..SandboxConfig::default()
    })
    .expect("start the HTTPS sandbox");
    let expected = format!("https://localhost:{}", sandbox.local_addr().port());
    assert_eq!(sandbox.base_url(), expected);
    sandbox
}

fn config(base_url: &str, ca_file: Option<&Path>) -> ClientConfig {
    ClientConfig {
        base_url: Some(base_url.to_owned()),
        ca_file: ca_file.map(Path::to_path_buf),
        proxy: ProxySetting::None,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        ..ClientConfig::default()
    }
}

fn client(base_url: &str, ca_file: Option<&Path>) -> Client {
    Client::new(CLIENT_ID, SECRET, &config(base_url, ca_file)).expect("valid client")
}

/// The call never got past TLS: not sent, not paid, and the message names one of `words`.
fn assert_not_sent(payment: &Payment, words: &[&str]) {
    assert_eq!(payment.result, ResultCode::NotSent, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::NotPaid, "{payment:?}");
    assert_eq!(payment.http_status, 0);
    assert!(payment.response.is_none());
    let error = payment.error.as_ref().expect("an error");
    let message = error.message.to_lowercase();
    eprintln!("message: {}", error.message);
    assert!(
        error.message.contains("TLS"),
        "message {:?} does not say TLS",
        error.message
    );
    assert!(
        words.iter().any(|w| message.contains(w)),
        "message {:?} mentions none of {words:?}",
        error.message
    );
}

#[test]
fn paid_over_https_with_the_local_ca() {
    let pki = Pki::create();
    let sandbox = https_sandbox(&pki.localhost);
    let client = client(sandbox.base_url(), Some(&pki.ca));
    let payment = client.push_payment(&invoice("tls-ok"), 10_000, PAYS_WITH_CASH);
    assert_eq!(payment.result, ResultCode::Ok, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::Paid, "{payment:?}");
    assert_eq!(payment.http_status, 200);
    assert_eq!(sandbox.payment_requests(), 1);
}

#[test]
fn builtin_roots_do_not_trust_the_local_ca() {
    let pki = Pki::create();
    let sandbox = https_sandbox(&pki.localhost);
    let client = client(sandbox.base_url(), None);
    let payment = client.push_payment(&invoice("tls-roots"), 10_000, PAYS_WITH_CASH);
    assert_not_sent(&payment, &["certificate"]);
    assert_eq!(sandbox.payment_requests(), 0);
}

#[test]
fn hostname_mismatch_is_not_sent() {
    let pki = Pki::create();
    let sandbox = https_sandbox(&pki.other_host);
    let client = client(sandbox.base_url(), Some(&pki.ca));
    let payment = client.push_payment(&invoice("tls-name"), 10_000, PAYS_WITH_CASH);
    assert_not_sent(&payment, &["certificate"]);
    assert_eq!(sandbox.payment_requests(), 0);
}

#[test]
fn certificate_ip_address_matches_an_ip_url() {
    let pki = Pki::create();
    let sandbox = https_sandbox(&pki.localhost);
    let url = format!("https://127.0.0.1:{}", sandbox.local_addr().port());
    let payment =
        client(&url, Some(&pki.ca)).push_payment(&invoice("tls-ip"), 10_000, PAYS_WITH_CASH);
    assert_eq!(payment.outcome, Outcome::Paid, "{payment:?}");
    assert_eq!(sandbox.payment_requests(), 1);
}

#[test]
fn expired_certificate_is_not_sent() {
    let pki = Pki::create();
    let sandbox = https_sandbox(&pki.expired);
    let client = client(sandbox.base_url(), Some(&pki.ca));
    let payment = client.push_payment(&invoice("tls-expired"), 10_000, PAYS_WITH_CASH);
    assert_not_sent(&payment, &["certificate"]);
    assert!(
        payment
            .error
            .as_ref()
            .unwrap()
            .message
            .to_lowercase()
            .contains("expired"),
        "{payment:?}"
    );
    assert_eq!(sandbox.payment_requests(), 0);
}

/// `openssl s_server -www` that speaks only TLS 1.1, on a port it picked itself.
struct LegacyTlsServer {
    child: Child,
    port: u16,
}

impl LegacyTlsServer {
    fn start(pair: &CertPair) -> LegacyTlsServer {
        let mut child = Command::new("openssl")
            .args(["s_server", "-accept", "127.0.0.1:0", "-www", "-tls1_1"])
            .args(["-cipher", "DEFAULT@SECLEVEL=0", "-cert"])
            .arg(&pair.cert)
            .arg("-key")
            .arg(&pair.key)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run openssl s_server ({e}): apt-get install openssl")
            });
        // It prints `ACCEPT 127.0.0.1:PORT` once listening; keep draining stdout after that.
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("ACCEPT 127.0.0.1:") {
                    let _ = tx.send(port.trim().parse::<u16>().expect("port number"));
                }
            }
        });
        let mut server = LegacyTlsServer { child, port: 0 };
        server.port = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("openssl s_server reports its port");
        server
    }
}

impl Drop for LegacyTlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn tls_below_1_2_is_not_sent() {
    let pki = Pki::create();
    let server = LegacyTlsServer::start(&pki.localhost);
    // Premise: it really completes a TLS 1.1 handshake (it is not just broken).
    let probe = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", server.port),
        ])
        .args(["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
        .stdin(Stdio::null())
        .output()
        .expect("run openssl s_client");
    let shown = String::from_utf8_lossy(&probe.stdout);
    assert!(
        shown.contains("Protocol  : TLSv1.1"),
        "openssl s_server did not speak TLS 1.1: {shown}"
    );
    let url = format!("https://localhost:{}", server.port);
    let payment =
        client(&url, Some(&pki.ca)).push_payment(&invoice("tls11"), 10_000, PAYS_WITH_CASH);
    assert_not_sent(&payment, &["version", "protocol"]);
}

#[test]
fn ca_file_without_a_certificate_is_invalid_argument() {
    let pki = Pki::create();
    let garbage = pki.dir.join("garbage.pem");
    std::fs::write(&garbage, "this is not PEM at all\n").unwrap();
    let empty = pki.dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let broken = pki.dir.join("broken.pem");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let missing = pki.dir.join("missing.pem");
    let key_only = pki.localhost.key.clone();
    for file in [&garbage, &empty, &broken, &missing, &key_only] {
        let error = Client::new(
            CLIENT_ID,
            SECRET,
            &config("https://localhost:1", Some(file)),
        )
        .err()
        .unwrap_or_else(|| panic!("{} accepted as a CA file", file.display()));
        eprintln!("{}: {}", file.display(), error.message);
        assert_eq!(error.code, ResultCode::InvalidArgument, "{error:?}");
        assert_eq!(error.field, Some("ca_file"), "{error:?}");
    }
}

#[test]
fn sandbox_refuses_unusable_tls_files() {
    let pki = Pki::create();
    let start = |cert: &Path, key: &Path| {
        Sandbox::start(SandboxConfig {
            tls: Some(ovo_sandbox::TlsFiles {
                cert_chain: cert.to_path_buf(),
                key: key.to_path_buf(),
            }),
            ..SandboxConfig::default()
        })
        .expect_err("refused")
    };
    let missing = pki.dir.join("missing.pem");
    let e = start(&pki.localhost.cert, &missing);
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
    // A key file given as the certificate chain: no certificate in it.
    let e = start(&pki.localhost.key, &pki.localhost.key);
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
    // A certificate file given as the key: no key in it.
    let e = start(&pki.localhost.cert, &pki.localhost.cert);
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
    // A key that does not belong to the certificate.
    let e = start(&pki.localhost.cert, &pki.other_host.key);
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
}
