"""Reading stories: the listing (filtered, sorted), one story whole (its resolved events on
a timeline, figure series with reporters, reports, claims) and an article's story."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from eventscope.errors import E004, NotFoundError
from eventscope.model import JSON

from .connection import Connection, Row
from .rows import Page
from .where import Where, fts_rowids

_STORY_COLUMNS = ("id", "first_day", "last_day", "n_articles", "n_sources", "n_events",
                  "title", "country", "data")  # fmt: skip
STORY_SORTS = {
    "articles": "s.n_articles",
    "date": "s.first_day",
    "last": "s.last_day",
    "events": "s.n_events",
}


def _story_row(row: Row | tuple[Any, ...]) -> JSON:
    found = dict(zip(_STORY_COLUMNS, row, strict=True))
    data = json.loads(found.pop("data") or "{}")
    found["figures"] = data.get("figures") or {}
    found["types"] = data.get("types") or {}
    found["derived"] = data.get("derived") or []  # kinds computed, not reported
    return found


def find_stories(
    db: Connection,
    *,
    search: str | None = None,
    since: date | None = None,
    until: date | None = None,
    country: str | None = None,
    min_articles: int = 1,
    sort: str = "-articles",
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """(total, one page) of stories matching every filter."""
    w = Where()
    w.overlaps("s.first_day", "s.last_day", since, until)
    w.equal("s.country", country.upper() if country else None)
    if min_articles > 1:
        w.add("s.n_articles >= ?", min_articles)
    if search and search.strip():
        rowids, found = fts_rowids(search)
        w.add(
            "s.id IN (SELECT m.story_id FROM story_articles m JOIN articles a ON a.id ="
            f" m.article_id WHERE a.rowid IN {rowids})",
            *found,
        )
    key = sort.lstrip("-")
    if key not in STORY_SORTS:
        raise ValueError(f"unknown story sort {sort!r}: use one of {', '.join(STORY_SORTS)}")
    direction = "DESC" if sort.startswith("-") else "ASC"
    clause = w.sql()
    total = int(db.execute("SELECT count(*) FROM stories s" + clause, w.params).fetchone()[0])
    rows = db.execute(
        f"SELECT {', '.join('s.' + c for c in _STORY_COLUMNS)} FROM stories s{clause}"
        f" ORDER BY {STORY_SORTS[key]} {direction}, s.id LIMIT ? OFFSET ?",
        [*w.params, max(0, limit), max(0, offset)],
    )
    return Page(total, [_story_row(r) for r in rows])


def get_story(db: Connection, story_id: int) -> JSON:
    """One story: its summary, resolved events by date, figure series, reports, claims."""
    row = db.execute(
        f"SELECT {', '.join(_STORY_COLUMNS)} FROM stories WHERE id = ?", (story_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(E004, f"no story {story_id}", hint="list them: eventscope stories")
    data = json.loads(row["data"] or "{}")
    story = _story_row(row)
    story["series"] = data.get("series") or []
    story["places"] = data.get("places") or []
    events = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT data FROM resolved_events WHERE story_id = ?"
            " ORDER BY coalesce(date_start, '9999'), date_end, n_mentions DESC, id",
            (story_id,),
        )
    ]
    story["events"] = events
    story["reports"] = [
        dict(zip(("id", "published", "title", "source", "url", "language", "score"), r,
                 strict=True))
        for r in db.execute(
            "SELECT a.id, a.published, a.title, a.source, a.url, a.language, m.score"
            " FROM story_articles m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = ? ORDER BY a.published, a.id",
            (story_id,),
        )
    ]  # fmt: skip
    story["claims"] = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT data FROM claims WHERE story_id = ? ORDER BY resolved_id, article_id,"
            " quote_seq",
            (story_id,),
        )
    ]
    story["other_incidents"] = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT data FROM figure_points WHERE story_id = ? AND status = 'other-incident'"
            " ORDER BY article_id, seq",
            (story_id,),
        )
    ]
    return story


def story_of(db: Connection, article_id: str) -> int | None:
    """The story an article is in (None: not linked yet)."""
    row = db.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return int(row[0]) if row else None


def story_assignments(db: Connection) -> dict[str, int]:
    """The story of every linked article (for evaluation and order checks)."""
    return dict(db.execute("SELECT article_id, story_id FROM story_articles").fetchall())


def resolved_assignments(db: Connection) -> dict[tuple[str, str], str]:
    """The resolved event of every event mention, by (article id, event id)."""
    rows = db.execute("SELECT article_id, local_id, resolved_id FROM resolved_mentions")
    return {(a, e): r for a, e, r in rows}


__all__ = ["STORY_SORTS", "find_stories", "get_story", "resolved_assignments",
           "story_assignments", "story_of"]  # fmt: skip
