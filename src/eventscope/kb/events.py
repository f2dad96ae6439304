"""The event lexicon (`events.yaml`): PLOVER types with their views, trigger words and
phrases, and the cue words of modality and reported speech."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .load import load_yaml

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
ROLES = ("target", "source")


@dataclass(frozen=True, slots=True)
class EventType:
    """A PLOVER type and the views every event of it carries."""

    name: str
    quad_class: int
    cameo_root: str
    intensity: float
    modes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word or phrase (lemmas) that reports an event of a type when it has this part
    of speech, and how its arguments are found."""

    lemmas: tuple[str, ...]
    pos: str  # VERB or NOUN
    type: str
    mode: str | None
    cameo: str | None
    target_preps: frozenset[str] = frozenset()
    source_preps: frozenset[str] = frozenset()
    noun_poss: str = "source"  # "Russia's deployment"; "Masimov's arrest" sets target
    noun_of: str = "target"  # "the arrest of Masimov"
    needs_object: bool = False
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventLexicon:
    types: dict[str, EventType]
    triggers: dict[tuple[str, str], list[Trigger]]  # (first lemma, pos) -> longest first
    reporting_verbs: frozenset[str]
    accusation_words: frozenset[str]
    request_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    hypothetical_words: frozenset[str]
    future_words: frozenset[str]
    negation_words: frozenset[str]
    acled: dict[str, tuple[str, str]]  # "TYPE" or "TYPE.mode" -> (event type, sub-event)
    armed_sectors: frozenset[str]

    def acled_view(
        self, kind: str, mode: str | None, *, armed_target: bool
    ) -> tuple[str, str] | None:
        """The ACLED (event type, sub-event type) of a PLOVER type and mode, if any."""
        found = self.acled.get(f"{kind}.{mode}") or self.acled.get(kind)
        if found is None and kind == "ASSAULT":
            if armed_target:
                return ("Battles", "Armed clash")
            return ("Violence against civilians", "Attack")
        return found


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key) or ())


def _role(value: Any, default: str) -> str:
    return str(value) if value in ROLES else default


def _trigger(entry: dict[str, Any], pos: str) -> Trigger:
    return Trigger(
        lemmas=tuple(str(entry["lemma"]).lower().split()),
        pos=pos,
        type=str(entry["type"]),
        mode=entry.get("mode"),
        cameo=str(entry["cameo"]) if entry.get("cameo") is not None else None,
        target_preps=frozenset(entry.get("target_preps") or ()),
        source_preps=frozenset(entry.get("source_preps") or ()),
        noun_poss=_role(entry.get("noun_poss"), "source"),
        noun_of=_role(entry.get("noun_of"), "target"),
        needs_object=bool(entry.get("needs_object")),
        context=tuple(entry.get("context") or ()),
    )


def build_lexicon(data: dict[str, Any]) -> EventLexicon:
    """The lexicon of a parsed `events.yaml`; unknown types or modes are errors."""
    types = {
        name: EventType(
            name,
            int(t["quad_class"]),
            str(t["cameo_root"]),
            float(t["intensity"]),
            tuple(t.get("modes") or ()),
        )
        for name, t in data["types"].items()
    }
    index: dict[tuple[str, str], list[Trigger]] = {}
    for entry in data["triggers"]:
        for pos in entry.get("pos") or ("VERB",):
            trigger = _trigger(entry, str(pos))
            if trigger.type not in types:
                raise ValueError(f"events.yaml: unknown type {trigger.type} ({entry['lemma']})")
            if trigger.mode is not None and trigger.mode not in types[trigger.type].modes:
                raise ValueError(f"events.yaml: {trigger.type} has no mode {trigger.mode}")
            index.setdefault((trigger.lemmas[0], trigger.pos), []).append(trigger)
    for found in index.values():
        found.sort(key=lambda t: -len(t.lemmas))
    for key in data.get("acled") or {}:
        kind, _, mode = str(key).partition(".")
        if kind not in types or (mode and mode not in types[kind].modes):
            raise ValueError(f"events.yaml: acled view for unknown type or mode {key}")
    return EventLexicon(
        types,
        index,
        _words(data, "reporting_verbs"),
        _words(data, "accusation_words"),
        _words(data, "request_verbs"),
        _words(data, "intent_verbs"),
        _words(data, "hypothetical_words"),
        _words(data, "future_words"),
        _words(data, "negation_words"),
        {str(k): (str(v[0]), str(v[1])) for k, v in (data.get("acled") or {}).items()},
        frozenset(str(s).upper() for s in data.get("armed_sectors") or ()),
    )


@functools.cache
def event_lexicon() -> EventLexicon:
    """The shipped event lexicon (cached)."""
    return build_lexicon(load_yaml("events.yaml"))


def trigger_lemmas(lexicon: EventLexicon) -> Iterable[tuple[str, ...]]:
    """Every trigger's lemmas (for tests and documentation)."""
    return (t.lemmas for found in lexicon.triggers.values() for t in found)
