"""Building one event record: the article's context (actors, dates and places by token)
and an `Event` for a trigger token, with its arguments, date, place, modality, views,
evidence and confidence."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import Any

from eventscope.kb.events import EventLexicon, Trigger
from eventscope.kb.sectors import STATE_FORCES
from eventscope.kb.weights import weights
from eventscope.lang.en.lexicon import words
from eventscope.model import ArticleRecords, Event, Evidence, Span
from eventscope.nlp.parse import ParsedArticle
from eventscope.nlp.view import LazyTokens, view

from .article_index import ActorIndex, Anchors
from .events_args import (
    clause_depth,
    fallback_targets,
    modality,
    noun_arguments,
    verb_arguments,
)


def _token_spans(doc: Any, items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    spans = []
    for start, end, ident in items:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            spans.append((span.start, span.end, ident))
    return spans


@dataclasses.dataclass
class Context:
    doc: Any
    actors: ActorIndex
    dates: Anchors  # date expressions -> value
    date_precision: dict[str, str]
    places: Anchors  # place mentions -> place id
    main_place: str | None
    published: str | None
    triggers: frozenset[int] = frozenset()  # token indexes of the article's triggers
    tokens: Sequence[Any] = ()  # the doc's tokens, each made once on first use
    sentence_of: list[int] = dataclasses.field(default_factory=list)  # token -> sentence
    sentences: list[Any] = dataclasses.field(default_factory=list)
    text: str = ""  # the doc's text, made once (spaCy's `doc.text` joins it on each call)
    _lemmas: dict[int, set[str]] = dataclasses.field(default_factory=dict)
    _spans: dict[int, Span] = dataclasses.field(default_factory=dict)

    def sentence(self, token: Any) -> Span:
        """The sentence of a token as a Span (cached; spaCy's `token.sent` scans the doc
        and `sent.text` joins its tokens on every call)."""
        number = self.sentence_of[token.i]
        if number not in self._spans:
            sent = self.sentences[number]
            start, end = sent.start_char, sent.end_char
            self._spans[number] = Span(start, end, self.text[start:end])
        return self._spans[number]

    def sentence_lemmas(self, token: Any) -> set[str]:
        """The lower-case lemmas of a token's sentence (cached)."""
        number = self.sentence_of[token.i]
        if number not in self._lemmas:
            self._lemmas[number] = {t.lemma_.lower() for t in self.sentences[number]}
        return self._lemmas[number]


def build_context(parsed: ParsedArticle, records: ArticleRecords) -> Context:
    """The article's actors, dates and places by token, for the stages that read
    arguments from the parse (built once per article by `ArticleContext.index`)."""
    doc = parsed.doc
    # Only calendar values date an event: "now" (PRESENT_REF) or "in the past" do not.
    calendar = [d for d in records.dates if d.value is not None and d.value[:1].isdigit()]
    dates = [(d.span.start, d.span.end, str(d.value)) for d in calendar]
    precision = {str(d.value): d.precision for d in calendar}
    places = [(m.span.start, m.span.end, p.id) for p in records.places for m in p.mentions]
    counts = Counter(p.id for p in records.places for _ in p.mentions)
    published = records.article.published
    tokens = LazyTokens(doc)
    v = view(doc)  # head links as integers (Token.head builds a new Token each time)
    heads = v.heads
    sentences = list(doc.sents)
    sentence_of = [0] * len(tokens)
    for number, sent in enumerate(sentences):
        sentence_of[sent.start : sent.end] = [number] * (sent.end - sent.start)
    return Context(
        doc,
        ActorIndex(doc, records.actors, records.places),
        Anchors(doc, _token_spans(doc, dates), heads),
        precision,
        Anchors(doc, _token_spans(doc, places), heads),
        counts.most_common(1)[0][0] if counts else None,
        published.isoformat() if published else None,
        tokens=tokens,
        sentence_of=sentence_of,
        sentences=sentences,
        text=v.text,
    )


_ADJUNCT_PREPS = words("function_words", "adjunct_preps")
_W = weights("events")
_BY_DEPTH = {0: _W["main_clause"], 1: _W["first_subclause"]}  # clause depth -> weight


def confidence_of(
    token: Any, depth: int, sources: list[str], targets: list[str], mood: tuple[str, ...]
) -> float:
    """Higher for the main clause's event (what a reporting verb reports counts as main)
    and for events with their actors found: the most confident is the sentence's main
    event."""
    value = _W["base"] + _BY_DEPTH.get(depth, _W["deeper_clause"])
    value += _W["verb"] if token.pos_ == "VERB" else 0.0
    if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ in _ADJUNCT_PREPS:
        value -= _W["setting"]  # the setting, not the event: "during a summit", "after the clash"
    value += _W["source"] if sources else 0.0
    value += _W["target"] if targets else 0.0
    value -= _W["modality"] if mood else 0.0
    return round(max(_W["floor"], min(value, _W["ceiling"])), 3)


