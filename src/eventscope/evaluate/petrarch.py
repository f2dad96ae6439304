"""events-cameo: PETRARCH validation records (`<Sentence>` with `<EventCoding>`), CAMEO-coded.

Gold events are (source, target, code) triples of CAMEO actor and event codes. Predicted
triples come from events that carry a CAMEO code: one triple per source and target actor
(compound actors give several, as PETRARCH codes them), each actor coded as its country
followed by its sector ("RUS" + "GOV" -> "RUSGOV"; "---" stands for no country, and for
no actor at all). Triples and codes are compared at full-code level and at root level
(the first two digits of the event code).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import product
from pathlib import Path

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import Actor, ArticleRecords

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import set_prf

log = logging.getLogger(__name__)

NAME = "events-cameo"
FOLDERS = ("petrarch2_unittest", "universalpetrarch")
PATTERNS = ("*.xml", "*.xml.gz")
NO_ACTOR = "---"
SNIFF_BYTES = 65_536  # a validation file names <Validation> or <Sentence> early on
TEXT_WINDOW = 400  # characters of a sentence shown with a miss

Triple = tuple[str, str, str]  # (source actor code, target actor code, CAMEO event code)

# Read as a stream of tags rather than as XML: some validation files are not well formed
# (`<Sentence .../>` closed again by `</Sentence>`, bare `&` in parse trees). Comments and
# parse trees are matched first so that tags inside them are never read.
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<Parse\b[^>]*/>|<Parse\b.*?</Parse\s*>"
    r"|<Text\b[^>]*>(?P<text>.*?)</Text\s*>"
    r"|<(?P<tag>Sentence|EventCoding)(?=[\s/>])(?P<attrs>[^>]*)>",
    re.DOTALL,
)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_CODE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One validation sentence: its text (wrapped lines joined), date and gold triples."""

    id: str
    text: str
    published: date | None
    triples: tuple[Triple, ...]


def load(path: Path) -> list[GoldSentence]:
    """The sentences of a PETRARCH validation file (`.xml` or `.xml.gz`), in file order;
    a sentence whose <Text> is empty has text ""."""
    with open_maybe_gz(path) as raw:
        markup = raw.read().decode("utf-8", errors="replace")
    return list(_sentences(markup))


def _sentences(markup: str) -> Iterator[GoldSentence]:
    """Sentences in document order; codings and text belong to the latest <Sentence>."""
    current: dict[str, str] | None = None
    text = ""
    triples: list[Triple] = []
    for token in _TOKEN.finditer(markup):
        tag = token.group("tag")
        if tag == "Sentence":
            if current is not None:
                yield _sentence(current, text, triples)
            current, text, triples = _attributes(token.group("attrs")), "", []
        elif current is None:
            continue  # header prose before the first sentence
        elif tag == "EventCoding":
            triple = gold_triple(_attributes(token.group("attrs")))
            if triple:
                triples.append(triple)
        elif token.group("text") is not None:
            text = _text_content(token.group("text"))
    if current is not None:
        yield _sentence(current, text, triples)


def _sentence(attrs: Mapping[str, str], text: str, triples: list[Triple]) -> GoldSentence:
    return GoldSentence(attrs.get("id", ""), text, parse_day(attrs.get("date")), tuple(triples))


def _attributes(raw: str) -> dict[str, str]:
    return {m[1]: html.unescape(m[2] if m[2] is not None else m[3]) for m in _ATTR.finditer(raw)}


def _text_content(raw: str) -> str:
    # Texts are wrapped at ~100 characters; the line breaks are layout, not content.
    parts = _CDATA.split(raw)  # odd items are CDATA contents, taken literally
    text = "".join(p if i % 2 else html.unescape(p) for i, p in enumerate(parts))
    return " ".join(text.split())


def gold_triple(coding: Mapping[str, str]) -> Triple | None:
    """The triple of an <EventCoding>; None for `noevents`/`error` codings (no event)."""
    code = event_code(coding.get("eventcode", ""))
    if code is None:
        return None
    return (actor_code(coding.get("sourcecode")), actor_code(coding.get("targetcode")), code)


def event_code(value: str) -> str | None:
    """The CAMEO digits of an event code: "140_Engage_in_political_dissent" -> "140"."""
    found = _CODE.match(value.strip())
    return found.group() if found else None


def actor_code(value: str | None) -> str:
    """A CAMEO actor code in one spelling: "" -> "---", "~CVL" (agent, no country) -> "---CVL"."""
    code = (value or "").strip().upper()
    if code.startswith("~"):
        code = NO_ACTOR + code[1:]
    return code or NO_ACTOR


def parse_day(value: str | None) -> date | None:
    """A sentence date ("19950101" or ISO); None when unreadable or outside 1900..today,
    which the pipeline would reject (the placeholder date is used instead)."""
    text = (value or "").strip()
    try:
        if len(text) == 8 and text.isdigit():
            day = datetime.strptime(text, "%Y%m%d").date()
        else:
            day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if day.year >= 1900 and day <= datetime.now(UTC).date() else None


