"""figures: killed / injured / arrested counts against GVDB articles and GVA incidents.

GVDB (`gvdb/*.tsv.gz`, `Article id, Article url, Article title, Full text, Json, Worker`):
the gold of an article counts the victims of its Json `victim-section` by `victim-was`.
GVA (`gva/*.jsonl.gz`): the gold of an incident is its record's `num_killed`,
`num_injured` and the participants whose `Status` says Arrested; its prediction combines
the figures of its articles (`violent_corpus_docs`). An article's count of a kind is the
largest value among its Figure records of that kind; no figure of a kind reads as 0.
Publication dates: GVDB has none, so the incident date of the Json stands in (else the
placeholder); GVA articles have their `dct`. `limit` caps GVDB articles and GVA incidents
(each with all its articles).
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

from eventscope.extract.figures import PAST_DAYS, days_before
from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords, Span

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import accuracy, mean

NAME = "figures"
KINDS = ("killed", "injured", "arrested")

Counts = Mapping[str, float]  # figure kind -> count; a kind left out is not known


@dataclass(frozen=True, slots=True)
class GvdbArticle:
    """One GVDB article with its gold counts (the median over its workers' annotations)."""

    article_id: str
    text: str
    published: str | None  # the incident date of the Json: GVDB has no publication date
    gold: dict[str, int]
    workers: int


@dataclass(frozen=True, slots=True)
class GvaDoc:
    """One article of a GVA incident (`violent_corpus_docs`)."""

    incident_id: str
    doc_id: str
    dct: str | None
    text: str

    @property
    def key(self) -> str:
        # The same page can be filed under two incidents: the pair is the unique key.
        return f"{self.incident_id}/{self.doc_id}"


def victim_counts(annotation: Mapping[str, Any]) -> dict[str, int]:
    """Killed and injured victims of one GVDB Json annotation.

    `victim-was` lists up to three outcomes. A victim is killed when it says "killed"
    (with "injured"/"hospitalized" too: died of the wounds), else injured when it says
    "injured" or "hospitalized"; a victim with no outcome counts as neither.
    """
    killed = injured = 0
    for victim in annotation.get("victim-section") or []:
        outcome = set(victim.get("victim-was") or [])
        if "killed" in outcome:
            killed += 1
        elif outcome & {"injured", "hospitalized"}:
            injured += 1
    return {"killed": killed, "injured": injured}


def _json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in `text`, or None when it is not one (a damaged row is skipped)."""
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _separated(title: str, text: str) -> str:
    """The full text with its title on a line of its own: GVDB glues the title to the
    first sentence ("... | abc7ny.comA man was shot"), which merges the two in parsing."""
    title = title.strip()
    if title and text.startswith(title) and text[len(title) : len(title) + 1] not in ("", "\n"):
        return f"{title}\n{text[len(title) :]}"
    return text


def load_gvdb(path: Path) -> list[GvdbArticle]:
    """Articles of a GVDB TSV file, one per `Article id`; [] when the header is not GVDB's.

    Several workers may annotate one article (one row each): the gold count of a kind is
    the lower median of theirs, the date the first worker's. The title, glued to the
    text in the file, is put on its own line.
    """
    with open_maybe_gz(path) as raw:
        # Fields hold JSON and quotes but never tabs or newlines: no CSV quoting.
        rows = csv.reader(
            io.TextIOWrapper(raw, encoding="utf-8", newline=""),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        header = next(rows, [])
        if not {"Article id", "Full text", "Json"} <= set(header):
            return []
        grouped: dict[str, list[tuple[dict[str, str], dict[str, Any]]]] = {}
        for row in rows:
            record = dict(zip(header, row, strict=False))
            annotation = _json_object(record["Json"]) if len(row) == len(header) else None
            if annotation is not None:
                grouped.setdefault(record["Article id"], []).append((record, annotation))
    articles = []
    for article_id, pairs in grouped.items():
        records = [r for r, _ in pairs]
        annotations = [a for _, a in pairs]
        counts = [victim_counts(a) for a in annotations]
        day = (annotations[0].get("date-and-time") or {}).get("date")
        articles.append(
            GvdbArticle(
                article_id=article_id,
                text=_separated(records[0].get("Article title", ""), records[0]["Full text"]),
                published=day if isinstance(day, str) and day.strip() else None,
                gold={
                    k: statistics.median_low(c[k] for c in counts) for k in ("killed", "injured")
                },
                workers=len(records),
            )
        )
    return articles


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open_maybe_gz(path) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict):
                    yield record


def load_gva(files: Iterable[Path]) -> tuple[list[GvaDoc], dict[str, dict[str, int]]]:
    """GVA articles in file order, and the gold counts of each incident by id.

    Records are told apart by their fields, not by file names: articles have
    `incident_id` and `content`, incidents `incident_uri` and `num_killed`; other
    JSON Lines records are ignored. `arrested` is only given when participants are listed.
    """
    docs: list[GvaDoc] = []
    incidents: dict[str, dict[str, int]] = {}
    for path in files:
        for record in _jsonl(path):
            if "incident_id" in record and "content" in record:
                docs.append(
                    GvaDoc(
                        str(record["incident_id"]),
                        str(record.get("doc_id", len(docs))),
                        record.get("dct") or None,
                        record["content"] or "",
                    )
                )
            elif "incident_uri" in record and "num_killed" in record:
                incidents[str(record["incident_uri"])] = incident_counts(record)
    return docs, incidents


def incident_counts(record: Mapping[str, Any]) -> dict[str, int]:
    """Gold counts of one GVA incident record."""
    counts = {"killed": int(record["num_killed"]), "injured": int(record["num_injured"])}
    statuses = [str(p.get("Status") or "") for p in record.get("participants") or []]
    if any(s.strip() for s in statuses):
        # Status is a comma list such as " Unharmed, Arrested".
        counts["arrested"] = sum(
            1 for s in statuses if "arrested" in {w.strip().lower() for w in s.split(",")}
        )
    return counts


def predictions_from(records: ArticleRecords | None) -> dict[str, float]:
    """Count of each kind in one article: the largest value among its figures of that kind.

    The largest, because reports give the toll and its parts ("two of the five dead").
    A figure that holds as of a date well before the article (an earlier event's toll)
    is not the article's count.
    """
    found: dict[str, float] = {}
    published = records.article.published if records else None
    for figure in records.figures if records else ():
        history = figure.as_of and published and days_before(figure.as_of, published) > PAST_DAYS
        if figure.kind in KINDS and not history:
            found[figure.kind] = max(found.get(figure.kind, figure.value), figure.value)
    return found


def combine(per_article: Iterable[Counts]) -> dict[str, float]:
    """Counts of an incident from those of its articles: the maximum of each kind."""
    found: dict[str, float] = {}
    for counts in per_article:
        for kind, value in counts.items():
            found[kind] = max(found.get(kind, value), value)
    return found


def score(gold: Sequence[Counts], predicted: Sequence[Counts]) -> dict[str, float | None]:
    """Exact accuracy and mean absolute error of each kind over the items whose gold has
    it; a kind not predicted reads as 0, a kind no gold item has is left out."""
    out: dict[str, float | None] = {}
    for kind in KINDS:
        pairs = [
            (g[kind], p.get(kind, 0.0)) for g, p in zip(gold, predicted, strict=True) if kind in g
        ]
        if not pairs:
            continue
        out[f"{kind}_accuracy"] = accuracy((float(g), float(p)) for g, p in pairs)
        out[f"{kind}_mae"] = mean([abs(float(g) - float(p)) for g, p in pairs])
    return out


def _floor(gold: Sequence[Counts]) -> dict[str, float | None]:
    """Accuracy of always answering 0: the baseline every extractor must beat."""
    zeros = score(gold, [{} for _ in gold])
    return {f"floor_{k}": v for k, v in zeros.items() if k.endswith("_accuracy")}


def _excerpt(records: ArticleRecords | None, text: str, kind: str) -> str:
    """The sentence of the largest figure of `kind`, else the opening of the text."""
    figures = [f for f in (records.figures if records else ()) if f.kind == kind]
    if figures:
        top = max(figures, key=lambda f: f.value)
        sentence: Span | None = top.evidence.sentence
        return (
            sentence.text if sentence else text[max(0, top.span.start - 100) : top.span.end + 100]
        )
    return " ".join(text[:240].split())


def _misses(
    prefix: str,
    items: Sequence[tuple[str, str, ArticleRecords | None]],
    gold: Sequence[Counts],
    predicted: Sequence[Counts],
) -> Iterator[dict[str, Any]]:
    for (key, text, records), g, p in zip(items, gold, predicted, strict=True):
        wrong = [k for k in KINDS if k in g and g[k] != p.get(k, 0.0)]
        if wrong:
            yield {
                "id": f"{prefix}:{key}",
                "text": _excerpt(records, text, wrong[0]),
                "gold": dict(g),
                "predicted": {k: p.get(k) for k in g},  # None: no figure of that kind
            }


def _prefixed(prefix: str, metrics: Mapping[str, float | None]) -> dict[str, float | None]:
    return {f"{prefix}_{k}": v for k, v in metrics.items()}


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    report = TaskReport(NAME, str(path))
    gvdb_misses: list[dict[str, Any]] = []
    gva_misses: list[dict[str, Any]] = []

    gvdb_files = find_files(path, "gvdb", ("*.tsv", "*.tsv.gz"))
    articles: list[GvdbArticle] = list(
        limited([a for f in gvdb_files for a in load_gvdb(f)], limit)
    )
    if articles:
        results = dict(predict(((a.article_id, a.text, a.published) for a in articles), kb=kb))
        gold = [a.gold for a in articles]
        predicted = [predictions_from(results[a.article_id]) for a in articles]
        report.metrics |= _prefixed("gvdb", score(gold, predicted) | _floor(gold))
        report.counts |= {
            "gvdb_articles": len(articles),
            "gvdb_annotations": sum(a.workers for a in articles),
            "gvdb_with_figure": sum(1 for p in predicted if p),
            "gvdb_rejected": sum(1 for a in articles if results[a.article_id] is None),
        }
        items = [(a.article_id, a.text, results[a.article_id]) for a in articles]
        gvdb_misses = list(_misses("gvdb", items, gold, predicted))

    docs, incidents = load_gva(find_files(path, "gva", ("*.jsonl", "*.jsonl.gz")))
    by_incident: dict[str, list[GvaDoc]] = {}
    for doc in docs:
        if doc.incident_id in incidents:
            by_incident.setdefault(doc.incident_id, []).append(doc)
    chosen = list(limited(list(by_incident), limit))
    if chosen:
        used = [d for i in chosen for d in by_incident[i]]
        results = dict(predict(((d.key, d.text, d.dct) for d in used), kb=kb))
        gold = [incidents[i] for i in chosen]
        per_article = {d.key: predictions_from(results[d.key]) for d in used}
        predicted = [combine(per_article[d.key] for d in by_incident[i]) for i in chosen]
        report.metrics |= _prefixed("gva", score(gold, predicted) | _floor(gold))
        report.counts |= {
            "gva_incidents": len(chosen),
            "gva_articles": len(used),
            "gva_incidents_with_figure": sum(1 for p in predicted if p),
            "gva_rejected": sum(1 for d in used if results[d.key] is None),
        }
        # The miss shows the incident's first article that has a figure, else its first.
        shown = [
            next((d for d in by_incident[i] if per_article[d.key]), by_incident[i][0])
            for i in chosen
        ]
        items = [(i, d.text, results[d.key]) for i, d in zip(chosen, shown, strict=True)]
        gva_misses = list(_misses("gva", items, gold, predicted))

    if report.counts:
        report.notes.append(
            "Count of a kind = largest Figure value of kind killed/injured/arrested in an "
            "article (GVA incident: maximum over its articles); no figure reads as 0, so "
            "floor_* rows (always 0) are the baseline. GVDB gold counts victims by "
            "victim-was (killed, else injured or hospitalized = injured)."
        )
        # Alternate the two data sets so that both show their misses.
        mixed = [m for pair in zip_longest(gvdb_misses, gva_misses) for m in pair if m]
        report.errors = mixed[: max(0, errors)]
    return report


TASK = Task(NAME, "Killed / injured / arrested counts per GVDB article and GVA incident", run)
