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
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventscope.kb.actors import (
    ActorKB,
    Organization,
    Person,
    Title,
    configured_kb,
    is_acronym,
    name_key,
)
from eventscope.kb.countries import Country
from eventscope.model import Actor, ArticleRecords, Evidence, Mention, Place, Span
from eventscope.nlp.parse import ParsedArticle

from .entities import entity_evidence, fold, match_titles
from .registry import register

_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "country", "LOC": "country"}
# A country acts when it is a subject, an object or the agent of a passive ("by Russia").
_AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "dative"})
_AGENT_PREPS = frozenset({"by", "with", "against", "between"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "case"})
_DETERMINERS = frozenset({"the", "a", "an"})
# Leading words that are not part of a role ("the", "two", "his").
_NOT_ROLE_TAGS = frozenset({"DT", "CD", "PRP$", "PDT"})
# Tags that continue a noun phrase after "of" ("of the Fair Russia party").
_PHRASE_TAGS = frozenset({"DT", "JJ", "NN", "NNS", "NNP", "NNPS", "CD", "POS", "HYPH", "PRP$"})


@dataclass(frozen=True, slots=True)
class TitlePhrase:
    """A role noun with what the text says around it: "the Zhambil region police chief",
    "a colonel of the National Security Committee (KNB)", "the Kazakh leader"."""

    start: int  # first token of the phrase (its determiner, demonym, modifiers)
    end: int  # token after the role noun
    title: Title
    noun: str  # the role noun as written, lower case ("police chief")
    role: str  # the phrase without its determiner ("Kazakh leader")
    is_definite: bool
    is_current: bool  # no "former", "first", "new": may stand for today's office holder
    country: str | None  # from a demonym, country or place in the phrase or after "of"
    org: Any | None  # the ORG entity the role belongs to (compound or "of" phrase)
    people: tuple[Any, ...]  # PERSON entities the title is given to
    of_sector: str | None = None  # "members of the police": the sector of the complement

    def org_key(self, builder: Builder) -> str | None:
        """Key of the organisation's actor, if the role belongs to one."""
        key = builder.by_token.get(self.org.start) if self.org is not None else None
        return builder.find(key) if key else None

    def coding(self, builder: Builder) -> tuple[str | None, str | None]:
        """(country, sector) the title implies; a body's sector wins over a person's rank
        ("colonel of the KNB" -> SPY), not over a group's (CSTO troops stay MIL)."""
        key = self.org_key(builder)
        org = builder.drafts.get(key) if key else None
        sector = self.title.sector
        if org is not None and org.sector and (sector is None or self.people):
            sector = org.sector
        sector = sector or self.of_sector
        return self.country or (org.country if org else None), sector


def title_phrases(doc: Any, kb: ActorKB, places: tuple[Place, ...]) -> Iterator[TitlePhrase]:
    """Every role noun of the article with its modifiers, "of" complement and the named
    people it is given to (compound, apposition after or before)."""
    place_country: dict[int, str] = {}
    for place in places:
        coded = kb.countries.coded(place.country or "")
        for mention in place.mentions if coded else ():
            for char in range(mention.span.start, mention.span.end):
                place_country[char] = coded.iso3 if coded else ""
    person_at = {t.i: e for e in doc.ents if e.label_ == "PERSON" for t in e}
    for start, end, title in match_titles(doc, kb):
        first = start
        while first > 0:
            token = doc[first - 1]
            is_name = token.ent_type_ in ("NORP", "GPE", "ORG", "LOC")
            if token.lower_ in _DETERMINERS or token.tag_ == "PRP$":
                first -= 1
                break
            is_modifier = token.dep_ in _MODIFIER_DEPS and not token.tag_.startswith("W")
            if not (is_name or is_modifier) or token.is_punct:
                break
            first -= 1
        right = end
        if right < len(doc) and doc[right].lower_ == "of":
            right += 1
            while right < len(doc) and doc[right].tag_ in _PHRASE_TAGS:
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
    return token.tag_ in _NOT_ROLE_TAGS or token.lower_ in ("other", "another")


def _ent_of(token: Any) -> Any:
    return next(e for e in token.doc.ents if e.start <= token.i < e.end)


def _phrase_country(tokens: list[Any], kb: ActorKB, place_country: dict[int, str]) -> str | None:
    for token in tokens:
        if token.ent_type_ in ("NORP", "GPE", "LOC"):
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
        is_apposed = ent.root.dep_ not in ("nsubj", "nsubjpass") or doc[end - 1].dep_ != "pobj"
        if ent.start == k + 1 and is_apposed and (title.type == "person" or more):
            return (ent, *more) if title.type == "group" else (ent,)
    if first >= 2 and doc[first - 1].text == "," and (first - 2) in person_at:
        ent = person_at[first - 2]
        if ent.end == first - 1 and title.type == "person":
            return (ent,)
    return ()


