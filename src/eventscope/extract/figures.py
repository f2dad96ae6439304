"""Figures: how many were killed, injured, arrested, displaced, deployed or protesting.

A number becomes a figure when the words around it say what it counts (`kb/en/figures.yaml`):
its own noun ("164 deaths"), a kind word right after it ("nearly 2,000 injured"), the verb
its phrase is the victim of ("12 people were killed", "police detained 40"), or the
measure noun it gives the value of ("the death toll rose to 12", "its figures of arrests
... amounts to 7,939"). Other counts of plural nouns ("six countries") are generic counts
whose kind is the noun. Ages, dates, times, money, percentages, measures, addresses and
phone numbers are not figures. Each figure carries its qualifier and bounds, who reported
it ("according to X", the subject of the reporting verb), as of when (the date of the
report, else the article's), where, and the event it counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from eventscope.kb.figures import WEAK_KINDS, FiguresLexicon, Kind, figures_lexicon
from eventscope.kb.weights import weights
from eventscope.lang.en.grammar import prep_objects
from eventscope.lang.en.lexicon import words
from eventscope.model import Actor, ArticleRecords, Event, Evidence, Figure, Span
from eventscope.nlp.view import view

from .context import ArticleContext
from .events_build import Context
from .figures_amounts import Amount, amount_at, could_start, excluded
from .figures_victims import (
    HARMED,
    is_person,
    people_or_acts,
    single_victims,
    tallies,
    verbs_around,
    victim_group,
    victim_verb,
)
from .registry import register

_SKIP_AFTER = words("figures", "skip_after")

# Rules and the confidence each gives a figure.
_CONFIDENCE = weights("figures")


def _counted(tokens: Sequence[Any], amount: Amount) -> Any:
    """The noun the amount counts: the noun it modifies, the noun of its "of" phrase
    ("dozens of protesters"), else the number itself ("killing 12")."""
    number = tokens[amount.last]
    if number.dep_ in ("nummod", "quantmod", "amod") and number.head.pos_ in ("NOUN", "PROPN"):
        return number.head
    for pobj in prep_objects(number, ("of",)):
        if pobj.pos_ in ("NOUN", "PRON"):
            return pobj
    return number


def _measure_kind(ctx: Context, number: Any, lexicon: FiguresLexicon) -> tuple[Kind, Any] | None:
    """The kind of the measure noun a number gives the value of: "the death toll rose to
    12", "the number of dead stands at 40", "its figures of arrests, which amounts to"."""
    node = number
    if node.dep_ == "pobj":
        node = node.head
    verb = node.head if node.dep_ in ("prep", "attr", "dobj", "npadvmod") else None
    measure = None
    if (
        number.dep_ == "pobj"
        and number.head.lower_ == "of"
        and number.head.head.lemma_ in lexicon.measure_nouns
    ):
        measure = number.head.head  # "a death toll of 12"
    elif verb is not None and verb.lemma_ in lexicon.measure_verbs:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        subject = subjects[0] if subjects else None
        if subject is not None and subject.lemma_ in lexicon.measure_nouns:
            measure = subject
        elif subject is None or subject.pos_ == "PRON":
            # A relative or pronoun subject: the nearest measure noun before the number
            # in its sentence (the parse often attaches the clause to the wrong noun).
            sentence_start = ctx.sentences[ctx.sentence_of[number.i]].start
            measure = next(
                (t for t in reversed(ctx.tokens[sentence_start : number.i])
                 if t.lemma_ in lexicon.measure_nouns and t.pos_ == "NOUN"),
                None,
            )  # fmt: skip
    if measure is None:
        return None
    for child in measure.children:
        if child.dep_ in ("compound", "amod"):
            kind = lexicon.by_compound(child.lemma_.lower()) or lexicon.by_word(child.lower_)
            if kind is not None:
                return kind, child
    for pobj in prep_objects(measure, ("of",)):
        kind = lexicon.by_noun(pobj.lemma_.lower()) or lexicon.by_word(pobj.lower_)
        if kind is not None:
            return kind, pobj
        for child in pobj.children:  # "the number of people killed"
            if child.dep_ in ("acl", "relcl", "amod"):
                kind = lexicon.by_verbs(verbs_around(child)) or lexicon.by_word(child.lower_)
                if kind is not None:
                    return kind, child
    return None


