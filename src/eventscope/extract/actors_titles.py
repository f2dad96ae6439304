"""Titles of actors: role nouns with what the text says around them (`title_phrases`),
and the mentions they make: titles given to named people, definite titles standing for
an office holder ("the Kazakh leader"), plural role nouns as groups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from eventscope.kb.actors import ActorKB, Title
from eventscope.lang.en.grammar import (
    COUNTRY_LABELS,
    NOMINAL_SUBJECTS,
    NOT_ROLE_TAGS,
    ORG_NAME_LABELS,
    PHRASE_TAGS,
    TITLE_MODIFIERS,
)
from eventscope.lang.en.lexicon import words
from eventscope.model import ArticleRecords, Place
from eventscope.nlp.view import ents

from .actors_builder import Builder, TitlePhrase
from .entities import match_titles
from .entities_kb import fold

_DETERMINERS = words("function_words", "determiners")
_NOT_ROLE_WORDS = words("function_words", "not_role_words")


def title_phrases(doc: Any, kb: ActorKB, places: tuple[Place, ...]) -> Iterator[TitlePhrase]:
    """Every role noun of the article with its modifiers, "of" complement and the named
    people it is given to (compound, apposition after or before)."""
    place_country: dict[int, str] = {}
    for place in places:
        coded = kb.countries.coded(place.country or "")
        for mention in place.mentions if coded else ():
            for char in range(mention.span.start, mention.span.end):
                place_country[char] = coded.iso3 if coded else ""
    person_at = {t.i: e for e in ents(doc) if e.label_ == "PERSON" for t in e}
    for start, end, title in match_titles(doc, kb):
        first = start
        while first > 0:
            token = doc[first - 1]
            is_name = token.ent_type_ in ORG_NAME_LABELS
            if token.lower_ in _DETERMINERS or token.tag_ == "PRP$":
                first -= 1
                break
            is_modifier = token.dep_ in TITLE_MODIFIERS and not token.tag_.startswith("W")
            if not (is_name or is_modifier) or token.is_punct:
                break
            first -= 1
        right = end
        if right < len(doc) and doc[right].lower_ == "of":
            right += 1
            while right < len(doc) and doc[right].tag_ in PHRASE_TAGS:
                right += 1
        inside = [t for t in doc[first:right] if not start <= t.i < end]
        country = _phrase_country(inside, kb, place_country)
        org = next((t for t in inside if t.ent_type_ == "ORG"), None)
        people = _given_to(doc, first, end, right, person_at, title)
        of_sector = next((kind.sector for t in doc[end + 1 : right]
                          for kind in (kb.titles.get((t.lower_,)), kb.org_nouns.get((t.lower_,)))
                          if kind is not None and kind.sector), None)  # fmt: skip
        role_start = first
        while role_start < start and _is_not_role(doc[role_start]):
            role_start += 1
        yield TitlePhrase(
            start=first,
            end=end,
            title=title,
            noun=doc[start:end].text.lower(),
            role=doc[role_start:right].text,
            is_definite=doc[first].lower_ == "the",
            is_current=not any(t.lower_ in kb.not_current_modifiers for t in doc[first:end]),
            country=country,
            org=_ent_of(org) if org is not None else None,
            people=people,
            of_sector=of_sector,
        )


def _is_not_role(token: Any) -> bool:
    return token.tag_ in NOT_ROLE_TAGS or token.lower_ in _NOT_ROLE_WORDS


def _ent_of(token: Any) -> Any:
    return next(e for e in ents(token.doc) if e.start <= token.i < e.end)


def _phrase_country(tokens: list[Any], kb: ActorKB, place_country: dict[int, str]) -> str | None:
    for token in tokens:
        if token.ent_type_ in COUNTRY_LABELS:
            ent = _ent_of(token)
            kind, _, code = ent.kb_id_.partition(":")
            if kind in ("country", "demonym"):
                return str(code)
            found = kb.countries.of_demonym(ent.text) or kb.countries.named(ent.text)
            if found:
                return found.iso3
        if place_country.get(token.idx):
            return place_country[token.idx]
    return None


def _given_to(
    doc: Any, first: int, end: int, right: int, person_at: dict[int, Any], title: Title
) -> tuple[Any, ...]:
    """PERSON entities a title is given to: "President Vladimir Putin", "the president of
    Kyrgyzstan, Sadir Zhapárov" (with its conjuncts), "Vikram Ruzajúnov, a musician"."""
    if end in person_at and person_at[end].start == end:
        return (person_at[end],)
    k = right
    if k < len(doc) and doc[k].text == "(":
        while k < len(doc) and doc[k].text != ")":
            k += 1
        k += 1
    if k + 1 < len(doc) and doc[k].text == "," and person_at.get(k + 1) is not None:
        ent = person_at[k + 1]
        more = [person_at[c.i] for c in ent.root.conjuncts if c.i in person_at]
        # Not "In a speech to parliament, Tokayev said" (a prepositional object, then the
        # subject of the clause); a plural title only for several people.
        is_apposed = ent.root.dep_ not in NOMINAL_SUBJECTS or doc[end - 1].dep_ != "pobj"
        if ent.start == k + 1 and is_apposed and (title.type == "person" or more):
            return (ent, *more) if title.type == "group" else (ent,)
    if first >= 2 and doc[first - 1].text == "," and (first - 2) in person_at:
        ent = person_at[first - 2]
        if ent.end == first - 1 and title.type == "person":
            return (ent,)
    return ()


