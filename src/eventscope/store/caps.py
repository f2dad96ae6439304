"""Metadata caps in the store: articles stored before schema version 6 had no limit on
title, url, source, author or extra fields; the migration cuts them as ingestion now
does (`model.cap_metadata`), and the stories titled after them."""

from __future__ import annotations

import json

from eventscope.model import FIELD_LIMITS, Article, cap_metadata, cap_text

from .connection import Connection

# A meta object this long may hold a field over its limit (50 fields of 600 do not).
_META_CHARS = 2_000


def backfill_caps(db: Connection) -> int:
    """Cut the metadata of stored articles to the limits; returns how many changed."""
    over = " OR ".join(f"length({name}) > ?" for name in FIELD_LIMITS)
    rows = db.execute(
        f"SELECT rowid, title, url, source, author, meta FROM articles WHERE {over}"
        " OR length(meta) > ?",
        [*FIELD_LIMITS.values(), _META_CHARS],
    ).fetchall()
    changed = 0
    for rowid, title, url, source, author, meta in rows:
        given = Article("", "", None, title=title, url=url, source=source, author=author,
                        meta=json.loads(meta))  # fmt: skip
        cut = cap_metadata(given)
        if cut is given:
            continue
        db.execute(
            "UPDATE articles SET title = ?, url = ?, source = ?, author = ?, meta = ?,"
            " truncated = ? WHERE rowid = ?",
            (cut.title, cut.url, cut.source, cut.author, json.dumps(cut.meta, ensure_ascii=False),
             json.dumps(list(cut.truncated)), rowid),
        )  # fmt: skip
        changed += 1
    limit = FIELD_LIMITS["title"]
    for story_id, title in db.execute(
        "SELECT id, title FROM stories WHERE length(title) > ?", (limit,)
    ).fetchall():
        short = cap_text(title, limit)
        db.execute(
            "UPDATE stories SET title = ?, data = json_set(data, '$.title', ?) WHERE id = ?",
            (short, short, story_id),
        )
    return changed
