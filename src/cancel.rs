//! Stopping a payment's wait from another thread.
//!
//! A [`CancelToken`] is shared between the thread that waits (a blocking push, the I/O thread
//! of async pushes, a reconcile pause) and the thread that gives up. Cancelling sets a flag and
//! wakes whatever is waiting at once: a socket being polled is shut down, the I/O thread is
//! sent a message, a pause ends. Once cancelled, a token stays cancelled.

use std::os::fd::RawFd;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A cancel signal for one or more payments. Cheap to clone; every clone is the same token.
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    state: Mutex<State>,
    woken: Condvar,
}

#[derive(Default)]
struct State {
    cancelled: bool,
    next_id: u64,
    wakers: Vec<(u64, Waker)>,
}

/// How a waiter is woken when its token is cancelled.
pub(crate) enum Waker {
    /// A socket a thread is polling: shut down so the poll returns at once.
    Socket(RawFd),
    /// A function that tells a waiter (e.g. posts a message to the I/O thread).
    Call(Box<dyn Fn() + Send>),
}

/// Keeps a [`Waker`] registered; dropping it unregisters (and waits for a cancel that is
/// running it to finish, so a registered socket is never shut down after it was closed).
pub(crate) struct Registration {
    inner: Arc<Inner>,
    id: u64,
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CancelToken(cancelled: {})", self.is_cancelled())
    }
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels: every wait on this token (now or later) ends promptly. Idempotent, thread-safe.
    pub fn cancel(&self) {
        let mut state = self.inner.lock();
        if state.cancelled {
            return;
        }
        state.cancelled = true;
        for (_, waker) in &state.wakers {
            match waker {
                // SAFETY: a registered socket stays open until its registration is dropped,
                // which needs this lock. Shutting it down only makes its I/O fail.
                Waker::Socket(fd) => unsafe {
                    libc::shutdown(*fd, libc::SHUT_RDWR);
                },
                Waker::Call(call) => call(),
            }
        }
        self.inner.woken.notify_all();
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.lock().cancelled
    }

    /// Registers `waker` until the returned registration is dropped; `None` (and the waker is
    /// dropped unused) when the token is already cancelled.
    pub(crate) fn register(&self, waker: Waker) -> Option<Registration> {
        let mut state = self.inner.lock();
        if state.cancelled {
            return None;
        }
        state.next_id += 1;
        let id = state.next_id;
        state.wakers.push((id, waker));
        Some(Registration {
            inner: Arc::clone(&self.inner),
            id,
        })
    }

    /// Sleeps for `duration` or until cancelled; returns whether the token is cancelled.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        let mut state = self.inner.lock();
        loop {
            let now = Instant::now();
            if state.cancelled || now >= until {
                return state.cancelled;
            }
            state = self
                .inner
                .woken
                .wait_timeout(state, until - now)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.inner.lock().wakers.retain(|(id, _)| *id != self.id);
    }
}

/// Sleeps `duration`, or until `cancel` (when given) is cancelled; returns whether it was.
pub(crate) fn sleep(cancel: Option<&CancelToken>, duration: Duration) -> bool {
    match cancel {
        Some(token) => token.sleep(duration),
        None => {
            std::thread::sleep(duration);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn cancel_calls_registered_wakers_once_and_sticks() {
        let token = CancelToken::new();
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&calls);
        let reg = token.register(Waker::Call(Box::new(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        })));
        assert!(reg.is_some());
        token.cancel();
        token.cancel();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(token.is_cancelled());
        assert!(token.register(Waker::Call(Box::new(|| {}))).is_none());
        assert!(
            token.sleep(Duration::from_secs(60)),
            "a cancelled token does not sleep"
        );
    }

    #[test]
    fn dropped_registration_is_not_called() {
        let token = CancelToken::new();
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&calls);
        drop(token.register(Waker::Call(Box::new(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        }))));
        token.cancel();
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn cancel_from_another_thread_ends_a_sleep() {
        let token = CancelToken::new();
        let other = token.clone();
        let sleeper = std::thread::spawn(move || other.sleep(Duration::from_secs(600)));
        token.cancel();
        assert!(sleeper.join().unwrap());
    }
}
