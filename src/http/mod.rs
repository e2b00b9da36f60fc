//! libovo's own HTTP/1.1 client for DOKU: one request per call, never retried, no redirects,
//! bounded in time and size, and exact about whether a request may have been sent.
//!
//! The same [`exchange::Exchange`] state machine runs either on the caller's thread (a blocking
//! push waits in `poll` on its socket) or on the client's I/O thread (async pushes: one epoll
//! loop for all of them). Connections are kept alive and reused; host names are resolved once
//! and cached ([`resolve`]); a cancel ends a wait at once ([`crate::cancel`]).

mod blocking;
mod conn;
mod exchange;
mod parse;
mod pool;
pub(crate) mod proxy;
mod reactor;
mod resolve;
pub(crate) mod target;
mod tls;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cancel::CancelToken;
use crate::config::{ClientConfig, FIELD_BASE_URL};
use crate::dispatch::{Dispatcher, Job};
use crate::error::{Error, ResultCode};
use exchange::Exchange;
use pool::Pool;
use proxy::Proxy;
use reactor::Reactor;
use resolve::Resolver;
use target::Target;

/// Largest response body read; anything longer is an unknown outcome.
pub const MAX_BODY_BYTES: u64 = 1_048_576;

/// The `User-Agent` of requests to DOKU and of proxy tunnel requests.
const USER_AGENT: &str = concat!("libovo/", env!("CARGO_PKG_VERSION"));

/// One request: method, path (prefix included, already percent-encoded), headers and body.
pub(crate) struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path as sent (and signed).
    pub path: String,
    /// Header lines (names and values are checked by the caller: no CR or LF).
    pub headers: Vec<(&'static str, String)>,
    /// The body (empty for a `GET`).
    pub body: Vec<u8>,
    /// Longest wait for the whole exchange.
    pub timeout: Duration,
}

/// What came back: status and (decoded) body.
#[derive(Debug)]
pub(crate) struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// The body, at most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
}

/// An exchange that produced no usable answer.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What went wrong, e.g. `could not connect to DOKU (h:443): Connection refused`.
    pub reason: String,
    /// Whether any byte of the request may have reached the server.
    pub sent: bool,
    /// The status line's code when one had arrived, else 0.
    pub http_status: u16,
    /// Ended by the caller's cancel.
    pub cancelled: bool,
}

/// How connections to DOKU are made: target, proxy, TLS.
pub(crate) struct Route {
    target: Target,
    proxy: Option<Proxy>,
    tls: Option<Arc<rustls::ClientConfig>>,
    connect_timeout: Duration,
}

/// A client's HTTP machinery: route, connection pool, resolver and (once needed) I/O threads.
pub(crate) struct Http {
    route: Arc<Route>,
    pool: Arc<Pool>,
    resolver: Resolver,
    runtime: Mutex<Option<Arc<Runtime>>>,
}

/// The threads of async payments, started by the first one.
pub(crate) struct Runtime {
    reactor: Reactor,
    dispatcher: Dispatcher,
}

impl Http {
    /// Builds the route from checked settings (CA file read, proxy chosen, now).
    pub(crate) fn new(config: &ClientConfig) -> Result<Http, Error> {
        let target = config.target()?;
        let proxy = Proxy::choose(&config.proxy, &target)?;
        let tls_config = match &config.ca_file {
            Some(path) => Some(tls::config(Some(path))?),
            None if target.tls => Some(tls::config(None)?),
            None => None,
        };
        let (host, port) = match &proxy {
            Some(p) => (p.host.clone(), p.port),
            None => (target.host.clone(), target.port),
        };
        Ok(Http {
            route: Arc::new(Route {
                tls: tls_config.filter(|_| target.tls),
                target,
                proxy,
                connect_timeout: config.connect_timeout,
            }),
            pool: Arc::new(Pool::default()),
            resolver: Resolver::new(&host, port),
            runtime: Mutex::new(None),
        })
    }

    /// The full URL of `path` (after the base URL's prefix).
    pub(crate) fn url(&self, path: &str) -> String {
        self.route.target.url(path)
    }

    /// The base URL's path prefix (`""` or `/something`).
    pub(crate) fn prefix(&self) -> &str {
        &self.route.target.prefix
    }

    /// Sends `request` once and waits on the caller's thread for the answer.
    pub(crate) fn send(
        &self,
        request: &Request,
        cancel: Option<&CancelToken>,
    ) -> Result<Answer, Failure> {
        let mut exchange = self.exchange(request, cancel)?;
        let result = blocking::drive(&mut exchange, cancel);
        if result.is_ok() {
            if let Some(conn) = exchange.take_reusable() {
                self.pool.put(conn);
            }
        }
        result
    }

