//! One request and its answer on one connection, as a non-blocking state machine.
//!
//! [`Exchange::advance`] does all the I/O it can without blocking and says what it waits for;
//! a driver (the caller's thread with `poll`, or the I/O thread with epoll) calls it again when
//! the socket is ready. The exchange knows exactly whether any byte of the request was handed
//! to the connection to DOKU (`sent`), which decides "not sent" against "outcome unknown".

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::net::TcpStream;

use super::conn::{Conn, Got};
use super::parse::Parser;
use super::{tls, Answer, Failure, Route, MAX_BODY_BYTES, USER_AGENT};

/// What the exchange waits for, or its end.
pub(crate) enum Progress {
    /// The socket becoming readable.
    Read,
    /// The socket becoming writable.
    Write,
    /// The exchange is over.
    Done(Result<Answer, Failure>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Connect,
    Tunnel,
    Handshake,
    Send,
    Receive,
    Over,
}

/// One HTTP exchange.
pub(crate) struct Exchange {
    route: Arc<Route>,
    phase: Phase,
    conn: Option<Conn>,
    /// How many connections `conn` has held: each new socket gets a new number.
    conn_serial: u64,
    addrs: Vec<SocketAddr>,
    next_addr: usize,
    connect_error: Option<io::Error>,
    request: Vec<u8>,
    written: usize,
    sent: bool,
    tunnel: Vec<u8>,
    tunnel_asked: bool,
    parser: Parser,
    started: Instant,
    connect_deadline: Instant,
    deadline: Instant,
    reusable: bool,
}

impl Exchange {
    /// An exchange that opens a new connection to one of `addrs` (the proxy's, when there is one).
    pub(crate) fn connect(
        route: Arc<Route>,
        addrs: Vec<SocketAddr>,
        request: Vec<u8>,
        started: Instant,
        deadline: Instant,
    ) -> Exchange {
        let connect_deadline = (started + route.connect_timeout).min(deadline);
        Exchange::new(
            route,
            Phase::Connect,
            None,
            addrs,
            request,
            started,
            connect_deadline,
            deadline,
        )
    }

