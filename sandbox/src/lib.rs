//! `ovo-sandbox`: a local stand-in for DOKU's (Jokul) OVO push-payment sandbox.
//!
//! It serves `POST /ovo-emoney/v1/payment` the way DOKU does (checksum, optional header
//! signature, a request held until the simulated customer acts or the hold passes) plus a
//! control API under `/simulator/` that plays DOKU's Payment Simulator, over plain HTTP or,
//! with [`SandboxConfig::tls`], over HTTPS. See `README.md`.

#![warn(missing_docs)]

pub mod app;
pub mod clock;
pub mod config;
pub mod control;
pub mod error;
pub mod hold;
pub mod ledger;
pub mod limits;
pub mod listing;
pub mod log;
pub mod page;
pub mod payment;
pub mod response;
pub mod router;
pub mod serve;
pub mod status;
pub mod tls;
pub mod validate;
pub mod wallets;

use std::io;
use std::net::SocketAddr;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

pub use config::{SandboxConfig, TlsFiles, DEFAULT_CLIENT_ID, DEFAULT_SECRET_KEY};
pub use ledger::{Action, ControlError, PendingInfo, TransactionStatus};
pub use limits::raise_nofile_limit;
pub use validate::{
    get_signature, header_signature, request_checksum, PAYMENT_PATH, STATUS_PATH_PREFIX,
};
pub use wallets::{Fault, PayMethod, Wallet};

/// Listen backlog, large enough for 1,000+ simultaneous connects.
const BACKLOG: u32 = 4096;

/// A running sandbox server with its own tokio runtime on a background thread.
///
/// Dropping it stops the server (held pushes are cut off) and joins the thread.
pub struct Sandbox {
    base_url: String,
    addr: SocketAddr,
    app: Arc<app::App>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds, starts serving on a background thread and returns once listening.
    ///
    /// With [`SandboxConfig::tls`] set, the certificate chain and key are read first; an
    /// unreadable or unusable file is an error here (`InvalidData` for bad content).
    ///
    /// Quiet unless the environment variable `OVO_SANDBOX_LOG` is set to a non-empty value.
    /// Also raises the soft `RLIMIT_NOFILE` to the hard limit (best effort).
    pub fn start(config: SandboxConfig) -> io::Result<Sandbox> {
        let log = std::env::var_os("OVO_SANDBOX_LOG").is_some_and(|v| !v.is_empty());
        Sandbox::launch(config, log)
    }

    /// Like [`Sandbox::start`], but logs one line per request to stderr.
    pub fn start_logging(config: SandboxConfig) -> io::Result<Sandbox> {
        Sandbox::launch(config, true)
    }

    fn launch(config: SandboxConfig, log: bool) -> io::Result<Sandbox> {
        let _ = limits::raise_nofile_limit();
        let addr = SocketAddr::new(config.host, config.port);
        let tls_config = config.tls.as_ref().map(tls::server_config).transpose()?;
        let https = tls_config.is_some();
        let app = Arc::new(app::App::new(config, log));
        let router = router::router(Arc::clone(&app));
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<SocketAddr>>();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("ovo-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("ovo-sandbox-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let listener = match bind(addr) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(listener.local_addr());
                    tokio::select! {
                        r = serve::serve(listener, router, tls_config) => {
                            if let Err(e) = r {
                                eprintln!("ovo-sandbox: server error: {e}");
                            }
                        }
                        _ = stop_rx => {}
                    }
                });
                // Cuts off held requests and open connections.
                rt.shutdown_timeout(Duration::from_secs(2));
            })?;
        let addr = match ready_rx.recv() {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other("sandbox thread died while starting"));
            }
        };
        Ok(Sandbox {
            base_url: base_url(addr, https),
            addr,
            app,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`; in HTTPS mode
    /// `https://localhost:41234` when bound to a loopback or unspecified address (so a
    /// certificate for `localhost` matches), else `https://ADDR:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many POSTs reached `/ovo-emoney/v1/payment` (any outcome, including rejected ones).
    pub fn payment_requests(&self) -> u64 {
        self.app.payment_requests()
    }

    /// How many GETs to `/orders/v1/status/{invoice}` were answered (any outcome, including
    /// rejected ones), each counted once its answer is decided. The page's unsigned
    /// `/simulator/status/` lookups are not counted.
    pub fn status_requests(&self) -> u64 {
        self.app.status_requests()
    }

    /// Number of pushes currently held.
    pub fn pending(&self) -> usize {
        self.app.ledger.pending_count()
    }

    /// The held pushes, soonest deadline first (like `GET /simulator/pending`).
    pub fn held(&self) -> Vec<PendingInfo> {
        self.app.ledger.held()
    }

    /// What the Check Status API says about `invoice` (its first accepted push), if known.
    pub fn status(&self, invoice: &str) -> Option<TransactionStatus> {
        self.app.ledger.status(invoice)
    }

    /// Details of the held push `invoice` (like `POST /simulator/inquiry`).
    pub fn inquiry(&self, invoice: &str) -> Result<PendingInfo, ControlError> {
        self.app.ledger.inquiry(invoice)
    }

    /// The customer pays the held push `invoice`; returns DOKU's JSON body for the outcome
    /// (what the push is answered with; for a fault wallet, what it would have been).
    pub fn pay(&self, invoice: &str, method: PayMethod) -> Result<serde_json::Value, ControlError> {
        control::settle(&self.app, invoice, Action::Pay(method))
    }

    /// The customer declines the held push `invoice` (`FAILED`/`17`).
    pub fn decline(&self, invoice: &str) -> Result<serde_json::Value, ControlError> {
        control::settle(&self.app, invoice, Action::Decline)
    }

    /// Current state of a wallet, if the sandbox knows the number.
    pub fn wallet(&self, ovo_id: &str) -> Option<Wallet> {
        self.app.ledger.wallet(ovo_id)
    }

    /// Stops the server and joins its thread (dropping does the same).
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.app
            .stopping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("config", &self.app.config)
            .finish_non_exhaustive()
    }
}

fn base_url(addr: SocketAddr, https: bool) -> String {
    if !https {
        format!("http://{addr}")
    } else if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        format!("https://localhost:{}", addr.port())
    } else {
        format!("https://{addr}")
    }
}

fn bind(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}
