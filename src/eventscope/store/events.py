"""Events in the store: filtered, sorted listings across all articles, counts and one
event with its evidence, for the CLI, the Python API, the HTTP API and the exports.

Every filter is a parameter of `EventFilter`; every value reaches SQLite as a bound
parameter (column names and sort keys come from fixed tables here, never from input).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from .intervals import order_terms, overlap
from .registry import like_pattern

MODALITIES = ("negated", "hypothetical", "future", "proposed", "reported")

_SELECT = (
    "SELECT e.article_id, e.local_id, e.type, e.mode, e.date, e.confidence, e.rule, e.data,"
    " e.quad_class, e.country, e.admin1, e.geonameid, e.rowid AS seq, e.date_start, e.date_end,"
    " a.published, a.title, a.url, a.source AS outlet, a.ingested_at,"
    " p.name AS place, p.feature, p.lat, p.lon FROM events e"
    " JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
)
# Events of some registry actors: found from event_actors' registry index, not by
# visiting every event.
_ROLE_OF_EVENT = (
    "(e.article_id, e.local_id) IN (SELECT ea.article_id, ea.event_id FROM event_actors ea WHERE 1"
)
# Sort keys a caller may name ("-date" is descending); ties always break the same way.
SORTS = {
    "date": "e.date_start, e.date_end",  # first day, then the narrower period first
    "confidence": "e.confidence",
    "type": "e.type",
    "published": "a.published",
}
_TIE = "e.article_id, e.local_id"


@dataclass(frozen=True)
class EventFilter:
    """Which events: every field given must hold (None or empty means any).

    `type` and `mode` may list several values (comma-separated or a tuple); `country` is
    the event place's ISO alpha-2 code, `actor_country` a source's or target's alpha-3;
    `place` matches the place's name (substring) or its GeoNames id; `actor` a source or
    target by name or alias substring (`role` narrows it), `actor_id` by registry id;
    `modality` is "factual" (none at all) or one of MODALITIES; `search` is words that
    must all occur in the article's title or text; dates are the events' own, inclusive.
    """

    type: tuple[str, ...] | str | None = None
    mode: tuple[str, ...] | str | None = None
    quad_class: int | None = None
    since: date | None = None
    until: date | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    actor: str | None = None
    actor_id: int | None = None
    role: str | None = None
    actor_country: str | None = None
    modality: str | None = None
    min_confidence: float = 0.0
    article: str | None = None
    search: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "", (), 0.0) for f in fields(self))


def _values(value: tuple[str, ...] | str | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def fts_query(text: str) -> str:
    """A user's search words as an FTS5 query: each word quoted, all required.

    Quoting keeps FTS5 syntax characters in user input from being parsed as operators.
    """
    words = [w.replace('"', "") for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w)


def fts_rowids(search: str) -> tuple[str, list[Any]]:
    """A subquery of the rowids of the articles holding every word of `search`, and its
    parameters (words of quote marks only match nothing)."""
    query = fts_query(search)
    if not query:
        return "(SELECT NULL WHERE 0)", []
    return "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [query]


def id_prefix(text: str) -> str:
    """A LIKE pattern for ids that begin with `text` (its LIKE wildcards dropped)."""
    return text.replace("%", "").replace("_", "") + "%"


def where_clause(f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (or "") and its parameters for events `e` joined to articles `a`."""
    where: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: list[Any]) -> None:
        if values:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    any_of("e.type", [v.upper() for v in _values(f.type)])
    any_of("e.mode", _values(f.mode))
    if f.quad_class is not None:
        where.append("e.quad_class = ?")
        params.append(f.quad_class)
    dated, days = overlap("e.date_start", "e.date_end", f.since, f.until)
    where += dated
    params += days
    if f.country:
        where.append("e.country = ?")
        params.append(f.country.upper())
    if f.admin1:
        where.append("e.admin1 = ?")
        params.append(f.admin1)
    if f.place:
        if f.place.isdigit():
            where.append("e.geonameid = ?")
            params.append(int(f.place))
        else:
            where.append("p.name LIKE ? ESCAPE '\\'")
            params.append(like_pattern(f.place))
    role = " AND ea.role = ?" if f.role else ""
    if f.actor:
        where.append(
            f"{_ROLE_OF_EVENT}{role} AND ea.registry_id IN (SELECT id FROM"
            " actor_registry WHERE name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\'))"
        )
        params += [f.role] if f.role else []
        params += [like_pattern(f.actor), like_pattern(f.actor)]
    if f.actor_id is not None:
        where.append(f"{_ROLE_OF_EVENT}{role} AND ea.registry_id = ?)")
        params += [f.role] if f.role else []
        params.append(f.actor_id)
    if f.actor_country:
        where.append(
            f"{_ROLE_OF_EVENT}{role} AND ea.registry_id IN"
            " (SELECT id FROM actor_registry WHERE country = ?))"
        )
        params += [f.role] if f.role else []
        params.append(f.actor_country.upper())
    if f.modality == "factual":
        where.append("e.factual = 1")
    elif f.modality:
        where.append(
            "e.factual = 0 AND EXISTS (SELECT 1 FROM json_each(e.data, '$.modality') m"
            " WHERE m.value = ?)"
        )
        params.append(f.modality)
    if f.min_confidence > 0:
        where.append("e.confidence >= ?")
        params.append(f.min_confidence)
    if f.article:
        where.append("e.article_id LIKE ?")
        params.append(id_prefix(f.article))
    if f.search and f.search.strip():
        # the matching articles' ids as a set, checked per event while the date index
        # gives the order ("+" keeps SQLite from driving the scan by this set and
        # sorting every match: 15 ms instead of 80 on 100,000 events)
        rowids, found = fts_rowids(f.search)
        where.append(f"+e.article_id IN (SELECT id FROM articles WHERE rowid IN {rowids})")
        params += found
    return (" WHERE " + " AND ".join(where) if where else ""), params


