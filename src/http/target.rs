//! Where requests go: scheme, host, port and path prefix of a base URL.

use std::net::IpAddr;

use crate::validate::is_visible;

/// A checked base URL: `http(s)://host[:port][/prefix]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Whether the connection is TLS (`https`).
    pub tls: bool,
    /// The host name or IP address, without IPv6 brackets.
    pub host: String,
    /// The port (the scheme's default when the URL names none).
    pub port: u16,
    /// Path prefix before the API paths, without a trailing slash (often empty).
    pub prefix: String,
    explicit_port: bool,
}

impl Target {
    /// Parses a base URL; the error is the broken rule, for a message about `base_url`.
    pub(crate) fn parse(base: &str) -> Result<Target, String> {
        let base = base.trim_end_matches('/');
        let (tls, rest) = if let Some(rest) = base.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = base.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err("must start with http:// or https://".into());
        };
        if rest.contains(['?', '#', '@']) || !rest.bytes().all(is_visible) {
            return Err(
                "must be a plain URL without credentials, query, fragment, spaces or \
                        control characters"
                    .into(),
            );
        }
        let (authority, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (host, port) = split_authority(authority)?;
        let explicit_port = port.is_some();
        Ok(Target {
            tls,
            host: host.to_owned(),
            port: port.unwrap_or(if tls { 443 } else { 80 }),
            prefix: prefix.to_owned(),
            explicit_port,
        })
    }

    /// The `Host` header value: the host (bracketed when IPv6) and a port when one was written.
    pub(crate) fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.explicit_port {
            format!("{host}:{}", self.port)
        } else {
            host
        }
    }

    /// `host:port` for `CONNECT` and messages (IPv6 bracketed).
    pub(crate) fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The full URL of `path` (a path after the prefix, starting with `/`).
    pub(crate) fn url(&self, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{}{path}", self.authority(), self.prefix)
    }

    /// The host as an IP address, when it is one.
    fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// Whether the host is a loopback name or address (`localhost`, `127.0.0.0/8`, `::1`).
    pub(crate) fn is_loopback(&self) -> bool {
        match self.ip() {
            Some(ip) => ip.is_loopback(),
            None => {
                let host = self.host.trim_end_matches('.').to_ascii_lowercase();
                host == "localhost" || host.ends_with(".localhost")
            }
        }
    }
}

/// `host[:port]` or `[v6][:port]`: a non-empty host and, when written, a port in 1..=65535.
/// (Parsers elsewhere silently drop an unusable port and connect to port 80 instead.)
pub(crate) fn split_authority(authority: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or("has an unclosed [IPv6] host")?;
            if host.parse::<std::net::Ipv6Addr>().is_err() {
                return Err("has a bracketed host that is not an IPv6 address".into());
            }
            match after {
                "" => (host, None),
                _ => match after.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None => return Err("has text after the [IPv6] host".into()),
                },
            }
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err("must name a host".into());
    }
    if host.contains(':') && !authority.starts_with('[') {
        return Err("must write an IPv6 host in brackets, e.g. http://[::1]:8080".into());
    }
    match port.map(str::parse::<u16>) {
        None => Ok((host, None)),
        Some(Ok(port @ 1..)) => Ok((host, Some(port))),
        Some(_) => Err("has a port that is not a number from 1 to 65535".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_and_prefixes() {
        let t = Target::parse("https://api.doku.com").unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port, t.prefix.as_str()),
            (true, "api.doku.com", 443, "")
        );
        assert_eq!(t.authority(), "api.doku.com");
        let t = Target::parse("http://127.0.0.1:8080/gw/doku/").unwrap();
        assert_eq!((t.port, t.prefix.as_str()), (8080, "/gw/doku"));
        assert_eq!(t.authority(), "127.0.0.1:8080");
        assert_eq!(t.url("/x"), "http://127.0.0.1:8080/gw/doku/x");
        let t = Target::parse("http://[::1]:9").unwrap();
        assert_eq!(
            (t.host.as_str(), t.authority()),
            ("::1", "[::1]:9".to_owned())
        );
        assert!(t.is_loopback());
        assert!(Target::parse("http://localhost:1").unwrap().is_loopback());
        assert!(!Target::parse("https://api.doku.com").unwrap().is_loopback());
    }

    #[test]
    fn refuses_what_would_be_misread() {
        for bad in [
            "ftp://x",
            "http://",
            "http://:80",
            "http://h:0",
            "http://h:99999",
            "http://h:x",
            "http://u:p@h",
            "http://h/?q",
            "http://h/#f",
            "http://h /",
            "http://[::1",
            "http://[zz]:1",
            "http://::1:80",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
