"""The figures: which metric of which comparison, its peer, its target, and the medians and
ratio (libovo / peer: below 1 libovo is better, for every figure) of one run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .context import Scale

#: results[experiment][side] = one metrics dict per round.
Results = Dict[str, Dict[str, List[Dict[str, Any]]]]


@dataclass(frozen=True)
class Target:
    """A goal for libovo: ratio to the peer at most ``limit``, or (absolute) value at most it."""

    limit: float
    absolute: bool = False
    keep: bool = False

    def text(self, unit: str) -> str:
        """How the target reads in the table."""
        if self.absolute:
            return f"≤ {self.limit:g} {unit}"
        return f"≤ {self.limit:g}x" + (" (keep)" if self.keep else "")

    def met(self, value: float, ratio: Optional[float]) -> Optional[bool]:
        """Whether a figure meets the target (None when it cannot be told)."""
        if self.absolute:
            return value <= self.limit
        return None if ratio is None else ratio <= self.limit


@dataclass(frozen=True)
class Figure:
    """One row of the results: libovo's median against its peer's (or derived, no peer)."""

    key: str
    label: str
    unit: str
    experiment: str
    metric: str
    peer: Optional[str]
    peer_label: str
    target: Optional[Target] = None


PEERS = {
    "openssl": "bare OpenSSL SHA-256 + hex",
    "hashlib": "hashlib.sha256 + hexdigest",
    "curl": "libcurl + OpenSSL + cJSON",
    "requests": "requests + hashlib + hmac",
    "curl-multi": "libcurl multi + epoll, one thread",
    "curl-poll": "libcurl multi, poll loop, one thread",
    "size": "libcurl + libssl + libcrypto",
}


def figures(scale: Scale) -> List[Figure]:
    """Every figure of a run at ``scale``, in table order."""
    rows = [
        Figure("checksum_c", "checksum from C", "ns/call", "checksum-c", "ns_per_call", "openssl",
               PEERS["openssl"], Target(1.5)),
        Figure("checksum_py", "checksum from Python", "ns/call", "checksum-py", "ns_per_call",
               "hashlib", PEERS["hashlib"], Target(2.0)),
    ]
    for exp, how in (("seq-http", "HTTP, 127.0.0.1"), ("seq-localhost", "HTTP, host localhost"),
                     ("seq-https", "HTTPS, host localhost")):
        key = exp.replace("-", "_")
        rows += [
            Figure(f"{key}_cpu", f"sequential payment from C, client CPU ({how})", "µs", exp,
                   "cpu_us", "curl", PEERS["curl"], Target(1.0)),
            Figure(f"{key}_wall", f"sequential payment from C, wall ({how})", "µs", exp,
                   "wall_us", "curl", PEERS["curl"]),
        ]
    rows += [
        Figure("seq_py_cpu", "Python payment, client CPU (HTTP)", "µs", "seq-py", "cpu_us",
               "requests", PEERS["requests"], Target(1.0, keep=True)),
        Figure("seq_py_wall", "Python payment, wall (HTTP)", "µs", "seq-py", "wall_us",
               "requests", PEERS["requests"]),
        Figure("py_binding_overhead", "Python binding's own CPU per payment (Python − C)", "µs",
               "seq-py", "cpu_us", None, "libovo from C, same round", Target(50, absolute=True)),
    ]
    for exp, how in (("cold-http", "HTTP"), ("cold-https", "HTTPS")):
        key = exp.replace("-", "_")
        rows += [
            Figure(f"{key}_start", f"cold start: exec to first payment done ({how})", "ms", exp,
                   "start_ms", "curl", PEERS["curl"], Target(1.0, keep=True)),
            Figure(f"{key}_first", f"first payment on a new connection ({how})", "ms", exp,
                   "first_ms", "curl", PEERS["curl"], Target(1.0, keep=True)),
        ]
    for exp, n in (("inflight-small", scale.inflight_small),
                   ("inflight-large", scale.inflight_large)):
        key, at = exp.replace("-", "_"), f"{n:,} in flight"
        large = exp == "inflight-large"
        rows += [
            Figure(f"{key}_kib", f"memory per in-flight payment, {at}", "KiB", exp,
                   "kib_per_payment", "curl", PEERS["curl-multi"],
                   Target(32, absolute=True) if large else None),
            Figure(f"{key}_threads", f"threads, {at}", "", exp, "threads", "curl",
                   PEERS["curl-multi"]),
            Figure(f"{key}_cpu", f"client CPU, {at}", "s", exp, "cpu_s", "curl",
                   PEERS["curl-multi"], Target(1.0) if large else None),
            Figure(f"{key}_lag_p50", f"answer-to-callback lag p50, {at}", "ms", exp,
                   "lag_p50_ms", "curl", PEERS["curl-multi"]),
            Figure(f"{key}_lag_p99", f"answer-to-callback lag p99, {at}", "ms", exp,
                   "lag_p99_ms", "curl", PEERS["curl-multi"],
                   Target(10, absolute=True) if large else None),
            Figure(f"{key}_cpu_poll", f"client CPU, {at}, vs poll loop", "s", exp, "cpu_s",
                   "curl-poll", PEERS["curl-poll"]),
            Figure(f"{key}_lag_p99_poll", f"answer-to-callback lag p99, {at}, vs poll loop", "ms",
                   exp, "lag_p99_ms", "curl-poll", PEERS["curl-poll"]),
        ]
    rows.append(Figure("size", "stripped size of the shared libraries", "MB", "size", "mb", "curl",
                       PEERS["size"], Target(1.0, keep=True)))
    return rows


def _median(runs: List[Dict[str, Any]], metric: str) -> Optional[float]:
    values = [r[metric] for r in runs if metric in r]
    return statistics.median(values) if values else None


def _binding_overhead(results: Results) -> List[float]:
    """Per round: the Python binding's CPU per payment minus libovo's from C in that round."""
    py = results.get("seq-py", {}).get("libovo", [])
    c = results.get("seq-http", {}).get("libovo", [])
    return [p["cpu_us"] - q["cpu_us"] for p, q in zip(py, c)]


def evaluate(fig: Figure, results: Results) -> Dict[str, Any]:
    """A figure's medians, ratio and target check (None where a value is missing)."""
    sides = results.get(fig.experiment, {})
    if fig.peer is None:
        rounds = _binding_overhead(results)
        value = statistics.median(rounds) if rounds else None
        peer, ratio, peer_rounds = None, None, []
    else:
        value = _median(sides.get("libovo", []), fig.metric)
        peer = _median(sides.get(fig.peer, []), fig.metric)
        ratio = value / peer if value is not None and peer else None
        rounds = [r[fig.metric] for r in sides.get("libovo", [])]
        peer_rounds = [r[fig.metric] for r in sides.get(fig.peer, [])]
    met = fig.target.met(value, ratio) if fig.target and value is not None else None
    return {
        "key": fig.key, "label": fig.label, "unit": fig.unit, "has_peer": fig.peer is not None,
        "libovo": value, "peer": peer,
        "peer_label": fig.peer_label, "ratio": ratio,
        "target": fig.target.text(fig.unit) if fig.target else None, "met": met,
        "target_ratio": fig.target.limit if fig.target and not fig.target.absolute else None,
        "libovo_rounds": rounds, "peer_rounds": peer_rounds,
    }


def missing(row: Dict[str, Any]) -> bool:
    """Whether a figure was not produced (a value, or for a peer figure its ratio, is absent)."""
    return row["libovo"] is None or (row["has_peer"] and row["ratio"] is None)


def notes(results: Results) -> List[str]:
    """Facts that belong beside the table: what each side links."""
    size = results.get("size", {})
    out = []
    for m in size.get("libovo", [])[:1]:
        out.append(f"libovo.so links {m['links']}.")
    for m in size.get("curl", [])[:1]:
        out.append(f"The curl peer loads {m['closure_libs']:.0f} libraries besides libc "
                   f"({m['closure_mb']:.1f} MB stripped), of which libcurl + libssl + libcrypto "
                   f"are counted above.")
    return out
