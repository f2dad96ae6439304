"""Events in the store: filtered listings across all articles, with their actors and
place named, for the CLI and the Python API."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from .registry import like_pattern

_SELECT = (
    "SELECT e.article_id, e.local_id, e.type, e.mode, e.date, e.confidence, e.rule, e.data,"
    " a.published, a.title, p.name AS place, p.country AS place_country FROM events e"
    " JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
)
_ACTOR_OF_EVENT = (
    "SELECT 1 FROM event_actors ea JOIN actors x"
    " ON x.article_id = ea.article_id AND x.local_id = ea.actor_id"
    " WHERE ea.article_id = e.article_id AND ea.event_id = e.local_id"
)


def find_events(
    db: sqlite3.Connection,
    *,
    type: str | None = None,
    mode: str | None = None,
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    role: str | None = None,
    country: str | None = None,
    factual: bool = False,
    min_confidence: float = 0.0,
    article: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Events matching every filter, latest event date first, most confident first.

    `actor` matches a source or target (`role` narrows it) by name or alias substring,
    case-insensitive; `country` an actor's ISO alpha-3 country; `factual` leaves out
    negated, hypothetical, future, proposed and reported events; dates are the events'
    own (`since`/`until` inclusive).
    """
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("e.type", type), ("e.mode", mode)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper() if column == "e.type" else value)
    if since:
        where.append("e.date >= ?")
        params.append(since.isoformat())
    if until:  # an ISO week or month of the last day sorts before the next day
        where.append("e.date < ?")
        params.append(date.fromordinal(until.toordinal() + 1).isoformat())
    if actor:
        sql = (
            f"EXISTS ({_ACTOR_OF_EVENT} AND (x.name LIKE ? ESCAPE '\\' OR x.registry_id IN"
            " (SELECT id FROM actor_registry WHERE aliases LIKE ? ESCAPE '\\'))"
        )
        params += [like_pattern(actor), like_pattern(actor)]
        if role:
            sql += " AND ea.role = ?"
            params.append(role)
        where.append(sql + ")")
    if country:
        where.append(f"EXISTS ({_ACTOR_OF_EVENT} AND x.country = ?)")
        params.append(country.upper())
    if factual:
        where.append("json_array_length(json_extract(e.data, '$.modality')) = 0")
    if min_confidence > 0:
        where.append("e.confidence >= ?")
        params.append(min_confidence)
    if article:
        where.append("e.article_id LIKE ?")
        params.append(article.replace("%", "") + "%")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY e.date DESC, e.confidence DESC, e.article_id, e.local_id LIMIT ? OFFSET ?"
    params += [max(0, limit), max(0, offset)]
    rows = db.execute(sql, params).fetchall()
    return [_event(db, row) for row in rows]


def _event(db: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    data = json.loads(row["data"])
    names = db.execute(
        "SELECT ea.role, x.name, x.registry_id FROM event_actors ea JOIN actors x"
        " ON x.article_id = ea.article_id AND x.local_id = ea.actor_id"
        " WHERE ea.article_id = ? AND ea.event_id = ? ORDER BY ea.rowid",
        (row["article_id"], row["local_id"]),
    ).fetchall()
    return {
        "ref": f"{row['article_id'][:12]}:{row['local_id']}",
        "article": row["article_id"],
        "id": row["local_id"],
        "type": row["type"],
        "mode": row["mode"],
        "date": row["date"],
        "date_precision": data.get("date_precision"),
        "source": [n["name"] for n in names if n["role"] == "source"],
        "target": [n["name"] for n in names if n["role"] == "target"],
        "place": row["place"],
        "place_country": row["place_country"],
        "modality": data.get("modality") or [],
        "trigger": (data.get("trigger") or {}).get("text"),
        "cameo": data.get("cameo"),
        "quad_class": data.get("quad_class"),
        "acled_type": data.get("acled_type"),
        "acled_subtype": data.get("acled_subtype"),
        "confidence": row["confidence"],
        "rule": row["rule"],
        "published": row["published"],
        "title": row["title"],
    }
