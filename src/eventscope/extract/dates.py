"""Dates: every date expression of an article, resolved against its publication date.

Candidates are the matches of the patterns in `kb/en/dates.yaml` (they also cover what spaCy
misses or splits: "on Saturday", "earlier this month", "the year-ago quarter", "5 to 7
January") and spaCy's DATE entities no pattern reads. Values follow TimeML: 2022-01-08,
2022-W01, 2022-01, 2022-Q1, 2021-WI, 2022, PRESENT_REF. A bare weekday or month goes to
the last or the coming one by the tense of the verb it hangs on; "a year earlier" in an
earnings report is the year-ago quarter. Durations ("three years") and sets ("annually")
are not dates and are not emitted.

Why our own normaliser: dateparser, measured on TimeBank's gold spans, gets half of the
values right. It ignores a leading "on", misses "earlier this month", returns nothing for
quarters, seasons and PRESENT_REF, and sends a bare weekday to the wrong week. It stays
as the last resort for spaCy entities that name a month, weekday or ordinal day but that
no pattern reads (it is slow, so its answers are cached).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import date, datetime
from typing import Any

from eventscope.lang.en.lexicon import word_list
from eventscope.model import ArticleRecords, DateExpr, Evidence, Span
from eventscope.nlp.view import ents

from .context import ArticleContext
from .dates_lexicon import Context, Resolved, Rule, lexicon
from .dates_rules import RESOLVERS, _range
from .dates_tense import _unit_value, _week, clause_tense
from .overlap import DisjointSpans, Spans
from .registry import register

# -- finding -------------------------------------------------------------------------

Found = tuple[int, int, Resolved, str, float]  # start, end, value, rule, confidence


def _remember(ctx: Context, value: Resolved) -> None:
    """Keep a calendar value as the anchor of "that day", "the following year"."""
    text, units = value.value, ("day", "week", "month", "year")
    try:
        if value.precision == "week":
            day = date.fromisocalendar(int(text[:4]), int(text[6:8]), 1)
        elif re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", text):
            day = date.fromisoformat((text + "-01-01")[:10])
        else:
            return
    except ValueError:
        return
    for unit in units[units.index(value.precision) if value.precision in units else 3 :]:
        ctx.anchors[unit] = day


def _matches(text: str, entities: list[tuple[int, int, str]]) -> list[tuple[Rule, re.Match[str]]]:
    """Non-overlapping rule matches: the longest first, then the earlier rule."""
    found = []
    words = set(re.findall(r"[a-z]+\d?", text.lower()))
    for priority, rule in enumerate(lexicon()["_rules"]):
        if rule.needs and rule.needs.isdisjoint(words):
            continue  # a cheap test first: regex scans are most of the stage's time
        vetoes = Spans((s, e) for s, e, label in entities if label in rule.veto)
        for m in rule.regex.finditer(text):
            if m.end() > m.start() and not vetoes.overlaps(m.start(), m.end()):
                found.append((m.start() - m.end(), priority, m.start(), rule, m))
    found.sort(key=lambda f: f[:3])
    taken: list[tuple[Rule, re.Match[str]]] = []
    spans = DisjointSpans()
    for *_, rule, m in found:
        if not spans.overlaps(m.start(), m.end()):
            taken.append((rule, m))
            spans.add(m.start(), m.end())
    return sorted(taken, key=lambda t: t[1].start())


def find_dates(text: str, doc: Any, published: date | None) -> list[Found]:
    """Every date expression of a parsed text with its value, rule and confidence."""
    entities = [(e.start_char, e.end_char, e.label_) for e in ents(doc)]
    ctx = Context(published, lambda s, e: clause_tense(doc, s, e), text)
    ctx.date_entities = [(s, e) for s, e, label in entities if label == "DATE"]
    qualifier = lexicon()["_qualifier"]
    out: list[Found] = []
    floor = 0
    for rule, m in _matches(text, entities):
        if rule.resolve == "range":
            out += [(s, e, v, rule.name, rule.confidence) for s, e, v in _range(m, ctx)]
        elif value := RESOLVERS[rule.resolve](m.groupdict(), rule, ctx, m.span()):
            start = m.start()
            # qualifiers join the span, not the value: "early", "mid-", "the end of"
            while found := qualifier.search(text, max(floor, start - 30), start):
                start = found.start()
            out.append((start, m.end(), value, rule.name, rule.confidence))
            _remember(ctx, value)
        floor = m.end()
    return sorted(out + _entity_dates(text, entities, out, ctx), key=lambda f: f[0])


_POSSESSIVES = word_list("function_words", "possessive_endings")  # a tuple, for endswith
_LEADING = re.compile(r"(?:on|in|at|by|of|since|from|until|till|through|during|for|to)\s+", re.I)


def _entity_dates(
    text: str, entities: list[tuple[int, int, str]], found: list[Found], ctx: Context
) -> list[Found]:
    """spaCy DATE entities no rule read, through dateparser when they look like dates."""
    kb, out = lexicon(), []
    read = Spans((s, e) for s, e, *_ in found)
    for start, end, label in entities:
        if label != "DATE" or ctx.dct is None or read.overlaps(start, end):
            continue
        if lead := _LEADING.match(text, start, end):
            start = lead.end()
        end -= 2 if text[start:end].endswith(_POSSESSIVES) else 0
        phrase = text[start:end]
        if not kb["_dateish"].search(phrase) or any(p.search(phrase) for p in kb["_not_dates"]):
            continue
        prefer = "future" if ctx.tense_at(start, end) == "future" else "past"
        if value := _dateparser(phrase, ctx.dct, prefer):
            out.append((start, end, value, "dateparser", 0.5))
    return out


@functools.lru_cache(maxsize=4096)
def _dateparser(phrase: str, published: date, prefer: str) -> Resolved | None:
    """dateparser's reading of a phrase, at the precision it reports (cached: it is slow)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    day, period = data.date_obj.date(), data.period
    if period in ("year", "month"):
        return _unit_value(day, period, 0)
    return Resolved(_week(day), "week") if period == "week" else Resolved(day.isoformat(), "day")


@register(
    "dates",
    reads=("entities",),
    writes=("dates",),
    requires=("ner", "parser", "tagger", "attribute_ruler"),
)
def extract_dates(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Date expressions of the article, resolved against its publication date."""
    parsed = ctx.parsed
    text = parsed.article.text
    dates = tuple(
        DateExpr(
            Span.of(text, start, end),
            value.value,
            value.precision,
            Evidence(f"dates.{rule}", confidence, parsed.sentence_of(start)),
        )
        for start, end, value, rule, confidence in find_dates(
            text, parsed.doc, parsed.article.published
        )
    )
    return dataclasses.replace(records, dates=records.dates + dates)