def _kind_of(
    ctx: Context, amount: Amount, counted: Any, lexicon: FiguresLexicon
) -> tuple[Kind | str, Any, str] | None:
    """What the amount counts (`counted`: its noun, see `_counted`): (kind or generic
    noun, the token that says so, rule)."""
    tokens = ctx.tokens
    lemma = counted.lemma_.lower()
    noun_kind = lexicon.by_noun(lemma) if counted.i != amount.last else None
    if noun_kind is not None and noun_kind.name not in WEAK_KINDS:
        return noun_kind, counted, "noun"
    # A kind word right after the amount or its person noun: "2,000 injured", "three
    # dead", "12 people killed" (robust where the parse of such lists goes astray).
    k = amount.end
    while k < len(tokens) and k - amount.end < 3 and (
        tokens[k].lower_ in _SKIP_AFTER or tokens[k].lemma_.lower() in lexicon.person_nouns
        or (tokens[k].pos_ == "ADJ" and lexicon.by_word(tokens[k].lower_) is None)
    ):  # fmt: skip
        k += 1
    if k < len(tokens):
        word_kind = lexicon.by_word(tokens[k].lower_)
        if word_kind is not None and not any(c.dep_ == "aux" for c in tokens[k].children):
            return word_kind, tokens[k], "word"
    # What happens to the phrase: the verb it is the victim of, or a participle on it.
    for child in counted.children:
        if child.dep_ in ("acl", "amod", "relcl") and child.i > counted.i:
            if any(g.dep_ == "neg" for g in child.children):
                return None  # "three customers who weren't injured": no one counted
            found = lexicon.by_verbs(verbs_around(child)) if child.dep_ == "acl" else None
            found = found or lexicon.by_word(child.lower_)
            if found is not None:
                return found, child, "verb"
    if (
        counted.dep_ == "pobj"
        and counted.head.lower_ in ("of", "among")
        and (counted.head.head.pos_ == "NUM")
    ):
        return None  # "four" in "two of the four occupants": the two are the figure
    people = counted.i == amount.last or is_person(counted, lexicon) or noun_kind is not None
    victim = victim_verb(counted, lexicon) if people else None
    if victim is None and not people and counted.tag_ in ("NNS", "NNPS"):
        # Any plural noun counted as killed or hurt is a group of victims: "26 armed
        # attackers had been killed", "killing at least 13 airmen" (group: the noun).
        victim = victim_verb(counted, lexicon)
        if victim is not None and victim[0].name not in HARMED:
            victim = None
    number = tokens[amount.last]
    if victim is None and people and counted.head.head.i == number.i:
        victim = victim_verb(number, lexicon)  # "arrested dozens of students"
    if victim is not None and any(c.dep_ == "neg" for c in victim[1].children):
        return None  # "two small children were not hurt": no one counted
    if victim is not None and (victim[0].name not in WEAK_KINDS or noun_kind is not None
                               or victim[0].name == "protesters"):  # fmt: skip
        return victim[0], victim[1], "verb"
    if counted.i == amount.last or lemma in ("figure", "total", "number"):
        measured = _measure_kind(ctx, number, lexicon)
        if measured is not None:
            return measured[0], measured[1], "measure"
    if counted.dep_ == "pobj" and counted.head.lower_ == "of":
        above = lexicon.by_noun(counted.head.head.lemma_.lower())  # "the deaths of 12 people"
        if above is not None and counted.head.head.pos_ == "NOUN":
            return above, counted.head.head, "noun"
    if noun_kind is not None:
        return noun_kind, counted, "weak"
    if counted.i != amount.last and counted.tag_ in ("NNS", "NNPS") and people_or_acts(counted):
        words = [c.lower_ for c in counted.children if c.dep_ == "compound" and c.i < counted.i]
        return " ".join([*words, counted.lower_]), counted, "count"
    return None