    /// Sends `request` once from the I/O thread; `done` gets the result there (or, when the
    /// request cannot even start or the I/O thread has stopped, NOT_SENT on the caller's
    /// thread before this returns).
    /// Fails only when the I/O threads cannot be started (nothing sent).
    pub(crate) fn submit(
        &self,
        request: &Request,
        cancel: Option<CancelToken>,
        done: Box<dyn FnOnce(Result<Answer, Failure>) + Send>,
    ) -> Result<(), Error> {
        let runtime = self.runtime()?;
        match self.exchange(request, cancel.as_ref()) {
            Ok(exchange) => {
                let pool = Arc::clone(&self.pool);
                runtime.reactor.submit(
                    exchange,
                    cancel,
                    Box::new(move |result, conn| {
                        if let Some(conn) = conn {
                            pool.put(conn);
                        }
                        done(result);
                    }),
                );
            }
            Err(failure) => done(Err(failure)),
        }
        Ok(())
    }

    /// Runs `job` on the dispatcher thread (after everything queued before it).
    pub(crate) fn dispatch(&self, job: Job) -> Result<(), Error> {
        self.runtime()?.dispatcher.run(job);
        Ok(())
    }

    /// Calls `job(cancelled)` on the I/O thread after `delay`, or at once on a cancel (and
    /// `job(true)` on the caller's thread before this returns when the I/O thread has stopped).
    pub(crate) fn after(
        &self,
        delay: Duration,
        cancel: Option<CancelToken>,
        job: reactor::TimerJob,
    ) -> Result<(), Error> {
        self.runtime()?.reactor.after(delay, cancel, job);
        Ok(())
    }

    /// The I/O and dispatcher threads, started on first use.
    fn runtime(&self) -> Result<Arc<Runtime>, Error> {
        let mut slot = self.runtime.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(runtime) = slot.as_ref() {
            return Ok(Arc::clone(runtime));
        }
        let started = Reactor::start().and_then(|reactor| {
            Ok(Runtime {
                reactor,
                dispatcher: Dispatcher::start()?,
            })
        });
        let runtime = Arc::new(started.map_err(|e| {
            Error::new(
                ResultCode::NotSent,
                format!("the request was not sent: libovo could not start its I/O threads ({e})"),
            )
        })?);
        *slot = Some(Arc::clone(&runtime));
        Ok(runtime)
    }

    /// An exchange for `request` on a pooled connection, or on a new one to resolved addresses.
    fn exchange(
        &self,
        request: &Request,
        cancel: Option<&CancelToken>,
    ) -> Result<Exchange, Failure> {
        let started = Instant::now();
        let deadline = started + request.timeout;
        let bytes = self.wire(request);
        if let Some(conn) = self.pool.take() {
            return Ok(Exchange::reuse(
                Arc::clone(&self.route),
                conn,
                bytes,
                started,
                deadline,
            ));
        }
        let connect_deadline = (started + self.route.connect_timeout).min(deadline);
        match self.resolver.lookup(connect_deadline, cancel) {
            Ok(addrs) => Ok(Exchange::connect(
                Arc::clone(&self.route),
                addrs,
                bytes,
                started,
                deadline,
            )),
            Err(reason) => Err(Failure {
                reason: match &self.route.proxy {
                    Some(proxy) => format!("{} cannot be reached: {reason}", proxy.describe()),
                    None => reason,
                },
                sent: false,
                http_status: 0,
                cancelled: cancel.is_some_and(CancelToken::is_cancelled),
            }),
        }
    }

    /// The request's bytes on the wire.
    fn wire(&self, request: &Request) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + request.body.len());
        let mut line = |s: &str| out.extend_from_slice(s.as_bytes());
        line(request.method);
        line(" ");
        line(&request.path);
        line(" HTTP/1.1\r\nHost: ");
        line(&self.route.target.authority());
        line("\r\nUser-Agent: ");
        line(USER_AGENT);
        line("\r\n");
        for (name, value) in &request.headers {
            line(name);
            line(": ");
            line(value);
            line("\r\n");
        }
        if !request.body.is_empty() || request.method == "POST" {
            line(&format!("Content-Length: {}\r\n", request.body.len()));
        }
        line("\r\n");
        out.extend_from_slice(&request.body);
        out
    }
}

/// Checks a base URL as a [`Target`] (the error names `base_url`).
pub(crate) fn parse_target(base: &str) -> Result<Target, Error> {
    Target::parse(base).map_err(|rule| Error::invalid(FIELD_BASE_URL, rule))
}
