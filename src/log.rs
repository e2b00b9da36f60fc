//! The process-wide log hook: one line per request sent, per answer, per error and per cancel,
//! so support can reconstruct a disputed payment. Off until a program installs a logger.
//!
//! Lines never carry the secret key, the signature or the checksum: the client redacts every
//! line with its key before it gets here.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::RwLock;

use crate::error::{Error, ResultCode};

/// How important a log line is. Values are explicit and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Details: connection reuse, timers.
    Debug = 1,
    /// A request sent, an answer received.
    Info = 2,
    /// An outcome left unknown, a refusal, a cancel.
    Warn = 3,
    /// A request that failed.
    Error = 4,
}

impl Level {
    /// The level with value `n`, if any.
    pub fn from_number(n: u32) -> Option<Level> {
        [Level::Debug, Level::Info, Level::Warn, Level::Error]
            .into_iter()
            .find(|l| *l as u32 == n)
    }

    /// The upper-case name, e.g. `"WARN"`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// Receives log lines; called on whichever thread logs (the caller's, or a libovo thread).
pub type Sink = Box<dyn Fn(Level, &str) + Send + Sync>;

static LOGGER: RwLock<Option<Sink>> = RwLock::new(None);
/// The logger's minimum level as a number; 0 when there is no logger (the fast path).
static MIN_LEVEL: AtomicU32 = AtomicU32::new(0);

thread_local! {
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

/// Installs `sink` for lines of `min_level` and above, replacing any logger; `None` removes it.
/// When this returns, the old logger is not running and will not be called again. Fails
/// (changing nothing) when called from inside a logger, which would wait for itself.
pub fn set_logger(min_level: Level, sink: Option<Sink>) -> Result<(), Error> {
    if IN_SINK.with(Cell::get) {
        return Err(Error::new(
            ResultCode::InvalidArgument,
            "callback: the log callback cannot be changed from inside a log callback",
        ));
    }
    let mut logger = LOGGER.write().unwrap_or_else(|e| e.into_inner());
    MIN_LEVEL.store(
        if sink.is_some() { min_level as u32 } else { 0 },
        Ordering::SeqCst,
    );
    *logger = sink;
    Ok(())
}

/// Whether a line of `level` would reach a logger (so it is worth formatting).
pub(crate) fn enabled(level: Level) -> bool {
    let min = MIN_LEVEL.load(Ordering::Relaxed);
    min != 0 && level as u32 >= min
}

/// Hands `line` to the logger, if one wants `level`. A logger that panics is ignored.
pub(crate) fn emit(level: Level, line: &str) {
    // A line logged from inside the logger (it called libovo) is dropped: no recursion.
    if !enabled(level) || IN_SINK.with(Cell::get) {
        return;
    }
    let logger = LOGGER.read().unwrap_or_else(|e| e.into_inner());
    if let Some(sink) = logger.as_ref() {
        IN_SINK.with(|f| f.set(true));
        let _ = catch_unwind(AssertUnwindSafe(|| sink(level, line)));
        IN_SINK.with(|f| f.set(false));
    }
}
