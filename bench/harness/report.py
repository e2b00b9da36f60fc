"""The results of a run as a markdown table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional


def number(value: Optional[float]) -> str:
    """A value with sensible precision (three significant digits, thousands separated)."""
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) >= 0.01 else f"{value:.2g}"


def ratio_text(value: Optional[float]) -> str:
    """A ratio as ``1.23x`` (two significant digits below 0.1, none above 100)."""
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}x"
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.2g}x"


def _met(value: Optional[bool]) -> str:
    return "" if value is None else ("yes" if value else "**no**")


def markdown(rows: List[Dict[str, Any]], meta: Dict[str, Any]) -> str:
    """The results table, with the run's date, rounds and machine in a header line."""
    v = meta["versions"]
    lines = [
        f"Run {meta['date']}, {meta['mode']}, {meta['rounds']} rounds (medians), "
        f"{meta['machine']['cpus']} CPUs ({meta['machine']['cpu']}), load before/after "
        f"{meta['machine']['load_before']:.2f} / {meta['machine']['load_after']:.2f}; "
        f"libovo {v['commit']}, {v['libcurl']}, {v['openssl']}, Python {v['python']}, "
        f"requests {v['requests']}.",
        "",
        "| figure | unit | libovo | peer | peer value | ratio | target | met |",
        "|---|---|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['unit']} | {number(r['libovo'])} | {r['peer_label']} | "
            f"{number(r['peer'])} | {ratio_text(r['ratio'])} | {r['target'] or ''} | {_met(r['met'])} |"
        )
    if meta.get("notes"):
        lines += ["", *meta["notes"]]
    if meta.get("problems"):
        lines += ["", "Problems:", *[f"- {p}" for p in meta["problems"]]]
    return "\n".join(lines) + "\n"


def write(out: Path, rows: List[Dict[str, Any]], meta: Dict[str, Any]) -> str:
    """Writes ``results.md`` and ``results.json`` into ``out``; returns the markdown."""
    text = markdown(rows, meta)
    (out / "results.md").write_text(text)
    (out / "results.json").write_text(json.dumps({"meta": meta, "figures": rows}, indent=1) + "\n")
    return text
