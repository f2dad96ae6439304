"""The learned review of event candidates: keep or drop each, and correct its type.

The trigger rules propose events; a small multinomial logistic model, trained on the
train split of the project's own corpus (`corpus/`, `eventscope train`), reads each
candidate's context and says how likely it is to be no event at all or an event of each
PLOVER type. Rules written after reading misses overfit the texts they were read on
(issue 21); the model learns from complete annotations of articles instead, so that "the
day Tokayev fired Masimov" or "a post occupied until then" can be told from real events
by what surrounds the trigger, not by one more rule.

Features are what the parse already holds (no extra model runs per article): the
trigger's lemma, tag, dependency, head, children and their entity types, the clause it
sits in, the words beside it, its modality and arguments, whether it is in the title or
inside quote marks, and the parser's own context vector of the trigger (`doc.tensor`).
The combined model also reads what the rules said (type, rule, mode); the "learned"
model does not (`EVENTSCOPE_EVENTS=learned`), and `EVENTSCOPE_EVENTS=rules` turns the
review off: the three arms of the ablation.

Inference is a sparse dot product in numpy; the weights are `kb/learned/events.npz`.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
from collections.abc import Sequence
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from eventscope.kb.events import EventLexicon
from eventscope.lang.en.grammar import LEARNED_ARG_DEPS as _ARG_DEPS
from eventscope.lang.en.grammar import LEARNED_CLAUSE_DEPS as _CLAUSE_DEPS
from eventscope.model import Event
from eventscope.nlp.view import view

from .events_build import Context

MODELS = Path(__file__).resolve().parents[1] / "kb" / "learned"
NONE = "NONE"  # the class of a candidate that is no event
ARMS = ("combined", "learned", "rules")
# (article key, event, features, context vector) of each candidate, while training
RECORDER: ContextVar[list[tuple[str, Event, list[str], Any]] | None] = ContextVar(
    "eventscope_event_recorder", default=None
)
_QUOTES = {'"', "“", "”"}


def arm() -> str:
    """The ablation arm in use: `EVENTSCOPE_EVENTS` (combined, learned, rules)."""
    chosen = os.environ.get("EVENTSCOPE_EVENTS", "combined").strip().lower()
    return chosen if chosen in ARMS else "combined"


@dataclasses.dataclass(frozen=True)
class EventModel:
    """Weights of one softmax model over sparse binary features and a dense vector."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # (features + dense, classes)
    bias: np.ndarray
    dense: int  # length of the dense part
    threshold: float  # drop a candidate when P(NONE) is at least this
    rule_features: bool  # whether it reads the rules' own type, rule and mode
    retype: bool = True  # whether it may change the rules' type (cross-validated)

    def proba(self, names: Sequence[str], vector: np.ndarray) -> np.ndarray:
        rows = [self.vocabulary[n] for n in names if n in self.vocabulary]
        score = self.bias + self.weights[rows].sum(axis=0)
        if self.dense:
            score = score + vector[: self.dense] @ self.weights[len(self.vocabulary) :]
        score = np.exp(score - score.max())
        return np.asarray(score / score.sum())

    def save(self, path: Path, **meta: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        arrays: dict[str, Any] = {
            "classes": np.array(self.classes),
            "vocabulary": np.array(names),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "dense": np.array(self.dense),
            "threshold": np.array(self.threshold),
            "rule_features": np.array(self.rule_features),
            "retype": np.array(self.retype),
        }
        arrays.update({k: np.array(v) for k, v in meta.items()})
        np.savez_compressed(path, **arrays)


def load_model(path: Path) -> EventModel:
    data = np.load(path, allow_pickle=False)
    names = [str(n) for n in data["vocabulary"]]
    return EventModel(
        classes=tuple(str(c) for c in data["classes"]),
        vocabulary={n: i for i, n in enumerate(names)},
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=np.asarray(data["bias"], dtype=np.float64),
        dense=int(data["dense"]),
        threshold=float(data["threshold"]),
        rule_features=bool(data["rule_features"]),
        retype=bool(data["retype"]) if "retype" in data else True,
    )


@cache
def shipped(name: str) -> EventModel | None:
    """The shipped model of an arm (None when it has not been built)."""
    path = MODELS / f"events-{name}.npz"
    return load_model(path) if path.exists() else None


def token_at(ctx: Context, offset: int) -> Any:
    """The token starting at (or holding) a character offset."""
    starts = view(ctx.doc).starts
    return ctx.tokens[max(0, bisect.bisect_right(starts, offset) - 1)]


def features(ctx: Context, event: Event, token: Any, *, rules: bool) -> list[str]:
    """The binary features of a candidate event at its trigger token."""
    v = view(ctx.doc)
    i = token.i
    lemma, dep = v.lemma_lowers[i], v.deps[i]
    head = v.heads[i]
    found = [
        f"lemma={lemma}",
        f"pos={v.pos[i]}",
        f"tag={v.tags[i]}",
        f"dep={dep}",
        f"lemma|dep={lemma}|{dep}",
        f"head={v.lemma_lowers[head]}",
        f"headpos={v.pos[head]}",
        f"headdep={v.deps[head]}",
        f"upper={v.caps[i]}",
    ]
    if rules:
        found += [
            f"type={event.type}",
            f"rule={event.evidence.rule}",
            f"mode={event.mode}",
            f"type|lemma={event.type}|{lemma}",
        ]
    for child in token.children:
        found.append(f"child={child.dep_}")
        if child.dep_ in _ARG_DEPS or child.dep_ in ("aux", "auxpass", "neg", "prep", "prt"):
            found.append(f"child={child.dep_}:{child.lemma_.lower()}")
        if child.dep_ in _ARG_DEPS and child.ent_type_:
            found.append(f"childent={child.dep_}:{child.ent_type_}")
    node, depth = i, 0
    while v.heads[node] != node and depth < 4:
        if v.deps[node] in _CLAUSE_DEPS:
            found.append(f"anc={v.deps[node]}")
        node, depth = v.heads[node], depth + 1
    found.append(f"depth={depth}")
    for k in (-2, -1, 1, 2):
        j = i + k
        found.append(f"w{k}={v.lemma_lowers[j] if 0 <= j < len(v.lemmas) else '<s>'}")
    sentence = ctx.sentence_of[i]
    found.append(f"sentence={min(sentence, 3)}")
    first = ctx.sentences[sentence].start
    marks = sum(1 for t in v.texts[first:i] if t in _QUOTES)
    found.append(f"quoted={marks % 2 == 1}")
    found += [f"modality={m}" for m in event.modality] or ["modality=factual"]
    found += [
        f"source={bool(event.source)}",
        f"target={bool(event.target)}",
        f"own_date={event.date_precision != 'article'}",
    ]
    return found


def relations(ctx: Context, events: Sequence[Event], tokens: Sequence[Any]) -> list[list[str]]:
    """What each candidate shares with the candidates before it: a report names one act
    many times ("the attack ... the shooting ... killed"), and the annotation (like an
    analyst) codes it once. Counts of earlier candidates of the same type in the article
    and in the sentence, and of the same trigger word in the article."""
    seen_types: dict[str, int] = {}
    seen_lemmas: dict[str, int] = {}
    in_sentence: dict[tuple[int, str], int] = {}
    at = {t.i: events[k].type for k, t in enumerate(tokens)}
    heads = view(ctx.doc).heads
    order = sorted(range(len(events)), key=lambda k: events[k].trigger.start)
    out: dict[int, list[str]] = {}
    for k in order:
        event, token = events[k], tokens[k]
        sentence = ctx.sentence_of[token.i]
        lemma = token.lemma_.lower()
        before = seen_types.get(event.type, 0)
        here = in_sentence.get((sentence, event.type), 0)
        out[k] = [f"prior_type={min(before, 3)}", f"sent_type={min(here, 2)}",
                  f"prior_lemma={min(seen_lemmas.get(lemma, 0), 2)}",
                  f"prior_type|type={min(before, 3)}|{event.type}"]  # fmt: skip
        # the act another trigger governs: "asked both to resign", "agreed to halt"
        node, steps = token.i, 0
        while heads[node] != node and steps < 3:
            node, steps = heads[node], steps + 1
            if node in at and node != token.i:
                out[k] += ["under_trigger", f"under_trigger={at[node]}"]
                break
        seen_types[event.type] = before + 1
        seen_lemmas[lemma] = seen_lemmas.get(lemma, 0) + 1
        in_sentence[(sentence, event.type)] = here + 1
    found = [out[k] for k in range(len(events))]
    return found


def vector_of(ctx: Context, token: Any) -> np.ndarray:
    """The parser's context vector of a token (zeros when the parse has none)."""
    tensor = getattr(ctx.doc, "tensor", None)
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] <= token.i:
        return np.zeros(0)
    return np.asarray(tensor[token.i], dtype=np.float64)


