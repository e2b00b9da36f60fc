//! `ovo-sandbox` command line: runs the sandbox until SIGINT/SIGTERM.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use ovo_sandbox::Sandbox;

fn main() -> ExitCode {
    let cfg = match cli::parse_args(std::env::args().skip(1)) {
        Ok(cli::Command::Run(cfg)) => cfg,
        Ok(cli::Command::Help) => {
            print!("{}", cli::help());
            return ExitCode::SUCCESS;
        }
        Ok(cli::Command::Version) => {
            println!("ovo-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ovo-sandbox: {e}\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let signals = match Signals::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ovo-sandbox: cannot listen for signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let nofile = ovo_sandbox::raise_nofile_limit();
    let summary = cli::summary(&cfg);
    let sandbox = match Sandbox::start_logging(cfg) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ovo-sandbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", sandbox.base_url());
        let _ = out.flush();
    }
    let base = sandbox.base_url();
    eprintln!(
        "ovo-sandbox {} listening on {base} ({summary})",
        env!("CARGO_PKG_VERSION")
    );
    eprintln!("ovo-sandbox: Payment Simulator page: {base}/simulator/ovo");
    if let Err(e) = nofile {
        eprintln!("ovo-sandbox: could not raise the open-file limit: {e}");
    }
    signals.wait();
    eprintln!("ovo-sandbox: shutting down");
    sandbox.shutdown();
    ExitCode::SUCCESS
}

/// SIGINT/SIGTERM listeners, installed before the base URL is printed so that a signal
/// sent right after it is never missed (nor kills the process with the default action).
struct Signals {
    rt: tokio::runtime::Runtime,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let _inside = rt.enter();
            let term = signal(SignalKind::terminate())?;
            let int = signal(SignalKind::interrupt())?;
            drop(_inside);
            Ok(Signals { rt, term, int })
        }
        #[cfg(not(unix))]
        Ok(Signals { rt })
    }

    /// Blocks until SIGINT or SIGTERM (Ctrl-C elsewhere).
    fn wait(mut self) {
        self.rt.block_on(async {
            #[cfg(unix)]
            tokio::select! {
                _ = self.term.recv() => {}
                _ = self.int.recv() => {}
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
        });
    }
}
