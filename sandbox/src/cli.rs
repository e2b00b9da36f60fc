//! Command-line flags, `--help` and the start-up summary of `ovo-sandbox`.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use ovo_sandbox::wallets::{self, Behaviour, GENERIC_ACCOUNT_NAME, OPENING_CASH, OPENING_POINTS};
use ovo_sandbox::{SandboxConfig, TlsFiles, DEFAULT_CLIENT_ID};

/// One-line usage, printed after an argument error.
pub const USAGE: &str = "usage: ovo-sandbox [--host 127.0.0.1] [--port 0] [--hold SECS] \
[--approve-delay SECS] [--client-id ID] [--secret-key KEY | --secret-key-file PATH] \
[--require-signature] [--tls-cert CHAIN.pem --tls-key KEY.pem] (--help for more)";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Serve with this configuration.
    Run(SandboxConfig),
    /// Print `--help`.
    Help,
    /// Print the version.
    Version,
}

const FLAGS_WITH_VALUE: [&str; 9] = [
    "--host",
    "--port",
    "--hold",
    "--approve-delay",
    "--client-id",
    "--secret-key",
    "--secret-key-file",
    "--tls-cert",
    "--tls-key",
];

/// Parses the arguments (without the program name). Errors never echo a secret value.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut cfg = SandboxConfig::default();
    let (mut tls_cert, mut tls_key) = (None::<PathBuf>, None::<PathBuf>);
    let mut secret_given = false;
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--require-signature" => {
                cfg.require_signature = true;
                continue;
            }
            _ => {}
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        if !FLAGS_WITH_VALUE.contains(&name.as_str()) {
            return Err(format!("unknown argument {name:?}"));
        }
        // Never echo a value back: it may be the secret key.
        let value = inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("{name} needs a value"))?;
        if name.starts_with("--secret-key") {
            if secret_given {
                return Err("give the secret key once: --secret-key or --secret-key-file".into());
            }
            secret_given = true;
        }
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
            "--client-id" if value.is_empty() => return Err("--client-id must not be empty".into()),
            "--client-id" => cfg.client_id = value,
            "--tls-cert" => tls_cert = Some(PathBuf::from(value)),
            "--tls-key" => tls_key = Some(PathBuf::from(value)),
            "--secret-key-file" => cfg.secret_key = read_secret_file(&value)?,
            _ if value.is_empty() => return Err("--secret-key must not be empty".into()),
            _ => cfg.secret_key = value,
        }
    }
    cfg.tls = match (tls_cert, tls_key) {
        (None, None) => None,
        (Some(cert_chain), Some(key)) => Some(TlsFiles { cert_chain, key }),
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    Ok(Command::Run(cfg))
}

fn secs(flag: &str, v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{flag}: expected a non-negative number of seconds, got {v:?}"))
}

/// The secret from a file: its content without the trailing line break(s).
/// Messages name neither the path nor the content (either could be the secret).
fn read_secret_file(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--secret-key-file: cannot read the file: {}", e.kind()))?;
    let secret = text.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err("--secret-key-file: the file is empty".into());
    }
    if secret.contains(['\r', '\n']) {
        return Err("--secret-key-file: the file must hold the key on one line".into());
    }
    Ok(secret.to_owned())
}

/// One line about the configuration for the start-up log (never the secret).
pub fn summary(cfg: &SandboxConfig) -> String {
    format!(
        "client id {}, hold {} s, approve delay {} s, signature {}{}",
        cfg.client_id,
        cfg.hold.as_secs_f64(),
        cfg.approve_delay.as_secs_f64(),
        if cfg.require_signature {
            "required"
        } else {
            "checked when present"
        },
        if cfg.tls.is_some() { ", HTTPS" } else { "" },
    )
}

