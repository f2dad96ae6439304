"""Places: toponyms found in the text and resolved to the offline gazetteer (GeoNames).

Recognition: GPE/LOC/FAC entities (a trailing admin word or leading direction cut when
the whole is unknown: "Nyanza Province", "North Texas"); entities of other kinds whose
text names a country or region (the small model tags Tajikistan NORP), or a local place
after "in"/"at" or in a dateline (Almatí as ORG); toponyms inside other entities ("the
Ohio Department of Health", "Gainesville Police"); case-sensitive abbreviations ("U.S.",
"Calif."); capitalised spans the NER missed that the gazetteer knows, guarded against
person names and common words. Demonyms ("Kazakh", "Americans") are not places: they
only count towards the article's country focus.

Resolution (`places_resolve`) scores each name's candidates in context. One `Place` per
resolved location, with every mention.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from eventscope.kb.gazetteer import (
    Candidate,
    Gazetteer,
    PlaceLexicon,
    load_gazetteer,
    place_lexicon,
)
from eventscope.kb.names import fold
from eventscope.lang.en.grammar import NOT_PLACE_LABELS
from eventscope.lang.en.lexicon import words
from eventscope.model import ArticleRecords, Evidence, Mention, Place, Span
from eventscope.nlp.view import ents, sentence_at, view

from .context import ArticleContext
from .places_cues import (
    _CONNECTORS,
    _MAX_WORDS,
    _capitalised,
    _caps,
    _embedded,
    _is_broad,
    _is_person,
    _municipal_names,
    _named,
    _plausible,
    _whole_name,
    _without_other_names,
)
from .places_resolve import (
    Choice,
    Focus,
    Found,
    focus_of,
    fuzzy_candidates,
    group,
    resolve_all,
)
from .registry import register

_NER_RULES = {"GPE": "places.ner.gpe", "LOC": "places.ner.loc", "FAC": "places.ner.fac"}
# Entities of other kinds that may be, or hold, a toponym ("Gainesville Police").
_DETERMINERS = words("function_words", "place_articles")
_POSSESSIVE_MARKS = words("function_words", "possessive_marks")
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z]*\.(?:\s?[A-Z][a-z]*\.)*|[A-Z]{2,4}|[A-Z][a-z]{1,3}")


def _trimmed(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Token bounds without a leading "the" or a trailing possessive."""
    while start < end and doc[start].text in _DETERMINERS:
        start += 1
    while end > start and doc[end - 1].text in _POSSESSIVE_MARKS:
        end -= 1
    return start, end


def _candidates(gaz: Gazetteer, text: str) -> tuple[Candidate, ...]:
    if _ABBREVIATION.fullmatch(text):
        found = gaz.abbreviation(text)
        if found:
            return found
    return gaz.lookup(text)


def _core(
    doc: Any, start: int, end: int, gaz: Gazetteer, lexicon: PlaceLexicon
) -> tuple[int, int, tuple[Candidate, ...], bool]:
    """A place entity the gazetteer does not know whole, without a trailing admin word
    ("Nyanza Province") or leading direction ("Northeast Georgia"): (start, end,
    candidates, whether an admin word was cut)."""
    cut_admin = False
    while end - start > 1 and fold(doc[end - 1].text) in lexicon.admin_words:
        end, cut_admin = end - 1, True
    while end - start > 1 and fold(doc[start].text) in lexicon.directional_words:
        start += 1
    return start, end, _candidates(gaz, doc[start:end].text), cut_admin


