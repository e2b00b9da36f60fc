"""``python -m harness``: the bench driver that ``bench/run`` calls after building.

Runs every selected comparison for R rounds, interleaved (each round runs every comparison,
each comparison runs its sides one after the other, the first side rotating per round), and
writes results.md, results.json and bench.png. Exits 1 when a figure is missing or a payment
did not end PAID (never because of a speed).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from . import chart, experiments, figures, report
from .context import FULL, SMOKE, Context
from .sandbox import BenchError, Sandbox
from .tls import make_tls


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    p.add_argument("--rounds", type=int, help="rounds (default 7; 1 with --smoke)")
    p.add_argument("--smoke", action="store_true", help="one small round: every figure, fast")
    p.add_argument("--only", nargs="+", default=[], metavar="NAME",
                   help="comparisons to run: " + ", ".join(e.name for e in experiments.EXPERIMENTS))
    p.add_argument("--root", type=Path, required=True, help="the repository")
    p.add_argument("--python", type=Path, required=True, help="the venv's python")
    return p.parse_args()


def _raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _output(*argv: str) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


def _versions(root: Path) -> Dict[str, str]:
    """What was measured: the commit of libovo and the peers' library versions."""
    dirty = _output("git", "-C", str(root), "status", "--porcelain", "--untracked-files=no")
    return {"commit": _output("git", "-C", str(root), "rev-parse", "--short", "HEAD")
            + ("+changes" if dirty not in ("", "?") else ""),
            "libcurl": _output("curl-config", "--version"), "openssl": _output("openssl", "version"),
            "requests": importlib.metadata.version("requests"), "python": platform.python_version()}


def _machine() -> Dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo")
                if ln.startswith("model name")), platform.processor())
    mem_kib = next(int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release(), "load_before": os.getloadavg()[0]}


def _rotate(sides: Tuple[str, ...], r: int) -> List[str]:
    return list(sides[r % len(sides):] + sides[:r % len(sides)])


def _run_rounds(ctx: Context, selected: List[experiments.Experiment],
                problems: List[str]) -> figures.Results:
    results: figures.Results = {e.name: {s: [] for s in e.sides} for e in selected}
    for r in range(ctx.scale.rounds):
        for exp in selected:
            if exp.max_rounds and r >= min(exp.max_rounds(ctx), ctx.scale.rounds):
                continue
            for side in _rotate(exp.sides, r):
                start = time.monotonic()
                try:
                    metrics = exp.run(ctx, side)
                except (BenchError, OSError) as e:
                    problems.append(f"round {r + 1} {exp.name} {side}: {e}")
                    print(f"  round {r + 1} {exp.name:15} {side:9} FAILED: {e}", flush=True)
                    continue
                if metrics.get("errors"):
                    problems.append(f"round {r + 1} {exp.name} {side}: "
                                    f"{metrics['errors']:.0f} payments not PAID")
                results[exp.name][side].append(metrics)
                shown = ", ".join(f"{k} {v:.4g}" for k, v in metrics.items()
                                  if isinstance(v, float) and k != "errors")
                print(f"  round {r + 1} {exp.name:15} {side:9} {time.monotonic() - start:5.1f} s"
                      f"  {shown}", flush=True)
    return results


def _checksums_agree(results: figures.Results, problems: List[str]) -> None:
    for exp in ("checksum-c", "checksum-py"):
        seen = {m["checksum"] for runs in results.get(exp, {}).values() for m in runs}
        if len(seen) > 1:
            problems.append(f"{exp}: the sides computed different checksums {sorted(seen)}")


def main() -> int:
    args = _args()
    scale = SMOKE if args.smoke else FULL
    if args.rounds:
        scale = scale.__class__(**{**scale.__dict__, "rounds": args.rounds})
    selected = experiments.named(args.only)
    root = args.root.resolve()
    out = root / "target" / "bench"
    (out / "programs.log").write_bytes(b"")
    _raise_nofile()
    machine = _machine()
    began = time.monotonic()
    tls = make_tls(out / "tls")
    binary = root / "target" / "release" / "ovo-sandbox"
    http = Sandbox(binary, out / "sandbox-http.log")
    try:
        https = Sandbox(binary, out / "sandbox-https.log", tls)
    except BaseException:
        http.stop()
        raise
    problems: List[str] = []
    ctx = Context(root=root, out=out, scale=scale, python=args.python, http=http, https=https,
                  tls=tls)
    print(f"bench: {scale.rounds} round(s), sandboxes {http.base_url} and {https.base_url}",
          flush=True)
    try:
        results = _run_rounds(ctx, selected, problems)
    finally:
        http.stop()
        https.stop()
    _checksums_agree(results, problems)
    names = {e.name for e in selected}
    rows = [figures.evaluate(f, results) for f in figures.figures(scale)
            if f.experiment in names and (f.peer or "seq-http" in names)]
    problems += [f"figure not produced: {r['label']}" for r in rows if figures.missing(r)]
    machine["load_after"] = os.getloadavg()[0]
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "mode": "smoke" if args.smoke else "full", "rounds": scale.rounds,
            "scale": scale.__dict__, "machine": machine, "versions": _versions(root),
            "problems": problems,
            "notes": figures.notes(results),
            "seconds": round(time.monotonic() - began, 1)}
    print()
    print(report.write(out, rows, meta))
    chart.draw(rows, out / "bench.png", f"libovo vs peers, {meta['date']}, {meta['mode']}")
    print(f"wrote {out / 'results.md'}, results.json, bench.png in {meta['seconds']} s")
    if problems:
        print(f"bench: {len(problems)} problem(s); see above", file=sys.stderr)
        return 1
    return 0


sys.exit(main())
