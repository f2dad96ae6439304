"""Events: who did what to whom, where and when, coded in PLOVER with CAMEO views.

Each verb or event noun of the trigger lexicon (`kb/en/events.yaml`) that is not part of a
name is one event: its type and mode from the trigger, its source and target actors from
the dependency parse (`events_args`), its date and place when they hang from the trigger
in the parse (else the article's, with a lower precision), its modality (negated,
hypothetical, future, proposed, reported). A reported claim whose content names an
accusation ("terrorism", "an attempted coup") is also the speaker's ACCUSE event. Every
event keeps its trigger, sentence, rule and confidence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from eventscope.kb.events import INTENT_STANCES, EventLexicon, Trigger, event_lexicon
from eventscope.lang.en.grammar import DIRECT_OBJECTS, NAME_LABELS
from eventscope.lang.en.lexicon import words
from eventscope.model import Actor, ArticleRecords, Event, Evidence, Span
from eventscope.nlp.view import view

from .context import ArticleContext
from .events_args import (
    clause_verb,
    intent_cue,
    is_conditional,
    object_lemmas,
    verb_arguments,
)
from .events_build import Context, build_event
from .events_coref import merge_mentions
from .events_frames import apply_frames, find_demands, inherit_targets
from .events_learned import review
from .registry import register


def _match(doc: Any, token: Any, lexicon: EventLexicon) -> tuple[Trigger, list[int]] | None:
    """The longest trigger starting at this token whose object condition holds, if any,
    and the tokens it covers. A verb phrase also matches through the parse with words
    between ("cut diplomatic ties", "held direct talks", "broke off relations")."""
    for trigger in lexicon.triggers.get((token.lemma_.lower(), token.pos_), ()):
        rest = trigger.lemmas[1:]
        following = doc[token.i + 1 : token.i + 1 + len(rest)]
        if len(following) == len(rest) and all(
            t.lemma_.lower() == lemma for t, lemma in zip(following, rest, strict=True)
        ):
            covered = list(range(token.i, token.i + len(trigger.lemmas)))
        elif rest and trigger.pos == "VERB":
            found = _parsed_phrase(token, rest)
            if found is None:
                continue
            covered = [token.i, *found]
        else:
            continue
        if trigger.objects or trigger.except_objects:
            lemmas = object_lemmas(token)
            if trigger.objects and not trigger.objects & lemmas:
                continue
            if trigger.except_objects & lemmas:
                continue
        if trigger.needs_object and not any(c.dep_ in DIRECT_OBJECTS for c in token.children):
            continue
        if trigger.one_object and sum(c.dep_ in _OBJECT_PHRASES for c in token.children) != 1:
            continue
        return trigger, covered
    return None


_ARTICLES = words("function_words", "determiners")
_OBJECT_PHRASES = DIRECT_OBJECTS | {"oprd"}


def _parsed_phrase(verb: Any, rest: tuple[str, ...]) -> list[int] | None:
    """The tokens of a verb phrase's other words found in the parse: its last word as the
    verb's object, the others as children of the verb or the object ("cut diplomatic
    ties" for "cut tie"); None if any is missing. Not through a passive subject: in "the
    meeting was held" the noun keeps its own arguments."""
    objects = [c for c in verb.children if c.dep_ in DIRECT_OBJECTS and c.lemma_ == rest[-1]]
    if not objects and len(rest) > 1:  # "put its forces on high alert": the prep's object
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lemma_ == rest[0]]
        objects = [
            g for p in preps for g in p.children if g.dep_ == "pobj" and g.lemma_ == rest[-1]
        ]
    if not objects:
        return None
    found = [objects[0].i]
    nearby = [*verb.children, *objects[0].children]
    for lemma in rest[:-1]:
        if lemma in _ARTICLES:
            continue
        match = next((t for t in nearby if t.lemma_.lower() == lemma and t.i not in found), None)
        if match is None:
            return None
        found.append(match.i)
    return found


def _is_name_part(token: Any) -> bool:
    # "the Strike Force", "the Protest Party": a trigger word inside a name.
    return token.ent_type_ in NAME_LABELS and token.text[:1].isupper()


def find_triggers(
    doc: Any, lexicon: EventLexicon, tokens: Sequence[Any] | None = None
) -> list[tuple[Any, Trigger]]:
    """(token, trigger) for every trigger in the text, one per token."""
    found = []
    covered: set[int] = set()
    v = view(doc)
    for i, pos in enumerate(v.pos):
        if i in covered or pos not in ("VERB", "NOUN"):
            continue
        if (v.lemma_lowers[i], pos) not in lexicon.triggers:
            continue  # no trigger starts with this word
        token = tokens[i] if tokens is not None else doc[i]
        if _is_name_part(token):
            continue
        if token.pos_ == "VERB" and token.dep_ == "amod":
            continue  # a participle describing a noun: "proposed changes", "the banned party"
        match = _match(doc, token, lexicon)
        if match is None or _habitual(token, lexicon) or _denied(token, lexicon):
            continue
        trigger, words = match
        found.append((token, trigger))
        covered.update(words)
    return _merged(found)


