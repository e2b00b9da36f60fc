//! Host name resolution with a cache, so a payment does not pay for a DNS lookup (nor fail
//! on a DNS hiccup) while a recent answer is known.
//!
//! Lookups run on one long-lived thread per client, so a caller can stop waiting at its
//! deadline (the system resolver itself has no timeout). Answers younger than [`FRESH`] are
//! used as they are; older ones are used while a refresh runs in the background; a failed
//! refresh keeps the last good answer. If the thread cannot be started, the lookup runs on the
//! caller's thread instead.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use crate::cancel::{CancelToken, Waker};

/// Answers younger than this are used without asking again.
const FRESH: Duration = Duration::from_secs(30);
/// Answers older than this are not used while a lookup can still answer in time.
const STALE: Duration = Duration::from_secs(600);

/// The addresses of one `host:port`.
pub(crate) struct Resolver {
    inner: Arc<Inner>,
}

struct Inner {
    host: String,
    port: u16,
    fixed: Option<SocketAddr>,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    known: Option<(Vec<SocketAddr>, Instant)>,
    last_error: Option<String>,
    resolving: bool,
    generation: u64,
    worker: Option<mpsc::Sender<()>>,
}

impl Resolver {
    /// A resolver for `host:port` (an IP address needs no lookup at all).
    pub(crate) fn new(host: &str, port: u16) -> Resolver {
        let fixed = host
            .parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, port));
        Resolver {
            inner: Arc::new(Inner {
                host: host.to_owned(),
                port,
                fixed,
                state: Mutex::new(State::default()),
                changed: Condvar::new(),
            }),
        }
    }

    /// The addresses to try, waiting for a lookup at most until `deadline` (or a cancel).
    pub(crate) fn lookup(
        &self,
        deadline: Instant,
        cancel: Option<&CancelToken>,
    ) -> Result<Vec<SocketAddr>, String> {
        if let Some(addr) = self.inner.fixed {
            return Ok(vec![addr]);
        }
        let mut state = self.inner.lock();
        if let Some((addrs, at)) = &state.known {
            let age = at.elapsed();
            if age < STALE {
                let addrs = addrs.clone();
                if age >= FRESH {
                    self.start_lookup(&mut state);
                }
                return Ok(addrs);
            }
        }
        let seen = state.generation;
        if !self.start_lookup(&mut state) {
            drop(state);
            return self.lookup_here();
        }
        let _wake = cancel.and_then(|token| {
            let inner = Arc::downgrade(&self.inner);
            token.register(Waker::Call(Box::new(move || {
                if let Some(inner) = inner.upgrade() {
                    // Take the lock so the waiter is either before its check or waiting.
                    drop(inner.lock());
                    inner.changed.notify_all();
                }
            })))
        });
        loop {
            if state.generation != seen {
                // After a failed refresh, the last good answer (if any) is still the best guess.
                return match &state.known {
                    Some((addrs, _)) => Ok(addrs.clone()),
                    None => Err(state
                        .last_error
                        .clone()
                        .unwrap_or_else(|| "no address".into())),
                };
            }
            if cancel.is_some_and(CancelToken::is_cancelled) {
                return Err("cancelled while resolving the host name".into());
            }
            let now = Instant::now();
            if now >= deadline {
                return match &state.known {
                    Some((addrs, _)) => Ok(addrs.clone()),
                    None => Err(format!("timed out resolving {}", self.inner.host)),
                };
            }
            state = self
                .inner
                .changed
                .wait_timeout(state, deadline - now)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Asks the lookup thread for a fresh answer; false when no thread can run it.
    fn start_lookup(&self, state: &mut State) -> bool {
        if state.resolving {
            return true;
        }
        if state.worker.is_none() {
            state.worker = spawn_worker(Arc::downgrade(&self.inner));
        }
        match &state.worker {
            Some(worker) if worker.send(()).is_ok() => {
                state.resolving = true;
                true
            }
            _ => {
                state.worker = None;
                false
            }
        }
    }

    /// A lookup on the caller's thread (no thread could be started for it).
    fn lookup_here(&self) -> Result<Vec<SocketAddr>, String> {
        let answer = resolve(&self.inner.host, self.inner.port);
        let mut state = self.inner.lock();
        state.record(answer);
        match &state.known {
            Some((addrs, _)) => Ok(addrs.clone()),
            None => Err(state.last_error.clone().unwrap_or_default()),
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn record(&mut self, answer: Result<Vec<SocketAddr>, String>) {
        match answer {
            Ok(addrs) => {
                self.known = Some((addrs, Instant::now()));
                self.last_error = None;
            }
            Err(e) => self.last_error = Some(e),
        }
        self.resolving = false;
        self.generation += 1;
    }
}

fn spawn_worker(inner: Weak<Inner>) -> Option<mpsc::Sender<()>> {
    let (tx, rx) = mpsc::channel::<()>();
    let spawned = crate::threads::spawn("ovo-resolve", 128 * 1024, move || {
        // Ends when the resolver (which holds the sender) is dropped.
        while rx.recv().is_ok() {
            let Some(target) = inner.upgrade().map(|i| (i.host.clone(), i.port)) else {
                return;
            };
            let answer = resolve(&target.0, target.1);
            let Some(inner) = inner.upgrade() else { return };
            inner.lock().record(answer);
            inner.changed.notify_all();
        }
    });
    spawned.ok().map(|_| tx)
}

fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    match (host, port).to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                Err(format!("{host} has no address"))
            } else {
                Ok(addrs)
            }
        }
        Err(e) => Err(format!("could not resolve {host}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_need_no_lookup_and_names_are_cached() {
        let far = Instant::now() + Duration::from_secs(30);
        let ip = Resolver::new("127.0.0.1", 9);
        assert_eq!(
            ip.lookup(far, None).unwrap(),
            vec!["127.0.0.1:9".parse().unwrap()]
        );
        let name = Resolver::new("localhost", 9);
        let first = name.lookup(far, None).unwrap();
        assert!(
            first.iter().all(|a| a.ip().is_loopback() && a.port() == 9),
            "{first:?}"
        );
        let generation = name.inner.lock().generation;
        assert_eq!(name.lookup(far, None).unwrap(), first);
        assert_eq!(
            name.inner.lock().generation,
            generation,
            "second lookup came from the cache"
        );
    }

    #[test]
    fn unknown_names_fail_with_the_name() {
        let far = Instant::now() + Duration::from_secs(30);
        let e = Resolver::new("no-such-host.invalid", 9)
            .lookup(far, None)
            .unwrap_err();
        assert!(e.contains("no-such-host.invalid"), "{e}");
    }
}
