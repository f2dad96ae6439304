"""Entities: one corrected entity layer (`doc.ents`) that later stages read.

spaCy's small model mislabels names it has not seen (transliterated people and cities as
ORG, countries as NORP, demonyms as PERSON/GPE), splits "the Kazakh Ministry" from
"Interior" and tags capitalised common nouns ("Groups") as ORG. This stage matches the
knowledge base on tokens (people transliteration-tolerantly, organisations and their
acronyms, countries, demonyms), fixes spaCy's entities by general rules, and writes
PERSON / ORG / GPE / LOC / NORP spans with `kb_id_` set where the KB knows the entity.
Each span's rule and confidence are kept in `doc.user_data[EVIDENCE]`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Span as SpacySpan

from eventscope.kb.actors import ActorKB, Title, is_acronym
from eventscope.lang.en.grammar import KB_NAME_LABELS, NOUN_TAGS
from eventscope.lang.en.lexicon import words
from eventscope.model import ArticleRecords
from eventscope.nlp.view import ent_labels, ents, forget_ents, view

from .context import ArticleContext
from .entities_kb import (
    _JOINERS,
    Found,
    _country_of,
    _kind,
    kb_matches,
)
from .entities_spacy import corrected_spacy
from .registry import register

EVIDENCE = "eventscope.entities"  # doc.user_data key: (start_char, end_char) -> (rule, conf)
_DETERMINERS = words("function_words", "determiners")
_POSSESSIVES = words("function_words", "possessive_endings")


def appositions(doc: Any, kb: ActorKB) -> list[Found]:
    """A proper name right after a kind of organisation ("the Kazakh channel Jabar-24")."""
    out: list[Found] = []
    v, labels = view(doc), ent_labels(doc)
    n = len(v.texts)
    for i in range(n - 1):
        kind = kb.org_nouns.get((v.lowers[i],))
        if kind is None or kind.sector is None or not v.texts[i].islower():
            continue
        end = i + 1
        while end < n and v.tags[end] in ("NNP", "NNPS") and not labels[end]:
            if (v.lowers[end],) in kb.titles:  # "company CEO Steve Jobs": a role
                break
            end += 1
        if end > i + 1:
            out.append(Found(i + 1, end, "ORG", "", "entities.apposition", 0.7, 2))
    return out


def bracketed_and_conjoined(doc: Any) -> list[Found]:
    """Names spaCy missed next to ones it found: an acronym in brackets after an ORG
    ("... Organization (ODKB ...)") and its other uses, and a name coordinated with a
    PERSON ("Marat Osipov and Daulet Ergozhin")."""
    out: list[Found] = []
    acronyms = set()
    v, labels = view(doc), ent_labels(doc)
    for ent in ents(doc):
        after = ent.end + 1
        is_bracketed = after < len(v.texts) and v.texts[ent.end] == "("
        if ent.label_ == "ORG" and is_bracketed and is_acronym(v.texts[after]):
            acronyms.add(v.texts[after])
        if ent.label_ == "PERSON":
            root = ent.root
            for other in (*root.conjuncts,):
                left = other.left_edge.i if other.left_edge.tag_ == "NNP" else other.i
                words = doc[left : other.i + 1]
                if all(t.tag_ == "NNP" and not t.ent_type_ for t in words):
                    out.append(Found(left, other.i + 1, "PERSON", "", "entities.conjunct", 0.6, 2))
    if acronyms:
        out += [
            Found(i, i + 1, "ORG", "", "entities.acronym", 0.7, 2)
            for i, text in enumerate(v.texts)
            if text in acronyms and not labels[i]
        ]
    return out


def resolve(doc: Any, kb: ActorKB, candidates: list[Found]) -> list[Found]:
    """Non-overlapping entities: a KB match inside a larger spaCy name keeps the larger
    span when the rest is only determiners, demonyms or body nouns ("the Kazakh National
    Security Committee"), or when the KB match is a country or demonym ("the Fair Russia
    party"); otherwise priority, then length, wins."""
    # spaCy names by start: the ones holding a KB match start at most the longest
    # name's length before its end (testing all of them for each was quadratic).
    spacy_names = sorted((f.start, n, f) for n, f in enumerate(candidates) if f.priority == 1)
    starts = [start for start, _, _ in spacy_names]
    longest = max((f.end - f.start for *_, f in spacy_names), default=0)
    kept: list[Found] = []
    for f in candidates:
        if f.priority != 3:
            continue
        low = bisect.bisect_left(starts, f.end - longest)
        high = bisect.bisect_right(starts, f.start)
        outer = min(((n, s) for _, n, s in spacy_names[low:high] if f.end <= s.end
                     and (s.end - s.start) > (f.end - f.start)), default=(0, None))[1]  # fmt: skip
        if outer is None:
            kept.append(f)
        elif _only_modifiers(doc, kb, outer, f):
            kept.append(Found(outer.start, outer.end, f.label, f.kb_id, f.rule, f.confidence, 4))
        elif _kind(f.kb_id) in ("country", "demonym"):
            continue  # a modifier of the larger name, which stays
        else:
            kept.append(f)
    order = sorted(kept + [f for f in candidates if f.priority != 3],
                   key=lambda f: (-f.priority, -(f.end - f.start), f.start))  # fmt: skip
    taken: set[int] = set()
    chosen: list[Found] = []
    for f in order:
        if not taken.intersection(range(f.start, f.end)):
            chosen.append(f)
            taken.update(range(f.start, f.end))
    return sorted(chosen, key=lambda f: f.start)


def _only_modifiers(doc: Any, kb: ActorKB, outer: Found, inner: Found) -> bool:
    if inner.label != "ORG":
        return False
    rest = [doc[i] for i in range(outer.start, outer.end) if not inner.start <= i < inner.end]
    return all(
        t.lower_ in _DETERMINERS
        or t.text in _POSSESSIVES
        or kb.countries.of_demonym(t.text) is not None
        or (t.lower_,) in kb.org_nouns
        for t in rest
    )


def set_entities(doc: Any, chosen: list[Found]) -> None:
    """Write `chosen` as `doc.ents` and their evidence into `doc.user_data`."""
    spans = [SpacySpan(doc, f.start, f.end, label=f.label, kb_id=f.kb_id) for f in chosen]
    doc.set_ents(spans, default="outside")
    forget_ents(doc)
    doc.user_data[EVIDENCE] = {
        (s.start_char, s.end_char): (f.rule, f.confidence)
        for s, f in zip(spans, chosen, strict=True)
    }


def match_titles(doc: Any, kb: ActorKB) -> Iterator[tuple[int, int, Title]]:
    """Longest role noun at each token outside names: (start, end, title) over tokens
    ("co - president" matches "co-president"; the last word must be a noun)."""
    v, labels = view(doc), ent_labels(doc)
    i, n = 0, len(v.texts)
    while i < n:
        best: tuple[int, Title] | None = None
        words: tuple[str, ...] = ()
        j = i
        while j < n and labels[j] not in KB_NAME_LABELS:
            if v.texts[j] in _JOINERS and words:
                j += 1
                continue
            words += (v.lowers[j],)
            if words not in kb.title_prefixes:
                break
            j += 1
            title = kb.titles.get(words)
            if title is not None and v.tags[j - 1] in NOUN_TAGS:
                best = (j, title)
        if best is None:
            i += 1
        else:
            yield i, best[0], best[1]
            i = best[0]


def entity_evidence(doc: Any, span: Any) -> tuple[str, float]:
    """(rule, confidence) of an entity span of the corrected layer."""
    found = doc.user_data.get(EVIDENCE, {}).get((span.start_char, span.end_char))
    return found if found else ("entities.spacy", 0.6)


@register("entities", writes=("entities",), requires=("tagger", "parser", "ner"))
def extract_entities(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Write the corrected entity layer: `doc.ents` of the article's parse, rewritten in
    place (names the KB knows, appositions, spaCy's entities corrected); adds no records."""
    doc = ctx.parsed.doc
    kb = ctx.kb.actors
    matches = kb_matches(doc, kb)
    named = {_country_of(f.kb_id) for f in matches if _kind(f.kb_id) in ("country", "demonym")}
    countries = {c.iso2 for c in map(kb.countries.coded, filter(None, named)) if c}
    candidates = matches + appositions(doc, kb) + bracketed_and_conjoined(doc)
    candidates += corrected_spacy(doc, kb, countries)
    set_entities(doc, resolve(doc, kb, candidates))
    return records
