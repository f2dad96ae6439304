"""own: the project's own annotated articles (`corpus/`, issue 21), article by article.

Every article is extracted whole, as a user's would be, and its records are matched to
the annotation: an event matches a gold event of the same PLOVER type whose trigger lies
in the predicted event's sentence (one to one, nearest triggers first); matched events
are then scored on their source, target, date, place, mode and modality. Figures match
by kind and value, quotes by overlapping content. Scores are given per split
(`corpus/splits.yaml`); the test split is the one that counts, since nothing was written
or tuned by reading it.

Data: `PATH` itself or `PATH/corpus` when it holds `splits.yaml`; otherwise the corpus
shipped in the repository, so that `eventscope eval all ../shared/eval` scores it too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.kb.names import fold
from eventscope.model import ArticleRecords, Event
from eventscope.sources.text import split_header

from . import own
from .base import Task, TaskReport, limited, predict, timed
from .metrics import greedy_pairs, overlaps, prf

NAME = "own"
SPLITS = ("test", "dev", "train")
# The annotation's figure kinds; a generic count ("lawyers", "raids") is its "other".
FIGURE_KINDS = frozenset(
    {"killed", "injured", "arrested", "detained", "missing", "displaced", "evacuated",
     "protesters", "troops", "other"}
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")


@dataclass
class Tally:
    """Counts behind one split's scores."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, **values: int) -> None:
        self.counts.update(values)

    def rate(self, hit: str, total: str) -> float | None:
        return self.counts[hit] / self.counts[total] if self.counts[total] else None

    def prf(self, tp: str, fp: str, fn: str) -> dict[str, float]:
        return prf(self.counts[tp], self.counts[fp], self.counts[fn])


def corpus_root(path: Path) -> Path | None:
    """The corpus folder under `path` (it holds `splits.yaml`), if any: `eval own corpus`
    scores the repository's; `eval all` elsewhere finds none and skips the task."""
    for candidate in (path, path / "corpus"):
        if (candidate / "splits.yaml").is_file():
            return candidate
    return None


def body_of(article: own.OwnArticle) -> tuple[int, str]:
    """(offset of the body in the file, the body): the text after the `date` line, which
    is what a user's reader passes to the pipeline."""
    _published, body = split_header(article.text)
    return len(article.text) - len(body), body


def sentence_of(text: str, offset: int) -> tuple[int, int]:
    """The sentence around `offset` by punctuation (for events without a sentence span)."""
    start = 0
    for found in _SENTENCE_END.finditer(text):
        if found.end() > offset:
            return start, found.start()
        start = found.end()
    return start, len(text)


