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
    if let Err(e) = wait_for_signal() {
        eprintln!("ovo-sandbox: cannot wait for signals: {e}");
    }
    eprintln!("ovo-sandbox: shutting down");
    sandbox.shutdown();
    ExitCode::SUCCESS
}

fn wait_for_signal() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut term = signal(SignalKind::terminate())?;
            let mut int = signal(SignalKind::interrupt())?;
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
            Ok(())
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    })
}