def _recognise(doc: Any, gaz: Gazetteer, lexicon: PlaceLexicon) -> tuple[list[Found], Focus]:
    """Every toponym of the text, and the article's focus."""
    focus, found, rest = Focus(), [], []
    for ent in ents(doc):
        if ent.label_ not in _NER_RULES and ent.label_ not in NOT_PLACE_LABELS:
            continue
        start, end = _trimmed(doc, ent.start, ent.end)
        if start >= end:
            continue
        text = doc[start:end].text
        candidates, admin_word = _candidates(gaz, text), False
        demonym = gaz.demonym(text)
        named_country = any(c.place.feature.startswith("A.PCL") for c in candidates)
        if (demonym or ent.kb_id_.startswith("demonym:")) and not named_country:
            focus.countries[demonym or ""] += 1
            continue
        if end - start == 1 and fold(text) in lexicon.directional_words:
            continue  # "the West", "Western interference": a bloc or a quality, no place
        if not candidates and ent.label_ in _NER_RULES:
            core = _core(doc, start, end, gaz, lexicon)
            if core[2]:  # else the whole entity is scanned below, not what _core kept
                start, end, candidates, admin_word = core
        linked = ent.kb_id_.startswith(("org:", "person:"))  # the KB knows it: not a place
        is_name = all(_capitalised(t) or t.text in _CONNECTORS for t in doc[start:end])
        if (
            candidates
            and not linked
            and is_name
            and not _is_person(doc, start, lexicon)
            and (ent.label_ in _NER_RULES or _is_broad(_named(candidates)))
        ):
            rule = _NER_RULES.get(ent.label_, f"places.ner_{ent.label_.lower()}.gazetteer")
            text = doc[start:end].text
            found.append(Found(start, end, text, rule, 0.8, candidates, admin_word))
        else:
            rest.append((ent.label_, start, end, linked, is_name))
    for f in found:  # countries named
        for c in f.candidates[:1]:
            if c.place.feature.startswith("A.PCL") and c.place.country and not _ambiguous(f):
                focus.countries[c.place.country] += 1
    first = group(found)
    resolved = _focus_choices(first, resolve_all(first, None))
    focus = focus_of(resolved, focus)
    translit_to = focus.top_countries(3)
    known = set(first) | _municipal_names(doc, gaz, lexicon)
    for label, start, end, linked, is_name in rest:
        text = doc[start:end].text
        candidates = _candidates(gaz, text)
        if label in _NER_RULES and not candidates:  # a transliteration ("Nursultán")?
            candidates = gaz.lookup_translit(text, translit_to)
        if candidates and label in _NER_RULES:
            found.append(Found(start, end, text, _NER_RULES[label], 0.7, candidates))
        elif (
            candidates
            and is_name
            and not linked
            and (fold(text) in known or _whole_name(doc, start, end, candidates, focus))
        ):
            rule = f"places.ner_{label.lower()}.context"
            found.append(Found(start, end, text, rule, 0.6, candidates))
        else:
            found += _scan(doc, start, end, gaz, focus, lexicon, label=label, known=known)
    covered = {k for ent in ents(doc) for k in range(ent.start, ent.end)}
    free = [k for k in range(len(doc)) if k not in covered]
    known |= {f.key for f in found}
    for start, end in _runs(free):
        found += _scan(doc, start, end, gaz, focus, lexicon, label=None, known=known)
    found.sort(key=lambda f: f.start)
    return found, focus