def review(ctx: Context, events: list[Event], lexicon: EventLexicon, key: str = "") -> list[Event]:
    """The candidates the model keeps, retyped where it is surer of another type, and
    renumbered; unchanged with the review off or no model built. While training
    (RECORDER set) every candidate is recorded and kept."""
    recorder = RECORDER.get()
    if recorder is not None:
        tokens = [token_at(ctx, e.trigger.start) for e in events]
        for event, token, related in zip(
            events, tokens, relations(ctx, events, tokens), strict=True
        ):
            names = features(ctx, event, token, rules=True) + related
            recorder.append((key, event, names, vector_of(ctx, token)))
        return events
    chosen = arm()
    model = None if chosen == "rules" else shipped(chosen)
    if model is None:
        return events
    kept = []
    tokens = [token_at(ctx, e.trigger.start) for e in events]
    for event, token, related in zip(events, tokens, relations(ctx, events, tokens), strict=True):
        names = features(ctx, event, token, rules=model.rule_features)
        names += (
            related if model.rule_features else [n for n in related if n.startswith("prior_lemma")]
        )
        decided = decide(model, names, vector_of(ctx, token), event.type)
        if decided == NONE:
            continue
        if decided != event.type and decided in lexicon.types:
            event = retyped(event, decided, lexicon)
        kept.append(event)
    return [dataclasses.replace(e, id=f"e{n}") for n, e in enumerate(kept, start=1)]