class ArticleScore:
    """Matches one article's records to its annotation; `score` adds to a Tally."""

    def __init__(self, article: own.OwnArticle, records: ArticleRecords | None) -> None:
        self.article, self.records = article, records
        self.shift, _ = body_of(article)
        a = article.annotation
        self.actors = {x["id"]: x for x in a.get("actors") or [] if "id" in x}
        self.places = {x["id"]: x for x in a.get("places") or [] if "id" in x}
        self.gold_events = [e for e in a.get("events") or [] if article.span(str(e.get("trigger")))]
        self.actor_of = self._map_actors()
        self.place_of = self._map_places()

    def _spans(self, specs: Iterable[Any]) -> list[tuple[int, int]]:
        found = (self.article.span(str(s)) for s in specs if s is not None)
        return [s for s in found if s is not None]

    def _map_actors(self) -> dict[str, str]:
        """Predicted actor id -> gold actor id, by overlapping mentions, else by name."""
        if self.records is None:
            return {}
        gold = {k: self._spans(v.get("mentions") or []) for k, v in self.actors.items()}
        names = {fold(str(v.get("name", ""))): k for k, v in self.actors.items()}
        mapped = {}
        for actor in self.records.actors:
            spans = [(m.span.start + self.shift, m.span.end + self.shift) for m in actor.mentions]
            hits = Counter(k for k, gs in gold.items() for g in gs for p in spans if overlaps(g, p))
            if hits:
                mapped[actor.id] = hits.most_common(1)[0][0]
            elif fold(actor.name) in names:
                mapped[actor.id] = names[fold(actor.name)]
        return mapped

    def _map_places(self) -> dict[str, str]:
        """Predicted place id -> gold place id, by GeoNames id, mentions or name."""
        if self.records is None:
            return {}
        mapped = {}
        for place in self.records.places:
            spans = [(m.span.start + self.shift, m.span.end + self.shift) for m in place.mentions]
            for key, gold in self.places.items():
                same_id = gold.get("geonames") and gold.get("geonames") == place.geonameid
                shared = any(
                    overlaps(g, p) for g in self._spans(gold.get("mentions") or []) for p in spans
                )
                if same_id or shared or fold(str(gold.get("name", ""))) == fold(place.name):
                    mapped[place.id] = key
                    break
        return mapped

    def _event_window(self, event: Event) -> tuple[int, int]:
        sentence = event.evidence.sentence
        if sentence is not None:
            return sentence.start + self.shift, sentence.end + self.shift
        _, body = body_of(self.article)
        start, end = sentence_of(body, event.trigger.start)
        return start + self.shift, end + self.shift

    def event_pairs(
        self,
        *,
        typed: bool = True,
        gold: Sequence[dict[str, Any]] | None = None,
        predicted: Sequence[Event] | None = None,
    ) -> list[tuple[dict[str, Any], Event]]:
        """One-to-one (gold, predicted) events: the gold trigger in the predicted event's
        sentence, the same type when `typed`; nearest triggers first."""
        golds = self.gold_events if gold is None else gold
        if predicted is None:
            predicted = self.records.events if self.records else ()
        candidates = []
        for i, item in enumerate(golds):
            g = self.article.span(str(item["trigger"]))
            assert g is not None
            for j, event in enumerate(predicted):
                window = self._event_window(event)
                if not window[0] <= g[0] < window[1] or (typed and event.type != item.get("type")):
                    continue
                distance = abs(event.trigger.start + self.shift - g[0])
                candidates.append((distance, i, j))
        return [(golds[i], predicted[j]) for i, j in greedy_pairs(candidates)]

    def labels(self) -> dict[str, tuple[str, str | None]]:
        """Predicted event id -> the (type, mode) of the gold event it stands for, matched
        by type first and then by sentence alone; unmatched candidates are left out."""
        typed = self.event_pairs()
        out = {e.id: (str(g["type"]), g.get("mode")) for g, e in typed}
        golds = [g for g in self.gold_events if all(g is not h for h, _ in typed)]
        events = [e for e in (self.records.events if self.records else ()) if e.id not in out]
        for gold, event in self.event_pairs(typed=False, gold=golds, predicted=events):
            out[event.id] = (str(gold["type"]), gold.get("mode"))
        return out

    def score(self, tally: Tally) -> None:
        predicted = len(self.records.events) if self.records else 0
        typed = self.event_pairs()
        found = len(self.event_pairs(typed=False))
        tally.add(
            articles=1,
            gold_events=len(self.gold_events),
            predicted_events=predicted,
            matched=len(typed),
            detected=found,
        )
        for gold, event in typed:
            self._arguments(tally, gold, event)
        self._figures(tally)
        self._quotes(tally)

    def _arguments(self, tally: Tally, gold: dict[str, Any], event: Event) -> None:
        for role in ("source", "target"):
            want = set(gold.get(role) or [])
            got = {self.actor_of.get(i, f"?{i}") for i in getattr(event, role)}
            tp = len(want & got)
            tally.add(
                **{f"{role}_tp": tp, f"{role}_fp": len(got) - tp, f"{role}_fn": len(want) - tp}
            )
            if want:  # the text gives one: does the record have any?
                tally.add(**{f"{role}_given": 1, f"{role}_filled": int(bool(got))})
            countries = Counter(
                str(self.actors[k].get("country"))
                for k in want
                if self.actors.get(k, {}).get("country")
            )
            guessed = Counter(
                a.country
                for a in (self.records.actors if self.records else ())
                if a.id in getattr(event, role) and a.country
            )
            hit = sum((countries & guessed).values())
            tally.add(
                **{
                    f"{role}_country_tp": hit,
                    f"{role}_country_fp": sum(guessed.values()) - hit,
                    f"{role}_country_fn": sum(countries.values()) - hit,
                }
            )
        day = gold.get("date")
        own_date = event.date if event.date_precision != "article" else None
        if day is not None:
            tally.add(
                with_date=1,
                date_hit=int(bool(event.date) and str(event.date)[: len(str(day))] == str(day)),
                own_date_filled=int(own_date is not None),
            )
        else:
            tally.add(without_date=1, no_date_hit=int(own_date is None))
        if gold.get("place") is not None:
            tally.add(
                with_place=1, place_hit=int(self.place_of.get(str(event.place)) == gold["place"])
            )
        if gold.get("mode"):
            tally.add(with_mode=1, mode_hit=int(event.mode == gold["mode"]))
        modality = gold.get("modality") or "factual"
        predicted = event.modality or ("factual",)
        tally.add(modality_hit=int(modality in predicted))

    def _figures(self, tally: Tally) -> None:
        gold = Counter(
            (str(f.get("kind")), float(f.get("value") or 0))
            for f in self.article.annotation.get("figures") or []
        )
        got = Counter(
            (f.kind if f.kind in FIGURE_KINDS else "other", float(f.value))
            for f in (self.records.figures if self.records else ())
        )
        tp = sum((gold & got).values())
        tally.add(figure_tp=tp, figure_fp=sum(got.values()) - tp, figure_fn=sum(gold.values()) - tp)

    def _quotes(self, tally: Tally) -> None:
        gold = self._spans(q.get("content") for q in self.article.annotation.get("quotes") or [])
        got = [
            (q.content.start + self.shift, q.content.end + self.shift)
            for q in (self.records.quotes if self.records else ())
        ]
        used: set[int] = set()
        for g in gold:
            j = next((j for j, p in enumerate(got) if j not in used and overlaps(g, p)), None)
            if j is not None:
                used.add(j)
        tally.add(quote_tp=len(used), quote_fp=len(got) - len(used), quote_fn=len(gold) - len(used))


