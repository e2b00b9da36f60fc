//! Client settings and their rules.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;

/// Which DOKU host to talk to (ignored when a base URL is set).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Environment {
    /// `https://api-sandbox.doku.com` (the default).
    #[default]
    Sandbox = 0,
    /// `https://api.doku.com`.
    Production = 1,
}

impl Environment {
    /// The DOKU base URL of this environment.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://api-sandbox.doku.com",
            Environment::Production => "https://api.doku.com",
        }
    }
}

/// How to reach DOKU through a proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// From the environment, read once when the client is created: the first of `ALL_PROXY`,
    /// `HTTPS_PROXY`, `HTTP_PROXY` (or lower case) that parses, for any URL; hosts listed in
    /// `NO_PROXY` go direct (plain names: list `127.0.0.1` itself, no CIDR). SOCKS is refused.
    #[default]
    FromEnvironment,
    /// Connect directly, whatever the environment says.
    None,
    /// Use this proxy URL (`http://host:port`, credentials allowed).
    Url(String),
}

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default total timeout of a push: longer than DOKU's 70 s hold.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);
/// Default total timeout of a status check.
pub const DEFAULT_STATUS_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest total timeout accepted.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest reconcile window accepted.
pub const MAX_RECONCILE_WAIT: Duration = Duration::from_secs(24 * 3600);
/// The push-payment path, also the `Request-Target` header.
pub const PAYMENT_PATH: &str = "/ovo-emoney/v1/payment";
/// The Check Status path, followed by the (percent-encoded) invoice number.
pub const STATUS_PATH: &str = "/orders/v1/status/";

/// Field names of the settings in messages.
pub const FIELD_BASE_URL: &str = "base_url";
/// Field name of the connect timeout in messages.
pub const FIELD_CONNECT_TIMEOUT: &str = "connect_timeout";
/// Field name of the total timeout in messages.
pub const FIELD_TIMEOUT: &str = "timeout";
/// Field name of the status-check timeout in messages.
pub const FIELD_STATUS_TIMEOUT: &str = "status_timeout";
/// Field name of the reconcile setting in messages.
pub const FIELD_RECONCILE: &str = "reconcile";
/// Field name of the CA bundle in messages.
pub const FIELD_CA_FILE: &str = "ca_file";
/// Field name of the proxy in messages.
pub const FIELD_PROXY: &str = "proxy";
/// Field name of the journal in messages.
pub const FIELD_JOURNAL: &str = "journal";

/// Checking the status by itself after a push ended UNKNOWN (see [`ClientConfig::reconcile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reconcile {
    /// Wait before the first status check.
    pub first_delay: Duration,
    /// Stop checking once this much time has passed since the push ended.
    pub max_wait: Duration,
}

/// Everything a client can be configured with. `Default` is DOKU's sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Sandbox or production.
    pub environment: Environment,
    /// Overrides the environment's base URL (e.g. the local sandbox), `http(s)://host[:port][/prefix]`.
    pub base_url: Option<String>,
    /// Longest wait to resolve and connect (TLS and proxy tunnel included). Default 10 s;
    /// never more than the total timeout of the request (it is cut to that).
    pub connect_timeout: Duration,
    /// Longest wait for a whole push, DOKU's 70 s hold included. Default 90 s; never infinite.
    pub timeout: Duration,
    /// Longest wait for a whole status check. Default 30 s.
    pub status_timeout: Duration,
    /// A PEM bundle of CA certificates that replaces the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// Proxy use. Default: from the environment.
    pub proxy: ProxySetting,
    /// After a push ends UNKNOWN, check the status with DOKU by itself. Default: off.
    pub reconcile: Option<Reconcile>,
    /// A SQLite journal file that records every push before it is sent. Default: none.
    pub journal: Option<PathBuf>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            environment: Environment::Sandbox,
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            status_timeout: DEFAULT_STATUS_TIMEOUT,
            ca_file: None,
            proxy: ProxySetting::FromEnvironment,
            reconcile: None,
            journal: None,
        }
    }
}

impl ClientConfig {
    /// The checked base URL (the environment's when none is set).
    pub(crate) fn target(&self) -> Result<crate::http::target::Target, Error> {
        let base = self
            .base_url
            .as_deref()
            .unwrap_or(self.environment.base_url());
        let target = crate::http::parse_target(base)?;
        for path in [PAYMENT_PATH, STATUS_PATH.trim_end_matches('/')] {
            if target.prefix.ends_with(path) {
                return Err(Error::invalid(
                    FIELD_BASE_URL,
                    format!(
                        "must be the base URL only (e.g. https://api.doku.com), not the endpoint: \
                         remove {path:?} from its end (libovo adds the paths itself)"
                    ),
                ));
            }
        }
        Ok(target)
    }

    /// Checks the timeouts and the reconcile window: each more than 0 and at most 600 s
    /// (the connect timeout is cut to the total one), the reconcile delay at most its window.
    pub fn check_timeouts(&self) -> Result<(), Error> {
        for (field, value) in [
            (FIELD_TIMEOUT, self.timeout),
            (FIELD_STATUS_TIMEOUT, self.status_timeout),
            (FIELD_CONNECT_TIMEOUT, self.connect_timeout),
        ] {
            if value.is_zero() || value > MAX_TIMEOUT {
                return Err(Error::invalid(
                    field,
                    format!(
                        "must be more than 0 and at most {} s (there is no infinite timeout)",
                        MAX_TIMEOUT.as_secs()
                    ),
                ));
            }
        }
        if let Some(r) = self.reconcile {
            if r.max_wait.is_zero() || r.max_wait > MAX_RECONCILE_WAIT || r.first_delay > r.max_wait
            {
                return Err(Error::invalid(
                    FIELD_RECONCILE,
                    format!(
                        "max_wait must be more than 0 and at most {} h, and first_delay at most max_wait",
                        MAX_RECONCILE_WAIT.as_secs() / 3600
                    ),
                ));
            }
        }
        Ok(())
    }
}
