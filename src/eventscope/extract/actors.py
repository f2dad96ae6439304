"""Actors: canonical people, organisations, groups and countries of one article.

Reads the corrected entity layer (stage "entities") and the role nouns of `titles.yaml`:
- mentions of one actor are merged: the same KB entry, the same name key (accents and
  transliteration folded), a lone surname with its full name, an acronym with the name
  it follows in brackets ("National Security Committee (KNB)") or whose initials it
  is, and a definite title
  with a demonym ("the Kazakh leader") with whoever was named with that title in the
  article, else the KB person of that country holding that office on the publication
  date;
- each actor is coded with type, country (ISO alpha-3) and sector: from the KB first
  (the role held on the publication date), else from titles in the text (appositions
  and compounds: "Russian President Vladimir Putin", "a colonel of the National Security
  Committee (KNB), Azamat Ibrayev" takes the organisation's country and sector);
- plural role nouns make group actors ("protesters", "Deputies of the Duma"), and
  countries acting as subjects, objects or agents make country actors; groups and
  state bodies named without a country ("the police", "the Ministry of Interior")
  belong to the country the article names most (its places counted);
The canonical name is the KB's English name, else the fullest form in the text with
accents removed in English articles (as the English press writes transliterated names;
the text as written stays in the aliases and mention spans). Pronouns are not resolved.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from eventscope.kb.actors import (
    ActorKB,
    Organization,
    Person,
    is_acronym,
    name_key,
)
from eventscope.kb.countries import Country, country_index
from eventscope.lang.en.grammar import ACTOR_TYPES, AGENT_ROLES
from eventscope.lang.en.lexicon import words
from eventscope.model import Actor, ArticleRecords, Evidence, Place
from eventscope.nlp.view import ents

from .actors_builder import Builder, Draft
from .actors_titles import _title_mentions
from .article_index import next_actor_number
from .context import ArticleContext
from .entities import entity_evidence
from .entities_kb import fold
from .registry import register

# A country acts when it is a subject, an object or the agent of a passive ("by Russia").
_AGENT_PREPS = words("function_words", "agent_preps")
_DETERMINERS = words("function_words", "determiners")
_POSSESSIVES = words("function_words", "possessive_endings")


def strip_accents(text: str) -> str:
    """ "Tokáyev" -> "Tokayev"; letters without a decomposition (ø, ł) stay."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _core(ent: Any, kb: ActorKB) -> Any:
    """An ORG name without leading determiners and demonyms or a trailing "'s"."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end - 1 and (
        doc[start].lower_ in _DETERMINERS or kb.countries.of_demonym(doc[start].text)
    ):
        start += 1
    if end - 1 > start and doc[end - 1].text in _POSSESSIVES:
        end -= 1
    # "the Fair Russia party": the name the KB knows is "Fair Russia".
    is_body_noun = end - 1 > start and (doc[end - 1].lower_,) in kb.org_nouns
    if ent.kb_id_ and is_body_noun and name_key(doc[start : end - 1].text) in kb.names:
        end -= 1
    return doc[start:end]


def _name_mentions(builder: Builder) -> None:
    """People, organisations and acting countries of the entity layer."""
    kb, doc = builder.kb, builder.parsed.doc
    for ent in ents(doc):
        kind = ACTOR_TYPES.get(ent.label_)
        if kind is None:
            continue
        entry = kb.entry(ent.kb_id_) if ent.kb_id_ else None
        if kind == "country":
            entry = entry or kb.countries.named(ent.text)
            if not isinstance(entry, Country) or not _is_acting(ent):
                continue
            key = f"country:{entry.iso3}"
        elif entry is not None:
            key = ent.kb_id_
        else:
            text = _core(ent, kb).text if kind == "organization" else ent.text
            key = f"{kind}:{name_key(text)}"
        rule, confidence = entity_evidence(doc, ent)
        draft = builder.add(key, kind, ent, rule, confidence, role=None)
        draft.kb = draft.kb or entry
        draft.names.append(_core(ent, kb).text if kind == "organization" else ent.text)
        for token in ent:
            builder.by_token[token.i] = builder.find(key)
    _join_acronyms(builder)
    _join_surnames(builder)


def _is_acting(ent: Any) -> bool:
    """Whether a country mention is a subject, object, possessor or agent, not a place."""
    token = ent.root
    for _ in range(3):  # "Russia and four other countries": climb conjuncts, appositions
        if token.dep_ in ("conj", "appos") and token.head is not token:
            token = token.head
    if token.dep_ in AGENT_ROLES:
        return True
    prep = token.head
    return token.dep_ == "pobj" and (prep.dep_ == "agent" or prep.lower_ in _AGENT_PREPS)


def _join_acronyms(builder: Builder) -> None:
    """ "the National Security Committee (KNB)": the bracketed acronym is the same body."""
    doc = builder.parsed.doc
    for ent in ents(doc):
        if ent.label_ != "ORG" or ent.end + 2 >= len(doc) or doc[ent.end].text != "(":
            continue
        inner = doc[ent.end + 1]
        outer_key, inner_key = builder.by_token.get(ent.start), builder.by_token.get(inner.i)
        if outer_key and inner_key and inner.text.isupper():
            builder.union(outer_key, inner_key)
    # "CSTO" and "Collective Security Treaty Organization" with no brackets between them.
    orgs = [d for d in builder.drafts.values() if d.type == "organization" and d.names]
    by_initials = {_initials(n): d.key for d in orgs for n in d.names if len(n.split()) > 1}
    for draft in orgs:
        full = by_initials.get(draft.names[0]) if is_acronym(draft.names[0]) else None
        if full is not None and draft.key in builder.drafts:
            builder.union(full, draft.key)


def _initials(name: str) -> str:
    """ "Collective Security Treaty Organization" -> "CSTO" (function words skipped)."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


