"""eventscope's own annotated articles (`corpus/`, written to `docs/annotation.md`).

Each story folder holds articles (`NN.txt`: a `date` line, the title, the body) and their
complete annotations (`NN.yaml`), whose spans are exact substrings of the text ("text@K"
for the K-th occurrence). `load` reads them with every span resolved to offsets;
`problems` lists what breaks the guidelines (a span not in the text, an unknown id,
type or mode), so that a bad annotation fails `make test` instead of a score.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3] / "corpus"
ACTOR_TYPES = {"person", "organization", "group", "country"}
MODALITIES = {"factual", "negated", "hypothetical", "future", "proposed", "reported"}
QUALIFIERS = {"exact", "at_least", "at_most", "approximately", "range"}
QUOTE_KINDS = {"direct", "partial", "indirect"}
STYLES = {"wire", "newspaper", "statement", "translated", "local-crime", "blog"}
_DATE_LINE = re.compile(r"date (\d{4}-\d{2}-\d{2})\n")


@dataclass
class OwnArticle:
    """One article of the corpus and its annotation."""

    story: str
    name: str
    text: str
    published: date | None
    annotation: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.story}/{self.name}"

    def span(self, spec: str) -> tuple[int, int] | None:
        """Offsets of a span ("text" or "text@K"), or None when the text lacks it."""
        return span_at(self.text, spec)


def span_at(text: str, spec: str) -> tuple[int, int] | None:
    """Offsets of the K-th occurrence of the span's text (`spec` "words@K"; K from 1)."""
    words, at, nth = spec.rpartition("@")
    if not at or not nth.isdigit():
        words, nth = spec, "1"
    start = -1
    for _ in range(int(nth)):
        start = text.find(words, start + 1)
        if start < 0:
            return None
    return (start, start + len(words)) if words else None


@cache
def plover_modes() -> dict[str, frozenset[str]]:
    """The PLOVER types and the modes of each (kb/events.yaml)."""
    path = Path(__file__).resolve().parents[1] / "kb" / "events.yaml"
    types = yaml.safe_load(path.read_text(encoding="utf-8"))["types"]
    return {name: frozenset(spec.get("modes") or ()) for name, spec in types.items()}


def load(root: Path = ROOT) -> list[OwnArticle]:
    """Every annotated article under `root`, by story and name."""
    out = []
    for txt in sorted(root.glob("*/*.txt")):
        raw = txt.read_text(encoding="utf-8")
        found = _DATE_LINE.match(raw)
        published = date.fromisoformat(found.group(1)) if found else None
        note = txt.with_suffix(".yaml")
        annotation = yaml.safe_load(note.read_text(encoding="utf-8")) if note.exists() else {}
        out.append(OwnArticle(txt.parent.name, txt.stem, raw, published, annotation or {}))
    return out


def split_of(story: str) -> str:
    """The split a story belongs to, by a hash of its folder name: one in five is test,
    one in five dev, so that nobody chooses (or learns from choosing) the test stories."""
    digit = int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % 5
    return "test" if digit == 0 else "dev" if digit == 1 else "train"


def splits(root: Path = ROOT) -> dict[str, list[str]]:
    """The stories of each split (`corpus/splits.yaml`: train, dev, test)."""
    path = root / "splits.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {name: list(data.get(name) or []) for name in ("train", "dev", "test")}


def problems(article: OwnArticle) -> list[str]:
    """What in the article's annotation breaks the guidelines (empty when nothing)."""
    a, found = article.annotation, []
    if article.published is None:
        found.append("no `date YYYY-MM-DD` first line")
    if a.get("style") not in STYLES:
        found.append(f"style {a.get('style')!r}")
    actors = {x.get("id"): x for x in a.get("actors") or []}
    places = {x.get("id"): x for x in a.get("places") or []}
    events = {x.get("id"): x for x in a.get("events") or []}

    def spans(kind: str, values: Any) -> None:
        for spec in values if isinstance(values, list) else [values]:
            if spec is not None and article.span(str(spec)) is None:
                found.append(f"{kind} span not in the text: {spec!r}")

    for x in actors.values():
        if x.get("type") not in ACTOR_TYPES:
            found.append(f"actor {x.get('id')} type {x.get('type')!r}")
        spans(f"actor {x.get('id')}", x.get("mentions") or [])
    for x in places.values():
        spans(f"place {x.get('id')}", x.get("mentions") or [])
    modes = plover_modes()
    for x in events.values():
        kind, mode = x.get("type"), x.get("mode")
        if kind not in modes or (mode is not None and mode not in modes[kind]):
            found.append(f"event {x.get('id')} type/mode {kind}/{mode}")
        if x.get("modality", "factual") not in MODALITIES:
            found.append(f"event {x.get('id')} modality {x.get('modality')!r}")
        spans(f"event {x.get('id')} trigger", x.get("trigger"))
        for ref in [*(x.get("source") or []), *(x.get("target") or [])]:
            if ref not in actors:
                found.append(f"event {x.get('id')} names unknown actor {ref!r}")
        if x.get("place") is not None and x.get("place") not in places:
            found.append(f"event {x.get('id')} names unknown place {x.get('place')!r}")
    for n, x in enumerate(a.get("figures") or [], 1):
        spans(f"figure {n}", x.get("span"))
        if x.get("qualifier", "exact") not in QUALIFIERS:
            found.append(f"figure {n} qualifier {x.get('qualifier')!r}")
        if x.get("reported_by") is not None and x.get("reported_by") not in actors:
            found.append(f"figure {n} reporter {x.get('reported_by')!r}")
        if x.get("event") is not None and x.get("event") not in events:
            found.append(f"figure {n} event {x.get('event')!r}")
    for n, x in enumerate(a.get("quotes") or [], 1):
        spans(f"quote {n}", [x.get("content"), x.get("cue")])
        if x.get("kind") not in QUOTE_KINDS:
            found.append(f"quote {n} kind {x.get('kind')!r}")
        if x.get("speaker") is not None and x.get("speaker") not in actors:
            found.append(f"quote {n} speaker {x.get('speaker')!r}")
    return found


__all__ = [
    "ROOT",
    "OwnArticle",
    "load",
    "plover_modes",
    "problems",
    "span_at",
    "split_of",
    "splits",
]
