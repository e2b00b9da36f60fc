//! Idle keep-alive connections of one client, reused newest first.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::conn::Conn;

/// How long an idle connection is kept (servers commonly close after 15-60 s).
const MAX_IDLE_AGE: Duration = Duration::from_secs(15);
/// How many idle connections are kept at most.
const MAX_IDLE: usize = 64;

/// The idle connections to one target.
#[derive(Default)]
pub(crate) struct Pool {
    idle: Mutex<Vec<Conn>>,
}

impl Pool {
    /// An idle connection that is still usable, if any; stale ones are closed on the way.
    pub(crate) fn take(&self) -> Option<Conn> {
        loop {
            let mut conn = self.lock().pop()?;
            if conn.idle_since.elapsed() < MAX_IDLE_AGE && conn.still_usable() {
                return Some(conn);
            }
        }
    }

    /// Keeps `conn` for reuse (closes it when the pool is full).
    pub(crate) fn put(&self, conn: Conn) {
        let mut idle = self.lock();
        let now = Instant::now();
        idle.retain(|c| now.duration_since(c.idle_since) < MAX_IDLE_AGE);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}
