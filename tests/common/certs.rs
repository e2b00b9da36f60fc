//! A throw-away PKI made with the `openssl` CLI: a CA and server certificates signed by it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::scratch::TempDir;

/// A certificate (PEM) and its private key (PEM, PKCS#8).
pub struct CertPair {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl CertPair {
    /// The sandbox's TLS setting for this pair.
    pub fn sandbox_files(&self) -> ovo_sandbox::TlsFiles {
        ovo_sandbox::TlsFiles {
            cert_chain: self.cert.clone(),
            key: self.key.clone(),
        }
    }
}

/// A local CA and three server certificates it signed (EC P-256 keys).
pub struct Pki {
    /// The CA certificate, PEM: the `ca_file` that makes the others trusted.
    pub ca: PathBuf,
    /// Valid now, for `DNS:localhost` and `IP:127.0.0.1`.
    pub localhost: CertPair,
    /// Valid now, for `DNS:other.test` only.
    pub other_host: CertPair,
    /// For `DNS:localhost` and `IP:127.0.0.1`, but valid only on 2020-01-01.
    pub expired: CertPair,
    /// Holds every file; removed on drop.
    pub dir: TempDir,
}

const CONFIG: &str = "\
[req]
distinguished_name = dn
prompt = no

[dn]
CN = libovo test CA

[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[ca]
default_ca = test_ca

[test_ca]
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = any_name
unique_subject = no
copy_extensions = none

[any_name]
commonName = supplied

[localhost_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1

[other_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.test
";

impl Pki {
    /// Makes the CA and the certificates in a fresh temp dir (a few `openssl` runs).
    pub fn create() -> Pki {
        let dir = TempDir::new("pki");
        let d = dir.path();
        std::fs::write(d.join("openssl.cnf"), CONFIG).unwrap();
        std::fs::write(d.join("index.txt"), "").unwrap();
        std::fs::write(d.join("serial"), "1000\n").unwrap();
        std::fs::create_dir(d.join("issued")).unwrap();
        openssl(
            d,
            &format!("req -x509 -config openssl.cnf -extensions ca_ext {NEW_KEY} -keyout ca.key -out ca.pem -days 2"),
        );
        let localhost = issue(d, "localhost", "localhost_ext", None);
        let other_host = issue(d, "other", "other_ext", None);
        let expired = issue(
            d,
            "expired",
            "localhost_ext",
            Some(("20200101000000Z", "20200102000000Z")),
        );
        Pki {
            ca: d.join("ca.pem"),
            localhost,
            other_host,
            expired,
            dir,
        }
    }
}

/// A key and CSR for `name`, signed by the CA with extensions `section`, valid for two days
/// from now or over `dates` (start, end as `YYYYMMDDHHMMSSZ`).
fn issue(dir: &Path, name: &str, section: &str, dates: Option<(&str, &str)>) -> CertPair {
    openssl(
        dir,
        &format!("req -new -config openssl.cnf -subj /CN={name} {NEW_KEY} -keyout {name}.key -out {name}.csr"),
    );
    let validity = match dates {
        Some((start, end)) => format!("-startdate {start} -enddate {end}"),
        None => "-days 2".to_owned(),
    };
    openssl(
        dir,
        &format!("ca -batch -notext -config openssl.cnf -extensions {section} -cert ca.pem -keyfile ca.key -in {name}.csr -out {name}.pem {validity}"),
    );
    CertPair {
        cert: dir.join(format!("{name}.pem")),
        key: dir.join(format!("{name}.key")),
    }
}

/// A new unencrypted EC P-256 key (`req` options).
const NEW_KEY: &str = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

/// Runs `openssl` with the whitespace-separated `args` in `dir`; panics with its output
/// unless it succeeds.
pub fn openssl(dir: &Path, args: &str) {
    let args: Vec<&str> = args.split_whitespace().collect();
    let out = Command::new("openssl")
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the openssl CLI ({e}): apt-get install openssl"));
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
