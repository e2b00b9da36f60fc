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
/// Default total timeout: longer than DOKU's 70 s hold.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);
/// Longest total timeout accepted.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// The push-payment path, also the `Request-Target` header.
pub const PAYMENT_PATH: &str = "/ovo-emoney/v1/payment";

/// Field names of the settings in messages.
pub const FIELD_BASE_URL: &str = "base_url";
/// Field name of the connect timeout in messages.
pub const FIELD_CONNECT_TIMEOUT: &str = "connect_timeout";
/// Field name of the total timeout in messages.
pub const FIELD_TIMEOUT: &str = "timeout";
/// Field name of the CA bundle in messages.
pub const FIELD_CA_FILE: &str = "ca_file";
/// Field name of the proxy in messages.
pub const FIELD_PROXY: &str = "proxy";

/// Everything a client can be configured with. `Default` is DOKU's sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Sandbox or production.
    pub environment: Environment,
    /// Overrides the environment's base URL (e.g. the local sandbox), `http(s)://host[:port][/prefix]`.
    pub base_url: Option<String>,
    /// Longest wait to resolve and connect (TLS included). Default 10 s.
    pub connect_timeout: Duration,
    /// Longest wait for the whole call, DOKU's 70 s hold included. Default 90 s; never infinite.
    pub timeout: Duration,
    /// A PEM bundle of CA certificates that replaces the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// Proxy use. Default: from the environment.
    pub proxy: ProxySetting,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            environment: Environment::Sandbox,
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            ca_file: None,
            proxy: ProxySetting::FromEnvironment,
        }
    }
}

impl ClientConfig {
    /// The full payment URL, after checking the base URL.
    pub fn endpoint(&self) -> Result<String, Error> {
        let base = match &self.base_url {
            None => return Ok(format!("{}{PAYMENT_PATH}", self.environment.base_url())),
            Some(base) => base.trim_end_matches('/'),
        };
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| Error::invalid(FIELD_BASE_URL, "must start with http:// or https://"))?;
        let authority = rest.split('/').next().unwrap_or_default();
        check_authority(authority).map_err(|rule| Error::invalid(FIELD_BASE_URL, rule))?;
        if rest.contains(['?', '#', '@']) || !rest.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(Error::invalid(
                FIELD_BASE_URL,
                "must be a plain URL without credentials, query, fragment, spaces or control characters",
            ));
        }
        let url = format!("{base}{PAYMENT_PATH}");
        url.parse::<ureq::http::Uri>()
            .map_err(|e| Error::invalid(FIELD_BASE_URL, format!("is not a valid URL ({e})")))?;
        Ok(url)
    }

    /// Checks a proxy URL's host and port (`[scheme://][user:pass@]host[:port]`).
    pub fn check_proxy_url(url: &str) -> Result<(), Error> {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or_default();
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        check_authority(host_port).map_err(|rule| Error::invalid(FIELD_PROXY, rule))
    }

    /// The path DOKU sees (`Request-Target`): the base URL's prefix plus the payment path.
    pub fn request_target(&self) -> String {
        let base = self.base_url.as_deref().unwrap_or("").trim_end_matches('/');
        let after_scheme = base.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        let prefix = after_scheme
            .find('/')
            .map(|i| &after_scheme[i..])
            .unwrap_or("");
        format!("{prefix}{PAYMENT_PATH}")
    }

    /// Checks both timeouts: connect in 1 ms..=total, total in 1 ms..=600 s.
    pub fn check_timeouts(&self) -> Result<(), Error> {
        if self.timeout.is_zero() || self.timeout > MAX_TIMEOUT {
            return Err(Error::invalid(
                FIELD_TIMEOUT,
                format!(
                    "must be more than 0 and at most {} s",
                    MAX_TIMEOUT.as_secs()
                ),
            ));
        }
        if self.connect_timeout.is_zero() || self.connect_timeout > self.timeout {
            return Err(Error::invalid(
                FIELD_CONNECT_TIMEOUT,
                "must be more than 0 and at most the total timeout",
            ));
        }
        Ok(())
    }
}

/// `host[:port]` or `[v6]:port`: a non-empty host and, when written, a port in 1..=65535.
/// (Parsers elsewhere silently drop an unusable port and connect to port 80 instead.)
fn check_authority(authority: &str) -> Result<(), &'static str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or("has an unclosed [IPv6] host")?;
            (host, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err("must name a host");
    }
    match port.map(str::parse::<u16>) {
        None | Some(Ok(1..)) => Ok(()),
        Some(_) => Err("has a port that is not a number from 1 to 65535"),
    }
}
