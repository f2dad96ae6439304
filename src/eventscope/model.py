"""Record dataclasses: the one definition of eventscope's data model.

Every extracted record points into `Article.text` by character offsets (`Span`) and
carries the rule or model that produced it with a confidence (`Evidence`). `to_dict()`
gives the JSON contract of `eventscope extract --json`; field names there are stable.
It imports nothing from eventscope but `timeml` (TimeML values as day intervals).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from eventscope.timeml import iso_interval

JSON = dict[str, Any]

# Precision of a date value, coarsest last. "unknown" means no date at all.
PRECISIONS = ("minute", "day", "week", "month", "quarter", "year", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets [start, end) into `Article.text`, with the text they cover."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span [start, end) of `text`."""
        return cls(start, end, text[start:end])

    def to_dict(self) -> JSON:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a record exists: its sentence, the rule or model that fired, and a confidence."""

    rule: str
    confidence: float
    sentence: Span | None = None

    def to_dict(self) -> JSON:
        return {
            "rule": self.rule,
            "confidence": round(self.confidence, 4),
            "sentence": self.sentence.to_dict() if self.sentence else None,
        }


def normalise_for_id(text: str) -> str:
    """Text as it is hashed for identity: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def article_id(text: str) -> str:
    """Stable id of an article: a hash of its normalised text (same text -> same id)."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Article:
    """One dated news report. `text` is stored exactly; every span indexes into it."""

    id: str
    text: str
    published: date | None
    published_precision: str = "day"
    title: str | None = None
    source: str | None = None  # outlet or feed name, or the input's file name
    url: str | None = None
    author: str | None = None
    language: str | None = None
    input_ref: str | None = None  # where it was read: path, path:line, path#entry
    ingested_at: datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)
    truncated: tuple[str, ...] = ()  # the fields cut to their limit (FIELD_LIMITS)

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "published": self.published.isoformat() if self.published else None,
            "published_precision": self.published_precision,
            "language": self.language,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "author": self.author,
            "input_ref": self.input_ref,
            "ingested_at": self.ingested_at.isoformat() if self.ingested_at else None,
            "meta": dict(self.meta),
            "truncated": list(self.truncated),
            "text": self.text,
        }


# The longest metadata an article keeps, in characters: every listed event repeats its
# article's title, url and outlet, so one 1 MB title made a page of 300 events 900 MB.
# A longer value is cut (its last character "…") and the field named in `truncated`.
FIELD_LIMITS = {"title": 1_000, "url": 2_048, "source": 300, "author": 300}
META_LIMITS = (50, 100, 500)  # extra fields kept, characters of a name, of a value


def cap_text(value: str, limit: int) -> str:
    """`value`, or its first `limit` - 1 characters and "…" when longer than `limit`."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def cap_metadata(article: Article) -> Article:
    """The article with title, url, source, author and meta within their limits; the
    same object when nothing is over."""
    cut: dict[str, Any] = {
        name: cap_text(value, limit)
        for name, limit in FIELD_LIMITS.items()
        if (value := getattr(article, name)) is not None and len(value) > limit
    }
    keys, key_chars, value_chars = META_LIMITS
    meta = {
        cap_text(k, key_chars): cap_text(v, value_chars)
        for k, v in list(article.meta.items())[:keys]
    }
    if meta != article.meta:
        cut["meta"] = meta
    if not cut:
        return article
    truncated = tuple(dict.fromkeys([*article.truncated, *cut]))
    return dataclasses.replace(article, **cut, truncated=truncated)


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that was read but not stored, with a coded reason (a W code from errors)."""

    input_ref: str
    code: str
    reason: str

    def to_dict(self) -> JSON:
        return {"input_ref": self.input_ref, "code": self.code, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that refers to a record (an actor, a place), with its evidence."""

    span: Span
    evidence: Evidence
    role: str | None = None  # a title or role given in the text, e.g. "Russian President"

    def to_dict(self) -> JSON:
        return {**self.span.to_dict(), "role": self.role, **self.evidence.to_dict()}


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, organisation, group or country, with all its mentions in one article."""

    id: str
    name: str
    type: str | None  # person | organization | group | country
    mentions: tuple[Mention, ...]
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # PLOVER/CAMEO sector code: GOV, MIL, COP, ...
    aliases: tuple[str, ...] = ()
    evidence: Evidence | None = None

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "sector": self.sector,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
            **(self.evidence.to_dict() if self.evidence else {}),
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A toponym resolved to the gazetteer (GeoNames), with its mentions in one article."""

    id: str
    name: str
    mentions: tuple[Mention, ...]
    geonameid: int | None = None
    feature: str | None = None  # GeoNames feature class.code, e.g. "P.PPLA", "A.PCLI"
    country: str | None = None  # ISO 3166 alpha-2, as GeoNames
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    evidence: Evidence | None = None
    reason: str | None = None  # why this place was chosen, in words

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "geonameid": self.geonameid,
            "feature": self.feature,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "mentions": [m.to_dict() for m in self.mentions],
            **(self.evidence.to_dict() if self.evidence else {}),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression resolved against the publication date."""

    span: Span
    value: str | None  # ISO 8601 / TimeML value: 2022-01-08, 2022-W01, 2022-01
    precision: str
    evidence: Evidence

    def to_dict(self) -> JSON:
        return {
            "span": self.span.to_dict(),
            "value": self.value,
            "precision": self.precision,
            **self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, where and when, coded in PLOVER with CAMEO/ACLED views."""

    id: str
    type: str  # PLOVER event type, e.g. PROTEST
    trigger: Span
    evidence: Evidence
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: str | None = None
    source: tuple[str, ...] = ()  # actor ids
    target: tuple[str, ...] = ()
    date: str | None = None
    date_precision: str = "unknown"
    place: str | None = None  # place id
    modality: tuple[str, ...] = ()  # negated, hypothetical, future, proposed, reported
    quad_class: int | None = None
    intensity: float | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None

    def to_dict(self) -> JSON:
        sentence = self.evidence.sentence
        start, end = iso_interval(self.date)
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "source": list(self.source),
            "target": list(self.target),
            "date": self.date,
            "date_precision": self.date_precision,
            "date_start": start,
            "date_end": end,
            "place": self.place,
            "modality": list(self.modality),
            "trigger": self.trigger.to_dict(),
            "sentence": sentence.to_dict() if sentence else None,
            "confidence": round(self.evidence.confidence, 4),
            "rule": self.evidence.rule,
            "quad_class": self.quad_class,
            "intensity": self.intensity,
            "acled_type": self.acled_type,
            "acled_subtype": self.acled_subtype,
        }


