"""What the tokens of a parsed article refer to, computed once per article and shared by
the stages that read arguments from the parse (events, figures, quotes): the actor each
token belongs to (`ActorIndex`, with pronoun antecedents, demonym groups and countries
named as places) and the date or place spans with the token each hangs from (`Anchors`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from eventscope.kb.countries import country_index
from eventscope.lang.en.grammar import (
    MODIFIERS,
    NOMINAL_SUBJECTS,
    NP_MODIFIERS,
    OBJECTS,
    SUBJECTS,
    conjuncts,
    prep_objects,
)
from eventscope.lang.en.lexicon import words
from eventscope.model import Actor, Evidence, Mention, Place, Span

_SUBJECT_PRONOUNS = words("function_words", "subject_pronouns")
PLACE_PREPS = words("function_words", "place_preps")


def next_actor_number(actors: Iterable[Actor]) -> int:
    """The number of the next actor id of an article ("a7" after "a6"): one allocator for
    every stage that adds actors (actors, then events, figures and quotes), one past the
    highest so far, so an id is never given twice."""
    numbers = [int(a.id[1:]) for a in actors if a.id[1:].isdigit()]
    return max(numbers, default=0) + 1


class ActorIndex:
    """Which actor each token belongs to, from the actors' mention spans; a country named
    only as a place ("food aid to Kazakhstan") becomes a country actor when it is an
    event's argument (`created`)."""

    def __init__(self, doc: Any, actors: Iterable[Any], places: Iterable[Place] = ()) -> None:
        self.by_token: dict[int, str] = {}
        self.actors = list(actors)
        self.created: list[Actor] = []
        self._by_id: dict[str, Actor] = {a.id: a for a in self.actors}
        for actor in self.actors:
            for mention in actor.mentions:
                for token in mention_tokens(doc, mention.span):
                    self.by_token.setdefault(token.i, actor.id)
        self._countries: dict[int, Place] = {}
        places = list(places)
        self._places = {place.id: place for place in places}
        self._groups: dict[tuple[str, str], str] = {}  # (country, noun) -> created group
        for place in places:
            if (place.feature or "").startswith("A.PCL"):
                for mention in place.mentions:
                    for token in mention_tokens(doc, mention.span):
                        self._countries.setdefault(token.i, place)

    def sector(self, actor_id: str) -> str | None:
        """The sector code of an actor of this article."""
        actor = self._by_id.get(actor_id)
        return str(actor.sector).upper()[:3] if actor is not None and actor.sector else None

    def kind(self, actor_id: str) -> str | None:
        """The type (person, organization, group, country) of an actor of this article."""
        actor = self._by_id.get(actor_id)
        return str(actor.type) if actor is not None else None

    def _create(self, actor: Actor) -> str:
        self.created.append(actor)
        self._by_id[actor.id] = actor
        return actor.id

    def _next_number(self) -> int:
        return next_actor_number((*self.actors, *self.created))

    def _demonym_group(self, head: Any) -> str | None:
        """A group named by its nationality when no actor covers it: "168 Liberians",
        "Palestinian homes", "ethnic Albanians" -> a group of that country (no sector)."""
        index = country_index()
        words = [head, *(c for c in head.children if c.dep_ in NP_MODIFIERS)]
        for word in words:
            country = index.of_demonym(word.text) if word.ent_type_ == "NORP" else None
            if country is None:
                continue
            key = (country.iso3, head.lemma_.lower())
            if key in self._groups:
                return self._groups[key]
            phrase = head.doc[min(w.i for w in words) : head.i + 1]
            evidence = Evidence("events.demonym_group", 0.6)
            actor = Actor(
                id=f"a{self._next_number()}",
                name=phrase.text,
                type="group",
                mentions=(
                    Mention(Span(phrase.start_char, phrase.end_char, phrase.text), evidence),
                ),
                country=country.iso3,
                evidence=evidence,
            )
            self._groups[key] = self._create(actor)
            return actor.id
        return None

    def country_of_place(self, place_id: str) -> str | None:
        """The country actor of the country a place of the article lies in."""
        place = self._places.get(place_id)
        return self._country_actor(place) if place is not None else None

    def _country_actor(self, place: Place) -> str | None:
        return self._country(place.country or "", place.mentions, "events.country_argument")

    def country_of(self, actor_id: str) -> str | None:
        """The country actor of an actor's country; a new one cites the actor's mentions
        ("Algerian landowners" -> Algeria)."""
        actor = self._by_id.get(actor_id)
        if actor is None or not actor.country or actor.type == "country":
            return None
        return self._country(actor.country, actor.mentions[:1], "events.domestic_target")

    def _country(self, code: str, mentions: tuple[Mention, ...], rule: str) -> str | None:
        country = country_index().coded(code)
        if country is None:
            return None
        for actor in (*self.actors, *self.created):
            if actor.type == "country" and actor.country == country.iso3:
                return str(actor.id)
        actor = Actor(
            id=f"a{self._next_number()}",
            name=country.name,
            type="country",
            mentions=mentions,
            country=country.iso3,
            evidence=Evidence(rule, 0.8 if rule == "events.country_argument" else 0.5),
        )
        return self._create(actor)

    def of(self, head: Any) -> list[str]:
        """The actors an argument headed by `head` names: the head's own actor, else one
        inside its noun phrase (compound, modifier, apposition, "of" phrase), plus those of
        its conjuncts ("Russia and four other CSTO countries")."""
        found: list[str] = []
        for token in conjuncts(head):
            actor = self._in_phrase(token) or self._antecedent(token)
            if actor is not None and self._is_generic(actor):
                actor = self._specific(token) or actor
            if actor and actor not in found:
                found.append(actor)
        return found

    def _antecedent(self, token: Any) -> str | None:
        """The actor a subject pronoun stands for, within its sentence: the speaker of
        the reporting verb whose content it is the subject of ("Iraq said it would
        allow ...", "the rebels said they will release ..."), else the subject of the
        clause it depends on ("Tokayev said that he will ...")."""
        if token.pos_ != "PRON" or token.lower_ not in _SUBJECT_PRONOUNS:
            return None
        if token.dep_ not in NOMINAL_SUBJECTS:
            return None
        clause = token.head
        for _ in range(3):
            if clause.dep_ not in ("ccomp", "xcomp", "advcl", "conj") or clause.head.i == clause.i:
                return None
            clause = clause.head
            for subject in (c for c in clause.children if c.dep_ in SUBJECTS):
                actor = self._in_phrase(subject)
                if actor is not None and self.agrees(actor, token.lower_):
                    return actor
        return None

    def agrees(self, actor_id: str, pronoun: str) -> bool:
        """Whether a subject pronoun can stand for the actor (he/she a person, it a body)."""
        kind = self.kind(actor_id)
        if pronoun in ("he", "she"):
            return kind == "person"
        if pronoun == "it":
            return kind in ("organization", "country")
        return kind != "person" or pronoun != "they"

    def _is_generic(self, actor_id: str) -> bool:
        """A group with no country ("the heads of state", "members")."""
        actor = self._by_id.get(actor_id)
        return actor is not None and actor.type == "group" and not actor.country

    def _specific(self, head: Any) -> str | None:
        """A more specific actor inside a generic one's "of" phrase, through the noun's
        relative clause: "the heads of state of the six countries that make up the
        CSTO" -> the CSTO."""
        nodes = prep_objects(head, ("of",))
        for _ in range(3):
            following: list[Any] = []
            for node in nodes:
                actor = self.by_token.get(node.i)
                if actor is not None and not self._is_generic(actor):
                    return actor
                following.extend(prep_objects(node, ("of",)))
                for clause in (c for c in node.children if c.dep_ == "relcl"):
                    following.extend(c for c in clause.children if c.dep_ in OBJECTS)
                    following.extend(prep_objects(clause, ("of", "in")))
            nodes = following
        return None

    def _in_phrase(self, head: Any) -> str | None:
        if head.i in self.by_token:
            return self.by_token[head.i]
        if head.i in self._countries:
            found = self._country_actor(self._countries[head.i])
            if found is not None:
                return found
        people = self._demonym_group(head)
        if people is not None:
            return people
        for child in head.children:
            if child.dep_ in MODIFIERS and child.i in self.by_token:
                return self.by_token[child.i]
        for child in head.children:  # "the head of the Kazakh KNB", "forces of the CSTO"
            if child.dep_ == "prep" and child.lower_ == "of":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj" and grandchild.i in self.by_token:
                        return self.by_token[grandchild.i]
        return None