def _join_surnames(builder: Builder) -> None:
    """A one-word person name joins the one full name it ends ("Tokáyev", "Tokayev");
    with two ("Raúl Castro", "Fidel Castro") it stays apart."""
    people = [d for d in builder.drafts.values() if d.type == "person"]
    for draft in people:
        if draft.kb is not None or any(len(fold(n).split()) > 1 for n in draft.names):
            continue
        word = name_key(draft.names[0]) if draft.names else ""
        fuller = [
            d
            for d in people
            if d is not draft
            and d.key in builder.drafts
            and any(name_key(fold(n).split()[-1]) == word for n in d.names if " " in fold(n))
        ]
        if word and len({builder.find(d.key) for d in fuller}) == 1:
            builder.union(fuller[0].key, draft.key)


def _code(draft: Draft, builder: Builder, focus: str | None, places: tuple[Place, ...]) -> None:
    """Country and sector: the KB first, then the titles the text gives the actor."""
    published = builder.parsed.article.published
    entry = draft.kb
    if isinstance(entry, Country):
        draft.country = entry.iso3
    elif isinstance(entry, Organization):
        draft.country, draft.sector = entry.country, entry.sector
    elif isinstance(entry, Person):
        draft.country = entry.country
        role = entry.role_on(published)
        draft.sector = role.sector if role else None
    for phrase in draft.phrases:
        country, sector = phrase.coding(builder)
        draft.country = draft.country or country
        draft.sector = draft.sector or sector
    if isinstance(entry, Person) and draft.sector is None:
        last = entry.last_role(published)
        draft.sector = last.sector if last else None
    if draft.type == "organization" and entry is None:
        country, sector, is_domestic = _org_coding(draft, builder)
        draft.country = draft.country or country or (focus if is_domestic else None)
        draft.sector = draft.sector or sector
    # Protesters or police named without a country: those of the country reported on;
    # gunmen or fighters: those of the country where the text puts them.
    if draft.type == "group" and draft.country is None:
        domestic = any(p.title.is_domestic for p in draft.phrases)
        draft.country = focus if domestic else _local_country(draft, builder, places)
    # "President Dos Santos", "Prime Minister Mahendra Chaudhry": an office holder the KB
    # does not know, titled without a country, holds office in the country reported on.
    untitled = any(p.title.holds and p.country is None for p in draft.phrases)
    if draft.type == "person" and draft.country is None and draft.kb is None and untitled:
        draft.country = focus


def _local_country(draft: Draft, builder: Builder, places: tuple[Place, ...]) -> str | None:
    """The one country of the places named in the sentences of an actor's mentions
    ("gunmen attacked a church in Owo" -> Nigeria); None when they name none or several."""
    doc = builder.parsed.doc
    sentences = set()
    for mention in draft.mentions:
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is not None:
            sentences.add((span.sent.start_char, span.sent.end_char))
    found = set()
    for place in places:
        country = builder.kb.countries.coded(place.country or "")
        if country is None:
            continue
        for mention in place.mentions:
            if any(a <= mention.span.start < b for a, b in sentences):
                found.add(country.iso3)
    return found.pop() if len(found) == 1 else None


