"""Running the benchmark programs and reading a process's memory and threads from /proc."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .sandbox import BenchError


def last_json(stdout: bytes, name: str) -> Dict[str, Any]:
    """The program's JSON line (its last non-empty stdout line)."""
    lines = [ln for ln in stdout.decode(errors="replace").splitlines() if ln.strip()]
    if not lines:
        raise BenchError(f"{name} printed nothing")
    try:
        value = json.loads(lines[-1])
    except ValueError:
        raise BenchError(f"{name} printed no JSON: {lines[-1][:200]}") from None
    if not isinstance(value, dict):
        raise BenchError(f"{name} printed {lines[-1][:200]}")
    return value


def run_json(argv: List[str], log: Path, env: Optional[Mapping[str, str]] = None,
             timeout_s: float = 600) -> Dict[str, Any]:
    """Runs a program to its end and returns its JSON line; its stderr is appended to ``log``.
    A non-zero exit or a missing JSON line raises BenchError naming the program."""
    name = Path(argv[1] if argv[0].endswith("python") else argv[0]).name
    try:
        done = subprocess.run(argv, capture_output=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{name} ran longer than {timeout_s:.0f} s") from None
    append_log(log, name, done.stderr)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise BenchError(f"{name} exited {done.returncode}: {' | '.join(tail)}")
    return last_json(done.stdout, name)


def append_log(log: Path, name: str, stderr: bytes) -> None:
    """Keeps a program's stderr (a few lines at most when all goes well)."""
    if stderr:
        with open(log, "ab") as f:
            f.write(f"--- {name}\n".encode() + stderr[-20000:])


def rss_and_threads(pid: int) -> Tuple[int, int]:
    """VmRSS (KiB) and Threads of a live process, from /proc/PID/status."""
    fields: Dict[str, str] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    try:
        return int(fields["VmRSS"].split()[0]), int(fields["Threads"])
    except (KeyError, ValueError, IndexError):
        raise BenchError(f"/proc/{pid}/status has no VmRSS/Threads") from None
