"""dates: TIMEX3 dates of TimeML documents (TempEval-3 TimeBank `*.tml`).

The plain text is the content of the `<TEXT>` element with its tags removed; gold spans
are the offsets of each `<TIMEX3 type="DATE">` in that text and the `<DCT>` TIMEX3 is the
publication date. Predictions are the pipeline's `DateExpr` spans and values.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import match_spans, overlaps, prf

NAME = "dates"


@dataclass(frozen=True)
class DateSpan:
    """A date expression: character offsets into the plain text and its TimeML value."""

    start: int
    end: int
    value: str | None


@dataclass(frozen=True)
class TimeMLDoc:
    """One TimeML document: plain text, creation date, gold DATE spans, other TIMEX3 spans."""

    doc_id: str
    text: str
    published: str | None
    dates: tuple[DateSpan, ...]
    other_timexes: tuple[tuple[int, int], ...]  # TIME, DURATION, SET: not scored


def _local(tag: str) -> str:
    """Tag name without an XML namespace."""
    return tag.rsplit("}", 1)[-1]


def _flatten(
    element: ET.Element, out: list[str], offset: int, found: list[tuple[int, int, ET.Element]]
) -> int:
    """Append the element's text (tags removed) to `out`; record each TIMEX3's offsets."""
    if element.text:
        out.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, out, offset, found)
        if _local(child.tag) == "TIMEX3":
            found.append((start, offset, child))
        if child.tail:
            out.append(child.tail)
            offset += len(child.tail)
    return offset


def load_timeml(path: Path) -> TimeMLDoc | None:
    """The document of a `.tml` (or `.tml.gz`) file, or None without a TEXT element.

    Raises ET.ParseError on malformed XML.
    """
    with open_maybe_gz(path) as raw:
        root = ET.parse(raw).getroot()
    text_element = next((e for e in root.iter() if _local(e.tag) == "TEXT"), None)
    if text_element is None:
        return None
    pieces: list[str] = []
    found: list[tuple[int, int, ET.Element]] = []
    _flatten(text_element, pieces, 0, found)
    published = None
    for dct in (e for e in root.iter() if _local(e.tag) == "DCT"):
        for timex in (t for t in dct.iter() if _local(t.tag) == "TIMEX3"):
            # DCT values may carry a time ("1998-03-31T17:00:00"); the day is the date.
            published = (timex.get("value") or "")[:10] or None
    doc_id = next((e.text or "" for e in root.iter() if _local(e.tag) == "DOCID"), "").strip()
    dates, others = [], []
    for start, end, timex in sorted(found, key=lambda f: (f[0], f[1])):
        if start == end:  # an empty (non-consuming) TIMEX3 has no text to find
            continue
        if timex.get("type") == "DATE":
            dates.append(DateSpan(start, end, timex.get("value")))
        else:
            others.append((start, end))
    return TimeMLDoc(
        doc_id or path.name.split(".")[0], "".join(pieces), published, tuple(dates), tuple(others)
    )


def predictions_from(records: ArticleRecords | None) -> list[DateSpan]:
    """The pipeline's date expressions as spans with values."""
    if records is None:
        return []
    return [DateSpan(d.span.start, d.span.end, d.value) for d in records.dates]


def normalise_value(value: str | None) -> str | None:
    """A TimeML value compared case- and space-insensitively ("1989-q3" == "1989-Q3")."""
    return "".join(value.split()).upper() if value else None


def scored_predictions(doc: TimeMLDoc, predicted: Sequence[DateSpan]) -> list[DateSpan]:
    """Predictions that are not on a gold TIME/DURATION/SET expression.

    Those are time expressions of another type, not wrong dates: they count neither for
    nor against precision.
    """
    return [
        p
        for p in predicted
        if not any(overlaps((p.start, p.end), other) for other in doc.other_timexes)
        or any(overlaps((p.start, p.end), (g.start, g.end)) for g in doc.dates)
    ]