def mention_tokens(doc: Any, span: Span) -> Any:
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    return found if found is not None else ()


class Anchors:
    """Date or place spans of an article with the token each hangs from, computed once,
    so that finding the spans of a trigger climbs integer head links, not spaCy tokens
    (which spaCy builds anew on every access)."""

    def __init__(self, doc: Any, spans: Iterable[tuple[int, int, str]], heads: list[int]) -> None:
        self.heads = heads
        self.items: list[tuple[int, str, bool]] = []  # (root token, id, locative)
        for start, end, ident in spans:
            root = doc[start:end].root
            locative = root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS
            self.items.append((int(root.i), ident, locative))
        # The first span (and first locative one) under each trigger, per trigger set:
        # every event asks, and climbing from every span for each was quadratic.
        self._firsts: dict[frozenset[int], tuple[dict[int, str], dict[int, str]]] = {}
        self._within: dict[int, dict[int, list[int]]] = {}
        self.doc = doc
        self._roots = sorted((root, n) for n, (root, _, _) in enumerate(self.items))

    def _governor(self, node: int, triggers: frozenset[int]) -> int | None:
        """The nearest trigger token the token `node` hangs from in the parse, if any."""
        while node not in triggers:
            head = self.heads[node]
            if head == node:
                return None
            node = head
        return node

    def _first_below(self, top: int) -> tuple[dict[int, str], dict[int, str]]:
        """`_first_under` for the one trigger `top`: its spans lie within its edges."""
        token = self.doc[top]
        low = bisect.bisect_left(self._roots, (token.left_edge.i, -1))
        high = bisect.bisect_right(self._roots, (token.right_edge.i, len(self.items)))
        anywhere: dict[int, str] = {}
        locatives: dict[int, str] = {}
        alone = frozenset((top,))
        for _, n in sorted(self._roots[low:high], key=lambda r: r[1]):
            root, ident, locative = self.items[n]
            if self._governor(root, alone) == top:
                anywhere.setdefault(top, ident)
                if locative:
                    locatives.setdefault(top, ident)
                    break
        return anywhere, locatives

    def _first_under(self, triggers: frozenset[int]) -> tuple[dict[int, str], dict[int, str]]:
        if len(triggers) == 1:
            return self._first_below(next(iter(triggers)))
        found = self._firsts.get(triggers)
        if found is None:
            if len(self._firsts) >= 8:
                self._firsts.clear()  # sets made for one question ("triggers | {verb}")
            anywhere: dict[int, str] = {}
            locatives: dict[int, str] = {}
            for root, ident, locative in self.items:
                governor = self._governor(root, triggers)
                if governor is not None:
                    anywhere.setdefault(governor, ident)
                    if locative:
                        locatives.setdefault(governor, ident)
            found = self._firsts[triggers] = (anywhere, locatives)
        return found

    def attached(self, trigger: int, triggers: frozenset[int]) -> str | None:
        """The id of the first span whose nearest governing trigger is this one: a date
        or place belongs to the event it hangs from, not to one above."""
        return self._first_under(triggers)[0].get(trigger)

    def place(self, trigger: int, triggers: frozenset[int]) -> str | None:
        """A place of the event through a locative preposition ("in Almaty"), else any
        place that hangs from it."""
        anywhere, locatives = self._first_under(triggers)
        return locatives.get(trigger) or anywhere.get(trigger)

    def within(self, node: int, steps: int) -> list[int]:
        """Indexes, in order, of the spans whose root is `node` or hangs from it within
        `steps` heads (an index built once per number of steps)."""
        index = self._within.get(steps)
        if index is None:
            index = self._within[steps] = {}
            for n, (root, _, _) in enumerate(self.items):
                chain = [root]
                for _ in range(steps):
                    chain.append(self.heads[chain[-1]])
                for token in dict.fromkeys(chain):
                    index.setdefault(token, []).append(n)
        return index.get(node, [])
