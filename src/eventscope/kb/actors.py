"""Actors from the knowledge base: organizations.yaml, people.yaml (with
people_history.yaml, office holders of 1975-2014) and titles.yaml.

`load_actor_kb()` reads the shipped files (and extra user files of the same schemas,
whose entries are added or override shipped ones by name) once, and indexes every name:
`names` maps a transliteration-tolerant key (`name_key`) to KB ids, `acronyms` maps
case-sensitive abbreviations ("KNB", "U.S."), `titles` maps folded role nouns. KB ids
are readable: "person:Vladimir Putin", "org:KAZ:National Security Committee",
"country:KAZ", "demonym:KAZ".
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .countries import Country, CountryIndex, build_index
from .load import load_yaml
from .names import fold, translit_key

log = logging.getLogger(__name__)

_PIECES = re.compile(r"[\s\-‐–]+")
_ACRONYM = re.compile(r"^(?:[A-Z][A-Z0-9&]{1,7}|(?:[A-Z]\.){2,4}|[A-Z][a-z]?[A-Z]{1,5})$")


def name_key(text: str) -> str:
    """Match key of a name: `translit_key` per word, joined ("Jabar-24" == "Khabar 24")."""
    return "".join(translit_key(piece) for piece in _PIECES.split(text) if piece)


def title_key(text: str) -> tuple[str, ...]:
    """Match key of a role noun: folded words ("Co-President" -> ("co", "president"))."""
    return tuple(fold(text).split())


def is_acronym(text: str) -> bool:
    """Whether a name is an abbreviation matched case-sensitively ("KNB", "U.S.", "GKNB")."""
    return bool(_ACRONYM.match(text))


@dataclass(frozen=True, slots=True)
class Role:
    """An office held from `start` to `end` (None: open)."""

    title: str
    sector: str | None
    start: date | None = None
    end: date | None = None

    def held_on(self, day: date | None) -> bool:
        """Whether the role was held on `day` (None: today, i.e. still held)."""
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()

    @property
    def kb_id(self) -> str:
        return f"person:{self.name}"

    def role_on(self, day: date | None) -> Role | None:
        """The role held on `day`; with several, the first listed."""
        return next((r for r in self.roles if r.held_on(day)), None)

    def last_role(self, day: date | None) -> Role | None:
        """The latest role begun by `day` (a former office still says who someone is)."""
        begun = [r for r in self.roles if day is None or r.start is None or r.start <= day]
        return max(begun, key=lambda r: r.end or date.max, default=None)


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    type: str  # organization | group
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    @property
    def kb_id(self) -> str:
        return f"org:{self.country or ''}:{self.name}"


@dataclass(frozen=True, slots=True)
class Title:
    """A role noun and what it implies: sector, actor type, offices it can stand for."""

    words: tuple[str, ...]
    sector: str | None
    type: str  # person | group | organization
    holds: tuple[str, ...] = ()
    is_domestic: bool = False


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per set of files
class ActorKB:
    """The actor knowledge base with its indexes (built once per set of files)."""

    people: tuple[Person, ...]
    organizations: tuple[Organization, ...]
    countries: CountryIndex
    titles: dict[tuple[str, ...], Title]
    org_nouns: dict[tuple[str, ...], Title]
    title_prefixes: frozenset[tuple[str, ...]] = frozenset()
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_id: dict[str, Person | Organization | Country] = field(default_factory=dict)
    locative_prepositions: frozenset[str] = frozenset()
    not_locative_heads: frozenset[str] = frozenset()
    not_current_modifiers: frozenset[str] = frozenset()

    @functools.cached_property
    def person_title_ends(self) -> frozenset[str]:
        """Last words of person role nouns ("state" of "secretary of state")."""
        return frozenset(words[-1] for words, t in self.titles.items() if t.type == "person")

    def entry(self, kb_id: str) -> Person | Organization | Country | None:
        """The person, organisation or country (also for "demonym:" ids) of a KB id."""
        if kb_id.startswith("demonym:"):
            return self.countries.coded(kb_id.partition(":")[2])
        return self.by_id.get(kb_id)

    def holders(self, country: str, offices: Iterable[str], day: date | None) -> list[Person]:
        """People of `country` holding one of `offices` on `day`, in the order of `offices`."""
        found: list[Person] = []
        for office in offices:
            for person in self.people:
                role = person.role_on(day)
                held = role is not None and _is_office(fold(role.title), office)
                if person.country == country and held and person not in found:
                    found.append(person)
        return found


def _is_office(title: str, office: str) -> bool:
    """The folded title is that office, or an acting one: "president" is not held by the
    "president of the world bank group" nor by a "vice president"."""
    return title == office or title in (f"acting {office}", f"interim {office}",
                                        f"caretaker {office}")  # fmt: skip


def _many(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in entry.get(key) or ())


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _person(entry: dict[str, Any]) -> Person:
    roles = tuple(
        Role(str(r["title"]), r.get("sector"), _day(r.get("from")), _day(r.get("to")))
        for r in entry.get("roles") or ()
    )
    return Person(str(entry["name"]), entry.get("country"), _many(entry, "aliases"), roles)


def _organization(entry: dict[str, Any]) -> Organization:
    return Organization(
        name=str(entry["name"]),
        type=str(entry.get("type") or "organization"),
        country=entry.get("country"),
        sector=entry.get("sector"),
        aliases=_many(entry, "aliases"),
        members=_many(entry, "members"),
    )


def plural(word: str) -> str:
    """Regular plural of a role noun: "deputy" -> "deputies", "head of state" -> "heads of
    state", "policeman" -> "policemen"."""
    head, of, rest = word.partition(" of ")
    if of:
        return plural(head) + of + rest
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _titles(
    entries: list[dict[str, Any]],
) -> tuple[dict[tuple[str, ...], Title], dict[tuple[str, ...], Title]]:
    """Role nouns (persons and groups, singular person nouns also as plural groups) and
    kinds of organisations; a later entry overrides an earlier one for the same words."""
    roles: dict[tuple[str, ...], Title] = {}
    derived: dict[tuple[str, ...], Title] = {}
    kinds: dict[tuple[str, ...], Title] = {}
    for entry in entries:
        title = Title(
            words=_many(entry, "words"),
            sector=entry.get("sector"),
            type=str(entry.get("type") or "person"),
            holds=tuple(fold(h) for h in _many(entry, "holds")),
            is_domestic=bool(entry.get("domestic")),
        )
        for word in title.words:
            if title.type == "organization":
                kinds[title_key(word)] = title
                continue
            roles[title_key(word)] = title
            if title.type == "person":
                group = Title(title.words, title.sector, "group", title.holds, title.is_domestic)
                derived[title_key(plural(word))] = group
    return {**derived, **roles}, kinds