def _habitual(token: Any, lexicon: EventLexicon) -> bool:
    """Whether the word tells what usually happens rather than an event: a present-tense
    clause with a frequency adverb ("Kazakhstan rarely sees street protests", "police
    often fire tear gas"). The past tense keeps its events ("often clashed that week")."""
    verb = clause_verb(token) if token.pos_ == "NOUN" else token
    if verb is None or verb.tag_ not in _PRESENT:
        return False
    return any(
        c.dep_ == "advmod" and c.lemma_.lower() in lexicon.habitual_adverbs for c in verb.children
    )


_PRESENT = frozenset({"VBZ", "VBP"})


def _denied(token: Any, lexicon: EventLexicon) -> bool:
    """Whether the word, or the verb whose object it is, is the object of a preposition
    that denies it ("without warning", "instead of negotiating a truce"), in a clause that
    is itself real and affirmed."""
    for node in {token, clause_verb(token) or token}:
        head = node.head
        if node.dep_ not in ("pobj", "pcomp") or head.pos_ not in ("ADP", "SCONJ"):
            continue
        words = [c.lower_ for c in head.children if c.dep_ == "advmod" and c.i == head.i - 1]
        if " ".join([*words, head.lower_]) not in lexicon.denying_preps:
            continue
        # "would not have acted so quickly without a request": the counterfactual of an
        # act that did happen
        governor = head.head
        unreal = lexicon.hypothetical_words | lexicon.negation_words
        return not any(
            c.i != head.i and (c.lower_ in unreal or c.dep_ == "neg") for c in governor.children
        )
    return False


def _merged(found: list[tuple[Any, Trigger]]) -> list[tuple[Any, Trigger]]:
    """One event per act: an event noun in the object of a verb of the same type is that
    verb's event ("will provide food aid" is one AID, "staged a protest" one PROTEST when
    "stage" is a trigger), and so is one that is the subject of such a verb ("a car bomb
    exploded") or a modifier of such a noun ("a bomb attack")."""
    verbs = {token.i: trigger.type for token, trigger in found if trigger.pos == "VERB"}
    types = {token.i: trigger.type for token, trigger in found}
    kept = []
    for token, trigger in found:
        if trigger.pos == "NOUN":
            verb = _object_of(token)
            if verb is not None and verbs.get(verb.i) == trigger.type:
                continue
            last = token.doc[min(token.i + len(trigger.lemmas), len(token.doc)) - 1]
            if last.dep_ in _SAME_ACT_DEPS and types.get(last.head.i) == trigger.type:
                continue  # the phrase's head word: "car bomb" by "bomb"
        kept.append((token, trigger))
    return kept


_SAME_ACT_DEPS = frozenset({"compound", "nsubj"})  # "bomb attack", "a car bomb exploded"


def _object_of(noun: Any) -> Any | None:
    """The verb whose object phrase holds this noun ("provide 25,000 tons of food aid")."""
    node = noun
    for _ in range(5):
        if node.dep_ in ("dobj", "obj", "nsubjpass"):
            return node.head
        if node.dep_ not in ("pobj", "prep", "compound", "conj", "appos") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _accusations(ctx: Context, lexicon: EventLexicon, number: int) -> list[Event]:
    """The speaker's ACCUSE event of each reported claim that names an accusation:
    "Putin declared that ... international terrorism"."""
    found = []
    v = view(ctx.doc)
    # Accusation words before each token, so that a clause is tested in constant time
    # from its edges: reading every subtree made nested reports ("He said he said ...")
    # quadratic (2,000 of them: 175 s). A subtree lies within its edges; with the rare
    # non-projective arc the edges hold a few more words.
    before = [0]
    for lemma, lower in zip(v.lemma_lowers, v.lowers, strict=True):
        hit = lemma in lexicon.accusation_words or lower in lexicon.accusation_words
        before.append(before[-1] + hit)
    for i, lemma in enumerate(v.lemma_lowers):
        if v.pos[i] != "VERB" or lemma not in lexicon.reporting_verbs:
            continue
        token = ctx.tokens[i]
        content = [c for c in token.children if c.dep_ in ("ccomp", "dobj", "xcomp")]
        if not any(before[c.right_edge.i + 1] > before[c.left_edge.i] for c in content):
            continue
        sources, _ = verb_arguments(token, _REPORT)
        speakers = [a for head in sources for a in ctx.actors.of(head)]
        if not speakers:
            continue
        number += 1
        kind = lexicon.types["ACCUSE"]
        date = ctx.dates.attached(token.i, ctx.triggers | {token.i})
        found.append(
            Event(
                id=f"e{number}",
                type="ACCUSE",
                trigger=Span(token.idx, token.idx + len(token.text), token.text),
                evidence=Evidence("events.claim.accusation", 0.6, ctx.sentence(token)),
                source=tuple(dict.fromkeys(speakers)),
                date=date or ctx.published,
                date_precision=ctx.date_precision.get(date, "day") if date else "article",
                place=ctx.places.place(token.i, ctx.triggers | {token.i}) or ctx.main_place,
                quad_class=kind.quad_class,
                intensity=kind.intensity,
                cameo="112",
            )
        )
    return found


