"""Frames: words that turn the event they govern into an event of another type, and
demands made with a modal.

PLOVER codes what the actor does, not the act it names: "Japan halted economic aid" is
SANCTION (reduce aid), "Serbia lifted the curfew" CONCEDE, "Pakistan refused to deploy
peacekeepers" REJECT, "police prevented the demonstration" COERCE, "the government
accepted the rebels' demands" CONCEDE. A frame word (`frames` in `kb/en/events.yaml`) and
the event it governs (its "to" clause, its object or an event noun modifying the object,
the object of its preposition) make one event of the frame's type; the governed event
stays, less confident. "X said Libya must hand over the suspects" is X's REQUEST to
Libya (`demand_modals`), whether or not "hand over" is a trigger.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from eventscope.kb.events import STANCE_TYPES, EventLexicon, Frame, Trigger
from eventscope.lang.en.grammar import COMPLEMENTS, DIRECT_OBJECTS, NP_MODIFIERS
from eventscope.lang.en.lexicon import words
from eventscope.model import Event, Evidence, Span
from eventscope.nlp.view import view

from .events_args import clause_depth, verb_arguments
from .events_build import Context, build_event, confidence_of

_GOVERNING_PREPS = words("function_words", "governing_preps")
# What a rejection, a demand or a concession is about, by the governed event's type.
_ISSUE = {"AID": "assist", "COOPERATE": "assist", "CONSULT": "meet", "AGREE": "meet",
          "RETREAT": "yield", "CONCEDE": "yield"}  # fmt: skip


def _governed_nodes(token: Any) -> list[Any]:
    """Tokens that may head the event a frame word governs, nearest first."""
    nodes: list[Any] = []
    for child in token.children:
        if child.dep_ in COMPLEMENTS:
            nodes.append(child)  # "refused to deploy"; "prepared to resume shelling"
            nodes.extend(g for g in child.children if g.dep_ in DIRECT_OBJECTS | {"xcomp"})
        elif child.dep_ in DIRECT_OBJECTS | {"nsubjpass", "attr"}:
            nodes.append(child)
            nodes.extend(g for g in child.children if g.dep_ in NP_MODIFIERS)
            nodes.extend(_pobjs(child, ("of",)))
        elif child.dep_ == "prep" and child.lower_ in _GOVERNING_PREPS:
            for pobj in _pobjs(token, (child.lower_,)):
                nodes.append(pobj)
                nodes.extend(g for g in pobj.children if g.dep_ in NP_MODIFIERS)
    if token.dep_ == "acl" and token.head.i != token.i:  # "the curfew imposed ... lifted"
        nodes.append(token.head)
    return nodes


def _pobjs(token: Any, preps: Iterable[str]) -> list[Any]:
    wanted = set(preps)
    return [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in wanted
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _frame_for(
    token: Any, lexicon: EventLexicon, by_token: dict[int, Event]
) -> tuple[Frame, Event] | None:
    frames = lexicon.frames_of(token)
    if not frames:
        return None
    for node in _governed_nodes(token):
        governed = by_token.get(node.i)
        if governed is None or node.i == token.i:
            continue
        lemmas = tuple(governed.evidence.rule.split(".")[-1].split("_"))
        for frame in frames:
            if frame.applies_to(governed.type, governed.mode, lemmas):
                return frame, governed
    return None


def apply_frames(
    ctx: Context,
    found: list[tuple[Any, Trigger]],
    events: list[Event],
    lexicon: EventLexicon,
) -> list[Event]:
    """The events with each frame applied: a frame word that is itself a trigger
    ("refused", "lifted") takes the frame's type; one that is not ("ended", "stopped")
    adds an event. Inner frames first ("refused to lift the curfew": CONCEDE, then
    REJECT)."""
    events = list(events)
    index = {token.i: n for n, (token, _) in enumerate(found)}
    v = view(ctx.doc)
    candidates = [
        ctx.tokens[i]
        for i, lemma in enumerate(v.lemma_lowers)
        if v.pos[i] in ("VERB", "ADJ", "NOUN") and lexicon.frames.get(lemma)
    ]
    by_token = {token.i: events[n] for token, n in ((f[0], index[f[0].i]) for f in found)}
    for token in sorted(candidates, key=lambda t: len(list(t.subtree))):
        hit = _frame_for(token, lexicon, by_token)
        if hit is None:
            continue
        frame, governed = hit
        kind = governed.type if frame.type == "ACT" else frame.type
        trigger = Trigger(
            lemmas=frame.lemmas,
            pos="NOUN" if token.pos_ == "NOUN" else "VERB",
            type=kind,
            mode=governed.mode
            if kind == governed.type
            else frame.modes.get(governed.type, frame.mode),
            cameo=governed.cameo if frame.type == "ACT" else frame.cameo,
            target_preps=frame.target_preps,
        )
        number = int(events[index[token.i]].id[1:]) if token.i in index else len(events) + 1
        event = build_event(ctx, token, trigger, number, lexicon)
        # As confident as the frame word's own clause allows: a frame in a side clause
        # ("..., defying warnings") does not outrank the main clause's event.
        confidence = min(0.95, event.evidence.confidence + 0.05)
        event = dataclasses.replace(
            event,
            target=event.target or tuple(a for a in governed.target if a not in event.source),
            evidence=dataclasses.replace(
                event.evidence, rule=f"events.frame.{'_'.join(frame.lemmas)}", confidence=confidence
            ),
        )
        if frame.type == "CONCEDE" and "negated" in event.modality:
            # "would not meet the hostage-takers' demands": a refusal
            refusal = lexicon.types["REJECT"]
            event = dataclasses.replace(
                event, type="REJECT", mode="change", cameo="1232",
                quad_class=refusal.quad_class, intensity=refusal.intensity,
                modality=tuple(m for m in event.modality if m != "negated"),
            )  # fmt: skip
        flags = ("negated",) if event.type == "REJECT" else ()
        demoted = dataclasses.replace(
            governed,
            modality=tuple(dict.fromkeys(governed.modality + flags)),
            evidence=dataclasses.replace(
                governed.evidence,
                confidence=round(min(governed.evidence.confidence, confidence - 0.1), 3),
            ),
        )
        position = events.index(governed)  # events and found are aligned here
        events[position] = demoted
        by_token[found[position][0].i] = demoted
        if token.i in index:
            events[index[token.i]] = event
        else:
            events.append(event)
            found.append((token, trigger))
            index[token.i] = len(events) - 1
        by_token[token.i] = event
    return events


def _speaker_verb(verb: Any, lexicon: EventLexicon) -> Any | None:
    """The reporting verb whose content the clause of `verb` is ("X said Y must ...")."""
    node = verb
    for _ in range(3):
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in lexicon.reporting_verbs:
            return node.head
        if node.dep_ != "conj" or node.head.i == node.i:
            return None
        node = node.head
    return None


def find_demands(ctx: Context, events: list[Event], lexicon: EventLexicon) -> list[Event]:
    """A REQUEST for each clause with a demand modal said by someone or standing as the
    sentence's main clause: the speaker (or the subject of a main-clause "must") asks
    the clause's subject to act. The act in it, if coded, is flagged proposed."""
    demands: list[Event] = []
    by_verb = {e.trigger.start: e for e in events}
    v = view(ctx.doc)
    for i, dep in enumerate(v.deps):
        if dep != "aux" or v.lowers[i] not in lexicon.demand_modals:
            continue
        modal = ctx.tokens[i]
        verb = modal.head
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
            continue  # "must have had support": a guess, not a demand
        speaker = _speaker_verb(verb, lexicon)
        if speaker is None and verb.dep_ != "ROOT":
            continue
        act = by_verb.get(verb.idx)
        sources = verb_arguments(speaker, _SAY)[0] if speaker is not None else []
        targets = verb_arguments(verb, _SAY)[0]
        source = [a for head in sources for a in ctx.actors.of(head)]
        target = [a for head in targets for a in ctx.actors.of(head) if a not in source]
        kind = lexicon.types["REQUEST"]
        depth = clause_depth(speaker if speaker is not None else verb, lexicon)
        confidence = confidence_of(verb, depth, source, target, ()) + 0.1
        base = build_event(ctx, verb, _SAY, len(events) + len(demands) + 1, lexicon)
        demands.append(
            dataclasses.replace(
                base,
                type="REQUEST",
                trigger=Span(modal.idx, modal.idx + len(modal.text), modal.text),
                evidence=Evidence(
                    "events.demand.modal",
                    round(min(confidence, 0.95), 3),
                    ctx.sentence(verb),
                ),
                mode=_ISSUE.get(act.type, "change") if act else None,
                context=(),
                cameo=kind.cameo_root + "0",
                source=tuple(dict.fromkeys(source)),
                target=tuple(dict.fromkeys(target)),
                modality=(),
                quad_class=kind.quad_class,
                intensity=kind.intensity,
                acled_type=None,
                acled_subtype=None,
            )
        )
        if act is not None:
            events[events.index(act)] = dataclasses.replace(
                act, modality=tuple(dict.fromkeys((*act.modality, "proposed")))
            )
    return demands


_SAY = Trigger(lemmas=("say",), pos="VERB", type="REQUEST", mode=None, cameo=None)


def inherit_targets(found: list[tuple[Any, Trigger]], events: list[Event]) -> list[Event]:
    """A stance without a target of its own takes the target of the act it is about:
    "Libya offered to hand over the suspects to Britain" (AGREE, target Britain),
    "promised to continue military aid to Mozambique", "agreed to US mediation"."""
    by_token = {token.i: events[n] for n, (token, _) in enumerate(found)}
    position = {token.i: n for n, (token, _) in enumerate(found)}
    result = list(events)
    for token, _ in found:
        event = result[position[token.i]]
        if event.type not in STANCE_TYPES or event.target:
            continue
        for node in _governed_nodes(token):
            governed = by_token.get(node.i)
            if governed is None or node.i == token.i:
                continue
            heirs = governed.target or tuple(a for a in governed.source if a not in event.source)
            heirs = tuple(a for a in heirs if a not in event.source)
            if heirs:
                result[position[token.i]] = dataclasses.replace(event, target=heirs)
                break
    return result