def _reporter(ctx: Context, number: Any, lexicon: FiguresLexicon) -> tuple[str | None, Any]:
    """Who reports the figure, and the reporting verb: "according to X" in the sentence,
    else the subject of a reporting verb the number's clause hangs from (or that hangs
    from the sentence's root: "..., officials said")."""
    sentence = ctx.sentences[ctx.sentence_of[number.i]]
    for token in ctx.tokens[sentence.start : sentence.end]:
        if token.lemma_ == "accord" and token.lower_ == "according":
            for pobj in prep_objects(token, ("to",)):
                actors = ctx.actors.of(pobj)
                if actors:
                    return actors[0], token
    verbs = []
    node = number
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_.lower() in lexicon.report_verbs:
            verbs.append(node)
    root = sentence.root
    verbs += [
        c for c in root.children if c.dep_ == "parataxis" and c.lemma_ in lexicon.report_verbs
    ]
    for verb in verbs:
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            actors = ctx.actors.of(subject)
            if actors:
                return actors[0], verb
    return None, None


def _linked_event(
    ctx: Context,
    kind: Kind | str,
    amount: Amount,
    said_by: Any,
    triggers: dict[int, tuple[int, Event]],
) -> Event | None:
    """The event the figure counts: one whose trigger says what is counted or governs the
    number ("the disorders ... have caused 164 deaths"), else the nearest event in the
    sentence of a type the kind counts (arrests count COERCE, deaths ASSAULT ...)."""
    number = ctx.tokens[amount.last]
    sentence = ctx.sentence_of[number.i]
    related: set[int] = set()
    node = number
    while True:
        related.add(node.i)
        related.update(c.i for c in node.children if c.dep_ in ("nsubj", "pobj", "dobj"))
        if node.head.i == node.i or node == said_by:
            break
        node = node.head
    bounds, heads = ctx.sentences[sentence], view(ctx.doc).heads
    related.update(
        t.i
        for t in ctx.tokens[bounds.start : bounds.end]
        if heads[t.i] in related and t.dep_ == "prep"
    )
    related.update(g.i for t in list(related) for g in ctx.tokens[t].children if g.dep_ == "pobj")
    types = kind.link if isinstance(kind, Kind) else ()
    best: tuple[int, Event] | None = None
    # the sentence's triggers, in the events' order (the first of equal rank wins)
    inside = sorted((triggers[i][0], i) for i in range(bounds.start, bounds.end) if i in triggers)
    for _, i in inside:
        event = triggers[i][1]
        if i in related:
            rank = 0 if not types or event.type in types else 2
        elif event.type in types:
            rank = 1 + abs(i - number.i)
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, event)
    return best[1] if best is not None and (types or best[0] == 0) else None


PAST_DAYS = 30  # a count dated this long before the report is of another, earlier event


def _past_count(ctx: Context, said: Any) -> str | None:
    """The date a count holds as of when its clause is dated well before the report ("in
    2007, when 28 were killed"): the figure is history, not this report's toll."""
    if ctx.published is None:
        return None
    published = date.fromisoformat(ctx.published)
    # a date whose root, or one of its next two heads, is the verb or its head, or hangs
    # from the verb: "in 1997" -> "shot"; "since 2007, when 28 were killed"
    dates = ctx.dates
    for n in sorted({*dates.within(said.i, 3), *dates.within(said.head.i, 2)}):
        value = dates.items[n][1]
        if days_before(value, published) > PAST_DAYS:
            return value
    return None


