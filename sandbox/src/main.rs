//! `ovo-sandbox` command line: runs the sandbox until SIGINT/SIGTERM.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use ovo_sandbox::{Sandbox, SandboxConfig, TlsFiles};

const USAGE: &str = "usage: ovo-sandbox [--host 127.0.0.1] [--port 0] [--hold SECS] \
[--approve-delay SECS] [--client-id ID] [--secret-key KEY] [--require-signature] \
[--tls-cert CHAIN.pem --tls-key KEY.pem]";

fn secs(flag: &str, v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{flag}: expected a non-negative number of seconds, got {v:?}"))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SandboxConfig>, String> {
    let mut cfg = SandboxConfig::default();
    let (mut tls_cert, mut tls_key) = (None::<PathBuf>, None::<PathBuf>);
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        if flag == "--require-signature" {
            cfg.require_signature = true;
            continue;
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        let known = [
            "--host",
            "--port",
            "--hold",
            "--approve-delay",
            "--client-id",
            "--secret-key",
            "--tls-cert",
            "--tls-key",
        ];
        if !known.contains(&name.as_str()) {
            return Err(format!("unknown argument {name:?}"));
        }
        // Never echo a value back: it may be the secret key.
        let value = inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("{name} needs a value"))?;
        match name.as_str() {
            "--host" => {
                cfg.host = value
                    .parse::<IpAddr>()
                    .map_err(|_| format!("--host: not an IP address: {value:?}"))?
            }
            "--port" => {
                cfg.port = value
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {value:?}"))?
            }
            "--hold" => cfg.hold = secs("--hold", &value)?,
            "--approve-delay" => cfg.approve_delay = secs("--approve-delay", &value)?,
            "--client-id" => cfg.client_id = value,
            "--tls-cert" => tls_cert = Some(PathBuf::from(value)),
            "--tls-key" => tls_key = Some(PathBuf::from(value)),
            _ => {
                if value.is_empty() {
                    return Err("--secret-key must not be empty".into());
                }
                cfg.secret_key = value;
            }
        }
    }
    cfg.tls = match (tls_cert, tls_key) {
        (None, None) => None,
        (Some(cert_chain), Some(key)) => Some(TlsFiles { cert_chain, key }),
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    Ok(Some(cfg))
}

fn main() -> ExitCode {
    let cfg = match parse_args(std::env::args().skip(1)) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ovo-sandbox: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match ovo_sandbox::raise_nofile_limit() {
        Ok(n) => eprintln!("ovo-sandbox: open-file limit {n}"),
        Err(e) => eprintln!("ovo-sandbox: could not raise the open-file limit: {e}"),
    }
    eprintln!("ovo-sandbox: {cfg:?}");
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