def _merged(lists: Iterable[list[dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    """Entries of several files in order; a later entry with the same `key` replaces."""
    merged: dict[str, dict[str, Any]] = {}
    for entries in lists:
        for entry in entries:
            ident = fold(str(entry.get(key, ""))) + "|" + str(entry.get("country") or "")
            merged.pop(ident, None)
            merged[ident] = entry
    return list(merged.values())


def _shipped(name: str, key: str) -> list[Any]:
    try:
        data = load_yaml(name)
    except FileNotFoundError:
        log.warning("knowledge base file %s is missing: no entries from it", name)
        return []
    return list((data or {}).get(key) or [])


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a KB file holds a mapping of lists (countries:, people:, ...)")
    return data


def build_actor_kb(
    people: list[dict[str, Any]],
    organizations: list[dict[str, Any]],
    countries: list[dict[str, Any]],
    titles: list[dict[str, Any]],
    *,
    locative_prepositions: Iterable[str] = (),
    not_locative_heads: Iterable[str] = (),
    not_current_modifiers: Iterable[str] = (),
) -> ActorKB:
    """The KB and its name indexes from raw entries (the YAML schemas of kb/README.md)."""
    persons = tuple(_person(e) for e in people)
    orgs = tuple(_organization(e) for e in organizations)
    country_index = build_index(countries)
    roles, kinds = _titles(titles)
    names: dict[str, list[str]] = {}
    acronyms: dict[str, list[str]] = {}
    surnames: dict[str, list[str]] = {}
    by_id: dict[str, Person | Organization | Country] = {}

    def add(text: str, kb_id: str) -> None:
        if is_acronym(text):
            acronyms.setdefault(text, []).append(kb_id)
            return
        key = name_key(text)
        if len(key) >= 3:
            names.setdefault(key, []).append(kb_id)

    for person in persons:
        by_id[person.kb_id] = person
        for text in (person.name, *person.aliases):
            add(text, person.kb_id)
            pieces = _PIECES.split(text.strip())
            if len(pieces) > 1 and len(pieces[-1]) >= 4:
                surnames.setdefault(name_key(pieces[-1]), []).append(person.kb_id)
    for org in orgs:
        by_id[org.kb_id] = org
        for text in (org.name, *org.aliases):
            add(text, org.kb_id)
    for country in country_index.countries:
        by_id[f"country:{country.iso3}"] = country
        for text in (country.name, *country.aliases):
            add(text, f"country:{country.iso3}")
        for text in country.abbreviations:
            acronyms.setdefault(text, []).append(f"country:{country.iso3}")
        for text in country.demonyms:
            add(text, f"demonym:{country.iso3}")

    def unique(index: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {key: tuple(dict.fromkeys(ids)) for key, ids in index.items()}

    return ActorKB(
        people=persons,
        organizations=orgs,
        countries=country_index,
        titles=roles,
        org_nouns=kinds,
        title_prefixes=frozenset(words[:n] for words in roles for n in range(1, len(words) + 1)),
        names=unique(names),
        acronyms=unique(acronyms),
        prefixes=frozenset(key[:n] for key in names for n in range(1, len(key) + 1)),
        surnames=unique(surnames),
        by_id=by_id,
        locative_prepositions=frozenset(fold(w) for w in locative_prepositions),
        not_locative_heads=frozenset(fold(w) for w in not_locative_heads),
        not_current_modifiers=frozenset(fold(w) for w in not_current_modifiers),
    )


@functools.cache
def load_actor_kb(extra: tuple[Path, ...] = ()) -> ActorKB:
    """The shipped actor KB plus `extra` files (cached per tuple of paths; clear in tests).

    Each extra file may hold any of `people:`, `organizations:`, `countries:`, `titles:`;
    an entry with the same name (and country) as a shipped one replaces it.
    """
    files = [_read(path) for path in extra]

    def gather(name: str, key: str, ident: str, *more: str) -> list[dict[str, Any]]:
        shipped = [_shipped(n, key) for n in (name, *more)]
        return _merged(shipped + [list(f.get(key) or []) for f in files], ident)

    def joined(key: str) -> list[Any]:
        return [v for values in [_shipped("titles.yaml", key)] + [f.get(key) or [] for f in files]
                for v in values]  # fmt: skip

    return build_actor_kb(
        people=gather("people.yaml", "people", "name", "people_history.yaml"),
        organizations=gather("organizations.yaml", "organizations", "name"),
        countries=gather("countries.yaml", "countries", "iso3"),
        titles=joined("titles"),
        locative_prepositions=joined("locative_prepositions"),
        not_locative_heads=joined("not_locative_heads"),
        not_current_modifiers=joined("not_current_modifiers"),
    )
