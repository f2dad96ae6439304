"""The event lexicon: PLOVER types with their views (`kb/events.yaml`, language-neutral),
and a language's trigger words and phrases, frames and cue words of modality and reported
speech (`kb/en/events.yaml`, through the language pack)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eventscope.lang import pack

from .load import load_yaml

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
ROLES = ("target", "source")
# Stances: an actor's position on another's act or demand. Their target may be who made
# the offer or demand ("rejected an offer from Afghanistan") or the target of the act they
# are about ("offered to hand over the suspects to Britain"); extract/events_args.py,
# extract/events_frames.py.
STANCE_TYPES = frozenset({"AGREE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "ACCUSE"})
# Stances that an announced intent does not add an AGREE or THREATEN to: an intent to
# refuse is a refusal ("vowed to reject"); extract/events.py.
INTENT_STANCES = STANCE_TYPES - {"SUPPORT", "ACCUSE"}


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
    # The verb has one object phrase: "called Macron" is a phone call, "called the
    # mutiny treason" (an object and its predicate) names something.
    one_object: bool = False
    context: tuple[str, ...] = ()
    # The verb triggers only when its object phrase holds one of these lemmas ("sent
    # 700 kg of medicine" is AID, "sent 500 troops" MOBILIZE); empty: any object.
    objects: frozenset[str] = frozenset()
    except_objects: frozenset[str] = frozenset()  # "released a statement" is no release
    # The ACLED view this trigger implies whatever its mode: (event type, sub-event type),
    # or "territory" (who gains ground: the state regains, others overtake).
    acled: tuple[str, str] | str | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    """A word that, with the event it governs, reports an event of another type: "halted
    economic aid" is SANCTION, "lifted the curfew" CONCEDE, "refused to deploy" REJECT.

    `governs` holds the governed event's types, "TYPE.mode" or trigger lemmas ("any":
    every event); the frame's mode is `modes[governed type]`, else `mode`."""

    lemmas: tuple[str, ...]
    pos: frozenset[str]
    governs: frozenset[str]
    type: str
    mode: str | None
    cameo: str | None
    modes: dict[str, str]
    target_preps: frozenset[str] = frozenset()

    def applies_to(self, kind: str, mode: str | None, lemmas: tuple[str, ...]) -> bool:
        """Whether the frame governs an event of this type, mode and trigger."""
        keys = {kind, f"{kind}.{mode}", " ".join(lemmas), "any"}
        return bool(self.governs & keys)


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
    frames: dict[str, list[Frame]] = field(default_factory=dict)  # first lemma -> frames
    demand_modals: frozenset[str] = frozenset()  # "Libya must hand over": a demand
    condition_words: frozenset[str] = frozenset()  # "will withdraw unless": a threat
    threat_modes: dict[str, str] = field(default_factory=dict)  # act TYPE[.mode] -> mode
    place_targets: frozenset[str] = frozenset()  # types whose implicit target is the place
    instruments: tuple[tuple[str, frozenset[str]], ...] = ()  # ASSAULT mode <- words
    clause_targets: frozenset[str] = frozenset()  # "demanded that X ...": X is the target
    domestic_targets: frozenset[str] = frozenset()  # dissent: the source's own country
    support_verbs: frozenset[str] = frozenset()  # "the unrest began on 2 January"
    habitual_adverbs: frozenset[str] = frozenset()  # "rarely sees protests": no event
    denying_preps: frozenset[str] = frozenset()  # "without warning": no THREATEN
    new_event_words: frozenset[str] = frozenset()  # "a second attack": not the first one
    noun_mentions: frozenset[str] = frozenset()  # types "the attack" may refer back to
    passive_mentions: frozenset[str] = frozenset()  # types "were killed" may refer back to

    def threat_mode(self, kind: str, mode: str | None) -> str | None:
        """The THREATEN mode of a threatened act ("will impose a curfew" -> restrict)."""
        return self.threat_modes.get(f"{kind}.{mode}") or self.threat_modes.get(kind)

    def frames_of(self, token: Any) -> list[Frame]:
        """The frames whose word is this token (phrases: the tokens that follow)."""
        found = []
        for frame in self.frames.get(token.lemma_.lower(), ()):
            rest = frame.lemmas[1:]
            following = token.doc[token.i + 1 : token.i + 1 + len(rest)]
            if token.pos_ in frame.pos and [t.lemma_.lower() for t in following] == list(rest):
                found.append(frame)
        return found

    def instrument_mode(self, words: set[str]) -> str | None:
        """The ASSAULT mode of the first instrument among these lemmas, if any."""
        return next((mode for mode, names in self.instruments if names & words), None)

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


def _acled(value: Any) -> tuple[str, str] | str | None:
    if value is None:
        return None
    if value == "territory":
        return "territory"
    if isinstance(value, list) and len(value) == 2:
        return (str(value[0]), str(value[1]))
    raise ValueError(f"events.yaml: acled must be [type, sub-event type] or territory: {value}")