def _support_verb(ctx: Context, token: Any, lexicon: EventLexicon) -> Any | None:
    """The verb an event noun is the subject or object of when that verb names no act of
    its own ("the unrest began on 2 January", "staged a rally in Minsk"): its date and
    place are the event's."""
    head = token.head
    if token.pos_ != "NOUN" or head.i == token.i or head.i in ctx.triggers:
        return None
    if token.dep_ not in ("nsubj", "nsubjpass", "dobj") or head.pos_ != "VERB":
        return None
    return head if head.lemma_.lower() in lexicon.support_verbs else None


def build_event(
    ctx: Context, token: Any, trigger: Trigger, number: int, lexicon: EventLexicon
) -> Event:
    if trigger.pos == "VERB":
        source_heads, target_heads = verb_arguments(token, trigger, lexicon.clause_targets)
    else:
        source_heads, target_heads = noun_arguments(token, trigger, ctx.triggers - {token.i})
    sources = [a for head in source_heads for a in ctx.actors.of(head)]
    targets = [a for head in target_heads for a in ctx.actors.of(head)]
    targets = [a for a in dict.fromkeys(targets) if a not in sources]  # never both roles
    if not targets:
        heads = fallback_targets(token, trigger, lexicon)
        targets = [a for h in heads for a in ctx.actors.of(h) if a not in sources]
        targets = list(dict.fromkeys(targets))
    if trigger.type == "MOBILIZE" and not sources:
        # "troops were deployed": the forces deployed act; they are no target
        sources = [a for a in targets if ctx.actors.sector(a) in lexicon.armed_sectors]
        targets = [a for a in targets if a not in sources]
    place = ctx.places.place(token.i, ctx.triggers)
    support = _support_verb(ctx, token, lexicon)
    if place is None and support is not None:
        place = ctx.places.place(support.i, ctx.triggers | {support.i})
    if not targets and place is not None and trigger.type in lexicon.place_targets:
        # "demolished homes in southern Gaza", "a state of siege in Haiti": with no one
        # named, the act targets the country where it happens (CAMEO's convention)
        country = ctx.actors.country_of_place(place)
        targets = [country] if country is not None and country not in sources else []
    if not targets and trigger.type in lexicon.domestic_targets:
        # "Algerian landowners began a hunger strike": dissent with no one named is
        # against the authorities of the protesters' own country
        targets = [
            c for c in (ctx.actors.country_of(a) for a in sources) if c and c not in sources
        ][:1]
    date = ctx.dates.attached(token.i, ctx.triggers)
    if date is None and token.dep_ == "conj" and token.head.i in ctx.triggers:
        # "was fired and arrested on Saturday": conjoined acts share the date
        date = ctx.dates.attached(token.head.i, ctx.triggers)
    if date is None and support is not None:
        date = ctx.dates.attached(support.i, ctx.triggers | {support.i})
    mood = modality(token, lexicon)
    kind = lexicon.types[trigger.type]
    armed = any(ctx.actors.sector(a) in lexicon.armed_sectors for a in targets)
    mode = trigger.mode
    if trigger.type == "ASSAULT" and mode is None:
        # "killed five with a grenade": the instrument the sentence names
        mode = lexicon.instrument_mode(ctx.sentence_lemmas(token))
    acled = _acled(ctx, trigger, mode, sources, targets, lexicon, armed=armed)
    trigger_span = ctx.doc[token.i : phrase_end(token, trigger)]
    rule = f"events.{trigger.pos.lower()}.{'_'.join(trigger.lemmas)}"
    return Event(
        id=f"e{number}",
        type=trigger.type,
        trigger=Span(trigger_span.start_char, trigger_span.end_char, trigger_span.text),
        evidence=Evidence(
            rule,
            confidence_of(token, clause_depth(token, lexicon), sources, targets, mood),
            ctx.sentence(token),
        ),
        mode=mode,
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


def _acled(
    ctx: Context,
    trigger: Trigger,
    mode: str | None,
    sources: list[str],
    targets: list[str],
    lexicon: EventLexicon,
    *,
    armed: bool,
) -> tuple[str, str] | None:
    """The ACLED (event type, sub-event type): the trigger's own, who gains territory,
    two-sided fighting as an armed clash, else the view of the type and mode."""
    if trigger.acled == "territory":
        state = any(ctx.actors.sector(a) in STATE_FORCES for a in sources)
        kind = "Government regains territory" if state else "Non-state actor overtakes territory"
        return ("Strategic developments", kind)
    if isinstance(trigger.acled, tuple):
        return trigger.acled
    two_sided = trigger.type == "ASSAULT" and len(set(sources)) >= 2 and not targets
    if two_sided and mode in (None, "firearms", "heavy-weapons"):
        return ("Battles", "Armed clash")
    return lexicon.acled_view(trigger.type, mode, armed_target=armed)


def phrase_end(token: Any, trigger: Trigger) -> int:
    """The token after a trigger's words: after the phrase as written, or after its
    object when the phrase matched through the parse ("declared a unilateral
    ceasefire")."""
    doc, end = token.doc, int(token.i) + len(trigger.lemmas)
    written = [t.lemma_.lower() for t in doc[token.i : end]]
    if len(trigger.lemmas) == 1 or written == list(trigger.lemmas):
        return end
    objects = [int(c.i) for c in token.children if c.lemma_ == trigger.lemmas[-1]]
    return max(objects, default=int(token.i)) + 1
