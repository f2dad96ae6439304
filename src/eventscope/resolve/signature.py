"""What the story stage compares: one `Signature` per article, computed from its records.

A signature holds the signals that tell whether two reports are about the same happening:
- `day`: the publication day (a proleptic ordinal), the clock of the date window;
- `people`: named persons (2+ words) by transliteration key, so a Russian report's
  "Масимов" and an English "Masimov" meet once both are extracted;
- `named`: those of them the story is about rather than who tells it: written in full
  at least once, never given a title or office ("police spokesman Jose Estrada"), and
  not the speaker of a quote. Such a name ties a follow-up weeks later (a trial, a
  funeral) to its story (see `stories.long_range`);
- `places`: GeoNames ids finer than a first-level region (a country or a state is shared
  by unrelated events);
- `figures`: (kind, value) pairs of the counts reported;
- `streets` and `ages`: the identifying details of an incident report that no gazetteer
  holds, the street names of its addresses ("the 2100 block of Bragg Street") and the
  ages of the people in it ("a 10-month-old boy"), read by English patterns;
- `terms`: a TF-IDF vector of the text, unit length, its `TOP_TERMS` heaviest terms.

The IDF is fixed, not counted over the store: it comes from `wordfreq`'s word frequencies
for the article's language (idf = `IDF_CEILING` - Zipf frequency), so a signature does not
change as the store grows and the stories do not depend on what was ingested first.

A **thin** article (under `MIN_WORDS` words, or no place, figure or named person at all:
an empty page, a paywall, a newsletter box, "We have sent you a verification email") is
never linked: it starts its own story, so page furniture cannot glue stories together.
On GVA's dev split (1,541 articles) 76 articles are thin, and every thin page among them
that repeats across sites ("verification email", "Sign in using your account") is caught.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventscope.kb.names import translit_key
from eventscope.model import JSON

# Zipf frequencies run from 0 (unseen) to about 8 ("the"); a word's weight is how far
# below this ceiling it sits: "the" 0, "shooting" 2.2, an unseen surname 7.
IDF_CEILING = 7.0
TOP_TERMS = 60  # GVA dev split: 30, 60 and 200 terms scored within 0.004 B-cubed F1
INDEX_TERMS = 8  # terms a story is found by in the candidate index
MIN_WORDS = 30
# Places this coarse are shared by unrelated events: they are not evidence of one story.
COARSE_FEATURES = frozenset({"A.PCLI", "A.PCLD", "A.PCLS", "A.PCLF", "A.PCL", "A.ADM1", "L.CONT"})
_WORD = re.compile(r"[^\W\d_]{3,}")
# Street names: one to three capitalised words (or an ordinal) before a street word,
# "Bragg Street", "Northwest 70th Street", "Caddy Drive". The entity layer's gazetteer
# stops at towns; an address is what tells two shootings in one city apart.
_STREET = re.compile(
    r"\b((?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))(?:\s+[A-Z][a-z]+){0,2})\s+(?:Street|St|Avenue|Ave"
    r"|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy"
    r"|Way|Terrace|Circle|Trail|Pike)\b"
)
_AGE = re.compile(r"\b(\d{1,3})[- ](year|month|week|day)s?[- ]old\b", re.IGNORECASE)
# wordfreq's languages among those eventscope reads; others are weighed as English.
_WORDFREQ_LANGUAGES = frozenset({"en", "ru", "es", "de", "fr", "it", "pt", "uk", "ar", "tr"})


@functools.lru_cache(maxsize=1 << 18)
def idf(word: str, language: str) -> float:
    """The fixed inverse document frequency of a lower-case word in a language."""
    # wordfreq: word frequencies from many corpora per language, shipped in the wheel
    # (no download); a store-counted IDF would make signatures depend on ingest order.
    from wordfreq import zipf_frequency

    return max(0.0, IDF_CEILING - zipf_frequency(word, language))


@dataclass(frozen=True, slots=True)
class Signature:
    """The story stage's view of one article."""

    article_id: str
    day: int | None
    source: str | None = None
    thin: bool = False
    people: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()
    places: frozenset[int] = frozenset()
    figures: frozenset[tuple[str, float]] = frozenset()
    streets: frozenset[str] = frozenset()
    ages: frozenset[str] = frozenset()
    terms: dict[str, float] = field(default_factory=dict)

    def index_keys(self) -> list[str]:
        """Candidate-index keys: the stories sharing one of them are compared with it."""
        if self.thin:
            return []
        heaviest = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:INDEX_TERMS]
        return [
            *(f"p:{p}" for p in sorted(self.people)),
            *(f"n:{p}" for p in sorted(self.named)),
            *(f"g:{g}" for g in sorted(self.places)),
            *(f"t:{t}" for t, _ in heaviest),
        ]

    def to_dict(self) -> JSON:
        return {
            "article_id": self.article_id,
            "day": self.day,
            "source": self.source,
            "thin": self.thin,
            "people": sorted(self.people),
            "named": sorted(self.named),
            "places": sorted(self.places),
            "figures": sorted([k, v] for k, v in self.figures),
            "streets": sorted(self.streets),
            "ages": sorted(self.ages),
            "terms": {t: round(w, 5) for t, w in self.terms.items()},
        }

    @classmethod
    def from_dict(cls, data: JSON) -> Signature:
        return cls(
            article_id=data["article_id"],
            day=data.get("day"),
            source=data.get("source"),
            thin=bool(data.get("thin")),
            people=frozenset(data.get("people") or ()),
            named=frozenset(data.get("named") or ()),
            places=frozenset(int(g) for g in data.get("places") or ()),
            figures=frozenset((str(k), float(v)) for k, v in data.get("figures") or ()),
            streets=frozenset(data.get("streets") or ()),
            ages=frozenset(data.get("ages") or ()),
            terms=dict(data.get("terms") or {}),
        )