@dataclass(slots=True)
class Draft:
    """An actor being assembled from its mentions (mutable inside this stage only)."""

    key: str
    type: str
    kb: Person | Organization | Country | None = None
    mentions: list[Mention] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # mention texts that are names
    phrases: list[TitlePhrase] = field(default_factory=list)  # titles given to it
    country: str | None = None
    sector: str | None = None


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
        doc[start].lower_ in ("the", "a", "an") or kb.countries.of_demonym(doc[start].text)
    ):
        start += 1
    if end - 1 > start and doc[end - 1].text in ("'s", "’s"):
        end -= 1
    # "the Fair Russia party": the name the KB knows is "Fair Russia".
    is_body_noun = end - 1 > start and (doc[end - 1].lower_,) in kb.org_nouns
    if ent.kb_id_ and is_body_noun and name_key(doc[start : end - 1].text) in kb.names:
        end -= 1
    return doc[start:end]


class Builder:
    """Collects mentions into drafts keyed by identity, with a union-find over keys."""

    def __init__(self, parsed: ParsedArticle, kb: ActorKB) -> None:
        self.parsed, self.kb = parsed, kb
        self.drafts: dict[str, Draft] = {}
        self.parent: dict[str, str] = {}
        self.by_token: dict[int, str] = {}  # token index -> key, for name mentions
        self.roles: dict[int, str] = {}  # start char of a name mention -> title given

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        """Merge the actors of keys a and b; a KB key stays the representative."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.drafts[rb].kb is not None and self.drafts[ra].kb is None:
            ra, rb = rb, ra
        self.parent[rb] = ra
        keep, gone = self.drafts[ra], self.drafts.pop(rb)
        keep.mentions += gone.mentions
        keep.names += gone.names
        keep.phrases += gone.phrases
        keep.kb = keep.kb or gone.kb

    def draft(self, key: str, kind: str) -> Draft:
        """The draft of actor `key`, created if new."""
        key = self.find(key)
        if key not in self.drafts:
            self.drafts[key] = Draft(key, kind)
            self.parent[key] = key
        return self.drafts[key]

    def add(
        self, key: str, kind: str, span: Any, rule: str, confidence: float, *, role: str | None
    ) -> Draft:
        """Add a mention over the spaCy span `span` to the actor `key` (created if new)."""
        draft = self.draft(key, kind)
        text = Span(span.start_char, span.end_char, span.text)
        sentence = self.parsed.sentence_of(span.start_char)
        draft.mentions.append(Mention(text, Evidence(rule, confidence, sentence), role))
        return draft


def _name_mentions(builder: Builder) -> None:
    """People, organisations and acting countries of the entity layer."""
    kb, doc = builder.kb, builder.parsed.doc
    for ent in doc.ents:
        kind = _TYPES.get(ent.label_)
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
    if token.dep_ in _AGENT_DEPS:
        return True
    prep = token.head
    return token.dep_ == "pobj" and (prep.dep_ == "agent" or prep.lower_ in _AGENT_PREPS)


def _join_acronyms(builder: Builder) -> None:
    """ "the National Security Committee (KNB)": the bracketed acronym is the same body."""
    doc = builder.parsed.doc
    for ent in doc.ents:
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


def _code(draft: Draft, builder: Builder, focus: str | None) -> None:
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
    # Protesters or police named without a country: those of the country reported on.
    if draft.type == "group" and draft.country is None:
        draft.country = focus if any(p.title.is_domestic for p in draft.phrases) else None


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
    aliases = tuple(sorted({n for n in names if n != name}))
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
    for ent in builder.parsed.doc.ents:
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


@register("actors", requires=("tagger", "parser", "ner"))
def extract_actors(parsed: ParsedArticle, records: ArticleRecords) -> ArticleRecords:
    """Canonical actors of the article, coded, with every mention and its evidence."""
    builder = Builder(parsed, configured_kb())
    _name_mentions(builder)
    _title_mentions(builder, records)
    focus = _focus(builder, records.places)
    drafts = list(_ordered(builder.drafts))
    # Bodies first: a person's title takes the country and sector of the body it names.
    for draft in sorted(drafts, key=lambda d: d.type != "organization"):
        _code(draft, builder, focus)
    first = len(records.actors) + 1
    actors = [_actor(n, draft, builder) for n, draft in enumerate(drafts, start=first)]
    return dataclasses.replace(records, actors=records.actors + tuple(actors))


# `fold` stays importable from here: the scorecard matched actor names with it.
__all__ = ["extract_actors", "fold", "strip_accents"]
