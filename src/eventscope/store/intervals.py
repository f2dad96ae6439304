"""Dates as intervals in the store: the first and last day of every event date, figure
as-of and quote, kept as ISO day columns beside the TimeML value (schema 4), and the SQL
pieces that filter and sort by them.

ISO day text ("2022-01-08") compares and sorts as the days do, so the columns need no
conversion in SQL. A date that names no calendar period (PRESENT_REF, PAST_REF) has no
interval: its columns are NULL and date filters leave it out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from eventscope.model import ArticleRecords, Quote
from eventscope.timeml import iso_interval

from .connection import Connection

Days = tuple[str | None, str | None]  # first and last day, ISO, or (None, None)


def event_days(value: str | None) -> Days:
    """An event date's first and last day: 2022-W01 -> ("2022-01-03", "2022-01-09")."""
    return iso_interval(value)


def figure_days(as_of: str | None, published: str | None) -> Days:
    """The days a figure counts as of: its as-of date's interval, else its article's
    publication day (as schema 3's `figures.day` falls back to it)."""
    start, end = iso_interval(as_of)
    return (start, end) if start else (published, published)


def quote_days(
    content: tuple[int, int],
    cue: tuple[int, int] | None,
    sentence: tuple[int, int] | None,
    dates: Iterable[tuple[int, int, str | None]],
    published: str | None,
) -> Days:
    """The days a quote was said in: the date expression of its sentence outside the
    quoted words and nearest the cue ("he said on Friday", "On Monday, the minister
    said"), cut at the publication day; else the publication day itself (it was said by
    then). A date inside the quoted words is what the speaker talks about, not when, and
    a period that starts after publication is not when it was said either.

    Each of `dates` is (char_start, char_end, TimeML value) in the article's text.
    """
    if sentence is not None:
        anchor = cue or content
        candidates = []
        for start, end, value in dates:
            inside_sentence = sentence[0] <= start and end <= sentence[1]
            quoted = start < content[1] and content[0] < end
            first, last = iso_interval(value)
            if not inside_sentence or quoted or first is None or last is None:
                continue
            if published is not None and first > published:
                continue
            distance = max(anchor[0] - end, start - anchor[1], 0)
            candidates.append((distance, start, first, last))
        if candidates:
            _, _, first, last = min(candidates)
            return first, min(last, published) if published else last
    return published, published


def _pair(span: Any) -> tuple[int, int] | None:
    """(start, end) of a span as a record or its JSON, None when absent."""
    if span is None:
        return None
    if isinstance(span, dict):
        return (int(span["start"]), int(span["end"])) if "start" in span else None
    return int(span.start), int(span.end)


def quote_record_days(quote: Quote, rec: ArticleRecords) -> Days:
    """`quote_days` of a quote of these records (the writer's use)."""
    published = rec.article.published.isoformat() if rec.article.published else None
    dates = [(d.span.start, d.span.end, d.value) for d in rec.dates]
    sentence = _pair(quote.evidence.sentence)
    return quote_days(_pair(quote.content) or (0, 0), _pair(quote.cue), sentence, dates,
                      published)  # fmt: skip


def order_terms(columns: str, *, descending: bool) -> str:
    """ORDER BY terms of comma-separated `columns`, each in the same direction, rows
    without a value last: "e.date_start, e.date_end" orders by the first day and then
    the narrower period first, so 2022-W01 sorts with early January."""
    direction = " DESC" if descending else " ASC NULLS LAST"
    return ", ".join(c.strip() + direction for c in columns.split(","))


# The events of periods longer than a day drawn on the timeline: up to a year (a decade
# or century would stretch the axis over 100 years of empty days).
_LONGEST_PERIOD = 366


def per_period(db: Connection, base: str, where: str, params: list[Any]) -> list[Any]:
    """Events whose interval is longer than a day, counted per (first day, last day,
    type) for the timeline's ranges; `base` is FROM events `e` with the joins `where`
    needs."""
    longer = "e.date_end > e.date_start AND julianday(e.date_end) - julianday(e.date_start) < ?"
    clause = (where + " AND " if where else " WHERE ") + longer
    rows = db.execute(
        "SELECT e.date_start, e.date_end, e.type, count(*)" + base + clause
        + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        [*params, _LONGEST_PERIOD],
    )  # fmt: skip
    return [{"date_start": r[0], "date_end": r[1], "type": r[2], "n": r[3]} for r in rows]


def backfill_intervals(db: sqlite3.Connection) -> int:  # SQLite's migration 4 only
    """Fill schema 4's interval columns of the stored events, figures and quotes from
    their stored values (and the JSON of events and figures, as new rows carry them);
    returns how many quotes were dated."""
    db.create_function("day_first", 1, lambda v: iso_interval(v)[0], deterministic=True)
    db.create_function("day_last", 1, lambda v: iso_interval(v)[1], deterministic=True)
    db.execute("UPDATE events SET date_start = day_first(date), date_end = day_last(date)")
    db.execute(
        "UPDATE events SET data = json_set(data, '$.date_start', date_start,"
        " '$.date_end', date_end)"
    )
    published = "(SELECT a.published FROM articles a WHERE a.id = figures.article_id)"
    db.execute(
        f"UPDATE figures SET day_start = coalesce(day_first(as_of), {published}),"
        f" day_end = coalesce(day_last(as_of), {published})"
    )
    db.execute(
        "UPDATE figures SET data = json_set(data, '$.date_start', day_first(as_of),"
        " '$.date_end', day_last(as_of))"
    )
    rows = db.execute(
        "SELECT q.article_id, q.seq, q.data, a.published FROM quotes q"
        " JOIN articles a ON a.id = q.article_id ORDER BY q.article_id, q.seq"
    ).fetchall()
    dated: list[tuple[str | None, str | None, str, int]] = []
    article, dates = "", []  # the dates of one article at a time (quotes come in its order)
    for article_id, seq, data, day in rows:
        if article_id != article:
            article, dates = (
                article_id,
                [
                    (r[0], r[1], r[2])
                    for r in db.execute(
                        "SELECT char_start, char_end, value FROM dates WHERE article_id = ?",
                        (article_id,),
                    )
                ],
            )
        quote = json.loads(data)
        evidence = (quote.get("sentence"), quote.get("content"), quote.get("cue"))
        sentence, content, cue = (_pair(s) for s in evidence)
        first, last = quote_days(content or (0, 0), cue, sentence, dates, day)
        dated.append((first, last, article_id, seq))
    db.executemany(
        "UPDATE quotes SET date_start = ?, date_end = ? WHERE article_id = ? AND seq = ?", dated
    )
    return len(dated)
