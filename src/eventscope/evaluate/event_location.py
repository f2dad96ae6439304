"""event-location: where did the event of a given verb happen (Halterman's Prodigy records).

Each JSON line holds a sentence `text` and `spans` labelled VERB (the event) and LOCATION
(where it happened; none when the sentence does not say). The predicted location is the
`place` of the event whose trigger overlaps the VERB span, at that place's mention nearest
the trigger within the event's sentence.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords, Event, Span

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import overlaps

NAME = "event-location"
FOLDER = "event_location"
PATTERNS = ("*.jsonl", "*.jsonl.gz")
# Prodigy marks rejected and skipped annotations; they are not gold.
_GOLD_ANSWERS = ("accept", None)

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One sentence: the event's verb span and the spans of where it happened."""

    id: str
    text: str
    verb: Range
    locations: tuple[Range, ...]
    verb_lemmas: tuple[str, ...] = ()  # meta.verb, kept for the misses list


@dataclass(frozen=True, slots=True)
class Prediction:
    """The place chosen for the verb's event: its mention span and name."""

    span: Range
    name: str


def _char_range(span: dict[str, Any], text: str, tokens: list[dict[str, Any]]) -> Range:
    """A span's character range. Some RELABEL spans give token indexes in start/end (with
    token_end inclusive) where others give characters: when the characters do not spell
    the span's own text and its token indexes do, the tokens' offsets are used."""
    start, end = int(span["start"]), int(span["end"])
    written = span.get("text")
    if not isinstance(written, str) or text[start:end] == written:
        return start, end
    first, last = span.get("token_start"), span.get("token_end")
    if isinstance(first, int) and isinstance(last, int) and 0 <= first <= last < len(tokens):
        begin, finish = int(tokens[first]["start"]), int(tokens[last]["end"])
        if text[begin:finish] == written:
            return begin, finish
    found = text.find(written)
    return (found, found + len(written)) if found >= 0 else (start, end)


def _record(data: Any, index: int) -> GoldRecord | None:
    """A gold record from one parsed JSON line; None when it is not a usable one."""
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return None
    if data.get("answer") not in _GOLD_ANSWERS:
        return None
    spans = [s for s in data.get("spans") or [] if isinstance(s, dict)]
    tokens = [t for t in data.get("tokens") or [] if isinstance(t, dict)]
    ranges = {
        label: [_char_range(s, data["text"], tokens) for s in spans if s.get("label") == label]
        for label in ("VERB", "LOCATION")
    }
    if not ranges["VERB"]:
        return None
    meta = data.get("meta")
    lemmas = meta.get("verb") if isinstance(meta, dict) else None
    return GoldRecord(
        id=str(data.get("_id") or data.get("id") or data.get("doc_id") or index),
        text=data["text"],
        verb=ranges["VERB"][0],
        locations=tuple(sorted(ranges["LOCATION"])),
        verb_lemmas=tuple(str(v) for v in lemmas) if isinstance(lemmas, list) else (),
    )


def load(path: Path) -> tuple[list[GoldRecord], int]:
    """(gold records, lines skipped) of one Prodigy JSONL file.

    Skipped: blank or broken lines, rejected answers, records without a VERB span.
    """
    records: list[GoldRecord] = []
    skipped = 0
    with open_maybe_gz(path) as raw:
        for index, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8")):
            if not line.strip():
                continue
            try:
                record = _record(json.loads(line), index)
            except (ValueError, KeyError, TypeError):
                record = None
            if record is None:
                skipped += 1
            else:
                records.append(record)
    return records, skipped


def _distance(a: Range, b: Range) -> int:
    """Characters between two ranges; 0 when they overlap or touch."""
    return max(0, a[0] - b[1], b[0] - a[1])


def event_at(records: ArticleRecords | None, verb: Range) -> Event | None:
    """The event whose trigger overlaps the verb most (then the most confident)."""
    if records is None:
        return None
    found = [e for e in records.events if overlaps((e.trigger.start, e.trigger.end), verb)]
    if not found:
        return None
    return max(
        found,
        key=lambda e: (
            min(e.trigger.end, verb[1]) - max(e.trigger.start, verb[0]),
            e.evidence.confidence,
        ),
    )