def _runs(indexes: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs [start, end) of sorted token indexes."""
    start = prev = None
    for k in indexes:
        if start is None or prev is None or k != prev + 1:
            if start is not None and prev is not None:
                yield start, prev + 1
            start = k
        prev = k
    if start is not None and prev is not None:
        yield start, prev + 1


def _scan(
    doc: Any,
    start: int,
    end: int,
    gaz: Gazetteer,
    focus: Focus,
    lexicon: PlaceLexicon,
    *,
    label: str | None,
    known: set[str] | None = None,
) -> list[Found]:
    """Gazetteer names among the capitalised tokens of [start, end): inside an entity of
    another kind ("the Ohio Department of Health", "Gainesville Police"), or outside
    every entity (`label` None), longest first."""
    translit_to = focus.top_countries(3)
    caps, full_text = _caps(doc)
    v = view(doc)
    found, i = [], start
    while i < end:
        hit = None
        for stop in range(min(end, i + _MAX_WORDS), i, -1) if caps[i] else ():
            # Most tokens are lower case: look at words first, build spans only for names.
            if not caps[stop - 1] or any(
                not caps[k] and v.texts[k] not in _CONNECTORS for k in range(i + 1, stop - 1)
            ):
                continue
            text = full_text[v.starts[i] : v.end(stop - 1)]
            candidates = _candidates(gaz, text)
            if not candidates and stop == i + 1 and translit_to and label is None:
                candidates = gaz.lookup_translit(text, translit_to)
            if not candidates or fold(text) in lexicon.not_places or gaz.demonym(text):
                continue
            if label is None:
                repeated = fold(text) in (known or set())  # named a place before
                ok = (repeated and not _is_person(doc, i, lexicon)) or _plausible(
                    doc, i, stop, candidates, focus, lexicon
                )
            else:
                ok = not _is_person(doc, i, lexicon) and _embedded(
                    doc, i, stop, start, candidates, focus, label, known=known or set()
                )
            if ok:
                rule = "places.gazetteer" if label is None else "places.embedded"
                hit = Found(i, stop, text, rule, 0.5, candidates)
                break
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i = hit.end
    return found


_LIST_JOINS = words("function_words", "list_joins")


def _next_in_list(doc: Any, f: Found, by_start: dict[int, Found]) -> Found | None:
    """The toponym after `f` joined by a comma, "and" or ", and", if any."""
    k = f.end
    while k < len(doc) and k - f.end < 2 and doc[k].lower_ in _LIST_JOINS:
        k += 1
    return by_start.get(k) if k > f.end else None


def _is_country(found: Found) -> bool:
    return any(c.match == "name" and c.place.feature.startswith("A.PCL") for c in found.candidates)


def _link_context(doc: Any, found: list[Found], lexicon: PlaceLexicon) -> None:
    """Set each toponym's qualifier ("Paris, Texas") and following admin word. In a list
    of three or more places ("Arkansas, California, Colorado") no item qualifies the one
    before it."""
    by_start = {f.start: f for f in found}
    in_list: set[int] = set()
    walked: set[int] = set()  # a run's later items start no run of their own: linear
    for f in found:
        if f.start in walked:
            continue
        run = [f]
        while (following := _next_in_list(doc, run[-1], by_start)) is not None:
            run.append(following)
        walked.update(x.start for x in run)
        if len(run) >= 3:
            in_list.update(x.start for x in run)
    for f in found:
        after = f.end
        if after < len(doc) and fold(doc[after].text) in lexicon.admin_words:
            f.admin_word = True
        if (
            after + 1 < len(doc)
            and doc[after].text == ","
            and after + 1 in by_start
            and f.start not in in_list
            and not _is_country(f)  # "China, Japan" is no town of Japan
        ):
            f.qualifier = by_start[after + 1]
            by_start[after + 1].qualifies = f


def find_places(doc: Any, gaz: Gazetteer, *, lexicon: PlaceLexicon | None = None) -> list[Place]:
    """Every place of a parsed text, resolved, with all its mentions (ids p1, p2, ...)."""
    lexicon = lexicon or place_lexicon()
    found, focus = _recognise(doc, gaz, lexicon)
    for f in found:
        if not f.candidates:
            f.candidates = fuzzy_candidates(gaz, f, focus)
    found = [f for f in found if f.candidates]
    _link_context(doc, found, lexicon)
    found = _without_other_names(doc, found, lexicon)
    groups = group(found)
    context = focus_of(_focus_choices(groups, resolve_all(groups, None)), focus)
    return _places(doc, groups, resolve_all(groups, context))


def _ambiguous(found: Found) -> bool:
    """Whether a name is both a country and another country's region (Georgia): its
    first guess must not set the article's focus, which has to decide between them."""
    countries = {c.place.country for c in found.candidates if c.place.feature.startswith("A.PCL")}
    return bool(countries) and any(
        c.place.feature == "A.ADM1" and c.match == "name" and c.place.country not in countries
        for c in found.candidates
    )


def _focus_choices(
    groups: dict[str, list[Found]], choices: dict[str, Choice | None]
) -> list[tuple[Choice, int]]:
    """The choices that may set the article's focus, with their number of mentions."""
    return [
        (choice, len(groups[key]))
        for key, choice in choices.items()
        if choice is not None and not any(_ambiguous(f) for f in groups[key])
    ]


def _places(
    doc: Any, groups: dict[str, list[Found]], choices: dict[str, Choice | None]
) -> list[Place]:
    by_place: dict[int, tuple[Choice, list[Found]]] = {}
    for key, mentions in groups.items():
        choice = choices[key]
        if choice is None:
            continue
        entry = by_place.setdefault(choice.place.geonameid, (choice, []))
        entry[1].extend(mentions)
    ordered = sorted(by_place.values(), key=lambda item: min(m.start for m in item[1]))
    places = []
    for number, (choice, mentions) in enumerate(ordered, start=1):
        p = choice.place
        places.append(
            Place(
                id=f"p{number}",
                name=p.name,
                geonameid=p.public_id,
                feature=p.feature,
                country=p.country,
                admin1=p.admin1_name,
                lat=p.lat,
                lon=p.lon,
                mentions=tuple(_mention(doc, m) for m in sorted(mentions, key=lambda m: m.start)),
                evidence=Evidence(choice.rule, choice.confidence),
                reason=choice.reason,
            )
        )
    return places


def _mention(doc: Any, found: Found) -> Mention:
    v = view(doc)
    start, end = v.starts[found.start], v.end(found.end - 1)
    sent_start, sent_end = sentence_at(doc, start) or (start, end)
    return Mention(
        Span(start, end, v.text[start:end]),
        Evidence(
            found.rule, found.confidence, Span(sent_start, sent_end, v.text[sent_start:sent_end])
        ),
    )


@register("places", reads=("entities",), writes=("places",), requires=("ner", "tagger"))
def extract_places(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Add the article's places (toponyms resolved to GeoNames) to its records."""
    found = find_places(ctx.parsed.doc, load_gazetteer())
    return dataclasses.replace(records, places=records.places + tuple(found))
