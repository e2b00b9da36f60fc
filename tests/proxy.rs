//! The library through a real HTTP CONNECT proxy: Debian's `tinyproxy`, run by the test on a
//! loopback port with its own config and log, in front of the plain-HTTP sandbox.
//!
//! libovo tunnels every proxied request with `CONNECT host:port` (plain HTTP targets too), and
//! tinyproxy logs each one, so the log proves whether a payment went through the proxy.
//! Needs `tinyproxy` on PATH (`apt-get install tinyproxy`); without it these tests fail.

mod common;

use std::ffi::OsString;
use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::certs::Pki;
use common::scratch::{free_port, wait_listening, TempDir};
use common::{invoice, CLIENT_ID, SECRET};
use ovo::{Client, ClientConfig, Outcome, Payment, ProxySetting, ResultCode};
use ovo_sandbox::{Sandbox, SandboxConfig};

const PAYS_WITH_CASH: &str = "081211111111";

/// A tinyproxy in the foreground on `127.0.0.1:port`; killed on drop.
struct Tinyproxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: TempDir,
}

impl Tinyproxy {
    /// Starts tinyproxy with a minimal config (`extra` lines appended) and waits until it
    /// accepts connections. No `ConnectPort` line: CONNECT to any port is allowed.
    fn start(extra: &str) -> Tinyproxy {
        let dir = TempDir::new("tinyproxy");
        let port = free_port();
        let log = dir.join("tinyproxy.log");
        let conf = dir.join("tinyproxy.conf");
        std::fs::write(
            &conf,
            format!(
                "Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nLogLevel Connect\n\
                 LogFile \"{}\"\nPidFile \"{}\"\n{extra}",
                log.display(),
                dir.join("tinyproxy.pid").display()
            ),
        )
        .unwrap();
        let output = File::create(dir.join("output.txt")).unwrap();
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(output.try_clone().unwrap())
            .stderr(output)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run tinyproxy ({e}): these tests need it, \
                     install it with `apt-get install tinyproxy`"
                )
            });
        let mut proxy = Tinyproxy {
            child,
            port,
            log,
            _dir: dir,
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let (child, log) = (&mut proxy.child, &proxy.log);
        wait_listening(addr, Duration::from_secs(10), || {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "tinyproxy exited ({status}) before listening on {addr}; log: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
        });
        proxy
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many `CONNECT 127.0.0.1:{port}` tunnels the proxy has been asked for so far.
    fn tunnels_to(&self, port: u16) -> usize {
        self.tunnels_to_host("127.0.0.1", port)
    }

    /// How many `CONNECT {host}:{port}` tunnels the proxy has been asked for so far.
    fn tunnels_to_host(&self, host: &str, port: u16) -> usize {
        let needle = format!("CONNECT {host}:{port} ");
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains(&needle))
            .count()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The plain-HTTP sandbox on 127.0.0.1, answering the scripted wallets at once.
fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        approve_delay: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .expect("start the sandbox")
}

fn pay(sandbox: &Sandbox, proxy: ProxySetting) -> Payment {
    pay_with_ca(sandbox, proxy, None)
}

fn pay_with_ca(sandbox: &Sandbox, proxy: ProxySetting, ca_file: Option<&Path>) -> Payment {
    let config = ClientConfig {
        base_url: Some(sandbox.base_url().to_owned()),
        proxy,
        ca_file: ca_file.map(Path::to_path_buf),
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        ..ClientConfig::default()
    };
    let client = Client::new(CLIENT_ID, SECRET, &config).expect("valid client");
    client.push_payment(&invoice("proxy"), 10_000, PAYS_WITH_CASH)
}

fn assert_paid(payment: &Payment) {
    assert_eq!(payment.result, ResultCode::Ok, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::Paid, "{payment:?}");
}

#[test]
fn explicit_proxy_carries_the_payment() {
    let proxy = Tinyproxy::start("");
    let sandbox = sandbox();
    let port = sandbox.local_addr().port();
    assert_eq!(proxy.tunnels_to(port), 0);

    assert_paid(&pay(&sandbox, ProxySetting::Url(proxy.url())));
    assert_eq!(
        proxy.tunnels_to(port),
        1,
        "the payment did not use the proxy"
    );
    assert_eq!(sandbox.payment_requests(), 1);
}