def metrics(tally: Tally, prefix: str) -> dict[str, float | None]:
    """A split's scores from its tally, each name prefixed by the split."""
    c = tally.counts
    events = prf(
        c["matched"], c["predicted_events"] - c["matched"], c["gold_events"] - c["matched"]
    )
    detect = prf(
        c["detected"], c["predicted_events"] - c["detected"], c["gold_events"] - c["detected"]
    )
    values: dict[str, float | None] = {
        "event_precision": events["precision"],
        "event_recall": events["recall"],
        "event_f1": events["f1"],
        "detection_precision": detect["precision"],
        "detection_recall": detect["recall"],
    }
    for role in ("source", "target"):
        values[f"{role}_f1"] = tally.prf(f"{role}_tp", f"{role}_fp", f"{role}_fn")["f1"]
        values[f"{role}_recall"] = tally.prf(f"{role}_tp", f"{role}_fp", f"{role}_fn")["recall"]
        both = tally.prf(f"{role}_country_tp", f"{role}_country_fp", f"{role}_country_fn")
        values[f"{role}_country_f1"] = both["f1"]
        values[f"{role}_given_share"] = tally.rate(f"{role}_filled", f"{role}_given")
    values["date_accuracy"] = tally.rate("date_hit", "with_date")
    values["own_date_given_share"] = tally.rate("own_date_filled", "with_date")
    values["no_own_date_accuracy"] = tally.rate("no_date_hit", "without_date")
    values["place_accuracy"] = tally.rate("place_hit", "with_place")
    values["mode_accuracy"] = tally.rate("mode_hit", "with_mode")
    values["modality_accuracy"] = tally.rate("modality_hit", "matched")
    values["figure_f1"] = tally.prf("figure_tp", "figure_fp", "figure_fn")["f1"]
    values["quote_f1"] = tally.prf("quote_tp", "quote_fp", "quote_fn")["f1"]
    return {f"{prefix}.{k}": v for k, v in values.items()}


def score_split(pairs: Sequence[tuple[own.OwnArticle, ArticleRecords | None]]) -> Tally:
    tally = Tally()
    for article, records in pairs:
        ArticleScore(article, records).score(tally)
    return tally


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    root = corpus_root(path)
    report = TaskReport(NAME, str(root or path))
    if root is None:
        return report
    chosen = own.splits(root)
    split = {story: name for name in SPLITS for story in chosen.get(name, [])}
    articles = [a for a in own.load(root) if a.story in split and not own.problems(a)]
    articles = list(limited(articles, limit))
    if not articles:
        return report
    items = ((a.ref, body_of(a)[1], a.published) for a in articles)
    results = dict(predict(items, kb=kb))
    for name in SPLITS:
        pairs = [(a, results.get(a.ref)) for a in articles if split[a.story] == name]
        if not pairs:
            continue
        tally = score_split(pairs)
        report.metrics.update(metrics(tally, name))
        report.counts[f"{name}_articles"] = len(pairs)
        report.counts[f"{name}_events"] = tally.counts["gold_events"]
    report.notes.append(
        "Events match by PLOVER type and trigger sentence (detection: sentence only); "
        "arguments are scored on matched events; the test split is never read to write or "
        "tune anything."
    )
    for article in articles:
        if len(report.errors) >= errors or split[article.story] == "test":
            continue  # misses of the test split are never shown
        report.errors.extend(misses(article, results.get(article.ref)))
    del report.errors[errors:]
    return report


def misses(article: own.OwnArticle, records: ArticleRecords | None) -> list[dict[str, Any]]:
    """The article's unmatched gold and predicted events, for reading (never the test's)."""
    scored = ArticleScore(article, records)
    pairs = scored.event_pairs()
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {e.id for _, e in pairs}
    out: list[dict[str, Any]] = []
    for gold in scored.gold_events:
        if id(gold) not in matched_gold:
            out.append(
                {
                    "id": article.ref,
                    "text": gold.get("trigger"),
                    "gold": {k: gold.get(k) for k in ("type", "mode", "trigger")},
                    "predicted": None,
                }
            )
    for event in records.events if records else ():
        if event.id not in matched_pred:
            out.append(
                {
                    "id": article.ref,
                    "text": event.evidence.sentence.text[:300]
                    if event.evidence.sentence
                    else event.trigger.text,
                    "gold": None,
                    "predicted": {
                        "type": event.type,
                        "mode": event.mode,
                        "trigger": event.trigger.text,
                    },
                }
            )
    return out


TASK = Task(NAME, "own corpus: article-level events and their arguments, figures, quotes", run)