    /// An exchange on a pooled connection.
    pub(crate) fn reuse(
        route: Arc<Route>,
        conn: Conn,
        request: Vec<u8>,
        started: Instant,
        deadline: Instant,
    ) -> Exchange {
        Exchange::new(
            route,
            Phase::Send,
            Some(conn),
            Vec::new(),
            request,
            started,
            deadline,
            deadline,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        route: Arc<Route>,
        phase: Phase,
        conn: Option<Conn>,
        addrs: Vec<SocketAddr>,
        request: Vec<u8>,
        started: Instant,
        connect_deadline: Instant,
        deadline: Instant,
    ) -> Exchange {
        Exchange {
            route,
            phase,
            conn_serial: u64::from(conn.is_some()),
            conn,
            addrs,
            next_addr: 0,
            connect_error: None,
            request,
            written: 0,
            sent: false,
            tunnel: Vec::new(),
            tunnel_asked: false,
            parser: Parser::new(MAX_BODY_BYTES as usize),
            started,
            connect_deadline,
            deadline,
            reusable: false,
        }
    }

    /// The socket to wait on (none before the first connect attempt).
    pub(crate) fn fd(&self) -> Option<std::os::fd::RawFd> {
        self.conn.as_ref().map(Conn::fd)
    }

    /// The connection, for registering it with an event loop.
    pub(crate) fn conn_mut(&mut self) -> Option<&mut Conn> {
        self.conn.as_mut()
    }

    /// Which connection [`Exchange::conn_mut`] is: the number changes whenever the exchange
    /// opens a new socket (a connect to the next address replaces one that failed), so an event
    /// loop knows to watch the new socket instead of assuming it already does.
    pub(crate) fn conn_serial(&self) -> u64 {
        self.conn_serial
    }

    /// Closes the connection while connecting, as a connect that fails asynchronously does:
    /// the next [`Exchange::advance`] opens a socket to the next address (tests of the drivers).
    #[cfg(test)]
    pub(crate) fn lose_connecting_socket(&mut self) {
        assert_eq!(
            self.phase,
            Phase::Connect,
            "only a connecting socket is lost"
        );
        self.conn = None;
    }

    /// When the current wait must end: the connect deadline while connecting, else the total one.
    pub(crate) fn deadline(&self) -> Instant {
        match self.phase {
            Phase::Connect | Phase::Tunnel | Phase::Handshake => self.connect_deadline,
            _ => self.deadline,
        }
    }

    /// The connection, when the exchange ended with a complete answer that allows reuse.
    pub(crate) fn take_reusable(&mut self) -> Option<Conn> {
        if self.reusable {
            self.conn.take().map(|mut c| {
                c.idle_since = Instant::now();
                c
            })
        } else {
            None
        }
    }

    /// Does all the I/O possible now. `scratch` is a read buffer (its contents are not kept).
    pub(crate) fn advance(&mut self, scratch: &mut [u8]) -> Progress {
        loop {
            let step = match self.phase {
                Phase::Connect => self.step_connect(),
                Phase::Tunnel => self.step_tunnel(scratch),
                Phase::Handshake => self.step_handshake(scratch),
                Phase::Send => self.step_send(),
                Phase::Receive => self.step_receive(scratch),
                Phase::Over => {
                    return Progress::Done(Err(self.fail("the exchange was already over")))
                }
            };
            match step {
                Some(Progress::Done(result)) => {
                    self.phase = Phase::Over;
                    return Progress::Done(result);
                }
                Some(waiting) => return waiting,
                None => {} // the phase changed: go on
            }
        }
    }

    /// Ends the exchange because its deadline passed.
    pub(crate) fn time_out(&mut self) -> Failure {
        let connecting = matches!(
            self.phase,
            Phase::Connect | Phase::Tunnel | Phase::Handshake
        );
        let reason = if connecting && Instant::now() < self.deadline {
            format!(
                "timed out connecting to {} (connect timeout {} s, TLS included)",
                self.peer_name(),
                secs(self.route.connect_timeout)
            )
        } else if self.sent {
            format!(
                "no complete answer within the {} s timeout",
                secs(self.deadline - self.started)
            )
        } else {
            format!(
                "timed out before the request could be sent (timeout {} s)",
                secs(self.deadline - self.started)
            )
        };
        self.abort(reason)
    }

    /// Ends the exchange because the caller cancelled it.
    pub(crate) fn cancel(&mut self) -> Failure {
        let mut failure = self.abort("cancelled by the caller");
        failure.cancelled = true;
        failure
    }

    /// Ends the exchange from outside for `reason` (what was sent so far decides `sent`).
    pub(crate) fn abort(&mut self, reason: impl Into<String>) -> Failure {
        self.phase = Phase::Over;
        self.fail(reason)
    }

    fn fail(&self, reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            sent: self.sent,
            http_status: self.parser.status().unwrap_or(0),
            cancelled: false,
        }
    }

    fn done(&self, reason: impl Into<String>) -> Option<Progress> {
        Some(Progress::Done(Err(self.fail(reason))))
    }

    /// `DOKU (host:port)` or the proxy, whichever the socket goes to.
    fn peer_name(&self) -> String {
        match &self.route.proxy {
            Some(proxy) => proxy.describe(),
            None => format!("DOKU ({})", self.route.target.host_port()),
        }
    }

