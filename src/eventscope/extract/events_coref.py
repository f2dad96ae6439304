"""One event per act: later mentions of an act already reported in the article.

A report names its main act many times ("A drone strike destroyed a vehicle ... The
strike was carried out by ... Two British nationals were also killed"), and an analyst
codes it once, with the first clear trigger. A candidate is taken for a mention of the
latest earlier event of its type when it only refers back to it:
- a noun with a definite determiner or a possessor ("the attack", "this strike",
  "Thursday's bombing"), or a passive verb without an agent ("were killed", "those
  killed"), for the types whose acts the lexicon lets be mentioned so (demands restated
  and people arrested one by one are coded each time);
- in a later sentence, as a factual (or reported) act;
- with no word that makes it another act ("a second attack", "new strikes"), and no
  date, mode, source or target of its own that the earlier event has another of ("the
  arrest of Ruzakhunov" after Masimov's, "the arrest" after "quelled the protests").
The mention is dropped and gives the earlier event what it lacks: its source, target,
mode and own date ("The attack was carried out by ISIS-K" names the attacker).

Why written here: spaCy has no event coreference, and the registries' coreference
models (for entities) need a large transformer, which the throughput budget excludes.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import Any

from eventscope.kb.events import EventLexicon
from eventscope.lang.en.lexicon import words
from eventscope.model import Event
from eventscope.nlp.view import view

from .events_build import Context

_DEFINITE = words("function_words", "definite_determiners")
_KEPT_MODALITY = frozenset({"reported"})


def _token(ctx: Context, event: Event) -> Any:
    starts = view(ctx.doc).starts
    return ctx.tokens[max(0, bisect.bisect_right(starts, event.trigger.start) - 1)]


def refers_back(token: Any, kind: str, lexicon: EventLexicon) -> bool:
    """Whether the trigger word of an event of this type only refers to an act named
    before: a definite or possessed noun, or a passive verb with no agent; not "another"
    or "a second" one. Which types may be mentioned so is the lexicon's choice
    (`mentions` in events.yaml)."""
    children = list(token.children)
    if any(c.lemma_.lower() in lexicon.new_event_words for c in children):
        return False
    if token.pos_ == "NOUN":
        return kind in lexicon.noun_mentions and any(
            (c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in children
        )  # "Saturday's attack"; "the arrest of his deputy" is tested on its arguments
    if token.pos_ != "VERB" or token.tag_ != "VBN" or kind not in lexicon.passive_mentions:
        return False
    if any(c.dep_ == "agent" for c in children):
        return False  # "were killed by the gunmen": a doer named again may be a new act
    passive = any(c.dep_ == "auxpass" for c in children)
    return passive or token.dep_ in ("acl", "relcl")  # "were killed", "those killed"


def merge_mentions(ctx: Context, events: Sequence[Event], lexicon: EventLexicon) -> list[Event]:
    """The events with later mentions of an earlier event of the same type merged into
    it, renumbered."""
    order = sorted(range(len(events)), key=lambda k: events[k].trigger.start)
    merged: dict[int, Event] = {}
    latest: dict[str, int] = {}  # type -> index of its latest kept event
    dropped: set[int] = set()
    for k in order:
        event = events[k]
        token = _token(ctx, event)
        antecedent = latest.get(event.type)
        if antecedent is not None and _is_mention(ctx, event, token, merged[antecedent], lexicon):
            merged[antecedent] = _absorb(ctx, merged[antecedent], event, lexicon)
            dropped.add(k)
            continue
        merged[k] = event
        latest[event.type] = k
    kept = [merged[k] for k in range(len(events)) if k not in dropped]
    return [dataclasses.replace(e, id=f"e{n}") for n, e in enumerate(kept, start=1)]


def _is_mention(
    ctx: Context, event: Event, token: Any, earlier: Event, lexicon: EventLexicon
) -> bool:
    if set(event.modality) - _KEPT_MODALITY:
        return False
    before = _token(ctx, earlier)
    if ctx.sentence_of[token.i] <= ctx.sentence_of[before.i]:
        return False
    own, first = event.date_precision != "article", earlier.date_precision != "article"
    if own and first and event.date != earlier.date:
        return False
    if event.mode and earlier.mode and event.mode != earlier.mode:
        return False  # "the arrest" after "quelled the unrest": both COERCE, other acts
    if token.pos_ == "NOUN" and not (event.source or event.target) and _names_someone(token):
        return False  # "the arrest of his deputy": someone the actors do not hold
    # "the arrest of Ruzakhunov" after Masimov's; an attack's victims named one group
    # at a time ("two soldiers were also killed") are still the attack's
    roles = ("source", "target") if token.pos_ == "NOUN" else ("source",)
    for role in roles:
        mine, theirs = set(getattr(event, role)), set(getattr(earlier, role))
        if mine and theirs and not mine & theirs:
            return False
    return refers_back(token, event.type, lexicon)


def _names_someone(noun: Any) -> bool:
    """Whether an event noun has a possessor or an "of" phrase of its own that is not a
    date ("the arrest of his deputy", "the police's raid"; not "Saturday's attack")."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ not in _TIMES:
            return True
        is_of = child.dep_ == "prep" and child.lower_ == "of"
        if is_of and any(g.dep_ == "pobj" and g.ent_type_ not in _TIMES for g in child.children):
            return True
    return False


_TIMES = frozenset({"DATE", "TIME"})


def _acled_view(
    ctx: Context, kind: str, mode: str | None, targets: Sequence[str], lexicon: EventLexicon
) -> tuple[str | None, str | None]:
    """The plain ACLED view of a type and mode, against these targets."""
    armed = any(ctx.actors.sector(a) in lexicon.armed_sectors for a in targets)
    return lexicon.acled_view(kind, mode, armed_target=armed) or (None, None)


def _absorb(ctx: Context, earlier: Event, mention: Event, lexicon: EventLexicon) -> Event:
    """The earlier event with the arguments only its mention names; a mode it takes
    from the mention also gives it that mode's ACLED view, when its own was the plain
    view of its type (a trigger's own view, such as territory taken, is kept)."""
    changes: dict[str, Any] = {}
    if not earlier.source and mention.source:
        changes["source"] = mention.source
    if mention.target and not set(mention.target) <= set(earlier.target):
        changes["target"] = tuple(dict.fromkeys(earlier.target + mention.target))
    if not earlier.mode and mention.mode:
        changes["mode"] = mention.mode  # "the unrest ... the riots"
    if earlier.date_precision == "article" and mention.date_precision != "article":
        changes["date"], changes["date_precision"] = mention.date, mention.date_precision
    if "mode" in changes:
        if mention.cameo:
            changes["cameo"] = mention.cameo  # the code of the act as the mention names it
        before = _acled_view(ctx, earlier.type, None, earlier.target, lexicon)
        if (earlier.acled_type, earlier.acled_subtype) == before:
            targets = changes.get("target", earlier.target)
            view_ = _acled_view(ctx, earlier.type, changes["mode"], targets, lexicon)
            changes["acled_type"], changes["acled_subtype"] = view_
    return dataclasses.replace(earlier, **changes) if changes else earlier