def _title_mentions(builder: Builder, records: ArticleRecords) -> None:
    """Titles given to named people, definite titles standing for someone ("the Kazakh
    leader"), and plural role nouns as groups."""
    kb, doc = builder.kb, builder.parsed.doc
    published = builder.parsed.article.published
    phrases = list(title_phrases(doc, kb, records.places))
    holders: dict[tuple[str, str | None], str] = {}  # (role noun, country) -> actor key
    for phrase in phrases:
        for person in phrase.people:
            key = builder.by_token.get(person.start)
            if key is not None:
                key = builder.find(key)
                builder.drafts[key].phrases.append(phrase)
                builder.roles.setdefault(person.start_char, phrase.role)
                if phrase.end < person.start or phrase.start > person.end:
                    # "a Kyrgyz citizen, Vikram Ruzajúnov": the title names the person too
                    builder.add(key, "person", doc[phrase.start : phrase.end],
                                "actors.title.apposition", 0.7, role=phrase.role)  # fmt: skip
                if phrase.is_current:
                    holders.setdefault((fold(phrase.noun), phrase.country), key)
    for phrase in phrases:
        if phrase.people:
            continue
        span = doc[phrase.start : phrase.end]
        if phrase.title.type == "person" and phrase.is_definite and phrase.is_current:
            key = _holder(builder, phrase, holders, published)
            if key is not None:
                draft = builder.add(key, "person", span, "actors.title.resolved", 0.7,
                                    role=phrase.role)  # fmt: skip
                draft.phrases.append(phrase)
        elif phrase.title.type == "group":
            group = f"group:{fold(phrase.noun)}:{phrase.country}:{phrase.org_key(builder)}"
            draft = builder.add(group, "group", span, "actors.title.group", 0.6, role=phrase.role)
            draft.names.append(phrase.noun)
            draft.phrases.append(phrase)


def _holder(
    builder: Builder,
    phrase: TitlePhrase,
    holders: dict[tuple[str, str | None], str],
    published: date | None,
) -> str | None:
    """Who "the Kazakh leader" is: the one the article gave that title (of that country;
    with no country, the only one), else the KB person holding that office that day."""
    noun = fold(phrase.noun)
    key = holders.get((noun, phrase.country))
    if key is None and phrase.country is None:
        named = {k for (n, _), k in holders.items() if n == noun}
        key = named.pop() if len(named) == 1 else None
    if key is None and phrase.country and phrase.title.holds:
        found = builder.kb.holders(phrase.country, phrase.title.holds, published)
        if found:
            key = found[0].kb_id
            builder.draft(key, "person").kb = found[0]
    return builder.find(key) if key else None