def term_vector(text: str, language: str | None) -> dict[str, float]:
    """Sublinear-tf x fixed-IDF weights of the text's words, its `TOP_TERMS` heaviest,
    scaled to unit length."""
    lang = language if language in _WORDFREQ_LANGUAGES else "en"
    counts = Counter(w.lower() for w in _WORD.findall(text))
    weights = {t: (1 + math.log(c)) * idf(t, lang) for t, c in counts.items()}
    top = sorted(((w, t) for t, w in weights.items() if w > 0), reverse=True)[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {t: w / norm for w, t in top}


def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def _persons(records: JSON) -> tuple[frozenset[str], frozenset[str]]:
    """The transliteration keys of an article's named persons, and of those it is about
    (`Signature.named`)."""
    speakers = {q.get("speaker") for q in records.get("quotes") or ()}
    people: set[str] = set()
    named: set[str] = set()
    for actor in records.get("actors") or ():
        name = actor.get("name") or ""
        if actor.get("type") != "person" or len(name.split()) < 2:
            continue
        key = translit_key(name)
        people.add(key)
        mentions = actor.get("mentions") or ()
        # Written in full at least once: a surname alone ("Toledo") that the entity layer
        # linked to a registry person ("Alejandro Toledo") is no evidence of one story.
        in_full = any(len((m.get("text") or "").split()) >= 2 for m in mentions)
        official = any(m.get("role") for m in mentions) or actor.get("id") in speakers
        if in_full and not official:
            named.add(key)
    return frozenset(people), frozenset(named)


def signature_of(records: JSON) -> Signature:
    """The signature of one article's records (the JSON contract of `extract --json`)."""
    article: dict[str, Any] = records["article"]
    text = article.get("text") or ""
    title = article.get("title") or ""
    people, named = _persons(records)
    body = f"{title}\n{text}"
    places = frozenset(
        int(p["geonameid"])
        for p in records.get("places") or ()
        if p.get("geonameid") and p.get("feature") not in COARSE_FEATURES
    )
    figures = frozenset((str(f["kind"]), float(f["value"])) for f in records.get("figures") or ())
    anchored = bool(people or records.get("places") or figures)
    thin = len(_WORD.findall(text)) < MIN_WORDS or not anchored
    return Signature(
        article_id=article["id"],
        day=_day(article.get("published")),
        source=article.get("source"),
        thin=thin,
        people=people,
        named=named,
        places=places,
        figures=figures,
        streets=frozenset(m.group(1).lower() for m in _STREET.finditer(body)),
        ages=frozenset(f"{m.group(1)} {m.group(2).lower()}" for m in _AGE.finditer(body)),
        terms={} if thin else term_vector(body, article.get("language")),
    )


__all__ = ["Signature", "idf", "signature_of", "term_vector"]