    fn step_connect(&mut self) -> Option<Progress> {
        if let Some(conn) = &self.conn {
            let state = match conn.sock.take_error() {
                Ok(None) => match conn.sock.peer_addr() {
                    Ok(_) => Ok(true),
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(false),
                    Err(e) => Err(e),
                },
                Ok(Some(e)) | Err(e) => Err(e),
            };
            match state {
                Ok(true) => {
                    self.phase = if self.route.proxy.is_some() {
                        Phase::Tunnel
                    } else if self.route.tls.is_some() {
                        Phase::Handshake
                    } else {
                        Phase::Send
                    };
                    return None;
                }
                Ok(false) => return Some(Progress::Write),
                Err(e) => {
                    self.connect_error = Some(e);
                    self.conn = None;
                }
            }
        }
        while let Some(&addr) = self.addrs.get(self.next_addr) {
            self.next_addr += 1;
            match TcpStream::connect(addr) {
                Ok(sock) => {
                    let _ = sock.set_nodelay(true);
                    self.conn = Some(Conn::new(sock));
                    self.conn_serial += 1;
                    return Some(Progress::Write);
                }
                Err(e) => self.connect_error = Some(e),
            }
        }
        let why = self.connect_error.as_ref().map_or_else(
            || "no address to connect to".to_owned(),
            ToString::to_string,
        );
        self.done(format!("could not connect to {}: {why}", self.peer_name()))
    }

    fn step_tunnel(&mut self, scratch: &mut [u8]) -> Option<Progress> {
        let proxy = self.route.proxy.as_ref().expect("tunnel needs a proxy");
        let conn = self.conn.as_mut().expect("connected");
        if !self.tunnel_asked {
            if self.tunnel.is_empty() {
                let target = self.route.target.host_port();
                let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
                if let Some(auth) = &proxy.authorization {
                    head.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
                }
                head.push_str(&format!("User-Agent: {USER_AGENT}\r\n\r\n"));
                self.tunnel = head.into_bytes();
            }
            // `written` counts the CONNECT request's bytes until it is all out.
            while self.written < self.tunnel.len() {
                match conn.write_raw(&self.tunnel[self.written..]) {
                    Ok(0) => return Some(Progress::Write),
                    Ok(n) => self.written += n,
                    Err(e) => return self.done(format!("{} failed: {e}", proxy.describe())),
                }
            }
            self.tunnel_asked = true;
            self.written = 0;
            self.tunnel.clear();
        }
        loop {
            let n = match conn.read_raw(scratch) {
                Ok(Got::Data(n)) => n,
                Ok(Got::Again) => return Some(Progress::Read),
                Ok(Got::Eof) => {
                    return self.done(format!(
                        "{} closed the connection before answering the tunnel request",
                        proxy.describe()
                    ))
                }
                Err(e) => return self.done(format!("{} failed: {e}", proxy.describe())),
            };
            self.tunnel.extend_from_slice(&scratch[..n]);
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut head = httparse::Response::new(&mut headers);
            let parsed = head.parse(&self.tunnel);
            let code = head.code.unwrap_or(0);
            match parsed {
                Ok(httparse::Status::Partial) if self.tunnel.len() < 16 * 1024 => continue,
                Ok(httparse::Status::Complete(len)) if (200..300).contains(&code) => {
                    if self.tunnel.len() != len {
                        return self.done(format!(
                            "{} sent data before the tunnel was used",
                            proxy.describe()
                        ));
                    }
                    self.tunnel = Vec::new();
                    self.phase = if self.route.tls.is_some() {
                        Phase::Handshake
                    } else {
                        Phase::Send
                    };
                    return None;
                }
                Ok(httparse::Status::Complete(_)) => {
                    let hint = if code == 407 {
                        ": it wants credentials (http://user:password@host:port)"
                    } else {
                        ""
                    };
                    let reason = head.reason.unwrap_or("").to_owned();
                    return self.done(format!(
                        "{} refused the tunnel to {} (HTTP {code} {reason}){hint}",
                        proxy.describe(),
                        self.route.target.host_port(),
                    ));
                }
                _ => {
                    return self.done(format!(
                        "{} answered the tunnel request with something that is not HTTP",
                        proxy.describe()
                    ))
                }
            }
        }
    }