/// The `--help` text: every flag with its default, the wallets and the API in short.
pub fn help() -> String {
    let d = SandboxConfig::default();
    let mut h = format!(
        "ovo-sandbox {}: a local stand-in for DOKU's (Jokul) OVO push payment and its Payment
Simulator, for rehearsing POS flows without a DOKU account. Loopback test tool only.

Usage: ovo-sandbox [OPTIONS]

Options [default]:
  --host ADDR             address to bind [{}]
  --port PORT             port to bind; 0 lets the OS choose [{}]
  --hold SECS             how long a push is held before TIMEOUT/68 [{}]
  --approve-delay SECS    delay before scripted wallets answer on their own [{}]
  --client-id ID          the only client id accepted [{DEFAULT_CLIENT_ID}]
  --secret-key KEY        shared secret for check_sum and Signature [DOKU's documented
                          sample key]; visible in `ps`: prefer --secret-key-file
  --secret-key-file PATH  read the secret key from a file (one line) [not set]
  --require-signature     reject pushes without a Signature header [off: checked when sent]
  --tls-cert CHAIN.pem    serve HTTPS with this PEM chain, leaf first (needs --tls-key) [HTTP]
  --tls-key KEY.pem       the PEM private key of --tls-cert [not set]
  -h, --help              print this help
  -V, --version           print the version

Output: the first stdout line is the base URL (e.g. http://127.0.0.1:41234); one line per
request, with a UTC timestamp, goes to stderr. The secret key is never printed.
SIGINT/SIGTERM stop the sandbox.

Test wallets (ovo_info.ovo_id). Registered wallets open with OVO Cash {OPENING_CASH} and
OVO Points {OPENING_POINTS}; a balance too small for the amount gives FAILED 65.
",
        env!("CARGO_PKG_VERSION"),
        d.host,
        d.port,
        d.hold.as_secs_f64(),
        d.approve_delay.as_secs_f64(),
    );
    for w in wallets::SCRIPTED {
        let name = if w.account_name.is_empty() {
            "(unregistered)"
        } else {
            w.account_name
        };
        let _ = writeln!(h, "  {}  {name:<15} {}", w.ovo_id, w.behaviour.describe());
    }
    let _ = writeln!(
        h,
        "  any other     {GENERIC_ACCOUNT_NAME:<15} {}",
        Behaviour::Manual.describe()
    );
    h.push_str(
        "
DOKU API:
  POST /ovo-emoney/v1/payment          push payment; the answer waits up to --hold
  GET  /orders/v1/status/{invoice}     Check Status (signed GET); PENDING, SUCCESS, FAILED,
                                       TIMEOUT; a push whose client hung up stays payable
Payment Simulator (no signature; the page at / uses it):
  GET  /                               the page (303 to /simulator/ovo)
  POST /simulator/inquiry              {\"invoice_number\"}: the held push's details
  POST /simulator/pay                  {\"invoice_number\",\"method\":\"cash\"|\"points\"}
  POST /simulator/decline              {\"invoice_number\"}: FAILED 17
  GET  /simulator/pending              held pushes with seconds_left, soonest first
  GET  /simulator/payments?limit=N     finished pushes with the exact answer, newest first
  GET  /simulator/wallets              wallets with balances
  GET  /simulator/status/{invoice}     the Check Status answer, unsigned
  GET  /simulator/stats                request counters
  GET  /simulator/changes?since=N      long poll: returns once anything changed
",
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Command, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn secret_key_once() {
        let e = args(&["--secret-key", "A", "--secret-key-file", "/x"]).unwrap_err();
        assert!(e.contains("once"), "{e}");
        assert!(!e.contains("A\""), "{e}");
    }

    #[test]
    fn help_lists_every_flag_and_wallet() {
        let h = help();
        for flag in FLAGS_WITH_VALUE {
            assert!(h.contains(flag), "{flag}");
        }
        for w in wallets::SCRIPTED {
            assert!(h.contains(w.ovo_id), "{}", w.ovo_id);
        }
        assert!(!h.contains(ovo_sandbox::DEFAULT_SECRET_KEY));
    }
}
