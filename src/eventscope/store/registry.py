"""The actor registry in the store: one row per actor across all articles."""

from __future__ import annotations

import json
from typing import Any

from eventscope.model import Actor, Evidence, Mention, Span
from eventscope.resolve.actors import aliases_of, registry_key

from .connection import Connection, Row
from .where import Where

_UPSERT = (
    "INSERT INTO actor_registry AS r (key, name, type, country, sector, aliases, articles,"
    " mentions, first_published, last_published) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET articles = r.articles + excluded.articles,"
    " mentions = r.mentions + excluded.mentions,"
    " sector = coalesce(r.sector, excluded.sector),"
    # the earlier and the later of two days, either unknown (portable: no LEAST in SQLite)
    " first_published = CASE WHEN excluded.first_published < r.first_published"
    " OR r.first_published IS NULL THEN excluded.first_published ELSE r.first_published END,"
    " last_published = CASE WHEN excluded.last_published > r.last_published"
    " OR r.last_published IS NULL THEN excluded.last_published ELSE r.last_published END"
    " RETURNING id, aliases"
)


def register_actor(db: Connection, actor: Actor, published: str | None, counted: set[str]) -> int:
    """Add one article's actor to the registry; returns its registry id. `counted` holds
    the registry keys of the article's actors added before this one: an article with two
    actors of one registry entry (two spellings, or "troops" twice) counts once."""
    key = registry_key(actor)
    row = db.execute(
        _UPSERT,
        (key, actor.name, actor.type, actor.country, actor.sector, int(key not in counted),
         len(actor.mentions), published, published),
    ).fetchone()  # fmt: skip
    counted.add(key)
    registry_id, known = int(row[0]), json.loads(row[1])
    merged = list(dict.fromkeys([*known, *aliases_of(actor)]))
    if merged != known:
        db.execute(
            "UPDATE actor_registry SET aliases = ? WHERE id = ?",
            (json.dumps(merged, ensure_ascii=False), registry_id),
        )
    return registry_id


def _actor_from_json(data: dict[str, Any]) -> Actor:
    """Enough of an Actor, from its stored JSON, to compute its registry key and aliases."""
    mentions = tuple(
        Mention(Span(m["start"], m["end"], m["text"]), Evidence(m.get("rule") or "", 0.0))
        for m in data.get("mentions") or ()
    )
    return Actor(data["id"], data["name"], data.get("type"), mentions, data.get("country"),
                 data.get("sector"), tuple(data.get("aliases") or ()))  # fmt: skip


def backfill(db: Connection) -> int:
    """Register actors stored before the registry existed; returns how many."""
    rows = db.execute(
        "SELECT x.rowid, x.data, a.published, a.id FROM actors x JOIN articles a"
        " ON a.id = x.article_id WHERE x.registry_id IS NULL"
    ).fetchall()
    counted: dict[str, set[str]] = {}
    for rowid, data, published, article in rows:
        actor = _actor_from_json(json.loads(data))
        registry_id = register_actor(db, actor, published, counted.setdefault(article, set()))
        db.execute("UPDATE actors SET registry_id = ? WHERE rowid = ?", (registry_id, rowid))
    return len(rows)


def find_actors(
    db: Connection,
    *,
    search: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    type: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Registry entries matching every filter, most reported first; `search` matches
    any alias (case-insensitive substring)."""
    w = Where()
    w.like(["name", "aliases"], search)
    w.equal("country", country)
    w.equal("sector", sector)
    w.equal("type", type)
    sql = "SELECT * FROM actor_registry" + w.sql()
    sql += " ORDER BY articles DESC, mentions DESC, id LIMIT ? OFFSET ?"
    return [_entry(row) for row in db.execute(sql, [*w.params, max(0, limit), max(0, offset)])]


def get_actor(
    db: Connection, registry_id: int, *, limit: int | None = None
) -> dict[str, Any] | None:
    """One registry entry with the articles that mention it (the latest `limit` of them,
    newest first, when a limit is given; all, oldest first, when not)."""
    row = db.execute("SELECT * FROM actor_registry WHERE id = ?", (registry_id,)).fetchone()
    if row is None:
        return None
    order = " ORDER BY a.published, a.id" if limit is None else (
        " ORDER BY a.published DESC, a.id LIMIT ?"
    )  # fmt: skip
    seen = db.execute(
        "SELECT a.id, a.published, a.title, x.local_id, x.name FROM actors x"
        " JOIN articles a ON a.id = x.article_id WHERE x.registry_id = ?" + order,
        (registry_id,) if limit is None else (registry_id, limit),
    )
    articles = [
        {"article": r[0], "published": r[1], "title": r[2], "actor": r[3], "name": r[4]}
        for r in seen
    ]
    return {**_entry(row), "in_articles": articles}


def _entry(row: Row) -> dict[str, Any]:
    return {**dict(row), "aliases": json.loads(row["aliases"])}
