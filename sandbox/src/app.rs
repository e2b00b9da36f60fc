//! The state every handler shares: configuration, ledger, counters and the request log.

use std::sync::atomic::{AtomicU64, Ordering};

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
    /// Whether to log one line per request to stderr.
    pub log: bool,
}

impl App {
    /// New state for `config`.
    pub fn new(config: SandboxConfig, log: bool) -> App {
        App {
            ledger: Ledger::new(config.hold, config.approve_delay),
            config,
            payment_requests: AtomicU64::new(0),
            log,
        }
    }

    /// Number of payment POSTs seen so far.
    pub fn payment_requests(&self) -> u64 {
        self.payment_requests.load(Ordering::Relaxed)
    }

    /// Logs `METHOD PATH invoice=... -> outcome` to stderr when logging is on.
    pub fn log_line(&self, method: &str, path: &str, invoice: Option<&str>, outcome: &str) {
        if self.log {
            let invoice = invoice.map_or_else(|| "-".to_owned(), printable);
            eprintln!("{method} {path} invoice={invoice} -> {outcome}");
        }
    }
}

/// `text` cut to 64 printable ASCII characters (others replaced), safe for a log line.
fn printable(text: &str) -> String {
    text.chars()
        .take(64)
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}
