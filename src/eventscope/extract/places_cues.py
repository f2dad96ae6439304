"""Textual cues of the places stage: whether a capitalised span is a toponym the way it
is written (a locative before it, a dateline, a town's institution after it, a person's
title before it) and whether a gazetteer match is plausible in the article's focus."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from eventscope.kb.gazetteer import Candidate, Gazetteer, PlaceLexicon
from eventscope.kb.names import fold
from eventscope.lang.en.grammar import PROPER_NOUN_TAGS
from eventscope.lang.en.lexicon import words
from eventscope.nlp.view import ents, view

from .places_resolve import BROAD, Focus, Found, in_focus

_LOCATIVE = words("function_words", "locative_preps")

_CONNECTORS = words("function_words", "place_connectors")

_MAX_WORDS = 4

_CAPS = "eventscope.places.caps"  # doc.user_data key

_SEATS = words("places", "seat_words")  # "City of Huntsville"

_DATELINE_ENDS = words("places", "dateline_ends")

_INITIAL = re.compile(r"[A-Z]\.")


def _capitalised(token: Any) -> bool:
    return _is_capitalised(token.text)


def _is_capitalised(word: str) -> bool:
    return bool(word[:1].isupper()) and any(c.isalpha() for c in word)


def _is_broad(candidates: Iterable[Candidate]) -> bool:
    return any(c.place.feature.startswith(BROAD) for c in candidates)


def _named(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates matched by their main name, and regions, countries and large cities by
    any name: alternate names of small places (old names, other languages) collide with
    surnames."""
    return [
        c
        for c in candidates
        if c.match in ("name", "abbreviation")
        or c.place.feature.startswith(BROAD)
        or c.place.population >= 100_000
    ]


def _local(candidates: Iterable[Candidate], focus: Focus, *, region: bool) -> bool:
    """Whether a candidate is a place of the article's region (or country)."""
    return any(
        in_focus(c.place, focus, region=region)
        and (c.place.population >= 1000 or c.place.feature == "A.ADM2")
        for c in _named(candidates)
    )


def _whole_name(
    doc: Any, start: int, end: int, candidates: tuple[Candidate, ...], focus: Focus
) -> bool:
    """Whether an entity of another kind ("Gainesville" as PERSON, "Almatí" as ORG) is a
    place: a local place after a locative preposition, in a dateline or before ", State"."""
    before = doc[start - 1].lower_ if start > 0 else ""
    qualified = end + 1 < len(doc) and doc[end].text == "," and _capitalised(doc[end + 1])
    cue = before in _LOCATIVE or _is_dateline(doc, start) or qualified
    return cue and (_local(candidates, focus, region=False) or _big(candidates))


def _big(candidates: Iterable[Candidate]) -> bool:
    return any(c.place.population >= 100_000 for c in _named(candidates))


def _embedded(
    doc: Any,
    start: int,
    stop: int,
    ent_start: int,
    candidates: tuple[Candidate, ...],
    focus: Focus,
    label: str,
    *,
    known: set[str],
) -> bool:
    """Whether a name inside an entity of another kind is a toponym: at its start or after
    "of" ("Ohio Department of Health", "University of Cincinnati"), and a country or
    region, an "X County", a city of the article's region, or a name the article uses
    for a place elsewhere ("Gainesville Police" beside "the Gainesville City Council")."""
    if start != ent_start and doc[start - 1].lower_ not in ("of", "in", "for", "at"):
        return False
    if fold(doc[start:stop].text) in known:
        return True
    named = _named(candidates)
    if any(c.place.feature.startswith(BROAD) for c in named):
        return label != "PERSON" or stop - start > 1
    county = stop - start > 1 and any(c.place.feature == "A.ADM2" for c in named)
    if county or label == "PERSON":
        return county and _local(named, focus, region=False)
    return _local(named, focus, region=True) or (_big(named) and _local(named, focus, region=False))


def _caps(doc: Any) -> tuple[list[bool], str]:
    """Whether each token is capitalised, and the text (spaCy joins it on every access)."""
    caps, text, _ = _token_texts(doc)
    return caps, text


def _token_texts(doc: Any) -> tuple[list[bool], str, list[str]]:
    """(capitalised per token, the doc's text, each token's text), made once per doc."""
    v = view(doc)
    caps: list[bool] | None = doc.user_data.get(_CAPS)
    if caps is None or len(caps) != len(v.texts):
        caps = doc.user_data[_CAPS] = [_is_capitalised(w) for w in v.texts]
    return caps, v.text, v.texts


def _is_person(doc: Any, start: int, lexicon: PlaceLexicon) -> bool:
    """A title before the name ("Sen. Paris", "Mr. Jordan") makes it a person."""
    return start > 0 and fold(doc[start - 1].text) in lexicon.person_titles


