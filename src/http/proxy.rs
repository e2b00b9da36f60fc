//! Which HTTP CONNECT proxy, if any, carries the connection to DOKU.

use std::net::IpAddr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use super::target::{split_authority, Target};
use crate::config::{ProxySetting, FIELD_PROXY};
use crate::error::Error;
use crate::validate::is_visible;

/// An HTTP proxy that tunnels to DOKU with `CONNECT`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    /// The proxy's host (no brackets).
    pub host: String,
    /// The proxy's port.
    pub port: u16,
    /// `Proxy-Authorization` value (`Basic ...`) when the URL carried credentials.
    pub authorization: Option<String>,
    /// The environment variable the proxy came from, if any.
    pub named_by: Option<&'static str>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credentials.
        write!(f, "Proxy({})", self.describe())
    }
}

/// Proxy variables in the order they are consulted, for `https://` and for `http://` targets.
const HTTPS_VARS: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_VARS: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

impl Proxy {
    /// The proxy for `target` under `setting` (the environment is read now).
    pub(crate) fn choose(setting: &ProxySetting, target: &Target) -> Result<Option<Proxy>, Error> {
        match setting {
            ProxySetting::None => Ok(None),
            ProxySetting::Url(url) => Proxy::parse(url, None).map(Some),
            ProxySetting::FromEnvironment => {
                Proxy::from_environment(target, |name| std::env::var(name).ok())
            }
        }
    }

    /// The environment's proxy for `target`: loopback hosts and hosts in `NO_PROXY` go direct.
    pub(crate) fn from_environment(
        target: &Target,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Proxy>, Error> {
        if target.is_loopback() {
            return Ok(None);
        }
        let vars = if target.tls { HTTPS_VARS } else { HTTP_VARS };
        let Some((name, url)) = vars.iter().find_map(|&name| {
            var(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (name, v))
        }) else {
            return Ok(None);
        };
        let no_proxy = var("no_proxy")
            .filter(|v| !v.trim().is_empty())
            .or_else(|| var("NO_PROXY"))
            .unwrap_or_default();
        if bypasses(&no_proxy, &target.host) {
            return Ok(None);
        }
        Proxy::parse(url.trim(), Some(name)).map(Some)
    }

    /// Parses `[http://][user[:password]@]host[:port][/]`; the port defaults to 80.
    pub(crate) fn parse(url: &str, named_by: Option<&'static str>) -> Result<Proxy, Error> {
        let origin = match named_by {
            Some(name) => format!(" (from the environment variable {name})"),
            None => String::new(),
        };
        let rule = |rule: &str| Error::invalid(FIELD_PROXY, format!("{rule}{origin}"));
        let rest = match url.split_once("://") {
            None => url,
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "http" => rest,
                "https" => {
                    return Err(rule(
                        "is an https:// proxy, which libovo does not support: use the proxy's \
                         http:// address (the tunnel to DOKU is still TLS)",
                    ))
                }
                s if s.starts_with("socks") => {
                    return Err(rule(
                        "is a SOCKS proxy, which is not supported (use an http:// proxy)",
                    ))
                }
                _ => return Err(rule("must be an http:// proxy URL (http://host:port)")),
            },
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains(['/', '?', '#']) || !rest.bytes().all(is_visible) {
            return Err(rule(
                "must be http://[user:password@]host:port, nothing more",
            ));
        }
        let (credentials, authority) = match rest.rsplit_once('@') {
            Some((c, a)) => (Some(c), a),
            None => (None, rest),
        };
        let (host, port) = split_authority(authority).map_err(|r| rule(&r))?;
        let authorization = credentials.map(|c| {
            let (user, password) = c.split_once(':').unwrap_or((c, ""));
            let pair = format!("{}:{}", percent_decode(user), percent_decode(password));
            format!("Basic {}", BASE64.encode(pair))
        });
        Ok(Proxy {
            host: host.to_owned(),
            port: port.unwrap_or(80),
            authorization,
            named_by,
        })
    }

    /// `the proxy HOST:PORT` and, when it came from the environment, which variable named it.
    pub(crate) fn describe(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        };
        match self.named_by {
            Some(name) => format!("the proxy {host} (from {name})"),
            None => format!("the proxy {host}"),
        }
    }
}

/// Whether `NO_PROXY` (comma or space separated) lists `host`: `*`, the host itself, a parent
/// domain (`example.com` or `.example.com`), an IP address or an IP range (`10.0.0.0/8`).
fn bypasses(no_proxy: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ip: Option<IpAddr> = host.parse().ok();
    no_proxy
        .split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
                return in_range(ip, net, bits);
            }
            let entry = entry
                .strip_prefix('[')
                .map_or(entry, |e| e.split(']').next().unwrap_or(e));
            let entry = match entry.rsplit_once(':') {
                Some((name, port)) if !name.contains(':') && port.parse::<u16>().is_ok() => name,
                _ => entry,
            };
            let entry = entry.trim_start_matches("*.").trim_start_matches('.');
            let entry = entry.trim_end_matches('.').to_ascii_lowercase();
            host == entry || host.ends_with(&format!(".{entry}"))
        })
}

fn in_range(ip: IpAddr, net: &str, bits: &str) -> bool {
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn target(url: &str) -> Target {
        Target::parse(url).unwrap()
    }

    #[test]
    fn environment_follows_the_scheme_and_no_proxy() {
        let vars = [
            ("HTTPS_PROXY", "http://p:3128"),
            ("http_proxy", "http://q:8080"),
        ];
        let https = Proxy::from_environment(&target("https://api.doku.com"), env(&vars)).unwrap();
        assert_eq!(
            https.map(|p| (p.host, p.port, p.named_by)),
            Some(("p".into(), 3128, Some("HTTPS_PROXY")))
        );
        let http = Proxy::from_environment(&target("http://api.doku.com"), env(&vars)).unwrap();
        assert_eq!(http.map(|p| p.host), Some("q".into()));
        let bypass = [
            ("HTTPS_PROXY", "http://p:3128"),
            ("NO_PROXY", "example.com, .doku.com"),
        ];
        assert_eq!(
            Proxy::from_environment(&target("https://api.doku.com"), env(&bypass)).unwrap(),
            None
        );
        for local in [
            "https://127.0.0.1:9",
            "https://localhost:9",
            "https://[::1]:9",
        ] {
            assert_eq!(
                Proxy::from_environment(&target(local), env(&vars)).unwrap(),
                None,
                "{local}"
            );
        }
        let cidr = [("HTTPS_PROXY", "http://p:1"), ("no_proxy", "10.0.0.0/8")];
        assert_eq!(
            Proxy::from_environment(&target("https://10.1.2.3"), env(&cidr)).unwrap(),
            None
        );
        assert!(
            Proxy::from_environment(&target("https://11.1.2.3"), env(&cidr))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn urls_are_checked_and_credentials_never_shown() {
        let p = Proxy::parse("http://user:p%40ss@proxy.lan:3128/", None).unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.lan", 3128));
        assert_eq!(p.authorization.as_deref(), Some("Basic dXNlcjpwQHNz"));
        assert!(!format!("{p:?}").contains("ss"));
        assert_eq!(Proxy::parse("proxy.lan", None).unwrap().port, 80);
        for bad in [
            "socks5://h:1",
            "https://h:1",
            "ftp://h",
            "http://h:0",
            "http://",
            "http://h/x",
        ] {
            let e = Proxy::parse(bad, Some("ALL_PROXY")).unwrap_err();
            assert_eq!(e.field, Some("proxy"), "{bad}");
            assert!(e.message.contains("ALL_PROXY"), "{e}");
        }
    }
}
