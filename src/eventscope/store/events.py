"""Events in the store: filtered, sorted listings across all articles, counts and one
event with its evidence, for the CLI, the Python API, the HTTP API and the exports.

Every filter is a parameter of `EventFilter`; every value reaches SQLite as a bound
parameter (column names and sort keys come from fixed tables here, never from input).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .connection import Connection, Row
from .filters import MODALITIES, EventFilter, geonames_id
from .intervals import order_terms
from .rows import EventRow
from .where import Where, fts_rowids, id_prefix, like_pattern

__all__ = ["MODALITIES", "SORTS", "EventFilter", "count_events", "events_by_refs", "get_event",
           "iter_events", "list_events"]  # fmt: skip

_SELECT = (
    "SELECT e.article_id, e.local_id, e.type, e.mode, e.date, e.confidence, e.rule, e.data,"
    " e.quad_class, e.country, e.admin1, e.geonameid, e.rowid AS seq, e.date_start, e.date_end,"
    " a.published, a.title, a.url, a.source AS outlet, a.ingested_at,"
    " p.name AS place, p.feature, p.lat, p.lon, rm.resolved_id FROM events e"
    " JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
    " LEFT JOIN resolved_mentions rm ON rm.article_id = e.article_id AND rm.local_id = e.local_id"
)
# The tables a condition or sort key may need beside events `e`, by alias.
_JOINS = {
    "a": " JOIN articles a ON a.id = e.article_id",
    "p": " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id",
}
# Events of some registry actors: found from event_actors' registry index, not by
# visiting every event.
_ROLE_OF_EVENT = (
    "(e.article_id, e.local_id) IN (SELECT ea.article_id, ea.event_id FROM event_actors ea"
    " WHERE 1 = 1"
)
# Sort keys a caller may name ("-date" is descending) with the aliases they need joined;
# ties always break the same way.
SORTS = {
    "date": ("e.date_start, e.date_end", ()),  # first day, then the narrower period first
    "confidence": ("e.confidence", ()),
    "type": ("e.type", ()),
    "published": ("a.published", ("a",)),
}
_TIE = "e.article_id, e.local_id"
# A listed event's sentence is cut to this many characters around its trigger (its event
# and the exports give it whole): an article of 200,000 characters without a full stop
# is one sentence, else repeated in every listed row of its events.
LISTED_SENTENCE_CHARS = 600


def _values(value: tuple[str, ...] | str | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def _dates(w: Where, f: EventFilter) -> None:
    """Events whose date's interval overlaps since..until, inclusive."""
    w.overlaps("e.date_start", "e.date_end", f.since, f.until)


def _actors(w: Where, f: EventFilter, head: str = _ROLE_OF_EVENT) -> None:
    """A source or target by name, registry id or country (`role` narrows each); `head`
    opens the subquery of the events (or resolved events) those actors take part in."""
    role = " AND ea.role = ?" if f.role else ""
    roles = [f.role] if f.role else []
    if f.actor:
        w.add(
            f"{head}{role} AND ea.registry_id IN (SELECT id FROM"
            " actor_registry WHERE name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\'))",
            *roles, like_pattern(f.actor), like_pattern(f.actor),
        )  # fmt: skip
    if f.actor_id is not None:
        w.add(f"{head}{role} AND ea.registry_id = ?)", *roles, f.actor_id)
    if f.actor_country:
        w.add(
            f"{head}{role} AND ea.registry_id IN"
            " (SELECT id FROM actor_registry WHERE country = ?))",
            *roles, f.actor_country.upper(),
        )  # fmt: skip


# The same conditions on resolved events `e` (resolved_events has the events' columns,
# holding the fused values): its actors are those of any of its mentions.
_ROLE_OF_RESOLVED = (
    "e.id IN (SELECT rm.resolved_id FROM resolved_mentions rm JOIN event_actors ea"
    " ON ea.article_id = rm.article_id AND ea.event_id = rm.local_id WHERE 1 = 1"
)


