"""Resolved events in the store: one row per real event across its reports, filtered,
sorted and paged like the events (`EventFilter` with `resolved=True`), each with how many
mentions, articles and outlets report it, and expandable into those mentions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from eventscope.model import JSON

from .connection import Connection, Row
from .events import _event, event_joins, event_where, order_by
from .filters import EventFilter
from .rows import EventRow

_SELECT = (
    "SELECT e.id AS resolved_id, e.story_id, e.article_id, e.local_id, e.type, e.mode, e.date,"
    " e.confidence, 'resolve.events' AS rule, e.data, e.quad_class, e.country, e.admin1,"
    " e.geonameid, e.rowid AS seq, e.date_start, e.date_end, e.n_mentions, e.n_articles,"
    " e.n_sources, a.published, a.title, a.url, a.source AS outlet, a.ingested_at,"
    " e.place_name AS place, e.feature, e.lat, e.lon FROM resolved_events e"
    " JOIN articles a ON a.id = e.article_id"
)


def _from(*needs: Any) -> str:
    # only articles `a` can be needed (places are columns of resolved_events)
    return " FROM resolved_events e" + event_joins(*[{n for n in g if n == "a"} for g in needs])


def list_resolved(
    db: Connection, f: EventFilter, *, sort: str = "-date", limit: int = 50, offset: int = 0
) -> list[EventRow]:
    """One page of the resolved events matching `f`, in `sort` order."""
    where = event_where(f, resolved=True)
    order, needs = order_by(sort)
    keys = "SELECT e.rowid" + _from(where.joins, needs) + where.sql() + order
    sql = f"{_SELECT} WHERE e.rowid IN ({keys} LIMIT ? OFFSET ?){order}"
    rows = db.execute(sql, [*where.params, max(0, limit), max(0, offset)]).fetchall()
    return _rows(db, rows, listed=True)


def iter_resolved(
    db: Connection, f: EventFilter, *, sort: str = "date", chunk: int = 1000
) -> Iterator[list[EventRow]]:
    """Every resolved event matching `f`, a chunk at a time."""
    where = event_where(f, resolved=True)
    cursor = db.execute(_SELECT + where.sql() + order_by(sort)[0], where.params)
    while rows := cursor.fetchmany(chunk):
        yield _rows(db, rows)


def count_resolved(db: Connection, f: EventFilter) -> int:
    where = event_where(f, ordered=False, resolved=True)
    sql = "SELECT count(*)" + _from(where.joins) + where.sql()
    return int(db.execute(sql, where.params).fetchone()[0])


def _rows(db: Connection, rows: list[Row], *, listed: bool = False) -> list[EventRow]:
    datas = [json.loads(r["data"]) for r in rows]
    ids = {a["registry_id"] for d in datas for side in ("source", "target") for a in d[side]}
    registry: dict[int, tuple[Any, ...]] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for row in db.execute(
            f"SELECT id, name, country, sector FROM actor_registry WHERE id IN ({marks})", list(ids)
        ):
            registry[row[0]] = tuple(row)
    found = []
    for row, data in zip(rows, datas, strict=True):
        names = [
            (row["article_id"], row["local_id"], side, registry[a["registry_id"]][1],
             a["registry_id"], registry[a["registry_id"]][2], registry[a["registry_id"]][3])
            for side in ("source", "target")
            for a in data[side]
            if a["registry_id"] in registry
        ]  # fmt: skip
        event = _event(row, names, listed=listed)
        event["ref"] = row["resolved_id"]
        event["resolved"] = True
        event["story"] = row["story_id"]
        event["n_mentions"] = row["n_mentions"]
        event["n_articles"] = row["n_articles"]
        event["n_sources"] = row["n_sources"]
        event["mentions"] = data.get("mentions") or []
        event["figures"] = data.get("figures") or {}
        event["fatalities"] = data.get("fatalities") or 0
        event["disagreements"] = data.get("disagreements") or []
        found.append(event)
    return found


def resolved_of(db: Connection, article_id: str, local_id: str) -> JSON | None:
    """The resolved event a mention belongs to (its fused record), or None."""
    row = db.execute(
        "SELECT r.data FROM resolved_mentions m JOIN resolved_events r ON r.id = m.resolved_id"
        " WHERE m.article_id = ? AND m.local_id = ?",
        (article_id, local_id),
    ).fetchone()
    return json.loads(row[0]) if row else None


__all__ = ["count_resolved", "iter_resolved", "list_resolved", "resolved_of"]
