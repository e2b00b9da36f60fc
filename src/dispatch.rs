//! The thread where async payments' continuations and callbacks run, in order.
//!
//! Keeping them off the I/O thread means a slow callback (or a journal write waiting on the
//! disk) never delays reading other payments' answers.

use std::io;
use std::sync::{mpsc, Mutex};
use std::thread::{JoinHandle, ThreadId};

/// Work for the dispatcher thread.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// Stack of the dispatcher thread: callbacks run host code (Python, .NET) that needs room.
const STACK: usize = 2 * 1024 * 1024;

/// A running dispatcher thread. Dropping it lets the thread finish its queue and end.
pub(crate) struct Dispatcher {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Option<JoinHandle<()>>,
    id: ThreadId,
}

impl Dispatcher {
    /// Starts the thread; fails when the OS refuses one.
    pub(crate) fn start() -> io::Result<Dispatcher> {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = crate::threads::spawn("ovo-callbacks", STACK, move || {
            for job in rx {
                // A job that panics is a bug; the thread carries on with the next one.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
        })?;
        Ok(Dispatcher {
            id: thread.thread().id(),
            jobs: Mutex::new(Some(tx)),
            thread: Some(thread),
        })
    }

    /// Queues `job`; it runs after every job queued before it.
    pub(crate) fn run(&self, job: Job) {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = jobs.as_ref() {
            let _ = tx.send(job);
        }
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = self.thread.take() {
            if std::thread::current().id() != self.id {
                let _ = thread.join();
            }
        }
    }
}
