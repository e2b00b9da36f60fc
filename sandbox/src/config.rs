//! Sandbox configuration.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

/// The client id of DOKU's documentation sample, used by default.
pub const DEFAULT_CLIENT_ID: &str = "MCH-0001-10791114622547";
/// The secret key of DOKU's documentation sample, used by default.
pub const DEFAULT_SECRET_KEY: &str = "SK-9sCrJ1kdYUJAYlsJKlqz";

/// PEM files for HTTPS mode (see [`SandboxConfig::tls`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// The server certificate chain, leaf first, as PEM `CERTIFICATE` blocks.
    pub cert_chain: PathBuf,
    /// The leaf's private key as PEM (PKCS#8, PKCS#1 RSA or SEC1 EC).
    pub key: PathBuf,
}

/// How a [`crate::Sandbox`] is bound and how it behaves.
///
/// `Debug` never shows the secret key.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Address to bind (default `127.0.0.1`).
    pub host: IpAddr,
    /// Port to bind (default `0`: the OS picks one).
    pub port: u16,
    /// The only client id accepted (default: the spec's sample id).
    pub client_id: String,
    /// Shared secret for `security.check_sum` and the `Signature` header (default: the spec's).
    pub secret_key: String,
    /// How long a push is held when nobody acts (default 70 s, like OVO); then `TIMEOUT`/`68`.
    pub hold: Duration,
    /// Delay before the scripted wallets answer on their own (default 2 s).
    pub approve_delay: Duration,
    /// When `true`, a missing `Signature` header is rejected with 401 (default `false`).
    pub require_signature: bool,
    /// When set, serve HTTPS (TLS 1.2/1.3, rustls) with these files instead of plain HTTP
    /// (default `None`). The base URL then names `localhost` for a loopback or unspecified host.
    pub tls: Option<TlsFiles>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            secret_key: DEFAULT_SECRET_KEY.to_owned(),
            hold: Duration::from_secs(70),
            approve_delay: Duration::from_secs(2),
            require_signature: false,
            tls: None,
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field("secret_key", &"<redacted>")
            .field("hold", &self.hold)
            .field("approve_delay", &self.approve_delay)
            .field("require_signature", &self.require_signature)
            .field("tls", &self.tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret() {
        let text = format!("{:?}", SandboxConfig::default());
        assert!(!text.contains(DEFAULT_SECRET_KEY));
        assert!(text.contains("<redacted>"));
        assert!(text.contains(DEFAULT_CLIENT_ID));
    }
}
