"""spaCy's name entities corrected by general rules (`corrected_spacy`): cut, dropped,
joined or relabelled where the small model errs."""

from __future__ import annotations

import functools
import logging
from collections import Counter
from typing import Any

from eventscope.kb.actors import ActorKB
from eventscope.lang.en.grammar import (
    COMMON_NOUN_TAGS,
    KB_NAME_LABELS,
    NUMERIC_LABELS,
    PROPER_NOUN_TAGS,
)
from eventscope.lang.en.lexicon import words
from eventscope.nlp.view import ents, view

from .entities_kb import _JOINERS, Found, fold

_DETERMINERS = words("function_words", "determiners")
_POSSESSIVES = words("function_words", "possessive_endings")
_POSSESSIVE_MARKS = words("function_words", "possessive_marks")
_MAIN_PLACES = frozenset({"P.PPLC", "P.PPLA", "A.ADM1"})

log = logging.getLogger(__name__)


def corrected_spacy(doc: Any, kb: ActorKB, countries: set[str]) -> list[Found]:
    """spaCy's name entities after the general fixes: cut at a line break and before a
    possessive, common nouns dropped, "Ministry" + "of the Interior" joined, places in
    the gazetteer (of a country the article names) or after locative prepositions
    relabelled GPE, ORG names of people relabelled PERSON (the surname is a PERSON
    elsewhere, or a title stands before the name). `countries`: ISO alpha-2 codes."""
    out: list[Found] = []
    places = _locative_names(doc, kb)
    lowered: set[str] = set()  # words the article writes in lower case, filled if needed
    surnames = _person_surnames(doc)
    # The last word of a full name is a person's, even where it is also a town's.
    name_ends = {fold(e[-1].text) for e in ents(doc) if e.label_ == "PERSON" and len(e) > 1}
    for ent in ents(doc):
        if ent.label_ in NUMERIC_LABELS and _is_misread_name(ent):
            # The small model reads some transliterated names as numbers ("Zhanaozen"
            # CARDINAL): a known place becomes GPE, anything else no entity at all.
            if _is_known_place(ent, kb, countries, name_ends):
                out.append(Found(ent.start, ent.end, "GPE", "", "entities.gazetteer", 0.6, 1))
            continue
        if ent.label_ not in KB_NAME_LABELS:
            out.append(Found(ent.start, ent.end, ent.label_, "", "entities.spacy", 0.6, 0))
            continue
        span = _trimmed(ent)
        if not span or (_is_common_noun(span, lowered) and fold(span[-1].text) not in surnames):
            continue  # "Groups of armed combatants": a capitalised common noun
        if _is_in_title(span, kb):
            continue  # "State" of "Secretary of State", "the Head of State": a role
        label, end, rule = ent.label_, span.end, "entities.spacy"
        if label != "PERSON" and len(span) == 1 and fold(span.text) in name_ends:
            label, rule = "PERSON", "entities.person_like"  # "Zhoomártov" after "Bakyt Z."
        elif label in ("ORG", "PERSON") and _is_known_place(span, kb, countries, name_ends):
            label, rule = "GPE", "entities.gazetteer"
        elif label == "ORG":
            end = _of_extension(doc, span, kb)
            if end > span.end:
                rule = "entities.org_of"
            elif len(span) == 1 and fold(span.text) in places:
                label, rule = "GPE", "entities.locative"
            elif _is_person_like(doc, span, kb, surnames):
                label, rule = "PERSON", "entities.person_like"
        out.append(Found(span.start, end, label, "", rule, 0.6, 1))
    return out


def _is_misread_name(ent: Any) -> bool:
    """A capitalised word or words with no digit and no number word, labelled a number."""
    return ent[0].text[:1].isupper() and all(t.is_alpha and not t.like_num for t in ent)


def _is_in_title(span: Any, kb: ActorKB) -> bool:
    """Whether the entity ends a person's role noun that begins at most four words before
    it ("Secretary of State")."""
    doc = span.doc
    if span[-1].lower_ not in kb.person_title_ends:
        return False
    for start in range(max(0, span.start - 4), span.start + 1):
        words = tuple(t.lower_ for t in doc[start : span.end] if t.text not in _JOINERS)
        if words and words[0] in _DETERMINERS:
            words = words[1:]
        title = kb.titles.get(words)
        if title is not None and title.type == "person":  # not "Congress", "Parliament"
            return True
    return False


def _trimmed(ent: Any) -> Any:
    """The entity up to its first line break and without a final possessive ("Tokayev's")."""
    end = next((t.i for t in ent if "\n" in t.text), ent.end)
    if end - ent.start > 1 and ent.doc[end - 1].text in _POSSESSIVE_MARKS:
        end -= 1
    return ent.doc[ent.start : end]


@functools.cache
def _gazetteer() -> Any:
    """The places gazetteer, or None where it cannot be opened (the rule is then off)."""
    try:
        from eventscope.kb.gazetteer import load_gazetteer

        return load_gazetteer()
    except Exception:  # the entity layer works without it, only less well
        log.warning("gazetteer unavailable: place names tagged PERSON/ORG stay so", exc_info=True)
        return None