#[test]
fn dead_proxy_is_not_sent() {
    let sandbox = sandbox();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let payment = pay(&sandbox, ProxySetting::Url(dead));
    eprintln!("dead proxy: {:?}", payment.error);
    assert_eq!(payment.result, ResultCode::NotSent, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::NotPaid, "{payment:?}");
    assert_eq!(sandbox.payment_requests(), 0);
}

#[test]
fn proxy_refusing_the_tunnel_is_not_sent() {
    // Only CONNECT to port 1 allowed: tinyproxy answers the tunnel request with an error.
    let proxy = Tinyproxy::start("ConnectPort 1\n");
    let sandbox = sandbox();
    let payment = pay(&sandbox, ProxySetting::Url(proxy.url()));
    eprintln!("refused tunnel: {:?}", payment.error);
    assert_eq!(payment.result, ResultCode::NotSent, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::NotPaid, "{payment:?}");
    assert_eq!(sandbox.payment_requests(), 0);
    assert_eq!(proxy.tunnels_to(sandbox.local_addr().port()), 1);
}

#[test]
fn socks_proxy_url_is_invalid_argument() {
    // SOCKS is not supported: the client must refuse it up front, naming the setting.
    for url in [
        "socks5://127.0.0.1:1080",
        "socks4://127.0.0.1:1080",
        "socks://127.0.0.1:1",
    ] {
        let config = ClientConfig {
            base_url: Some("http://127.0.0.1:1".to_owned()),
            proxy: ProxySetting::Url(url.to_owned()),
            ..ClientConfig::default()
        };
        let error = Client::new(CLIENT_ID, SECRET, &config)
            .err()
            .unwrap_or_else(|| panic!("{url} accepted as a proxy; a payment through it panics"));
        assert_eq!(error.code, ResultCode::InvalidArgument, "{error:?}");
        assert_eq!(error.field, Some("proxy"), "{error:?}");
    }
}

/// The HTTPS sandbox with the certificate `pair`, answering the scripted wallets at once.
fn https_sandbox(pair: &common::certs::CertPair) -> Sandbox {
    Sandbox::start(SandboxConfig {
        approve_delay: Duration::ZERO,
        tls: Some(pair.sandbox_files()),
        ..SandboxConfig::default()
    })
    .expect("start the HTTPS sandbox")
}

#[test]
fn https_through_the_proxy_is_paid() {
    let pki = Pki::create();
    let proxy = Tinyproxy::start("");
    let sandbox = https_sandbox(&pki.localhost);
    let port = sandbox.local_addr().port();
    let payment = pay_with_ca(&sandbox, ProxySetting::Url(proxy.url()), Some(&pki.ca));
    assert_paid(&payment);
    assert_eq!(proxy.tunnels_to_host("localhost", port), 1);
    assert_eq!(sandbox.payment_requests(), 1);
}

#[test]
fn bad_certificate_through_the_proxy_is_not_sent() {
    let pki = Pki::create();
    let proxy = Tinyproxy::start("");
    let sandbox = https_sandbox(&pki.other_host);
    let port = sandbox.local_addr().port();
    let payment = pay_with_ca(&sandbox, ProxySetting::Url(proxy.url()), Some(&pki.ca));
    eprintln!("bad certificate via proxy: {:?}", payment.error);
    assert_eq!(proxy.tunnels_to_host("localhost", port), 1);
    assert_eq!(sandbox.payment_requests(), 0);
    assert_eq!(payment.result, ResultCode::NotSent, "{payment:?}");
    assert_eq!(payment.outcome, Outcome::NotPaid, "{payment:?}");
}

/// The proxy variables ureq reads, saved at creation, all removed, restored on drop.
struct ProxyEnv {
    saved: Vec<(&'static str, Option<OsString>)>,
}

const PROXY_VARS: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

impl ProxyEnv {
    fn clean() -> ProxyEnv {
        let saved = PROXY_VARS
            .iter()
            .map(|&name| (name, std::env::var_os(name)))
            .collect();
        let env = ProxyEnv { saved };
        env.set(&[]);
        env
    }