    fn step_handshake(&mut self, scratch: &mut [u8]) -> Option<Progress> {
        let conn = self.conn.as_mut().expect("connected");
        if conn.tls.is_none() {
            let config = self.route.tls.as_ref().expect("https");
            match tls::connect(config, &self.route.target.host) {
                Ok(session) => conn.tls = Some(Box::new(session)),
                Err(e) => return self.done(format!("TLS with DOKU failed: {e}")),
            }
        }
        loop {
            let mut wrote = 0;
            match conn.flush_tls(&mut wrote) {
                Ok(true) => {}
                Ok(false) => return Some(Progress::Write),
                Err(e) => return self.done(format!("TLS with DOKU failed: {e}")),
            }
            if !conn.tls.as_ref().expect("TLS").is_handshaking() {
                self.phase = Phase::Send;
                return None;
            }
            match conn.read_tls(scratch) {
                Ok(Got::Again) => {
                    let tls = conn.tls.as_ref().expect("TLS");
                    if !tls.wants_write() && tls.is_handshaking() {
                        return Some(Progress::Read);
                    }
                    // Our next flight (e.g. Finished) is ready, or the handshake is over.
                }
                Ok(Got::Data(_)) => {
                    return self
                        .done("TLS with DOKU failed: data arrived before the handshake ended")
                }
                Ok(Got::Eof) => return self.done(
                    "TLS with DOKU failed: the server closed the connection during the handshake",
                ),
                Err(e) => {
                    let mut ignored = 0;
                    let _ = conn.flush_tls(&mut ignored); // the alert, best effort
                    let why = e
                        .get_ref()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    return self.done(format!("TLS with DOKU failed: {why}"));
                }
            }
        }
    }

    fn step_send(&mut self) -> Option<Progress> {
        let conn = self.conn.as_mut().expect("connected");
        let result = if let Some(tls) = conn.tls.as_mut() {
            if self.written == 0 {
                // rustls takes the whole request at once (it buffers up to 64 KiB).
                if let Err(e) = tls.writer().write_all(&self.request) {
                    return self.done(format!("TLS with DOKU failed: {e}"));
                }
                self.written = self.request.len();
            }
            let mut wrote = 0;
            let flushed = conn.flush_tls(&mut wrote);
            self.sent |= wrote > 0;
            flushed
        } else {
            loop {
                if self.written == self.request.len() {
                    break Ok(true);
                }
                match conn.write_raw(&self.request[self.written..]) {
                    Ok(0) => break Ok(false),
                    Ok(n) => {
                        self.sent = true;
                        self.written += n;
                    }
                    Err(e) => break Err(e),
                }
            }
        };
        match result {
            Ok(true) => {
                self.request = Vec::new(); // not needed any more: keep in-flight memory small
                self.phase = Phase::Receive;
                None
            }
            Ok(false) => Some(Progress::Write),
            Err(e) => self.done(format!("the connection failed while sending: {e}")),
        }
    }

    fn step_receive(&mut self, scratch: &mut [u8]) -> Option<Progress> {
        let conn = self.conn.as_mut().expect("connected");
        loop {
            let got = conn.read(scratch);
            if conn.tls.as_ref().is_some_and(|t| t.wants_write()) {
                let mut ignored = 0;
                let _ = conn.flush_tls(&mut ignored); // e.g. a key update answer
            }
            let complete = match got {
                Ok(Got::Data(n)) => self.parser.feed(&scratch[..n]),
                Ok(Got::Again) => return Some(Progress::Read),
                Ok(Got::Eof) => self.parser.eof(),
                Err(e) => {
                    let why = match e.get_ref() {
                        Some(inner) if e.kind() == io::ErrorKind::InvalidData => {
                            format!("TLS with DOKU failed: {inner}")
                        }
                        _ => format!("the connection failed: {e}"),
                    };
                    return self.done(why);
                }
            };
            match complete {
                Ok(false) => continue,
                Ok(true) => break,
                Err(e) => return self.done(format!("the answer {}", e.0)),
            }
        }
        let status = self.parser.status().unwrap_or(0);
        let parser = std::mem::take(&mut self.parser);
        match parser.finish() {
            Ok(complete) => {
                self.reusable = complete.keep_alive;
                Some(Progress::Done(Ok(Answer {
                    status: complete.status,
                    body: complete.body,
                })))
            }
            Err(e) => {
                let mut failure = self.fail(format!("the answer {}", e.0));
                failure.http_status = status;
                Some(Progress::Done(Err(failure)))
            }
        }
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}
