"""The figures lexicon (`kb/en/figures.yaml`, through the language pack): what a number
counts, by the words around it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from eventscope.lang import pack

# Kinds a verb or noun decides only when nothing stronger does ("three soldiers were
# killed" counts the killed; "3,000 soldiers" alone counts troops).
WEAK_KINDS = frozenset({"troops", "protesters"})
VICTIM_KINDS = frozenset({"killed", "injured", "arrested", "missing"})
QUALIFIERS = ("exact", "at_least", "at_most", "approximately", "range")


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    nouns: frozenset[str]
    words: frozenset[str]
    verbs: frozenset[str]
    compounds: frozenset[str]
    link: tuple[str, ...]  # PLOVER types of the events a figure of this kind counts


@dataclass(frozen=True)
class FiguresLexicon:
    kinds: tuple[Kind, ...]
    person_nouns: frozenset[str]
    measure_nouns: frozenset[str]
    measure_verbs: frozenset[str]
    report_verbs: frozenset[str]
    qualifiers: tuple[tuple[tuple[str, ...], str], ...]  # (words, qualifier), longest first
    vague: dict[tuple[str, ...], tuple[float, str]]  # words -> (value, qualifier)
    multipliers: dict[str, float]
    not_after: frozenset[str]
    not_before: frozenset[str]

    @functools.cached_property
    def vague_starts(self) -> frozenset[str]:
        """First words of the vague amounts ("dozens", "tens", "a")."""
        return frozenset(words[0] for words in self.vague)

    @functools.cached_property
    def victim_words(self) -> frozenset[str]:
        """Verbs and words of the kinds a single person's fate counts in."""
        return frozenset().union(*(k.verbs | k.words for k in self.kinds if k.name in VICTIM_KINDS))

    def kind(self, name: str) -> Kind:
        return next(k for k in self.kinds if k.name == name)

    def by_noun(self, lemma: str) -> Kind | None:
        return next((k for k in self.kinds if lemma in k.nouns), None)

    def by_word(self, word: str) -> Kind | None:
        return next((k for k in self.kinds if word in k.words), None)

    def by_verbs(self, lemmas: set[str]) -> Kind | None:
        """The first kind (killed before injured: "shot and killed") one of these verbs
        reports."""
        return next((k for k in self.kinds if k.verbs & lemmas), None)

    def by_verbs_or_words(self, lemmas: set[str]) -> Kind | None:
        """The first kind (in the lexicon's order) a verb or word of these reports
        ("taken into custody" is arrested before any other reading of "take")."""
        return next((k for k in self.kinds if (k.verbs | k.words) & lemmas), None)

    def by_compound(self, lemma: str) -> Kind | None:
        return next((k for k in self.kinds if lemma in k.compounds), None)


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(x).lower() for x in items or ())


def build_lexicon(data: dict[str, Any]) -> FiguresLexicon:
    """The lexicon of a figures.yaml mapping; raises ValueError on a malformed entry."""
    kinds = []
    for name, entry in data["kinds"].items():
        kinds.append(
            Kind(
                name,
                _words(entry.get("nouns")),
                _words(entry.get("words")),
                _words(entry.get("verbs")),
                _words(entry.get("compounds")),
                tuple(entry.get("link") or ()),
            )
        )
    qualifiers = []
    for qualifier, phrases in data["qualifiers"].items():
        if qualifier not in QUALIFIERS:
            raise ValueError(f"figures.yaml: unknown qualifier {qualifier!r}")
        qualifiers += [(tuple(str(p).lower().split()), qualifier) for p in phrases]
    qualifiers.sort(key=lambda item: -len(item[0]))
    vague = {}
    for words, entry in data["vague"].items():
        if entry["qualifier"] not in QUALIFIERS:
            raise ValueError(f"figures.yaml: unknown qualifier in vague {words!r}")
        vague[tuple(str(words).lower().split())] = (float(entry["value"]), entry["qualifier"])
    return FiguresLexicon(
        tuple(kinds),
        _words(data["person_nouns"]),
        _words(data["measure_nouns"]),
        _words(data["measure_verbs"]),
        _words(data["report_verbs"]),
        tuple(qualifiers),
        vague,
        {str(k).lower(): float(v) for k, v in data["multipliers"].items()},
        _words(data["not_after"]),
        _words(data["not_before"]),
    )


@functools.cache
def figures_lexicon() -> FiguresLexicon:
    """The shipped (English) figures lexicon (cached)."""
    return build_lexicon(dict(pack("en").lexicon("figures")))