def order_by(sort: str = "-date") -> str:
    """An ORDER BY clause for a sort key of SORTS, "-" first for descending; events with
    no value for the key come last either way."""
    descending = sort.startswith("-")
    key = sort.lstrip("-+")
    if key not in SORTS:
        raise ValueError(f"unknown sort key {key!r}; one of {', '.join(SORTS)}")
    column = order_terms(SORTS[key], descending=descending)
    second = "" if key == "confidence" else ", e.confidence DESC"
    return f" ORDER BY {column}{second}, {_TIE}"


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

    The CLI's filters: `actor` matches a source or target (`role` narrows it) by name or
    alias substring, case-insensitive; `country` an actor's ISO alpha-3 country;
    `factual` leaves out negated, hypothetical, future, proposed and reported events.
    """
    f = EventFilter(
        type=type,
        mode=mode,
        since=since,
        until=until,
        actor=actor,
        role=role,
        actor_country=country,
        modality="factual" if factual else None,
        min_confidence=min_confidence,
        article=article,
    )
    return list_events(db, f, limit=limit, offset=offset)


def list_events(
    db: sqlite3.Connection,
    f: EventFilter,
    *,
    sort: str = "-date",
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One page of the events matching `f`, in `sort` order (see SORTS).

    The page's rows are picked from the events table alone (its indexes give the order;
    articles and places are joined only when a filter or the sort needs them), then the
    50 or so picked are joined for their fields: a deep page skips index entries, not
    joined rows.
    """
    where, params = where_clause(f)
    order = order_by(sort)
    keys = "SELECT e.rowid" + events_from(where + order) + where + order + " LIMIT ? OFFSET ?"
    sql = f"{_SELECT} WHERE e.rowid IN ({keys}){order}"
    rows = db.execute(sql, [*params, max(0, limit), max(0, offset)]).fetchall()
    return _events(db, rows)


def events_from(clauses: str) -> str:
    """FROM events `e` with only the joins that these clauses use."""
    sql = " FROM events e"
    if "a.rowid" in clauses or "a.published" in clauses:
        sql += " JOIN articles a ON a.id = e.article_id"
    if "p.name" in clauses:
        sql += " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
    return sql


def iter_events(
    db: sqlite3.Connection, f: EventFilter, *, sort: str = "date", chunk: int = 1000
) -> Iterator[list[dict[str, Any]]]:
    """Every event matching `f`, in `sort` order, a chunk of listed events at a time (one
    query for the whole run, so exports of millions of events need no OFFSET)."""
    where, params = where_clause(f)
    cursor = db.execute(_SELECT + where + order_by(sort), params)
    while rows := cursor.fetchmany(chunk):
        yield _events(db, rows)


