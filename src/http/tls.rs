//! The TLS settings of a client: rustls with webpki's roots, or a CA bundle that replaces them.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};

use crate::config::FIELD_CA_FILE;
use crate::error::Error;

/// A client's TLS configuration, shared by all its connections.
pub(crate) fn config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>, Error> {
    let mut roots = RootCertStore::empty();
    match ca_file {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            for cert in read_ca_file(path)? {
                roots.add(cert).map_err(|e| {
                    Error::invalid(
                        FIELD_CA_FILE,
                        format!("holds an unusable certificate ({e})"),
                    )
                })?;
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid(FIELD_CA_FILE, format!("TLS setup failed ({e})")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    // The path is not quoted back: the caller knows it, and a message must never carry
    // caller text that could hold the secret key (the fuzzer built such a path).
    let pem = std::fs::read(path).map_err(|e| {
        Error::invalid(
            FIELD_CA_FILE,
            format!("cannot read the file ({})", io_reason(&e)),
        )
    })?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::invalid(FIELD_CA_FILE, format!("the file is not valid PEM ({e})")))?;
    if certs.is_empty() {
        return Err(Error::invalid(
            FIELD_CA_FILE,
            "the file holds no PEM certificate",
        ));
    }
    Ok(certs)
}

/// The OS error text without the path (`std::io::Error` never names it, but be explicit).
fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e.kind().to_string(),
    }
}

/// A new TLS session to `host`.
pub(crate) fn connect(config: &Arc<ClientConfig>, host: &str) -> Result<ClientConnection, String> {
    let name =
        ServerName::try_from(host.to_owned()).map_err(|e| format!("bad server name ({e})"))?;
    ClientConnection::new(Arc::clone(config), name).map_err(|e| e.to_string())
}