def _is_dateline(doc: Any, start: int) -> bool:
    """An all-capitals place opening the text or a line, or a sentence when a comma or
    dash follows ("COLUMBUS, Ohio —", "... budget. WINONA -- The body")."""
    token = doc[start]
    if not token.text.isupper() or len(token.text) <= 2:
        return False
    if start == 0 or "\n" in doc[start - 1].text or doc[start - 1].is_space:
        return True
    end = start + 1
    while end < len(doc) and end - start < _MAX_WORDS and doc[end].text.isupper():
        end += 1  # "TEGA CAY"
    return bool(token.is_sent_start) and end < len(doc) and doc[end].text in _DATELINE_ENDS


def _municipal_names(doc: Any, gaz: Gazetteer, lexicon: PlaceLexicon) -> set[str]:
    """Names of towns and counties the text gives an institution ("Gainesville Police",
    "City of Huntsville"), folded."""
    caps, _, texts = _token_texts(doc)
    found: set[str] = set()
    for k, word in enumerate(texts):
        if word not in lexicon.municipal_words:
            continue
        spans = [(k - n, k) for n in range(_MAX_WORDS - 1, 0, -1) if k - n >= 0]
        if word in _SEATS and k + 2 < len(doc) and texts[k + 1] == "of":
            spans += [(k + 2, k + 2 + n) for n in range(_MAX_WORDS - 1, 0, -1)]
        for start, end in spans:
            if end > len(doc) or not all(caps[i] for i in range(start, end)):
                continue
            if start > 0 and end <= k and (caps[start - 1] or doc[start - 1].text == "-"):
                continue  # the end of a longer name: "Miami-Dade Fire", "Tyler Smith Police"
            text = doc[start:end].text
            if fold(text) in lexicon.not_places or _is_person(doc, start, lexicon):
                continue
            if any(
                c.match == "name" and c.place.feature.startswith(("P.", "A.ADM2", "A.ADM3"))
                for c in gaz.lookup(text)
            ):
                found.add(fold(text))
                break
    return found


def _plausible(
    doc: Any,
    start: int,
    end: int,
    candidates: tuple[Candidate, ...],
    focus: Focus,
    lexicon: PlaceLexicon,
) -> bool:
    """Guards for a gazetteer match outside the entities: not a sentence-initial or
    common word, not part of a longer name, and a place big enough to be meant."""
    first = doc[start]
    if _is_person(doc, start, lexicon):
        return False
    if all(c.match == "abbreviation" for c in candidates):
        return not all(c.needs_context for c in candidates) or _after_place_comma(doc, start)
    dateline = _is_dateline(doc, start)
    if end - start == 1 and (first.is_sent_start or first.is_stop) and not dateline:
        return False
    if first.tag_ and not any(t.tag_ in PROPER_NOUN_TAGS for t in doc[start:end]) and not dateline:
        return False
    before = doc[start - 1] if start > 0 else None
    if (
        before is not None
        and _capitalised(before)
        and not before.is_sent_start
        and fold(before.text) not in lexicon.directional_words
    ):
        return False  # "John Paris": the rest of a name
    after = doc[end] if end < len(doc) else None
    if after is not None and _capitalised(after) and fold(after.text) not in lexicon.admin_words:
        return False  # "Georgia Tech", "Paris Hilton"
    named = _named(candidates)
    # Without an entity label, a big foreign city counts only by its main name: its
    # alternate names include words of other languages ("Shal", Quetta, in a slogan).
    foreign = [c for c in named if c.match != "name" and not in_focus(c.place, focus)]
    named = [c for c in named if c not in foreign or c.place.feature.startswith(BROAD)]
    return _big(named) or _local(named, focus, region=False) or _is_broad(named)


def _after_place_comma(doc: Any, start: int) -> bool:
    return start >= 2 and doc[start - 1].text == "," and _capitalised(doc[start - 2])


def _is_full_name(ent: Any) -> bool:
    """A person's name of two or more words: labelled PERSON, or with a middle initial
    whatever its label (the small model tags "Tyrise M. Bell" ORG)."""
    if len(ent) < 2 or not _capitalised(ent[-1]):
        return False
    return ent.label_ == "PERSON" or (
        len(ent) <= 4 and any(_INITIAL.fullmatch(t.text) for t in ent[1:-1])
    )


def _without_other_names(doc: Any, found: list[Found], lexicon: PlaceLexicon) -> list[Found]:
    """Drop toponyms that are part of another name: a pathogen or newspaper named after
    the place ("Reston ebolavirus", "the Los Angeles Times"), or a lone word that is the
    surname of a person the article names in full ("Bell" after "Michael Bell"), unless
    its region is named beside it or it follows a locative preposition."""
    surnames = {fold(ent[-1].text) for ent in ents(doc) if _is_full_name(ent)}
    kept = []
    for f in found:
        after = doc[f.end].text if f.end < len(doc) else ""
        if after in lexicon.eponym_heads or after.lower() in lexicon.eponym_heads:
            continue
        lone = f.end - f.start == 1 and f.qualifier is None and not f.admin_word
        before = doc[f.start - 1].lower_ if f.start > 0 else ""
        if (
            lone
            and f.key in surnames
            and before not in _LOCATIVE
            and not any(c.place.feature.startswith("A.PCL") for c in f.candidates)
        ):
            continue
        kept.append(f)
    return kept