def _objects(value: Any, classes: dict[str, Any]) -> frozenset[str]:
    # A list of lemmas, or the name of a list under `object_classes`.
    words = classes.get(value) if isinstance(value, str) else value
    if isinstance(value, str) and words is None:
        raise ValueError(f"events.yaml: unknown object class {value}")
    return frozenset(str(w).lower() for w in words or ())


def _trigger(entry: dict[str, Any], pos: str, classes: dict[str, Any]) -> Trigger:
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
        one_object=bool(entry.get("one_object")),
        context=tuple(entry.get("context") or ()),
        objects=_objects(entry.get("objects"), classes),
        except_objects=_objects(entry.get("except_objects"), classes),
        acled=_acled(entry.get("acled")),
    )


def _frames(data: dict[str, Any], types: dict[str, EventType]) -> dict[str, list[Frame]]:
    index: dict[str, list[Frame]] = {}
    for entry in data.get("frames") or ():
        kind = str(entry["type"])
        modes = {str(k): str(v) for k, v in (entry.get("modes") or {}).items()}
        for mode in (entry.get("mode"), *modes.values()):
            if kind == "ACT" and mode is None:
                continue  # the governed act's own type: "ordered the arrest of" is COERCE
            if kind not in types or (mode is not None and mode not in types[kind].modes):
                raise ValueError(f"events.yaml: frame of unknown type or mode {kind} {mode}")
        for lemma in entry["lemma"]:
            frame = Frame(
                lemmas=tuple(str(lemma).lower().split()),
                pos=frozenset(entry.get("pos") or ("VERB",)),
                governs=frozenset(str(g) for g in entry["governs"]),
                type=kind,
                mode=entry.get("mode"),
                cameo=str(entry["cameo"]) if entry.get("cameo") is not None else None,
                modes=modes,
                target_preps=frozenset(entry.get("target_preps") or ()),
            )
            index.setdefault(frame.lemmas[0], []).append(frame)
    for found in index.values():
        found.sort(key=lambda f: -len(f.lemmas))
    return index


def _instruments(
    data: dict[str, Any], types: dict[str, EventType]
) -> tuple[tuple[str, frozenset[str]], ...]:
    found = tuple(
        (str(mode), frozenset(str(w).lower() for w in words))
        for mode, words in (data.get("instruments") or {}).items()
    )
    for mode, _ in found:
        if "ASSAULT" in types and mode not in types["ASSAULT"].modes:
            raise ValueError(f"events.yaml: instrument mode {mode} is no ASSAULT mode")
    return found


def _threat_modes(data: dict[str, Any], types: dict[str, EventType]) -> dict[str, str]:
    found = {str(k): str(v) for k, v in (data.get("threat_modes") or {}).items()}
    for key, mode in found.items():
        if key.partition(".")[0] not in types or mode not in types["THREATEN"].modes:
            raise ValueError(f"events.yaml: threat mode {key}: {mode}")
    return found


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
            trigger = _trigger(entry, str(pos), data.get("object_classes") or {})
            if trigger.type not in types:
                raise ValueError(f"events.yaml: unknown type {trigger.type} ({entry['lemma']})")
            if trigger.mode is not None and trigger.mode not in types[trigger.type].modes:
                raise ValueError(f"events.yaml: {trigger.type} has no mode {trigger.mode}")
            index.setdefault((trigger.lemmas[0], trigger.pos), []).append(trigger)
    for found in index.values():
        # Longest first; of equal length, those that need a kind of object first.
        found.sort(key=lambda t: (-len(t.lemmas), not t.objects))
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
        _frames(data, types),
        _words(data, "demand_modals"),
        _words(data, "condition_words"),
        _threat_modes(data, types),
        frozenset(str(t) for t in data.get("place_targets") or ()),
        _instruments(data, types),
        frozenset(str(t) for t in data.get("clause_targets") or ()),
        frozenset(str(t) for t in data.get("domestic_targets") or ()),
        _words(data, "support_verbs"),
        _words(data, "habitual_adverbs"),
        _words(data, "denying_preps"),
        _words(data, "new_event_words"),
        _mention_types(data, types, "nouns"),
        _mention_types(data, types, "passives"),
    )


def _mention_types(data: dict[str, Any], types: dict[str, EventType], form: str) -> frozenset[str]:
    found = frozenset(str(t) for t in (data.get("mentions") or {}).get(form) or ())
    if unknown := sorted(found - set(types)):
        raise ValueError(f"events.yaml: mentions.{form} names unknown types {unknown}")
    return found


@functools.cache
def event_lexicon() -> EventLexicon:
    """The shipped event lexicon: the types of kb/events.yaml with the English words of
    kb/en/events.yaml (cached)."""
    return build_lexicon({**load_yaml("events.yaml"), **pack("en").lexicon("events")})


def trigger_lemmas(lexicon: EventLexicon) -> Iterable[tuple[str, ...]]:
    """Every trigger's lemmas (for tests and documentation)."""
    return (t.lemmas for found in lexicon.triggers.values() for t in found)