def matches(
    doc: TimeMLDoc, predicted: Sequence[DateSpan], *, strict: bool
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) span matches, exact or by overlap."""
    return match_spans(
        [(g.start, g.end) for g in doc.dates], [(p.start, p.end) for p in predicted], strict=strict
    )


def score(
    gold: Sequence[TimeMLDoc], predicted: Sequence[Sequence[DateSpan]]
) -> dict[str, float | None]:
    """Span P/R/F1 (strict and relaxed) and value accuracy, pooled over documents.

    `value_accuracy_matched` is over relaxed matches (None when nothing matched);
    `value_accuracy_all` is over every gold DATE, unmatched ones counting as wrong.
    """
    n_gold = n_pred = strict_tp = relaxed_tp = correct = 0
    for doc, found in zip(gold, predicted, strict=True):
        kept = scored_predictions(doc, found)
        n_gold += len(doc.dates)
        n_pred += len(kept)
        strict_tp += len(matches(doc, kept, strict=True))
        relaxed = matches(doc, kept, strict=False)
        relaxed_tp += len(relaxed)
        correct += sum(
            1
            for i, j in relaxed
            if normalise_value(doc.dates[i].value) is not None
            and normalise_value(doc.dates[i].value) == normalise_value(kept[j].value)
        )
    metrics: dict[str, float | None] = {}
    for mode, tp in (("strict", strict_tp), ("relaxed", relaxed_tp)):
        for name, value in prf(tp, n_pred - tp, n_gold - tp).items():
            metrics[f"{mode}_{name}"] = value
    metrics["value_accuracy_matched"] = correct / relaxed_tp if relaxed_tp else None
    metrics["value_accuracy_all"] = correct / n_gold if n_gold else 0.0
    return metrics


def context_window(text: str, start: int, end: int, *, width: int = 60) -> str:
    """The span with up to `width` characters either side, on one line."""
    return " ".join(text[max(0, start - width) : end + width].split())


def misses(doc: TimeMLDoc, predicted: Sequence[DateSpan]) -> list[dict[str, object]]:
    """Gold dates not found or found with a wrong value, as report errors."""
    kept = scored_predictions(doc, predicted)
    found = dict(matches(doc, kept, strict=False))
    out: list[dict[str, object]] = []
    for i, g in enumerate(doc.dates):
        p = kept[found[i]] if i in found else None
        if p is not None and normalise_value(p.value) == normalise_value(g.value):
            continue
        out.append({
            "id": f"{doc.doc_id}:{g.start}",
            "text": context_window(doc.text, g.start, g.end),
            "gold": {"span": doc.text[g.start : g.end], "value": g.value},
            "predicted": None if p is None
            else {"span": doc.text[p.start : p.end], "value": p.value},
        })  # fmt: skip
    return out


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    files = find_files(path, "tempeval3", ("*.tml", "*.tml.gz"))
    report = TaskReport(NAME, str(path))
    docs: list[TimeMLDoc] = []
    unreadable = 0
    for f in limited(files, limit):
        try:
            doc = load_timeml(f)
        except ET.ParseError:
            unreadable += 1
            continue
        # A document without text cannot be parsed (the pipeline rejects empty input).
        if doc is not None and doc.text.strip():
            docs.append(doc)
    if not docs:
        return report
    keys = [f"{doc.doc_id}#{k}" for k, doc in enumerate(docs)]
    results = dict(
        predict(((key, d.text, d.published) for key, d in zip(keys, docs, strict=True)), kb=kb)
    )
    predicted = [predictions_from(results[key]) for key in keys]
    report.metrics = score(docs, predicted)
    kept = [scored_predictions(d, p) for d, p in zip(docs, predicted, strict=True)]
    matched = sum(len(matches(d, p, strict=False)) for d, p in zip(docs, kept, strict=True))
    report.counts = {
        "documents": len(docs),
        "gold_dates": sum(len(d.dates) for d in docs),
        "predicted_dates": sum(len(p) for p in kept),
        "predicted_on_other_timex": sum(len(p) for p in predicted) - sum(len(p) for p in kept),
        "matched_relaxed": matched,
        "rejected": sum(1 for key in keys if results[key] is None),
        "unreadable_files": unreadable,
    }
    report.notes.append(
        "Gold: TIMEX3 type DATE in <TEXT> (DCT excluded, passed as publication date); "
        "predicted DateExpr spans on TIME/DURATION/SET expressions are not counted; values "
        "compared upper-cased over relaxed (overlap) matches."
    )
    report.collect_errors((misses(d, f) for d, f in zip(docs, predicted, strict=True)), errors)
    return report


TASK = Task(NAME, "TimeML DATE expressions: recognition and normalised value", run)
