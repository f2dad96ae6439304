"""Assembling actors: a `Builder` collects mentions into `Draft`s keyed by identity
(a union-find over keys); a `TitlePhrase` is a role noun the text gives one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventscope.kb.actors import ActorKB, Organization, Person, Title
from eventscope.kb.countries import Country
from eventscope.model import Evidence, Mention, Span
from eventscope.nlp.parse import ParsedArticle


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