def event_where(f: EventFilter, *, ordered: bool = True, resolved: bool = False) -> Where:
    """The conditions of `f` on events `e` (joins: articles `a`, places `p`), or with
    `resolved` on resolved events `e` (join: its first mention's article `a`).

    `ordered`: the page is read in an index's order, so the search's article set is only
    checked per event ("+" keeps SQLite from driving the scan by that set and sorting
    every match: 15 ms instead of 80 on 100,000 events); a count has no order to keep
    and lets the set drive the scan.
    """
    w = Where()
    w.any_of("e.type", [v.upper() for v in _values(f.type)])
    w.any_of("e.mode", _values(f.mode))
    w.equal("e.quad_class", f.quad_class)
    _dates(w, f)
    w.equal("e.country", f.country.upper() if f.country else None)
    w.equal("e.admin1", f.admin1)
    if geonames_id(f.place) is not None:
        w.add("e.geonameid = ?", geonames_id(f.place))
    elif f.place and resolved:
        w.like(["e.place_name"], f.place)
    elif f.place:
        w.like(["p.name"], f.place, needs=("p",))
    _actors(w, f, _ROLE_OF_RESOLVED if resolved else _ROLE_OF_EVENT)
    if f.modality == "factual":
        w.add("e.factual = 1")
    elif f.modality:
        w.add(
            "e.factual = 0 AND EXISTS (SELECT 1 FROM json_each(e.data, '$.modality') m"
            " WHERE m.value = ?)",
            f.modality,
        )
    if f.min_confidence > 0:
        w.add("e.confidence >= ?", f.min_confidence)
    if f.article and resolved:
        w.add(
            "e.id IN (SELECT resolved_id FROM resolved_mentions WHERE article_id LIKE ?)",
            id_prefix(f.article),
        )
    elif f.article:
        w.add("e.article_id LIKE ?", id_prefix(f.article))
    if f.search and f.search.strip():
        rowids, found = fts_rowids(f.search)
        if resolved:  # the words in one of the reports that mention it
            w.add(
                "+e.id IN (SELECT rm.resolved_id FROM resolved_mentions rm WHERE rm.article_id"
                f" IN (SELECT id FROM articles WHERE rowid IN {rowids}))",
                *found,
            )
        else:
            column = "+e.article_id" if ordered else "e.article_id"
            w.add(f"{column} IN (SELECT id FROM articles WHERE rowid IN {rowids})", *found)
    return w


def order_by(sort: str = "-date") -> tuple[str, tuple[str, ...]]:
    """An ORDER BY clause for a sort key of SORTS, "-" first for descending, and the
    aliases it needs joined; events with no value for the key come last either way."""
    descending = sort.startswith("-")
    key = sort.lstrip("-+")
    if key not in SORTS:
        raise ValueError(f"unknown sort key {key!r}; one of {', '.join(SORTS)}")
    sql, needs = SORTS[key]
    column = order_terms(sql, descending=descending)
    second = "" if key == "confidence" else ", e.confidence DESC"
    return f" ORDER BY {column}{second}, {_TIE}", needs


def event_joins(*needs: Iterable[str]) -> str:
    """The joins to events `e` of the aliases named (of _JOINS), in a fixed order."""
    wanted = {alias for group in needs for alias in group}
    return "".join(sql for alias, sql in _JOINS.items() if alias in wanted)


def events_from(*needs: Iterable[str]) -> str:
    """FROM events `e` with only the joins named."""
    return " FROM events e" + event_joins(*needs)