def json_number(value: float | None) -> float | int | None:
    """A count as JSON: 7939, not 7939.0 (1.5 stays 1.5); past 2^53, where floats stop
    being exact integers, it stays a float ("1e100 killed" would be an int JSON encoders
    refuse, over 64 bits)."""
    if value is not None and float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class Figure:
    """A count: killed, injured, arrested, ... with qualifier, reporter and date."""

    kind: str
    value: float
    span: Span
    evidence: Evidence
    qualifier: str = "exact"  # exact | at_least | at_most | approximately | range
    low: float | None = None
    high: float | None = None
    reported_by: str | None = None  # actor id
    as_of: str | None = None
    event: str | None = None  # event id
    place: str | None = None  # place id
    group: str | None = None  # who was counted, when named: "airmen" in "13 airmen killed"

    def to_dict(self) -> JSON:
        start, end = iso_interval(self.as_of)
        return {
            "kind": self.kind,
            "value": json_number(self.value),
            "qualifier": self.qualifier,
            "low": json_number(self.low),
            "high": json_number(self.high),
            "reported_by": self.reported_by,
            "as_of": self.as_of,
            "date_start": start,  # of as_of: a figure without one has none
            "date_end": end,
            "event": self.event,
            "place": self.place,
            "group": self.group,
            "span": self.span.to_dict(),
            **self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """An attributed statement: who said what (direct, partial or indirect), with its cue."""

    content: Span
    kind: str  # direct | partial | indirect
    evidence: Evidence
    speaker: str | None = None  # actor id
    speaker_span: Span | None = None
    cue: Span | None = None
    addressee: str | None = None  # actor id
    events: tuple[str, ...] = ()  # ids of events the claim is about

    def to_dict(self) -> JSON:
        return {
            "speaker": self.speaker,
            "speaker_span": self.speaker_span.to_dict() if self.speaker_span else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "kind": self.kind,
            "addressee": self.addressee,
            "events": list(self.events),
            **self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ArticleRecords:
    """One article and everything extracted from it: the unit the pipeline stores."""

    article: Article
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateExpr, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()

    def to_dict(self) -> JSON:
        """The JSON contract of `eventscope extract --json`."""
        return {
            "article": self.article.to_dict(),
            "actors": [a.to_dict() for a in self.actors],
            "places": [p.to_dict() for p in self.places],
            "dates": [d.to_dict() for d in self.dates],
            "events": [e.to_dict() for e in self.events],
            "figures": [f.to_dict() for f in self.figures],
            "quotes": [q.to_dict() for q in self.quotes],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON contract as a string."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


_WORD = re.compile(r"\w+", re.UNICODE)


def word_count(text: str) -> int:
    """Number of words, as throughput figures count them."""
    return len(_WORD.findall(text))
