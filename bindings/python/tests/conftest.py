"""Fixtures: the local ovo-sandbox (one per session, OS-chosen port) and fake DOKU servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]
SRC = REPO / "bindings" / "python" / "src"

# Use the package from this checkout unless the tests run against an installed one.
if os.environ.get("OVO_TEST_INSTALLED") != "1":
    sys.path.insert(0, str(SRC))

import ovo  # noqa: E402

CLIENT_ID = "MCH-0001-10791114622547"
SECRET_KEY = "SK-9sCrJ1kdYUJAYlsJKlqz"

# Scripted sandbox wallets.
PAY_CASH = "081211111111"
PAY_POINTS = "081522222222"
DECLINE = "081733333333"
NEVER_ANSWERS = "080012341234"
FAIL_NOW = {
    "14": "089900000014",
    "26": "089900000026",
    "56": "089900000056",
    "61": "089900000061",
    "64": "089900000064",
    "65": "089900000065",
    "67": "089900000067",
}
MANUAL = "081299998888"
# Fault wallet: the customer pays, but the push never gets an answer (silent until the hold).
PAYS_SILENTLY = "089800000408"


def sandbox_binary() -> Path:
    explicit = os.environ.get("OVO_SANDBOX")
    path = Path(explicit) if explicit else REPO / "target" / "release" / "ovo-sandbox"
    if not path.is_file():
        pytest.exit(f"ovo-sandbox not found at {path}: run `cargo build --release --workspace`", 2)
    return path


class Sandbox:
    """A running ovo-sandbox process."""

    def __init__(self, *args: str) -> None:
        self.log = open(os.devnull, "wb")
        self.proc = subprocess.Popen(
            [str(sandbox_binary()), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()  # blocks until it listens
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"ovo-sandbox did not print its URL (got {line!r})")
        self.url = line

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log.close()

    def control(self, path: str, body: Optional[dict] = None) -> "tuple[int, dict]":
        """POSTs ``body`` to the control API (GETs ``path`` when ``body`` is None)."""
        req = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


    def stats(self) -> dict:
        """``payment_requests``, ``status_requests`` and ``pending`` so far."""
        return self.control("/simulator/stats")[1]

    def held(self, invoice: str) -> bool:
        """Whether a push of ``invoice`` is held, waiting for the customer."""
        return self.control("/simulator/inquiry", {"invoice_number": invoice})[0] == 200


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this test alone (its counters count only this test's requests), holding
    a push for 60 s."""
    sb = Sandbox("--approve-delay", "0.02", "--hold", "60")
    yield sb
    sb.stop()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox("--approve-delay", "0.05", "--hold", "2")
    yield sb
    sb.stop()


@pytest.fixture(scope="session")
def client(sandbox: Sandbox) -> Iterator[ovo.Client]:
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=sandbox.url, proxy=None, timeout=30) as c:
        yield c


def new_invoice() -> str:
    return "INV-PY-" + uuid.uuid4().hex[:16]


@pytest.fixture
def invoice() -> str:
    return new_invoice()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens (the OS chose the port; it is closed again)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


class FakeDoku:
    """A one-connection-at-a-time HTTP server thread that misbehaves on purpose.

    mode "close": reads the request, then closes the connection without answering.
    mode "500": reads the request, answers HTTP 500 with a non-JSON body.
    mode "hold": reads the request, then waits for ``release`` before answering 500.
    mode "respond": answers what ``respond(request)`` returns (a whole HTTP response).
    """

    def __init__(self, mode: str, respond: Optional[Callable[[bytes], bytes]] = None) -> None:
        self.mode = mode
        self.respond = respond
        self.received = threading.Event()
        self.release = threading.Event()
        self.requests: List[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.requests.append(self._read_request(conn))
                self.received.set()
                if self.mode == "respond" and self.respond is not None:
                    conn.sendall(self.respond(self.requests[-1]))
                if self.mode == "hold":
                    self.release.wait(30)
                if self.mode in ("500", "hold"):
                    body = b"<html>internal error</html>"
                    conn.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n"
                        b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
                    )

    def close(self) -> None:
        self.release.set()
        self.sock.close()


def http_response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    """A whole HTTP/1.1 response that closes the connection."""
    return (
        b"HTTP/1.1 %s\r\nContent-Type: %s\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"
        % (status.encode(), content_type.encode(), len(body), body)
    )


@pytest.fixture
def fake_doku() -> Iterator[Callable[..., FakeDoku]]:
    servers: List[FakeDoku] = []

    def make(mode: str, respond: Optional[Callable[[bytes], bytes]] = None) -> FakeDoku:
        server = FakeDoku(mode, respond)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Polls ``predicate`` (for state that has no event to wait on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


def python_env(env: Optional[dict] = None) -> dict:
    """The environment of a child interpreter that imports ovo from this checkout."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(SRC) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        for k, v in env.items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = v
    return full_env


def run_python(
    code: str, env: Optional[dict] = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter that imports ovo from this checkout."""
    full_env = python_env(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