def count_events(db: sqlite3.Connection, f: EventFilter) -> int:
    """How many events match `f`."""
    where, params = where_clause(f)
    # A count has no order to keep: let the search's article set drive the scan.
    where = where.replace("+e.article_id IN", "e.article_id IN")
    return int(db.execute("SELECT count(*)" + events_from(where) + where, params).fetchone()[0])


def _roles(db: sqlite3.Connection, rows: list[sqlite3.Row]) -> dict[tuple[str, str], list[Any]]:
    """Each listed event's (role, name, registry id), in one query per page."""
    found: dict[tuple[str, str], list[Any]] = {}
    if not rows:
        return found
    pairs = [(r["article_id"], r["local_id"]) for r in rows]
    marks = ",".join("(?, ?)" for _ in pairs)
    sql = (
        f"WITH page (article_id, event_id) AS (VALUES {marks})"
        " SELECT ea.article_id, ea.event_id, ea.role, x.name, ea.registry_id, x.country,"
        " x.sector FROM page CROSS JOIN event_actors ea"
        " ON ea.article_id = page.article_id AND ea.event_id = page.event_id"
        " JOIN actors x ON x.article_id = ea.article_id AND x.local_id = ea.actor_id"
        " ORDER BY ea.rowid"
    )
    for row in db.execute(sql, [v for pair in pairs for v in pair]):
        found.setdefault((row[0], row[1]), []).append(row)
    return found


def _events(db: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    roles = _roles(db, rows)
    return [_event(row, roles.get((row["article_id"], row["local_id"]), [])) for row in rows]


def _event(row: sqlite3.Row, names: list[Any]) -> dict[str, Any]:
    data = json.loads(row["data"])
    return {
        "ref": f"{row['article_id'][:12]}:{row['local_id']}",
        "article": row["article_id"],
        "id": row["local_id"],
        "type": row["type"],
        "mode": row["mode"],
        "date": row["date"],
        "date_precision": data.get("date_precision"),
        "date_start": row["date_start"],
        "date_end": row["date_end"],
        "source": [n[3] for n in names if n[2] == "source"],
        "target": [n[3] for n in names if n[2] == "target"],
        "source_ids": [n[4] for n in names if n[2] == "source"],
        "target_ids": [n[4] for n in names if n[2] == "target"],
        "source_codes": [[n[5], n[6]] for n in names if n[2] == "source"],
        "target_codes": [[n[5], n[6]] for n in names if n[2] == "target"],
        "place": row["place"],
        "place_country": row["country"],
        "admin1": row["admin1"],
        "geonameid": row["geonameid"],
        "feature": row["feature"],
        "lat": row["lat"],
        "lon": row["lon"],
        "modality": data.get("modality") or [],
        "trigger": (data.get("trigger") or {}).get("text"),
        "cameo": data.get("cameo"),
        "quad_class": row["quad_class"],
        "intensity": data.get("intensity"),
        "acled_type": data.get("acled_type"),
        "acled_subtype": data.get("acled_subtype"),
        "confidence": row["confidence"],
        "rule": row["rule"],
        "published": row["published"],
        "title": row["title"],
        "url": row["url"],
        "outlet": row["outlet"],
        "ingested_at": row["ingested_at"],
        "seq": row["seq"],
        "sentence": data.get("sentence"),
        "context": data.get("context") or [],
    }


def get_event(db: sqlite3.Connection, article_id: str, local_id: str) -> dict[str, Any] | None:
    """One event with its evidence (sentence, trigger span, rule, confidence), its actors'
    mentions in the sentence, and the figures and quotes linked to it."""
    rows = db.execute(
        _SELECT + " WHERE e.article_id = ? AND e.local_id = ?", (article_id, local_id)
    ).fetchall()
    if not rows:
        return None
    event = _events(db, rows)[0]
    data = json.loads(rows[0]["data"])
    event["evidence"] = {
        "article": article_id,
        "sentence": data.get("sentence"),
        "trigger": data.get("trigger"),
        "rule": data.get("rule"),
        "confidence": data.get("confidence"),
        "context": data.get("context") or [],
    }
    event["figures"] = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT data FROM figures WHERE article_id = ? AND event_id = ? ORDER BY seq",
            (article_id, local_id),
        )
    ]
    quotes = db.execute(
        "SELECT data FROM quotes WHERE article_id = ? ORDER BY seq", (article_id,)
    ).fetchall()
    event["quotes"] = [
        q for q in map(json.loads, (r[0] for r in quotes)) if local_id in (q.get("events") or [])
    ]
    return event
