"""Events: who did what to whom, where and when, coded in PLOVER with CAMEO views.

Each verb or event noun of the trigger lexicon (`kb/events.yaml`) that is not part of a
name is one event: its type and mode from the trigger, its source and target actors from
the dependency parse (`events_args`), its date and place when they hang from the trigger
in the parse (else the article's, with a lower precision), its modality (negated,
hypothetical, future, proposed, reported). A reported claim whose content names an
accusation ("terrorism", "an attempted coup") is also the speaker's ACCUSE event. Every
event keeps its trigger, sentence, rule and confidence.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from eventscope.kb.events import EventLexicon, Trigger, event_lexicon
from eventscope.model import Actor, ArticleRecords, Event, Evidence, Span
from eventscope.nlp.parse import ParsedArticle

from .events_args import (
    ActorIndex,
    attached_span,
    clause_depth,
    intent_cue,
    modality,
    noun_arguments,
    place_spans,
    verb_arguments,
)
from .registry import register

_NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "LAW",
                            "EVENT", "PRODUCT"})  # fmt: skip


def _match(doc: Any, token: Any, lexicon: EventLexicon) -> Trigger | None:
    """The longest trigger starting at this token, if any."""
    for trigger in lexicon.triggers.get((token.lemma_.lower(), token.pos_), ()):
        rest = trigger.lemmas[1:]
        following = doc[token.i + 1 : token.i + 1 + len(rest)]
        if len(following) == len(rest) and all(
            t.lemma_.lower() == lemma for t, lemma in zip(following, rest, strict=True)
        ):
            return trigger
    return None


def _is_name_part(token: Any) -> bool:
    # "the Strike Force", "the Protest Party": a trigger word inside a name.
    return token.ent_type_ in _NAME_ENTITIES and token.text[:1].isupper()


def find_triggers(doc: Any, lexicon: EventLexicon) -> list[tuple[Any, Trigger]]:
    """(token, trigger) for every trigger in the text, one per token."""
    found = []
    covered: set[int] = set()
    for token in doc:
        if token.i in covered or token.pos_ not in ("VERB", "NOUN") or _is_name_part(token):
            continue
        trigger = _match(doc, token, lexicon)
        if trigger is None:
            continue
        if trigger.needs_object and not any(c.dep_ in ("dobj", "obj") for c in token.children):
            continue
        found.append((token, trigger))
        covered.update(range(token.i, token.i + len(trigger.lemmas)))
    return found


def _token_spans(doc: Any, items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    spans = []
    for start, end, ident in items:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            spans.append((span.start, span.end, ident))
    return spans


@dataclasses.dataclass
class _Context:
    doc: Any
    actors: ActorIndex
    dates: list[tuple[int, int, str]]  # token spans of date expressions -> value
    date_precision: dict[str, str]
    places: list[tuple[int, int, str]]  # token spans of place mentions -> place id
    main_place: str | None
    published: str | None
    triggers: frozenset[int] = frozenset()  # token indexes of the article's triggers


def _context(parsed: ParsedArticle, records: ArticleRecords) -> _Context:
    doc = parsed.doc
    # Only calendar values date an event: "now" (PRESENT_REF) or "in the past" do not.
    calendar = [d for d in records.dates if d.value is not None and d.value[:1].isdigit()]
    dates = [(d.span.start, d.span.end, str(d.value)) for d in calendar]
    precision = {str(d.value): d.precision for d in calendar}
    places = [(m.span.start, m.span.end, p.id) for p in records.places for m in p.mentions]
    counts = Counter(p.id for p in records.places for _ in p.mentions)
    published = records.article.published
    return _Context(
        doc,
        ActorIndex(doc, records.actors, records.places),
        _token_spans(doc, dates),
        precision,
        _token_spans(doc, places),
        counts.most_common(1)[0][0] if counts else None,
        published.isoformat() if published else None,
    )


def _confidence(
    token: Any, depth: int, sources: list[str], targets: list[str], mood: tuple[str, ...]
) -> float:
    """Higher for the main clause's event (what a reporting verb reports counts as main)
    and for events with their actors found: the most confident is the sentence's main
    event."""
    value = 0.35 + (0.3 if depth == 0 else 0.15 if depth == 1 else 0.05)
    value += 0.05 if token.pos_ == "VERB" else 0.0
    value += 0.15 if sources else 0.0
    value += 0.1 if targets else 0.0
    value -= 0.1 if mood else 0.0
    return round(max(0.05, min(value, 0.95)), 3)


def _event(
    ctx: _Context, token: Any, trigger: Trigger, number: int, lexicon: EventLexicon
) -> Event:
    args = verb_arguments if trigger.pos == "VERB" else noun_arguments
    source_heads, target_heads = args(token, trigger)
    sources = [a for head in source_heads for a in ctx.actors.of(head)]
    targets = [a for head in target_heads for a in ctx.actors.of(head)]
    targets = [a for a in dict.fromkeys(targets) if a not in sources]  # never both roles
    date = attached_span(token, ctx.dates, ctx.triggers)
    place = place_spans(token, ctx.places, ctx.triggers)
    mood = modality(token, lexicon)
    kind = lexicon.types[trigger.type]
    armed = any(ctx.actors.sector(a) in lexicon.armed_sectors for a in targets)
    acled = lexicon.acled_view(trigger.type, trigger.mode, armed_target=armed)
    end = token.i + len(trigger.lemmas)
    trigger_span = ctx.doc[token.i : end]
    sent = token.sent
    rule = f"events.{trigger.pos.lower()}.{'_'.join(trigger.lemmas)}"
    return Event(
        id=f"e{number}",
        type=trigger.type,
        trigger=Span(trigger_span.start_char, trigger_span.end_char, trigger_span.text),
        evidence=Evidence(
            rule,
            _confidence(token, clause_depth(token, lexicon), sources, targets, mood),
            Span(sent.start_char, sent.end_char, sent.text),
        ),
        mode=trigger.mode,
        context=trigger.context,
        cameo=trigger.cameo,
        source=tuple(dict.fromkeys(sources)),
        target=tuple(targets),
        date=date or ctx.published,
        date_precision=ctx.date_precision.get(date, "day") if date else "article",
        place=place or ctx.main_place,
        modality=mood,
        quad_class=kind.quad_class,
        intensity=kind.intensity,
        acled_type=acled[0] if acled else None,
        acled_subtype=acled[1] if acled else None,
    )


def _accusations(ctx: _Context, lexicon: EventLexicon, number: int) -> list[Event]:
    """The speaker's ACCUSE event of each reported claim that names an accusation:
    "Putin declared that ... international terrorism"."""
    found = []
    for token in ctx.doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in lexicon.reporting_verbs:
            continue
        content = [c for c in token.children if c.dep_ in ("ccomp", "dobj", "xcomp")]
        words = {t.lemma_.lower() for c in content for t in c.subtree}
        words |= {t.lower_ for c in content for t in c.subtree}
        if not words & lexicon.accusation_words:
            continue
        sources, _ = verb_arguments(token, _REPORT)
        speakers = [a for head in sources for a in ctx.actors.of(head)]
        if not speakers:
            continue
        number += 1
        sent = token.sent
        kind = lexicon.types["ACCUSE"]
        date = attached_span(token, ctx.dates, ctx.triggers | {token.i})
        found.append(
            Event(
                id=f"e{number}",
                type="ACCUSE",
                trigger=Span(token.idx, token.idx + len(token.text), token.text),
                evidence=Evidence(
                    "events.claim.accusation", 0.6, Span(sent.start_char, sent.end_char, sent.text)
                ),
                source=tuple(dict.fromkeys(speakers)),
                date=date or ctx.published,
                date_precision=ctx.date_precision.get(date, "day") if date else "article",
                place=place_spans(token, ctx.places, ctx.triggers | {token.i}) or ctx.main_place,
                quad_class=kind.quad_class,
                intensity=kind.intensity,
                cameo="112",
            )
        )
    return found


_REPORT = Trigger(lemmas=("say",), pos="VERB", type="ACCUSE", mode=None, cameo=None)


def find_events(
    parsed: ParsedArticle, records: ArticleRecords, *, lexicon: EventLexicon | None = None
) -> tuple[list[Event], list[Actor]]:
    """Every event of a parsed article whose actors, dates and places are in `records`,
    and the country actors created for arguments named only as places."""
    lexicon = lexicon or event_lexicon()
    ctx = _context(parsed, records)
    found = find_triggers(ctx.doc, lexicon)
    ctx.triggers = frozenset(token.i for token, _ in found)
    events = [
        _event(ctx, token, trigger, number, lexicon)
        for number, (token, trigger) in enumerate(found, start=1)
    ]
    events += _intents(ctx, found, events, lexicon)
    events += _accusations(ctx, lexicon, len(events))
    return events, ctx.actors.created


_INTENT = {1: "AGREE", 2: "AGREE", 3: "THREATEN", 4: "THREATEN"}  # by the act's quad class


def _intents(
    ctx: _Context, found: list[tuple[Any, Trigger]], events: list[Event], lexicon: EventLexicon
) -> list[Event]:
    """For each act announced as intended ("Syria is willing to withdraw its troops",
    "the rebels will release the hostages"), the actor's statement of intent: AGREE for a
    cooperative act, THREATEN for a hostile one, as PLOVER codes it. It is the sentence's
    main event (a little more confident than the act, which stays, flagged future)."""
    intents: list[Event] = []
    for (token, trigger), event in zip(found, events, strict=True):
        cue = intent_cue(token, lexicon)
        if cue is None or cue.i in ctx.triggers or trigger.type in ("AGREE", "THREATEN"):
            continue
        kind = lexicon.types[_INTENT[lexicon.types[trigger.type].quad_class]]
        intents.append(
            dataclasses.replace(
                event,
                id=f"e{len(events) + len(intents) + 1}",
                type=kind.name,
                trigger=Span(cue.idx, cue.idx + len(cue.text), cue.text),
                evidence=dataclasses.replace(
                    event.evidence,
                    rule=f"events.intent.{kind.name.lower()}",
                    confidence=min(0.95, round(event.evidence.confidence + 0.15, 3)),
                ),
                mode=None,
                context=(),
                cameo=kind.cameo_root,
                modality=(),
                quad_class=kind.quad_class,
                intensity=kind.intensity,
                acled_type=None,  # an intent is no ACLED event
                acled_subtype=None,
            )
        )
    return intents


@register("events", requires=("ner", "tagger", "parser", "lemmatizer"))
def extract_events(parsed: ParsedArticle, records: ArticleRecords) -> ArticleRecords:
    """Add the article's events (and the country actors their arguments name) to its
    records."""
    events, created = find_events(parsed, records)
    return dataclasses.replace(
        records, actors=records.actors + tuple(created), events=records.events + tuple(events)
    )
