"""Every comparison: its sides (libovo first, then its peers) and how one side runs once.

A run returns metrics (name -> number); ``errors`` counts payments that did not end PAID.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import inflight
from .context import Context
from .procs import run_json
from .sandbox import BenchError

Metrics = Dict[str, Any]


@dataclass(frozen=True)
class Experiment:
    """A comparison run once per side per round."""

    name: str
    sides: Tuple[str, ...]
    run: Callable[[Context, str], Metrics]
    #: At most this many rounds (None: every round).
    max_rounds: Optional[Callable[[Context], int]] = None


def _checksum_c(ctx: Context, side: str) -> Metrics:
    out = run_json([ctx.c_program(side, "checksum"), str(ctx.scale.checksum_calls_c)], ctx.log)
    return {"ns_per_call": out["ns_per_call"], "checksum": out["checksum"]}


def _checksum_py(ctx: Context, side: str) -> Metrics:
    argv = ctx.py_program(side, "checksum") + [str(ctx.scale.checksum_calls_py)]
    out = run_json(argv, ctx.log, env=ctx.python_env())
    return {"ns_per_call": out["ns_per_call"], "checksum": out["checksum"]}


def _per_payment(out: Dict[str, Any]) -> Metrics:
    n = max(out["payments"], 1)
    return {"cpu_us": out["cpu_ns"] / n / 1e3, "wall_us": out["wall_ns"] / n / 1e3,
            "errors": float(out["errors"])}


def _sequential_c(host: Optional[str], https: bool) -> Callable[[Context, str], Metrics]:
    def run(ctx: Context, side: str) -> Metrics:
        argv = [ctx.c_program(side, "pay"), ctx.host_url(host, https), str(ctx.scale.payments_c),
                ctx.prefix(), *ctx.ca_args(https)]
        return _per_payment(run_json(argv, ctx.log))
    return run


def _sequential_py(ctx: Context, side: str) -> Metrics:
    argv = ctx.py_program(side, "pay") + [ctx.http.base_url, str(ctx.scale.payments_py),
                                          ctx.prefix()]
    return _per_payment(run_json(argv, ctx.log, env=ctx.python_env()))


def _cold(https: bool) -> Callable[[Context, str], Metrics]:
    """Process start to the first completed payment on a new connection (fork/exec included),
    and that first payment alone; medians over the round's launches."""
    def run(ctx: Context, side: str) -> Metrics:
        starts, firsts, errors = [], [], 0.0
        for _ in range(ctx.scale.cold_launches):
            argv = [ctx.c_program(side, "pay"), ctx.host_url(None, https), "0", ctx.prefix(),
                    *ctx.ca_args(https)]
            spawned = time.time_ns()
            out = run_json(argv, ctx.log)
            starts.append((out["first_done_real_ns"] - spawned) / 1e6)
            firsts.append(out["first_ns"] / 1e6)
            errors += out["errors"]
        return {"start_ms": statistics.median(starts), "first_ms": statistics.median(firsts),
                "errors": errors}
    return run


def _inflight(large: bool) -> Callable[[Context, str], Metrics]:
    def run(ctx: Context, side: str) -> Metrics:
        n = ctx.scale.inflight_large if large else ctx.scale.inflight_small
        return inflight.measure(ctx, side, n)
    return run


def _stripped_bytes(path: Path, scratch: Path) -> int:
    subprocess.run(["strip", "--strip-all", "-o", str(scratch), str(path)], check=True)
    size = scratch.stat().st_size
    scratch.unlink()
    return size


def linked_libraries(binary: str) -> Dict[str, Path]:
    """Shared libraries ``binary`` loads (ldd): soname -> path."""
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libs = {}
    for line in out.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if arrow and rest.startswith("/"):
            libs[name] = Path(rest.split()[0])
    return libs


#: The peer's libraries counted in the size figure (their own dependencies are not counted).
PEER_SIZE_LIBS = ("libcurl", "libssl", "libcrypto")


def _size(ctx: Context, side: str) -> Metrics:
    """Stripped bytes of what a side ships: libovo.so, or the peer's libcurl + libssl +
    libcrypto; also what each links (ldd) and, for the peer, its whole library closure."""
    scratch = ctx.out / "stripped.tmp"
    if side == "libovo":
        lib = ctx.root / "target" / "release" / "libovo.so"
        return {"mb": _stripped_bytes(lib, scratch) / 1e6,
                "links": ", ".join(linked_libraries(str(lib)))}
    libs = linked_libraries(ctx.c_program(side, "pay"))
    files = [p for n, p in libs.items() if n.split(".so")[0] in PEER_SIZE_LIBS]
    if len(files) != len(PEER_SIZE_LIBS):
        raise BenchError(f"ldd of the curl peer shows {sorted(libs)}")
    closure = [p for n, p in libs.items() if not n.startswith(("libc.", "libm.", "libpthread"))]
    return {"mb": sum(_stripped_bytes(f, scratch) for f in files) / 1e6,
            "closure_mb": sum(_stripped_bytes(f, scratch) for f in closure) / 1e6,
            "closure_libs": float(len(closure))}


EXPERIMENTS: List[Experiment] = [
    Experiment("checksum-c", ("libovo", "openssl"), _checksum_c),
    Experiment("checksum-py", ("libovo", "hashlib"), _checksum_py),
    Experiment("seq-http", ("libovo", "curl"), _sequential_c(None, False)),
    Experiment("seq-localhost", ("libovo", "curl"), _sequential_c("localhost", False)),
    Experiment("seq-https", ("libovo", "curl"), _sequential_c(None, True)),
    Experiment("seq-py", ("libovo", "requests"), _sequential_py),
    Experiment("cold-http", ("libovo", "curl"), _cold(False)),
    Experiment("cold-https", ("libovo", "curl"), _cold(True)),
    Experiment("inflight-small", ("libovo", "curl", "curl-poll"), _inflight(False)),
    Experiment("inflight-large", ("libovo", "curl", "curl-poll"), _inflight(True),
               max_rounds=lambda ctx: ctx.scale.inflight_large_rounds),
    Experiment("size", ("libovo", "curl"), _size, max_rounds=lambda ctx: 1),
]


def named(names: List[str]) -> List[Experiment]:
    """The experiments to run (all when ``names`` is empty); unknown names raise."""
    known = {e.name: e for e in EXPERIMENTS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown experiment(s) {unknown}; known: {', '.join(known)}")
    return [e for e in EXPERIMENTS if not names or e.name in names]