def predictions_from(records: ArticleRecords | None, verb: Range) -> Prediction | None:
    """The place of the event at `verb`, at its mention nearest the trigger; None if none."""
    event = event_at(records, verb)
    if records is None or event is None or event.place is None:
        return None
    place = next((p for p in records.places if p.id == event.place), None)
    if place is None or not place.mentions:
        return None
    sentence: Span | None = event.evidence.sentence
    spans = [(m.span.start, m.span.end) for m in place.mentions]
    if sentence is not None:
        # A place resolved from another sentence has no mention here: keep all then.
        spans = [s for s in spans if sentence.start <= s[0] < sentence.end] or spans
    trigger = (event.trigger.start, event.trigger.end)
    return Prediction(min(spans, key=lambda s: (_distance(s, trigger), s)), place.name)


def is_correct(gold: GoldRecord, predicted: Prediction | None) -> bool:
    """The chosen place overlaps one of the gold LOCATION spans."""
    return predicted is not None and any(overlaps(predicted.span, g) for g in gold.locations)


def score(gold: Sequence[GoldRecord], predicted: Sequence[Prediction | None]) -> dict[str, float]:
    """Accuracy over records with a gold location (no prediction is wrong)."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g.locations]
    right = sum(1 for g, p in pairs if is_correct(g, p))
    return {"accuracy": right / len(pairs) if pairs else 0.0}


def _miss(gold: GoldRecord, predicted: Prediction | None) -> dict[str, Any]:
    chosen = None
    if predicted is not None:
        mention = gold.text[predicted.span[0] : predicted.span[1]]
        chosen = {"place": predicted.name, "mention": mention}
    return {
        "id": gold.id,
        "text": gold.text,
        "gold": {
            "verb": gold.text[gold.verb[0] : gold.verb[1]],
            "verb_lemmas": list(gold.verb_lemmas),
            "locations": [gold.text[s:e] for s, e in gold.locations],
        },
        "predicted": chosen,
    }


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    files = find_files(path, FOLDER, PATTERNS)
    report = TaskReport(NAME, str(path))
    rows: list[GoldRecord] = []
    skipped = 0
    for f in files:
        found, dropped = load(f)
        rows += found
        skipped += dropped
    rows = list(limited(rows, limit))
    if not rows:
        return report
    keys = [f"{index}:{row.id}" for index, row in enumerate(rows)]
    results = dict(
        predict(((key, row.text, None) for key, row in zip(keys, rows, strict=True)), kb=kb)
    )
    records = [results[key] for key in keys]
    events = [event_at(r, row.verb) for r, row in zip(records, rows, strict=True)]
    predicted = [predictions_from(r, row.verb) for r, row in zip(records, rows, strict=True)]
    located = [k for k, row in enumerate(rows) if row.locations]
    with_event = [k for k in located if events[k] is not None]
    report.metrics = {
        **score(rows, predicted),
        "event_at_verb_rate": sum(1 for e in events if e is not None) / len(rows),
        # Accuracy once an event was found at the verb: the place choice alone.
        "accuracy_when_event": (
            score([rows[k] for k in with_event], [predicted[k] for k in with_event])["accuracy"]
            if with_event
            else None
        ),
    }
    report.counts = {
        "records": len(rows),
        "records_skipped": skipped,
        "records_rejected": sum(1 for r in records if r is None),
        "with_gold_location": len(located),
        "with_event_at_verb": sum(1 for e in events if e is not None),
        "with_prediction": sum(1 for p in predicted if p is not None),
        "correct": sum(1 for k in located if is_correct(rows[k], predicted[k])),
        "without_gold_location": len(rows) - len(located),
        "without_gold_location_but_predicted": sum(
            1 for row, p in zip(rows, predicted, strict=True) if not row.locations and p
        ),
    }
    report.notes.append(
        "Predicted location: the place of the event whose trigger overlaps the gold VERB, "
        "at its mention nearest the trigger in the event's sentence; right when it overlaps "
        "a gold LOCATION span; accuracy is over records with a gold location, no "
        "prediction counting as wrong."
    )
    if not any(events):
        report.notes.append("The pipeline emits no events yet, so no location is predicted.")
    for k, row in enumerate(rows):
        if len(report.errors) >= errors:
            break
        wrong = not is_correct(row, predicted[k]) if row.locations else predicted[k] is not None
        if wrong:
            report.errors.append(_miss(row, predicted[k]))
    return report


TASK = Task(NAME, "Where the event of a given verb happened (Prodigy event_location records)", run)
