"""Payments in flight: KiB per held payment, threads, client CPU and answer-to-callback lag.

The client program (``bench/common/inflight.h`` protocol) sets up and waits; the harness reads
its RSS, lets it submit N held payments, waits until the sandbox holds all N, reads RSS and
threads again, then settles them at a paced rate and compares each settle's send time with
the time the client saw that payment complete (both CLOCK_REALTIME on this machine).
"""

from __future__ import annotations

import subprocess
import time
from typing import Dict, List

from .context import Context
from .procs import append_log, last_json, rss_and_threads
from .sandbox import BenchError


def percentile(values: List[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def measure(ctx: Context, side: str, n: int) -> Dict[str, float]:
    """One in-flight run of ``n`` payments by ``side`` (libovo, curl or curl-poll)."""
    prefix = ctx.prefix()
    times_file = ctx.out / f"inflight-{side}.times"
    argv = [ctx.c_program(side, "inflight"), ctx.http.base_url, str(n), prefix, str(times_file)]
    if side != "libovo":
        argv.append("poll" if side == "curl-poll" else "epoll")
    # stderr to a file: a pipe nobody reads could fill up and stall the client.
    stderr_file = ctx.out / f"inflight-{side}.stderr"
    with open(stderr_file, "wb") as stderr:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=stderr)
    assert proc.stdin and proc.stdout
    try:
        if b"ready" not in proc.stdout.readline():
            raise BenchError(f"{side} in-flight program did not get ready")
        base_rss, _ = rss_and_threads(proc.pid)
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
        c0 = time.monotonic()
        ctx.http.wait_pending(n, timeout_s=120, alive=lambda: proc.poll() is None)
        submit_s = time.monotonic() - c0
        rss, threads = rss_and_threads(proc.pid)
        invoices = [f"{prefix}-{i}" for i in range(n)]
        settled = ctx.http.settle(invoices, ctx.scale.settle_rate)
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        append_log(ctx.log, f"inflight {side}", stderr_file.read_bytes())
    if proc.returncode != 0:
        raise BenchError(f"{side} in-flight program exited {proc.returncode}")
    summary = last_json(out, f"{side} inflight")
    completed = [int(t) for t in times_file.read_text().split()]
    lags = [(c - s) / 1e6 for c, s in zip(completed, settled) if c > 0]
    if len(completed) != n or not lags:
        raise BenchError(f"{side} reported {len(lags)} completions of {n}")
    return {
        "kib_per_payment": (rss - base_rss) / n,
        "threads": float(threads),
        "cpu_s": summary["cpu_ns"] / 1e9,
        "lag_p50_ms": percentile(lags, 50),
        "lag_p99_ms": percentile(lags, 99),
        "submit_s": submit_s,
        "errors": float(summary["errors"] + (n - len(lags))),
    }
