//! Drives an exchange on the caller's thread, waiting with `poll(2)` on its one socket.
//!
//! A cancel from another thread shuts the socket down, which ends the wait at once.

use std::time::Instant;

use super::exchange::{Exchange, Progress};
use super::{Answer, Failure};
use crate::cancel::{CancelToken, Waker};

/// Read buffer on the caller's stack.
const SCRATCH: usize = 16 * 1024;

/// Runs `exchange` to its end.
pub(crate) fn drive(
    exchange: &mut Exchange,
    cancel: Option<&CancelToken>,
) -> Result<Answer, Failure> {
    let mut scratch = [0u8; SCRATCH];
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(exchange.cancel());
        }
        let events = match exchange.advance(&mut scratch) {
            Progress::Done(result) => return result,
            Progress::Read => libc::POLLIN,
            Progress::Write => libc::POLLOUT,
        };
        let fd = exchange.fd().expect("an exchange waits on a socket");
        let _wake = match cancel {
            Some(token) => match token.register(Waker::Socket(fd)) {
                Some(registration) => Some(registration),
                None => return Err(exchange.cancel()),
            },
            None => None,
        };
        loop {
            let now = Instant::now();
            let deadline = exchange.deadline();
            if now >= deadline {
                return Err(exchange.time_out());
            }
            let ms = (deadline - now)
                .as_millis()
                .saturating_add(1)
                .min(i32::MAX as u128) as i32;
            let mut pfd = libc::pollfd {
                fd,
                events,
                revents: 0,
            };
            // SAFETY: one pollfd on the stack, for a socket this exchange owns.
            let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
            if rc > 0
                || (rc < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR))
            {
                break; // ready (or a poll error, which the next I/O attempt reports)
            }
        }
    }
}
