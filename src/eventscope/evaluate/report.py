"""Reports as text: the Markdown scorecard and the side-by-side list of misses."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .base import TaskReport


def _value(v: float | int | None) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def scorecard_markdown(reports: Sequence[TaskReport], *, command: str) -> str:
    """The scorecard: one section per task with its metrics, counts and notes."""
    lines = [f"Measured with `{command}`.", ""]
    lines += ["| task | metric | value |", "|---|---|---|"]
    for r in reports:
        for name, value in r.metrics.items():
            lines.append(f"| {r.task} | {name} | {_value(value)} |")
    lines.append("")
    for r in reports:
        counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
        lines.append(f"- **{r.task}** ({r.seconds:.0f} s; {counts or 'no data'})"
                     + ("" if not r.notes else ": " + " ".join(r.notes)))  # fmt: skip
    return "\n".join(lines) + "\n"


def errors_text(report: TaskReport) -> str:
    """Misses with their text, gold and prediction, one block each."""
    blocks = []
    for e in report.errors:
        head = f"--- {e.get('id', '')}"
        text = str(e.get("text", ""))
        gold = json.dumps(e.get("gold"), ensure_ascii=False, default=str)
        pred = json.dumps(e.get("predicted"), ensure_ascii=False, default=str)
        blocks.append(f"{head}\n{text}\n  gold:      {gold}\n  predicted: {pred}")
    return "\n".join(blocks)