    /// Exactly these proxy variables, no others.
    fn set(&self, vars: &[(&str, &str)]) {
        for name in PROXY_VARS {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
    }
}

impl Drop for ProxyEnv {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Every case that reads or writes the process environment, one after the other.
#[test]
fn proxy_from_the_environment() {
    let env = ProxyEnv::clean();
    let proxy = Tinyproxy::start("");
    let sandbox = sandbox();
    let port = sandbox.local_addr().port();
    let url = proxy.url();
    let mut tunnels = 0;
    let mut requests = 0;
    let mut check = |case: &str, vars: &[(&str, &str)], setting: ProxySetting, proxied: bool| {
        env.set(vars);
        let payment = pay(&sandbox, setting);
        assert_paid(&payment);
        requests += 1;
        assert_eq!(sandbox.payment_requests(), requests, "{case}");
        if proxied {
            tunnels += 1;
        }
        assert_eq!(
            proxy.tunnels_to(port),
            tunnels,
            "{case}: expected {}",
            if proxied {
                "the proxy"
            } else {
                "a direct connection"
            }
        );
    };

    check("no variables", &[], ProxySetting::FromEnvironment, false);
    // A loopback DOKU (the local sandbox) is never reached through an environment proxy: a
    // proxy cannot reach this machine's loopback, and `HTTPS_PROXY` set for the internet must
    // not break a local test.
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        check(name, &[(name, &url)], ProxySetting::FromEnvironment, false);
    }
    // ProxySetting::None ignores every variable.
    check(
        "ProxySetting::None",
        &[
            ("HTTPS_PROXY", &url),
            ("HTTP_PROXY", &url),
            ("ALL_PROXY", &url),
        ],
        ProxySetting::None,
        false,
    );
    // An explicit proxy URL is used as given, loopback or not (the environment is not read).
    check(
        "ProxySetting::Url with NO_PROXY set",
        &[("NO_PROXY", "127.0.0.1")],
        ProxySetting::Url(url.clone()),
        true,
    );

    // For another host the variables are used. The target is TEST-NET-1 (192.0.2.1, never
    // routed) and the proxy refuses tunnels to any port but 1, so nothing leaves loopback:
    // the proxy's log shows which variable was followed, the message names it.
    let refusing = Tinyproxy::start("ConnectPort 1\n");
    let refusing_url = refusing.url();
    let remote = |base: &str| {
        let config = ClientConfig {
            base_url: Some(base.to_owned()),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            ..ClientConfig::default()
        };
        Client::new(CLIENT_ID, SECRET, &config)
            .expect("valid client")
            .push_payment(&invoice("env"), 10_000, PAYS_WITH_CASH)
    };
    let mut asked = std::collections::HashMap::new();
    for (name, base, port) in [
        ("https_proxy", "https://192.0.2.1", 443),
        ("HTTPS_PROXY", "https://192.0.2.1", 443),
        ("ALL_PROXY", "https://192.0.2.1", 443),
        ("http_proxy", "http://192.0.2.1", 80),
        ("HTTP_PROXY", "http://192.0.2.1", 80),
    ] {
        env.set(&[
            (name, &refusing_url),
            ("NO_PROXY", "example.com,10.0.0.0/8"),
        ]);
        let payment = remote(base);
        let asked = asked.entry(port).and_modify(|n| *n += 1).or_insert(1);
        assert_eq!(
            refusing.tunnels_to_host("192.0.2.1", port),
            *asked,
            "{name}: the proxy was asked"
        );
        assert_eq!(
            (payment.result, payment.outcome),
            (ResultCode::NotSent, Outcome::NotPaid),
            "{name}"
        );
        let message = payment.message().unwrap_or_default();
        assert!(
            message.contains("proxy") && message.contains(name),
            "{name}: {message}"
        );
    }
    // A dead proxy named by a variable: the message says it was the proxy, and which variable.
    env.set(&[("HTTPS_PROXY", &format!("http://127.0.0.1:{}", free_port()))]);
    let payment = remote("https://192.0.2.1");
    assert_eq!(payment.result, ResultCode::NotSent, "{payment:?}");
    let message = payment.message().unwrap_or_default();
    assert!(
        message.contains("could not connect to the proxy") && message.contains("HTTPS_PROXY"),
        "{message}"
    );
    drop(env);
}
