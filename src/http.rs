//! The HTTP exchange with DOKU: one POST, no redirects, no retries, bounded in time and size.

use std::time::Duration;

use ureq::http::Uri;
use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{Connector, DefaultConnector};
use ureq::{Agent, Proxy, ProxyProtocol, Timeout};

use crate::config::{ClientConfig, ProxySetting, FIELD_BASE_URL, FIELD_CA_FILE, FIELD_PROXY};
use crate::error::{Error, ResultCode};
use crate::transport::{self, SendTracker};

/// Largest response body read; anything longer is an unknown outcome.
pub const MAX_BODY_BYTES: u64 = 1_048_576;

/// What came back from one POST.
pub(crate) struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// The body, at most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
}

/// A failed exchange: the error and the HTTP status if one had arrived (else 0).
pub(crate) type Failure = (Error, u16);

/// A connection pool and its settings. Cheap to share across threads.
pub(crate) struct Http {
    agent: Agent,
    endpoint: String,
    timeout: Duration,
}

impl Http {
    /// Builds the agent that POSTs to `endpoint` from checked settings (CA file read and
    /// proxy parsed here).
    pub(crate) fn new(config: &ClientConfig, endpoint: String) -> Result<Http, Error> {
        let uri: Uri = endpoint
            .parse()
            .map_err(|_| Error::invalid(FIELD_BASE_URL, "is not a valid URL"))?;
        let connect = Some(config.connect_timeout);
        let agent_config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_resolve(connect)
            .timeout_connect(connect)
            .timeout_global(Some(config.timeout))
            // A push is ~300 bytes and its answer ~1 KiB; ureq's 128 KiB defaults per
            // connection would cost ~256 MiB for 1,000 payments in flight.
            .input_buffer_size(32 * 1024)
            .output_buffer_size(16 * 1024)
            .max_response_header_size(16 * 1024)
            .user_agent(concat!("libovo/", env!("CARGO_PKG_VERSION")))
            .proxy(proxy(&config.proxy)?)
            .tls_config(tls(config)?)
            .build();
        let connector = DefaultConnector::new().chain(SendTracker::new(&uri));
        Ok(Http {
            agent: Agent::with_parts(agent_config, connector, DefaultResolver::default()),
            endpoint,
            timeout: config.timeout,
        })
    }

    /// The URL payments are POSTed to.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// POSTs `body` once. Errors say whether the request could have reached the server.
    pub(crate) fn post(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<Answer, Failure> {
        transport::reset_sent();
        let mut request = self.agent.post(&self.endpoint);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request
            .send(body)
            .map_err(|e| (self.describe(e, transport::was_sent()), 0))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| (self.describe(e, true), status))?;
        Ok(Answer { status, body })
    }

    fn describe(&self, error: ureq::Error, sent: bool) -> Error {
        let what = match &error {
            ureq::Error::Timeout(Timeout::Connect | Timeout::Resolve) => {
                "timed out connecting to DOKU".to_owned()
            }
            ureq::Error::Timeout(_) => format!(
                "no complete answer within the {} s timeout",
                self.timeout.as_secs_f64()
            ),
            ureq::Error::BodyExceedsLimit(_) => {
                format!("the response body is larger than {MAX_BODY_BYTES} bytes")
            }
            ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
                format!("TLS with DOKU failed: {}", e.get_ref().expect("checked"))
            }
            ureq::Error::Tls(e) => format!("TLS with DOKU failed: {e}"),
            ureq::Error::Rustls(e) => format!("TLS with DOKU failed: {e}"),
            other => other.to_string(),
        };
        if sent {
            Error::new(
                ResultCode::OutcomeUnknown,
                format!(
                    "the request was sent but no usable answer came back: {what}; \
                     check the payment status with DOKU before trying again"
                ),
            )
        } else {
            Error::new(
                ResultCode::NotSent,
                format!("the request was not sent: {what}"),
            )
        }
    }
}

fn proxy(setting: &ProxySetting) -> Result<Option<Proxy>, Error> {
    match setting {
        ProxySetting::FromEnvironment => match Proxy::try_from_env() {
            Some(p) if !matches!(p.protocol(), ProxyProtocol::Http | ProxyProtocol::Https) => {
                Err(Error::invalid(
                    FIELD_PROXY,
                    "the environment names a SOCKS proxy, which is not supported (use an http:// proxy)",
                ))
            }
            from_env => Ok(from_env),
        },
        ProxySetting::None => Ok(None),
        ProxySetting::Url(url) => {
            ClientConfig::check_proxy_url(url)?;
            if url.contains("://") && !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::invalid(FIELD_PROXY, "must be an http:// or https:// proxy URL"));
            }
            Proxy::new(url).map(Some).map_err(|_| {
                Error::invalid(FIELD_PROXY, "is not a valid proxy URL (http://host:port)")
            })
        }
    }
}

fn tls(config: &ClientConfig) -> Result<TlsConfig, Error> {
    let Some(path) = &config.ca_file else {
        return Ok(TlsConfig::default());
    };
    // The path is not quoted back: the caller knows it, and a message must never carry
    // caller text that could hold the secret key (the fuzzer built such a path).
    let pem = std::fs::read(path)
        .map_err(|e| Error::invalid(FIELD_CA_FILE, format!("cannot read the file ({e})")))?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid(
                    FIELD_CA_FILE,
                    format!("the file is not valid PEM ({e})"),
                ))
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid(
            FIELD_CA_FILE,
            "the file holds no PEM certificate",
        ));
    }
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&certs))
        .build())
}
