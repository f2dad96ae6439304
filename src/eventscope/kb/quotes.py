"""The quotes lexicon (`kb/en/quotes.yaml`, through the language pack): the words that
attribute a statement to a speaker."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from eventscope.lang import pack


@dataclass(frozen=True)
class QuotesLexicon:
    cue_verbs: frozenset[str]
    clause_only: frozenset[str]  # cues only with a clause or quotation
    particles: dict[str, frozenset[str]]  # verb -> the particle it needs ("point out")
    cue_nouns: frozenset[str]
    frame_nouns: frozenset[str]  # "in his opinion"
    frame_preps: frozenset[str]
    according: frozenset[str]
    source_nouns: frozenset[str]  # "according to information released by X"
    impersonal: frozenset[str]  # "it is suspected that"
    spokesmen: frozenset[str]  # "deputies of the Duma": the Duma speaks
    intent_cues: frozenset[str]  # "wants to", "vowed to": the intended act is the content
    object_preps: dict[str, tuple[str, ...]]  # "called for", "spoke of"
    not_speakers: frozenset[str]  # "Update:", "Photo:"
    data_verbs: frozenset[str]  # "polls show ...": cues with an object for data subjects


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(x).lower() for x in items or ())


def build_lexicon(data: dict[str, Any]) -> QuotesLexicon:
    """The lexicon of a quotes.yaml mapping; raises ValueError on a malformed entry."""
    particles = data.get("particles") or {}
    if not isinstance(particles, dict):
        raise ValueError("quotes.yaml: particles must map a verb to its particles")
    cues = _words(data["cue_verbs"])
    object_preps = data.get("object_preps") or {}
    restricted = _words(data.get("clause_only")) | _words(particles) | _words(data["intent_cues"])
    unknown = (restricted | _words(object_preps)) - cues
    if unknown:
        raise ValueError(f"quotes.yaml: not cue verbs: {sorted(unknown)}")
    return QuotesLexicon(
        cues,
        _words(data.get("clause_only")),
        {str(k).lower(): _words(v) for k, v in particles.items()},
        _words(data["cue_nouns"]),
        _words(data["frame_nouns"]),
        _words(data["frame_preps"]),
        _words(data["according"]),
        _words(data["source_nouns"]),
        _words(data["impersonal"]),
        _words(data["spokesmen"]),
        _words(data["intent_cues"]),
        {str(k).lower(): tuple(str(p) for p in v) for k, v in object_preps.items()},
        _words(data["not_speakers"]),
        _words(data["data_verbs"]),
    )


@functools.cache
def quotes_lexicon() -> QuotesLexicon:
    """The shipped quotes lexicon (cached)."""
    return build_lexicon(dict(pack("en").lexicon("quotes")))