def predictions_from(records: ArticleRecords | None) -> tuple[Triple, ...]:
    """Triples of the events that carry a CAMEO code (events without one are not scored)."""
    if records is None:
        return ()
    actors = {a.id: a for a in records.actors}
    triples: list[Triple] = []
    for event in records.events:
        code = event_code(event.cameo or "")
        if code is None:
            continue
        sources = [_coded(actors.get(i)) for i in event.source] or [NO_ACTOR]
        targets = [_coded(actors.get(i)) for i in event.target] or [NO_ACTOR]
        triples.extend((s, t, code) for s, t in product(sources, targets))
    return tuple(triples)


def _coded(actor: Actor | None) -> str:
    """An actor as a CAMEO actor code: country (or "---") followed by sector."""
    if actor is None or not (actor.country or actor.sector):
        return NO_ACTOR
    return actor_code((actor.country or NO_ACTOR) + (actor.sector or ""))


def score(
    gold: Sequence[Sequence[Triple]], predicted: Sequence[Sequence[Triple]]
) -> dict[str, float | None]:
    """Micro P/R/F1 of triples and F1 of event codes alone, at root and full level.

    Items are matched within their sentence, each gold item at most once.
    """
    pairs = list(zip(gold, predicted, strict=True))

    def items(side: int, *, root: bool, codes_only: bool) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for index, pair in enumerate(pairs):
            for source, target, code in pair[side]:
                code = code[:2] if root else code
                out.append((index, code) if codes_only else (index, source, target, code))
        return out

    metrics: dict[str, float | None] = {}
    for level, root in (("root", True), ("full", False)):
        triples = set_prf(
            items(0, root=root, codes_only=False), items(1, root=root, codes_only=False)
        )
        metrics.update({f"triple_{level}_{name}": v for name, v in triples.items()})
    for level, root in (("root", True), ("full", False)):
        codes = set_prf(items(0, root=root, codes_only=True), items(1, root=root, codes_only=True))
        metrics[f"code_{level}_f1"] = codes["f1"]
    return metrics


def data_files(path: Path) -> list[Path]:
    """Validation files under `path` (either named folder, the path itself, or below it)."""
    found = {f for folder in FOLDERS for f in find_files(path, folder, PATTERNS)}
    return sorted(f for f in found if _is_validation(f))


def _is_validation(path: Path) -> bool:
    # Without the named folders the search covers every XML below `path` (feeds, the
    # geoparsing corpora): keep only files of this format.
    try:
        with open_maybe_gz(path) as raw:
            head = raw.read(SNIFF_BYTES)
    except (OSError, EOFError):
        return False
    return b"<Sentence" in head or b"<Validation" in head


def _label(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".xml"):
        name = name.removesuffix(suffix)
    return name


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    report = TaskReport(NAME, str(path))
    files = data_files(path)
    sentences: list[tuple[str, GoldSentence]] = []
    labels = [_label(f) for f in files]
    if len(set(labels)) < len(labels):  # same name in two folders
        labels = [f"{f.parent.name}/{label}" for f, label in zip(files, labels, strict=True)]
    for found, label in zip(files, labels, strict=True):
        sentences.extend((label, s) for s in load(found))
    read = list(limited(sentences, limit))
    # A record with an empty <Text> cannot be coded from text: left out, counted.
    sentences = [(label, s) for label, s in read if s.text]
    without_text = len(read) - len(sentences)
    if not sentences:
        return report
    results = dict(
        predict(((str(i), s.text, s.published) for i, (_, s) in enumerate(sentences)), kb=kb)
    )
    predicted = [predictions_from(results.get(str(i))) for i in range(len(sentences))]
    gold = [s.triples for _, s in sentences]
    report.metrics = score(gold, predicted)
    for label in dict.fromkeys(label for label, _ in sentences):
        mine = [i for i, (own, _) in enumerate(sentences) if own == label]
        per_file = score([gold[i] for i in mine], [predicted[i] for i in mine])
        report.metrics.update({f"{label}.{name}": v for name, v in per_file.items()})
    report.counts = {
        "files": len({label for label, _ in sentences}),
        "sentences": len(sentences),
        "gold_events": sum(len(g) for g in gold),
        "sentences_without_events": sum(1 for g in gold if not g),
        "predicted_events": sum(len(p) for p in predicted),
        "sentences_with_prediction": sum(1 for p in predicted if p),
        "rejected": sum(1 for i in range(len(sentences)) if results.get(str(i)) is None),
        "left_out_without_text": without_text,
    }
    report.notes.append(
        "Triples (source, target, CAMEO code) micro-averaged over all sentences and per "
        "file; predicted actor codes are country + sector ('---' for none), gold '~AGT' read "
        "as '---AGT'; sentences coded noevents/error have no gold event."
    )
    if not report.counts["predicted_events"]:
        report.notes.append("The pipeline predicted no CAMEO-coded event on these sentences.")
    for (label, s), p in zip(sentences, predicted, strict=True):
        if len(report.errors) >= errors:
            break
        if sorted(s.triples) != sorted(p):
            report.errors.append(
                {
                    "id": f"{label}:{s.id}",
                    "text": s.text[:TEXT_WINDOW],
                    "gold": [" ".join(t) for t in s.triples],
                    "predicted": [" ".join(t) for t in p],
                }
            )
    return report


TASK = Task(NAME, "PETRARCH validation sentences: CAMEO event and actor codes", run)