def _org_coding(draft: Draft, builder: Builder) -> tuple[str | None, str | None, bool]:
    """A body's country from demonyms and country names in or before its name ("the
    Kazakh Ministry", "the Russian agency Interfax"), its sector from body nouns, and
    whether that noun names a state body ("ministry"), of the article's country if none
    is named."""
    kb, doc = builder.kb, builder.parsed.doc
    country: str | None = None
    sector: str | None = None
    is_domestic = False
    best = 0
    for mention in draft.mentions:
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is None:
            continue
        start = span.start
        while start > 0 and (doc[start - 1].lower_,) in kb.org_nouns:  # "the agency X"
            start -= 1
        while start > 0 and doc[start - 1].ent_type_ in ("NORP", "GPE"):
            start -= 1
        words = [t.lower_ for t in doc[start : span.end]]
        for token in doc[start : span.end]:
            found = kb.countries.of_demonym(token.text) or kb.countries.named(token.text)
            country = country or (found.iso3 if found else None)
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                kind = kb.org_nouns.get(tuple(words[i:j]))
                if kind and kind.sector and j - i >= best:
                    sector, best, is_domestic = kind.sector, j - i, kind.is_domestic
    return country, sector, is_domestic


_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_FUNCTION_WORDS = words("function_words", "name_function_words")


def _is_name(text: str) -> bool:
    """Several words, each capitalised but function words ("Kazakh Ministry of the
    Interior", not "Kazakh leader")."""
    words = text.split()
    return len(words) > 1 and all(w[:1].isupper() or w in _FUNCTION_WORDS for w in words)


def _actor(number: int, draft: Draft, builder: Builder) -> Actor:
    article_language = builder.parsed.article.language
    mentions = tuple(
        dataclasses.replace(m, role=m.role or builder.roles.get(m.span.start))
        for m in sorted(draft.mentions, key=lambda m: m.span.start)
    )
    names = [n.strip() for n in draft.names if n.strip()]
    if draft.kb is not None:
        name = draft.kb.name
    elif names:
        name = max(names, key=lambda n: (len(n.split()), len(n)))
        name = strip_accents(name) if article_language == "en" else name
    else:
        name = mentions[0].span.text
    seen = {n for n in names if n != name}
    # A name as written with its determiner dropped ("the Kazakh Ministry of the
    # Interior" -> "Kazakh Ministry of the Interior"): how users search for it.
    for mention in mentions:
        written = _DETERMINER.sub("", mention.span.text).strip()
        if written != name and _is_name(written):
            seen.add(written)
    if isinstance(draft.kb, Organization):
        # A national body's name without the country the KB adds to tell it from the
        # others' ("Ministry of Internal Affairs of Kazakhstan"): how it names itself.
        country = country_index().coded(draft.country) if draft.country else None
        for country_name in (country.name, *country.aliases) if country else ():
            suffix = f" of {country_name}"
            if name.endswith(suffix) and len(name) > len(suffix):
                seen.add(name[: -len(suffix)])
        # The body's acronyms are how users search for it ("CSTO" for an article that
        # only writes the full name and the Russian "ODKB").
        seen |= {a for a in draft.kb.aliases if is_acronym(a) and a.isascii() and a != name}
    aliases = tuple(sorted(seen))
    confidence = 0.9 if draft.kb is not None else 0.6
    rule = "actors.kb" if draft.kb is not None else "actors.text"
    return Actor(
        id=f"a{number}",
        name=name,
        type=draft.type,
        mentions=mentions,
        country=draft.country,
        sector=draft.sector,
        aliases=aliases,
        evidence=Evidence(rule, confidence),
    )


def _focus(builder: Builder, places: tuple[Place, ...]) -> str | None:
    """The country the article reports on: the most named (countries, demonyms) counting
    the countries of its places, mention by mention."""
    counts: Counter[str] = Counter()
    for ent in ents(builder.parsed.doc):
        kind, _, code = ent.kb_id_.partition(":")
        if kind in ("country", "demonym"):
            counts[code] += 1
    for place in places:
        country = builder.kb.countries.coded(place.country or "")
        if country is not None:
            counts[country.iso3] += len(place.mentions)
    return counts.most_common(1)[0][0] if counts else None


def _ordered(drafts: dict[str, Draft]) -> Iterator[Draft]:
    yield from sorted(drafts.values(), key=lambda d: min(m.span.start for m in d.mentions))


@register(
    "actors", reads=("entities", "places"), writes=("actors",), requires=("tagger", "parser", "ner")
)
def extract_actors(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Canonical actors of the article, coded, with every mention and its evidence."""
    builder = Builder(ctx.parsed, ctx.kb.actors)
    _name_mentions(builder)
    _title_mentions(builder, records)
    focus = _focus(builder, records.places)
    drafts = list(_ordered(builder.drafts))
    # Bodies first: a person's title takes the country and sector of the body it names.
    for draft in sorted(drafts, key=lambda d: d.type != "organization"):
        _code(draft, builder, focus, records.places)
    first = next_actor_number(records.actors)
    actors = [_actor(n, draft, builder) for n, draft in enumerate(drafts, start=first)]
    return dataclasses.replace(records, actors=records.actors + tuple(actors))


# `fold` stays importable from here: the scorecard matched actor names with it.
__all__ = ["extract_actors", "fold", "strip_accents"]