def days_before(value: str, published: date) -> int:
    """Days from a date value (2007, 2014-05, 2014-05-03; a year or month counts from its
    end) to the publication date; 0 for a value that is not a calendar date."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 12
        day = int(parts[2][:2]) if len(parts) > 2 and parts[2][:2].isdigit() else 28
        return (published - date(year, month, day)).days
    except ValueError:
        return 0


def find_figures(ctx: Context, records: ArticleRecords) -> tuple[list[Figure], list[Actor]]:
    """The figures of an article, from its token index, in text order, and the country
    actors their reporters named only as places."""
    lexicon = figures_lexicon()
    known = {a.id for a in records.actors}
    tokens = ctx.tokens
    triggers: dict[int, tuple[int, Event]] = {}  # token -> (the event's rank, event)
    for rank, event in enumerate(records.events):
        span = ctx.doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if span is not None:
            triggers.setdefault(span.root.i, (rank, event))
    figures: list[Figure] = []
    lower = view(ctx.doc).lowers
    used: set[int] = set()  # tokens of numeric figures: their people are counted already
    i = 0
    while i < len(tokens):
        if not could_start(lower[i], lexicon):
            i += 1
            continue
        amount = amount_at(tokens, lower, i, lexicon)
        if amount is None:
            i += 1
            continue
        i = max(amount.end, i + 1)
        if excluded(tokens, amount, lexicon):
            continue
        counted = _counted(tokens, amount)
        found = _kind_of(ctx, amount, counted, lexicon)
        if found is None:
            continue
        kind, said, rule = found
        used.update(range(amount.start, amount.end))
        used.update((said.i, counted.i))
        figures.append(_figure(ctx, records, amount, kind, said, rule, triggers, lexicon))
    victims = single_victims(ctx, lexicon, used)
    for victim in victims:
        head = victim.head
        phrase = Amount(head.left_edge.i, head.i + 1, 1.0, "exact", 1.0, 1.0, head.i)
        figures.append(
            _figure(ctx, records, phrase, victim.kind, victim.verb, "victim", triggers, lexicon)
        )
    for group, kind in tallies(ctx, victims):
        first, last = group[0].head, group[-1].head
        n = float(len(group))
        phrase = Amount(first.left_edge.i, last.i + 1, n, "exact", n, n, last.i)
        figures.append(
            _figure(ctx, records, phrase, kind, group[-1].verb, "tally", triggers, lexicon)
        )
    figures.sort(key=lambda f: f.span.start)
    return figures, [a for a in ctx.actors.created if a.id not in known]


def _figure(
    ctx: Context,
    records: ArticleRecords,
    amount: Amount,
    kind: Kind | str,
    said: Any,
    rule: str,
    triggers: dict[int, tuple[int, Event]],
    lexicon: FiguresLexicon,
) -> Figure:
    tokens = ctx.tokens
    number = tokens[amount.last]
    reporter, verb = _reporter(ctx, number, lexicon)
    event = _linked_event(ctx, kind, amount, verb, triggers)
    as_of = _past_count(ctx, said) or ctx.published
    if verb is not None:
        as_of = ctx.dates.attached(verb.i, frozenset({verb.i})) or as_of
    place = event.place if event is not None else None
    place = place or ctx.places.place(said.i, frozenset({said.i})) or ctx.main_place
    final = tokens[amount.end - 1]
    start, end = tokens[amount.start].idx, final.idx + len(final.text)
    text = records.article.text
    name = kind.name if isinstance(kind, Kind) else kind
    return Figure(
        group=victim_group(_counted(tokens, amount), amount) if isinstance(kind, Kind) else None,
        kind=name,
        value=amount.value,
        span=Span.of(text, start, end),
        evidence=Evidence(f"figures.{rule}", _CONFIDENCE[rule], ctx.sentence(number)),
        qualifier=amount.qualifier,
        low=amount.low,
        high=amount.high,
        reported_by=reporter,
        as_of=as_of,
        event=event.id if event is not None else None,
        place=place,
    )


@register(
    "figures",
    reads=("entities", "dates", "places", "actors", "events"),
    writes=("figures", "actors"),
    requires=("ner", "tagger", "parser", "lemmatizer"),
)
def extract_figures(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Add the article's figures to its records (after the events they count)."""
    figures, created = find_figures(ctx.index(records), records)
    return dataclasses.replace(
        records, actors=records.actors + tuple(created), figures=records.figures + tuple(figures)
    )
