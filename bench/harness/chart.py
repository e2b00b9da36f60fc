"""The chart: libovo's ratio to its peer per figure (log scale), the 1.0 line and targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

from .report import ratio_text


def draw(rows: List[Dict[str, Any]], path: Path, title: str) -> None:
    """Writes a horizontal bar chart of every figure that has a ratio to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [r for r in rows if r["ratio"]]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(shown) + 1.4), dpi=80)
    y = list(range(len(shown)))[::-1]
    ratios = [r["ratio"] for r in shown]
    colors = ["#2e7d32" if x <= 1 else "#c62828" for x in ratios]
    # Bars grow from the 1.0 line: to the left libovo is better, to the right its peer is.
    ax.barh(y, [x - 1 for x in ratios], left=1, color=colors, height=0.6)
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=1)
    for yi, r in zip(y, shown):
        if r["target_ratio"]:
            ax.plot(r["target_ratio"], yi, marker="|", color="black", markersize=12)
        ax.text(max(r["ratio"], 1), yi, f" {ratio_text(r['ratio'])}", va="center", fontsize=7)
    ax.set_yticks(y)
    ax.set_yticklabels([r["label"] for r in shown], fontsize=7)
    ax.set_xlabel("libovo / peer (log scale; below 1: libovo better; | = target)", fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
