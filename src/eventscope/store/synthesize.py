"""A large store made from a real one, for `eventscope bench-api`: the articles and every
record copied with new article ids and dates moved forward by a week per copy (two years
in all, wrapping), so the copies keep the real records' shapes, spans and text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from eventscope.errors import E003, InputError

from .sqlite import Store

_COPIED = ("places", "actors", "mentions", "dates", "events", "event_actors", "figures",
           "quotes")  # fmt: skip
# The interval columns shifted with their copy's day: an event's when its date is a day,
# a figure's when they are its day (its as-of day or its article's), a quote's always.
_SHIFTED = {"date_start", "date_end", "day_start", "day_end"}
_ONE_DAY = {
    "events": "length(date) = 10",
    "figures": "day_start = day AND day_end = day",
    "quotes": "1",
}


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def copy_store(source: Path, out: Path, events: int) -> tuple[int, int]:
    """Copy `source`'s articles and records into `out` until it holds `events` events;
    returns (events, articles). A copy's ids begin with its number, so their prefixes
    stay unique, as hashes' are."""
    Store(out).close()  # schema
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("ATTACH ? AS s", (str(source),))
    per_copy = db.execute("SELECT count(*) FROM s.events").fetchone()[0]
    if not per_copy:
        raise InputError(E003, f"{source} holds no events to copy")
    db.execute("INSERT INTO actor_registry SELECT * FROM s.actor_registry")
    copies = -(-events // per_copy)
    article_cols = _columns(db, "articles")
    for k in range(copies):
        shift = f"+{(k * 7) % 730} days"
        suffix = f"{k:06x}"
        db.execute("BEGIN")
        values = ", ".join(
            ":suffix || substr(id, 7)" if c == "id"
            else "date(published, :shift)" if c == "published" else c
            for c in article_cols
        )  # fmt: skip
        db.execute(
            f"INSERT INTO articles ({', '.join(article_cols)}) SELECT {values} FROM s.articles",
            {"suffix": suffix, "shift": shift},
        )
        for table in _COPIED:
            cols = _columns(db, table)
            picked = ", ".join(
                ":suffix || substr(article_id, 7)" if c == "article_id"
                else f"CASE WHEN length({c}) = 10 THEN date({c}, :shift) ELSE {c} END"
                if (table, c) in (("events", "date"), ("figures", "day")) else
                f"CASE WHEN {_ONE_DAY[table]} THEN date({c}, :shift) ELSE {c} END"
                if table in _ONE_DAY and c in _SHIFTED else c
                for c in cols
            )  # fmt: skip
            db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM s.{table}",
                {"suffix": suffix, "shift": shift},
            )
        db.execute("COMMIT")
    db.execute("ANALYZE")
    found = db.execute("SELECT count(*) FROM events").fetchone()[0]
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    return int(found), int(articles)