def decide(
    model: EventModel,
    names: Sequence[str],
    vector: np.ndarray,
    rule_type: str,
    threshold: float | None = None,
    retype: bool | None = None,
) -> str:
    """NONE when the candidate is likely no event (P(NONE) at least the threshold), else
    its type: with retyping on, the model's best type when it is surer of it than of the
    rules' type."""
    p = dict(zip(model.classes, model.proba(names, vector), strict=True))
    if p.get(NONE, 0.0) >= (model.threshold if threshold is None else threshold):
        return NONE
    if not (model.retype if retype is None else retype):
        return rule_type
    best = max((c for c in model.classes if c != NONE), key=p.__getitem__)
    return best if p[best] > p.get(rule_type, 0.0) else rule_type


def retyped(event: Event, name: str, lexicon: EventLexicon) -> Event:
    """The event under another PLOVER type: its CAMEO root, class and intensity, no
    mode (the trigger's was the old type's) and the ACLED view of the new type."""
    kind = lexicon.types[name]
    acled = lexicon.acled_view(name, None, armed_target=False)
    return dataclasses.replace(
        event,
        type=name,
        mode=None,
        cameo=kind.cameo_root,
        quad_class=kind.quad_class,
        intensity=kind.intensity,
        acled_type=acled[0] if acled else None,
        acled_subtype=acled[1] if acled else None,
        evidence=dataclasses.replace(event.evidence, rule=f"{event.evidence.rule}.learned"),
    )


__all__ = [
    "ARMS",
    "NONE",
    "RECORDER",
    "EventModel",
    "arm",
    "decide",
    "features",
    "load_model",
    "review",
]
