"""What every experiment needs: paths, the scale of the run, the sandboxes, fresh invoices."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from .sandbox import Sandbox
from .tls import TlsFiles


@dataclass(frozen=True)
class Scale:
    """How much work one side does per round."""

    rounds: int
    checksum_calls_c: int
    checksum_calls_py: int
    payments_c: int
    payments_py: int
    cold_launches: int
    inflight_small: int
    inflight_large: int
    #: Rounds of the large in-flight comparison (the slowest); at most ``rounds``.
    inflight_large_rounds: int
    #: Settles per second sent by the harness in the in-flight comparisons.
    settle_rate: float


FULL = Scale(rounds=7, checksum_calls_c=2_000_000, checksum_calls_py=200_000, payments_c=1500,
             payments_py=600, cold_launches=10, inflight_small=1000, inflight_large=10_000,
             inflight_large_rounds=3, settle_rate=2000.0)
SMOKE = Scale(rounds=1, checksum_calls_c=20_000, checksum_calls_py=2_000, payments_c=20,
              payments_py=20, cold_launches=1, inflight_small=20, inflight_large=50,
              inflight_large_rounds=1, settle_rate=2000.0)


@dataclass
class Context:
    """Paths and live resources of one bench run."""

    root: Path
    out: Path
    scale: Scale
    python: Path
    http: Sandbox
    https: Sandbox
    tls: TlsFiles
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def bin(self) -> Path:
        """The compiled C programs."""
        return self.out / "bin"

    @property
    def log(self) -> Path:
        """Where the programs' stderr goes."""
        return self.out / "programs.log"

    def prefix(self) -> str:
        """A fresh invoice prefix (the sandbox answers a reused invoice FAILED)."""
        return f"B{next(self._ids)}"

    def python_env(self) -> Dict[str, str]:
        """Environment for the Python programs: the binding from the source tree, this build's
        libovo, no proxy from the environment."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["PYTHONPATH"] = str(self.root / "bindings" / "python" / "src")
        env["OVO_LIBRARY"] = str(self.root / "target" / "release" / "libovo.so")
        return env

    def c_program(self, side: str, name: str) -> str:
        """A C program of a side: ``bin/ovo-NAME`` for libovo, ``bin/peer-NAME`` otherwise."""
        return str(self.bin / (f"ovo-{name}" if side == "libovo" else f"peer-{name}"))

    def py_program(self, side: str, name: str) -> List[str]:
        """A Python program of a side (``bench/libovo/NAME.py`` or ``bench/peers/NAME.py``)."""
        folder = "libovo" if side == "libovo" else "peers"
        return [str(self.python), str(self.root / "bench" / folder / f"{name}.py")]

    def ca_args(self, https: bool) -> List[str]:
        """The CA file argument of a payment program, for HTTPS."""
        return [str(self.tls.ca)] if https else []

    def sandbox(self, https: bool) -> Sandbox:
        """The HTTP or the HTTPS sandbox."""
        return self.https if https else self.http

    def host_url(self, host: Optional[str], https: bool) -> str:
        """The sandbox's base URL, with its host replaced by ``host`` when given."""
        url = self.sandbox(https).base_url
        if host:
            scheme, _, rest = url.partition("://")
            url = f"{scheme}://{host}:{rest.rsplit(':', 1)[1]}"
        return url