_REPORT = Trigger(lemmas=("say",), pos="VERB", type="ACCUSE", mode=None, cameo=None)


def find_events(
    ctx: Context, *, lexicon: EventLexicon | None = None
) -> tuple[list[Event], list[Actor]]:
    """Every event of a parsed article, from its token index (actors, dates and places
    by token), and the country actors created for arguments named only as places."""
    lexicon = lexicon or event_lexicon()
    found = find_triggers(ctx.doc, lexicon, ctx.tokens)
    ctx.triggers = frozenset(token.i for token, _ in found)
    events = [
        build_event(ctx, token, trigger, number, lexicon)
        for number, (token, trigger) in enumerate(found, start=1)
    ]
    events = apply_frames(ctx, found, events, lexicon)
    ctx.triggers = frozenset(token.i for token, _ in found)
    events = inherit_targets(found, events)
    events = [_verbal_protest(e, ctx, lexicon) for e in events]
    events += _intents(ctx, found, events, lexicon)
    events += _accusations(ctx, lexicon, len(events))
    events += find_demands(ctx, events, lexicon)
    return merge_mentions(ctx, events, lexicon), ctx.actors.created


def _verbal_protest(event: Event, ctx: Context, lexicon: EventLexicon) -> Event:
    """A protest by a named person, body or country is a complaint, not a demonstration:
    "Serbia protested", "a human rights group protested" are ACCUSE (CAMEO 11)."""
    if event.type != "PROTEST" or event.mode != "demo" or not event.source:
        return event
    if not event.evidence.rule.endswith(".protest"):
        return event
    kinds = {ctx.actors.kind(a) for a in event.source}
    if kinds - {"person", "organization", "country"}:
        return event
    kind = lexicon.types["ACCUSE"]
    return dataclasses.replace(
        event,
        type="ACCUSE",
        mode="disapprove",
        cameo="111",
        quad_class=kind.quad_class,
        intensity=kind.intensity,
        acled_type=None,
        acled_subtype=None,
        evidence=dataclasses.replace(event.evidence, rule="events.verbal_protest"),
    )


_INTENT = {1: "AGREE", 2: "AGREE", 3: "THREATEN", 4: "THREATEN"}  # by the act's quad class


def _intents(
    ctx: Context, found: list[tuple[Any, Trigger]], events: list[Event], lexicon: EventLexicon
) -> list[Event]:
    """For each act announced as intended ("Syria is willing to withdraw its troops",
    "the rebels will release the hostages"), the actor's statement of intent: AGREE for a
    cooperative act, THREATEN for a hostile one, as PLOVER codes it. It is the sentence's
    main event (a little more confident than the act, which stays, flagged future). An
    act announced on a condition ("will withdraw its force unless ...") is a THREATEN,
    whatever the act."""
    intents: list[Event] = []
    for (token, _), event in zip(found, events, strict=True):
        cue = intent_cue(token, lexicon)
        if cue is None or cue.i in ctx.triggers or event.type in INTENT_STANCES:
            continue
        name = _INTENT[lexicon.types[event.type].quad_class]
        if is_conditional(token, lexicon):
            name = "THREATEN"
        elif (
            cue.lower_ in lexicon.hypothetical_words
            and cue.lower_ != "would"
            and name != "THREATEN"
        ):
            continue  # "could send troops" is no promise; "could suspend ties" a threat
        kind = lexicon.types[name]
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
                mode=lexicon.threat_mode(event.type, event.mode) if name == "THREATEN" else None,
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


@register(
    "events",
    reads=("entities", "dates", "places", "actors"),
    writes=("events", "actors"),
    requires=("ner", "tagger", "parser", "lemmatizer"),
)
def extract_events(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Add the article's events (and the country actors their arguments name) to its
    records."""
    index = ctx.index(records)
    events, created = find_events(index)
    # The learned review keeps, drops or retypes each candidate (events_learned).
    events = review(index, events, event_lexicon(), records.article.input_ref or "")
    return dataclasses.replace(
        records, actors=records.actors + tuple(created), events=records.events + tuple(events)
    )