def list_events(
    db: Connection,
    f: EventFilter,
    *,
    sort: str = "-date",
    limit: int = 50,
    offset: int = 0,
) -> list[EventRow]:
    """One page of the events matching `f`, in `sort` order (see SORTS).

    The page's rows are picked from the events table alone (its indexes give the order;
    articles and places are joined only when a filter or the sort needs them), then the
    50 or so picked are joined for their fields: a deep page skips index entries, not
    joined rows.
    """
    where = event_where(f)
    order, needs = order_by(sort)
    keys = "SELECT e.rowid" + events_from(where.joins, needs) + where.sql() + order
    sql = f"{_SELECT} WHERE e.rowid IN ({keys} LIMIT ? OFFSET ?){order}"
    rows = db.execute(sql, [*where.params, max(0, limit), max(0, offset)]).fetchall()
    return _events(db, rows, listed=True)


def listed_sentence(data: dict[str, Any]) -> Any:
    """An event's sentence (from its stored `data`) as a page lists it: cut to
    LISTED_SENTENCE_CHARS around the trigger, its offsets still true, `truncated` set."""
    sentence = data.get("sentence")
    text = (sentence or {}).get("text") or ""
    if sentence is None or len(text) <= LISTED_SENTENCE_CHARS:
        return sentence
    size = LISTED_SENTENCE_CHARS
    at = int((data.get("trigger") or {}).get("start") or sentence["start"]) - sentence["start"]
    first = max(0, min(at - size // 2, len(text) - size))
    start = sentence["start"] + first
    return {"start": start, "end": start + size, "text": text[first : first + size],
            "truncated": True}  # fmt: skip


def iter_events(
    db: Connection, f: EventFilter, *, sort: str = "date", chunk: int = 1000
) -> Iterator[list[EventRow]]:
    """Every event matching `f`, in `sort` order, a chunk of listed events at a time (one
    query for the whole run, so exports of millions of events need no OFFSET)."""
    where = event_where(f)
    cursor = db.execute(_SELECT + where.sql() + order_by(sort)[0], where.params)
    while rows := cursor.fetchmany(chunk):
        yield _events(db, rows)


def events_by_refs(db: Connection, refs: Iterable[str]) -> list[EventRow]:
    """The listed rows of these events (full ARTICLE:EVENT refs), in the order given."""
    pairs = [tuple(r.split(":", 1)) for r in refs if ":" in r]
    if not pairs:
        return []
    marks = ",".join("(?, ?)" for _ in pairs)
    sql = f"{_SELECT} WHERE (e.article_id, e.local_id) IN (VALUES {marks})"
    rows = db.execute(sql, [v for pair in pairs for v in pair]).fetchall()
    found = {(r["article"], r["id"]): r for r in _events(db, rows, listed=True)}
    return [found[p] for p in pairs if p in found]


def count_events(db: Connection, f: EventFilter) -> int:
    """How many events match `f`."""
    where = event_where(f, ordered=False)
    sql = "SELECT count(*)" + events_from(where.joins) + where.sql()
    return int(db.execute(sql, where.params).fetchone()[0])


def _roles(db: Connection, rows: list[Row]) -> dict[tuple[str, str], list[Any]]:
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


def _events(db: Connection, rows: list[Row], *, listed: bool = False) -> list[EventRow]:
    roles = _roles(db, rows)
    return [
        _event(row, roles.get((row["article_id"], row["local_id"]), []), listed=listed)
        for row in rows
    ]


def _event(row: Row, names: list[Any], *, listed: bool = False) -> EventRow:
    """One event row; `listed`: as a page lists it (sentence cut, `listed_sentence`)."""
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
        "sentence": listed_sentence(data) if listed else data.get("sentence"),
        "context": data.get("context") or [],
        "resolved_id": row["resolved_id"],
    }


def get_event(db: Connection, article_id: str, local_id: str) -> dict[str, Any] | None:
    """One event with its evidence (sentence, trigger span, rule, confidence), its actors'
    mentions in the sentence, and the figures and quotes linked to it."""
    rows = db.execute(
        _SELECT + " WHERE e.article_id = ? AND e.local_id = ?", (article_id, local_id)
    ).fetchall()
    if not rows:
        return None
    event: dict[str, Any] = dict(_events(db, rows)[0])
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
