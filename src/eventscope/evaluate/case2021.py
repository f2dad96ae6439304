"""event-classes: CASE 2021 task 2 snippets (`id, EventSnippet, SubType` TSV).

The predicted class of a snippet comes from its most confident event: its ACLED
sub-event type mapped to a CASE class, else its PLOVER type (mapping in
`kb/case2021_classes.yaml`). A snippet with no event has no class and counts as wrong.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.kb.load import load_yaml
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import accuracy, macro_f1

NAME = "event-classes"


def load(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, class) rows of a CASE 2021 TSV file."""
    with open_maybe_gz(path) as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"), delimiter="\t")
        return [(row["id"], row["EventSnippet"], row["SubType"].strip()) for row in reader]


def predicted_class(records: ArticleRecords | None) -> str | None:
    """The CASE class of the most confident event, or None."""
    if records is None or not records.events:
        return None
    table = load_yaml("case2021_classes.yaml")
    main = max(records.events, key=lambda e: e.evidence.confidence)
    if main.acled_subtype and main.acled_subtype in table["acled_subtype"]:
        return str(table["acled_subtype"][main.acled_subtype])
    found = table["plover_type"].get(main.type)
    return str(found) if found else None


def score(gold: list[str], predicted: list[str | None]) -> dict[str, float | None]:
    """Accuracy and macro-F1 over the gold classes."""
    pairs = [(g, p or "NONE") for g, p in zip(gold, predicted, strict=True)]
    return {"accuracy": accuracy(pairs), "macro_f1": macro_f1(pairs)}


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    files = find_files(path, "case2021", ("*.tsv", "*.tsv.gz"))
    report = TaskReport(NAME, str(path))
    rows = [row for f in files for row in load(f)]
    rows = list(limited(rows, limit))
    if not rows:
        return report
    results = dict(predict(((rid, text, None) for rid, text, _ in rows), kb=kb))
    predicted = [predicted_class(results[rid]) for rid, _, _ in rows]
    report.metrics = score([c for _, _, c in rows], predicted)
    report.counts = {
        "snippets": len(rows),
        "with_prediction": sum(1 for p in predicted if p),
        "classes": len({c for _, _, c in rows}),
    }
    report.notes.append("Class of the most confident event (ACLED sub-event type, else PLOVER "
                        "type; mapping in kb/case2021_classes.yaml).")  # fmt: skip
    for (rid, text, gold), pred in zip(rows, predicted, strict=True):
        if len(report.errors) >= errors:
            break
        if pred != gold:
            report.errors.append({"id": rid, "text": text, "gold": gold, "predicted": pred})
    return report


TASK = Task(NAME, "CASE 2021 fine-grained event classes of snippets", run)
