//! Helpers shared by the integration tests: clients for a base URL and a raw fault server.

#![allow(dead_code)]

pub mod certs;
pub mod scratch;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ovo::{Client, ClientConfig, ProxySetting};

pub const CLIENT_ID: &str = ovo_sandbox::DEFAULT_CLIENT_ID;
pub const SECRET: &str = ovo_sandbox::DEFAULT_SECRET_KEY;

/// A client for `base_url` with the sandbox credentials, no proxy and a `timeout`.
pub fn client_with(base_url: &str, secret: &str, timeout: Duration) -> Client {
    let config = ClientConfig {
        base_url: Some(base_url.to_owned()),
        proxy: ProxySetting::None,
        timeout,
        connect_timeout: timeout.min(Duration::from_secs(5)),
        ..ClientConfig::default()
    };
    Client::new(CLIENT_ID, secret, &config).expect("valid test client")
}

/// A client for `base_url` with the sandbox credentials and a 30 s timeout.
pub fn client(base_url: &str) -> Client {
    client_with(base_url, SECRET, Duration::from_secs(30))
}

/// A fresh invoice number, unique within the test run.
pub fn invoice(tag: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "T-{tag}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A raw connection that keeps every byte read from it.
pub struct Recorded {
    pub stream: TcpStream,
    pub seen: Vec<u8>,
}

impl Read for Recorded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.stream.read(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

impl Write for Recorded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// One HTTP request as the fault server read it.
pub struct Seen {
    pub head: String,
    pub body: Vec<u8>,
}

/// A loopback server that reads each request fully, counts it, then does what `reply` says.
pub struct FaultServer {
    pub base_url: String,
    requests: Arc<AtomicUsize>,
    finished: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Serves connections on a background thread until the test process ends.
    pub fn start(reply: impl Fn(&mut TcpStream, &Seen) + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let reply = Arc::new(reply);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let counter = Arc::clone(&counter);
                let reply = Arc::clone(&reply);
                thread::spawn(move || {
                    while let Some(seen) = read_request(&mut stream) {
                        counter.fetch_add(1, Ordering::SeqCst);
                        reply(&mut stream, &seen);
                    }
                });
            }
        });
        FaultServer {
            base_url,
            requests,
            finished: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Serves each connection with `serve` on the raw stream (no HTTP parsing). Whatever the
    /// client sends is recorded: [`FaultServer::requests`] counts the connections on which an
    /// HTTP request line arrived (a TLS handshake is not one).
    pub fn start_raw(serve: impl Fn(&mut Recorded) + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let serve = Arc::new(serve);
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let finished = Arc::new(AtomicUsize::new(0));
        let done = Arc::clone(&finished);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let serve = Arc::clone(&serve);
                let counter = Arc::clone(&counter);
                let done = Arc::clone(&done);
                thread::spawn(move || {
                    let mut conn = Recorded {
                        stream,
                        seen: Vec::new(),
                    };
                    serve(&mut conn);
                    let _ = conn
                        .stream
                        .set_read_timeout(Some(Duration::from_millis(200)));
                    let mut rest = [0u8; 4096];
                    while let Ok(n @ 1..) = conn.stream.read(&mut rest) {
                        conn.seen.extend_from_slice(&rest[..n]);
                    }
                    let line = conn.seen.split(|&b| b == b'\n').next().unwrap_or_default();
                    if line.ends_with(b"HTTP/1.1\r") || line.ends_with(b"HTTP/1.0\r") {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        FaultServer {
            base_url,
            requests,
            finished,
        }
    }

    /// Waits until the raw server has finished `n` connections (so their count is final).
    pub fn wait_finished(&self, n: usize) {
        wait_for(
            "the raw server to finish its connections",
            Duration::from_secs(10),
            || self.finished.load(Ordering::SeqCst) >= n,
        );
    }

    /// How many complete requests arrived so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and Content-Length body); `None` at EOF or on error.
pub fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen { head, body })
}

/// Writes a complete HTTP/1.1 response.
pub fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// A body that answers `seen` like DOKU would, with `status` and `code`.
pub fn echo_answer(seen: &Seen, status: &str, code: &str) -> Vec<u8> {
    let req: serde_json::Value = serde_json::from_slice(&seen.body).expect("request is JSON");
    serde_json::json!({
        "client": req["client"],
        "order": req["order"],
        "ovo_info": {"ovo_id": req["ovo_info"]["ovo_id"], "ovo_account_name": "Test"},
        "ovo_payment": {"status": status, "response_code": code, "date": "20201014162928"},
        "security": {"check_sum": "00"},
    })
    .to_string()
    .into_bytes()
}

/// Waits until `condition` holds, polling (the short pause only paces the loop), or panics
/// after `limit` naming `what`.
pub fn wait_for(what: &str, limit: Duration, mut condition: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(2));
    }
}

/// The value of header `name` in a request head (case-insensitive name), if present.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}
