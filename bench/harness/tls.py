"""A throw-away CA and a server certificate for ``localhost``, made with the openssl CLI."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TlsFiles:
    """PEM files: the CA to trust, the server's chain and its key."""

    ca: Path
    chain: Path
    key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_tls(directory: Path) -> TlsFiles:
    """Creates (anew) an EC P-256 CA and a `DNS:localhost, IP:127.0.0.1` server cert."""
    directory.mkdir(parents=True, exist_ok=True)
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", "-x509", *ec, "-days", "2", "-subj", "/CN=bench-ca",
             "-keyout", "ca.key", "-out", "ca.pem", cwd=directory)
    _openssl("req", "-new", *ec, "-subj", "/CN=localhost",
             "-keyout", "key.pem", "-out", "server.csr", cwd=directory)
    (directory / "ext.cnf").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
    )
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "chain.pem",
             cwd=directory)
    return TlsFiles(directory / "ca.pem", directory / "chain.pem", directory / "key.pem")