def _is_known_place(span: Any, kb: ActorKB, countries: set[str], name_ends: set[str]) -> bool:
    """A PERSON/ORG of one or two words that the gazetteer knows as a city of 50,000 or
    more, a capital or a region, in a country the article names ("Zhanaozen", "Aktobe")."""
    words = [t for t in span if t.text not in _JOINERS]
    if not countries or len(words) > 2 or fold(span[-1].text) in name_ends:
        return False
    if any((t.lower_,) in kb.org_nouns or (t.lower_,) in kb.titles for t in span):
        return False
    gazetteer = _gazetteer()
    if gazetteer is None:
        return False
    # Transliterations too ("JANAOZEN", "Almatí"), only among the article's countries.
    found = gazetteer.lookup(span.text) or gazetteer.lookup_translit(span.text, countries)
    return any(
        c.place.country in countries
        and (c.place.population >= 50_000 or c.place.feature in _MAIN_PLACES)
        for c in found
    )


def _person_surnames(doc: Any) -> set[str]:
    """Last words that end more PERSON than ORG entities in the article ("Tokáyev", not
    "Grumman" of "Northrop Grumman")."""
    votes: Counter[str] = Counter()
    for ent in ents(doc):
        if ent.label_ in ("PERSON", "ORG"):
            votes[fold(ent[-1].text)] += 1 if ent.label_ == "PERSON" else -1
    return {word for word, vote in votes.items() if vote > 0}


def _is_common_noun(ent: Any, lowered: set[str]) -> bool:
    """Common nouns only: plural ones ("Groups"), or words the article also writes in
    lower case; names tagged NN by mistake ("Tokáyev") are neither."""
    words = [t for t in ent if t.lower_ not in _DETERMINERS]
    if not words or any(t.tag_ not in COMMON_NOUN_TAGS for t in words):
        return False
    if not lowered and any(t.tag_ == "NN" for t in words):
        v = view(ent.doc)  # Token.is_lower is the text's islower()
        lowered.update(low for low, text in zip(v.lowers, v.texts, strict=True) if text.islower())
    return all(t.tag_ == "NNS" or t.lower_ in lowered for t in words)


def _is_person_like(doc: Any, ent: Any, kb: ActorKB, surnames: set[str]) -> bool:
    """An ORG that is a person's name: a lone word that ends more PERSON entities than ORG
    ones ("Masimov"), or capitalised words with no body noun whose last word does, or
    after a person title ("the Kazakh leader, Kasim-Zhomart Tokáyev")."""
    words = [t for t in ent if t.text not in _JOINERS]
    if len(words) == 1:
        return words[0].tag_ == "NNP" and fold(words[0].text) in surnames
    if any((t.lower_,) in kb.org_nouns for t in ent):
        return False
    if not all(t.tag_ == "NNP" for t in words):
        return False
    if fold(ent[-1].text) in surnames:
        return True
    before = ent.start - 1
    if before >= 0 and doc[before].text == ",":
        before -= 1
    title = kb.titles.get((doc[before].lower_,)) if before >= 0 else None
    return title is not None and title.type == "person"


def _of_extension(doc: Any, ent: Any, kb: ActorKB) -> int:
    """End of an ORG ending in a body noun and continued by "of (the) Name" ("the Kazakh
    Ministry" + "of the Interior"); the ORG's own end otherwise."""
    if (ent[-1].lower_,) not in kb.org_nouns:
        return int(ent.end)
    i = ent.end
    if i >= len(doc) or doc[i].lower_ != "of":
        return int(ent.end)
    i += 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    end = i
    while end < len(doc) and (doc[end].tag_ in PROPER_NOUN_TAGS or doc[end].text in _JOINERS):
        if doc[end].ent_type_ in ("GPE", "PERSON", "DATE"):
            break
        end += 1
    return end if end > i else int(ent.end)


def _locative_names(doc: Any, kb: ActorKB) -> set[str]:
    """Folded texts of one-word entities that stand after a locative preposition somewhere
    in the article ("arrested in Almatí") and never act (subject, possessor: "GM 's
    package", "Boeing says"), as bodies do: one name, one sense per article."""
    places, actors = set(), set()
    for ent in ents(doc):
        if len(ent) != 1 or ent.label_ not in ("ORG", "GPE", "LOC"):
            continue
        token, key = ent[0], fold(ent.text)
        after = doc[token.i + 1].text if token.i + 1 < len(doc) else ""
        if token.dep_ in ("nsubj", "nsubjpass", "poss") or after in _POSSESSIVES:
            actors.add(key)
        is_locative = token.dep_ == "pobj" and token.head.lower_ in kb.locative_prepositions
        if is_locative and token.head.head.lower_ not in kb.not_locative_heads:
            places.add(key)
    return places - actors
