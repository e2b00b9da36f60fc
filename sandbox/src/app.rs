//! The state every handler shares: configuration, ledger and request counters.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::config::SandboxConfig;
use crate::ledger::Ledger;

/// Everything the handlers share.
pub struct App {
    /// The configuration (holds the secret: never log or print it).
    pub config: SandboxConfig,
    /// Wallets, held pushes and numbering.
    pub ledger: Ledger,
    /// POSTs that reached the payment endpoint, any outcome.
    pub payment_requests: AtomicU64,
    /// GETs that reached the Check Status endpoint, any outcome.
    pub status_requests: AtomicU64,
    /// Whether to log one line per request to stderr.
    pub log: bool,
    /// Set when the server stops: requests cut off then were not abandoned by a client.
    pub stopping: AtomicBool,
}

impl App {
    /// New state for `config`.
    pub fn new(config: SandboxConfig, log: bool) -> App {
        App {
            ledger: Ledger::new(config.hold, config.approve_delay),
            config,
            payment_requests: AtomicU64::new(0),
            status_requests: AtomicU64::new(0),
            log,
            stopping: AtomicBool::new(false),
        }
    }

    /// Number of payment POSTs seen so far.
    pub fn payment_requests(&self) -> u64 {
        self.payment_requests.load(Ordering::Relaxed)
    }

    /// Number of Check Status GETs answered so far.
    pub fn status_requests(&self) -> u64 {
        self.status_requests.load(Ordering::SeqCst)
    }
}
