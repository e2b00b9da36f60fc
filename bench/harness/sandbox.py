"""One ``ovo-sandbox`` process and its control API (the Payment Simulator)."""

from __future__ import annotations

import http.client
import json
import select
import ssl
import subprocess
import time
from pathlib import Path
from typing import IO, Any, Dict, List, Optional
from urllib.parse import urlsplit

from .tls import TlsFiles

#: Seconds the sandbox holds a push for a held wallet: longer than any settle phase.
HOLD_SECONDS = 300


class BenchError(Exception):
    """A benchmark step could not produce its figure."""


class Sandbox:
    """Starts ``ovo-sandbox --port 0 --approve-delay 0`` (HTTPS with ``tls``) and talks to it."""

    def __init__(self, binary: Path, log: Path, tls: Optional[TlsFiles] = None) -> None:
        argv = [str(binary), "--port", "0", "--approve-delay", "0", "--hold", str(HOLD_SECONDS),
                "--require-signature"]
        if tls:
            argv += ["--tls-cert", str(tls.chain), "--tls-key", str(tls.key)]
        self._log: IO[bytes] = open(log, "wb")
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log)
        self.base_url = self._first_line(deadline=time.monotonic() + 30)
        parts = urlsplit(self.base_url)
        self.port = parts.port or 0
        if tls:
            context = ssl.create_default_context(cafile=str(tls.ca))
            self._conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.port, context=context, timeout=30)
        else:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _first_line(self, deadline: float) -> str:
        assert self._proc.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._proc.stdout], [], [], 0.5)
            if ready:
                line = self._proc.stdout.readline().decode().strip()
                if line:
                    return line
            if self._proc.poll() is not None:
                break
        self.stop()
        raise BenchError("ovo-sandbox did not print its base URL")

    def _call(self, method: str, path: str, body: Optional[Dict[str, str]] = None) -> "tuple[int, Any]":
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        self._conn.request(method, path, body=data, headers=headers)
        response = self._conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def pending(self) -> int:
        """How many pushes the sandbox holds right now."""
        status, stats = self._call("GET", "/simulator/stats")
        if status != 200:
            raise BenchError(f"/simulator/stats answered HTTP {status}")
        return int(stats["pending"])

    def wait_pending(self, n: int, timeout_s: float, alive: Any = None) -> None:
        """Polls until exactly ``n`` pushes are held (``alive()`` false aborts the wait)."""
        deadline = time.monotonic() + timeout_s
        while True:
            held = self.pending()
            if held == n:
                return
            if time.monotonic() > deadline or (alive is not None and not alive()):
                raise BenchError(f"the sandbox holds {held} pushes, waited for {n}")
            time.sleep(0.01)  # a benchmark poll, not a test synchronisation

    def settle(self, invoices: List[str], rate_per_s: float) -> List[int]:
        """Pays each held invoice with cash at a paced rate; returns when each settle was sent
        (CLOCK_REALTIME ns). Raises when the sandbox refuses one."""
        sent: List[int] = []
        start = time.monotonic()
        for i, invoice in enumerate(invoices):
            delay = start + i / rate_per_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing
            sent.append(time.time_ns())
            status, _ = self._call("POST", "/simulator/pay",
                                   {"invoice_number": invoice, "method": "cash"})
            if status != 200:
                raise BenchError(f"/simulator/pay {invoice} answered HTTP {status}")
        return sent

    def stop(self) -> None:
        """Stops the sandbox (SIGTERM, then SIGKILL) and closes the control connection."""
        if getattr(self, "_conn", None):
            self._conn.close()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._log.close()
