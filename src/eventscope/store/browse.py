"""Read-side queries over the whole store for the HTTP API, the dashboard and the exports:
places, figures and quotes across articles, and the aggregates of `/stats` (events per
day by type, per place, per actor pair; figures over time). All values are bound
parameters; limits are the caller's (the API caps them)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from .events import EventFilter, events_from, fts_rowids, id_prefix, where_clause
from .intervals import order_terms, overlap, per_period
from .registry import like_pattern


def _and(where: str, condition: str) -> str:
    """A WHERE clause (or "") with one more condition."""
    return (where + " AND " if where else " WHERE ") + condition


def event_stats(db: sqlite3.Connection, f: EventFilter, *, top: int = 200) -> dict[str, Any]:
    """Aggregates of the events matching `f`: totals by type and quad class, events per
    day by type (events dated to one day), per longer period by type (a week, month, ...
    up to a year, by first and last day), per place, per source -> target actor pair
    (registry actors, `top` largest), and the figures of the same period and articles."""
    where, params = where_clause(f)
    base = events_from(where)
    q = db.execute
    total = int(q("SELECT count(*)" + base + where, params).fetchone()[0])
    by_type = [
        {"type": r[0], "n": r[1]}
        for r in q(
            "SELECT e.type, count(*) n" + base + where + " GROUP BY e.type ORDER BY n DESC", params
        )
    ]
    by_quad = [
        {"quad_class": r[0], "n": r[1]}
        for r in q(
            "SELECT e.quad_class, count(*) n" + base + where + " GROUP BY 1 ORDER BY 1", params
        )
    ]
    day_where = _and(where, "e.date_start = e.date_end")  # longer periods: per_period
    per_day = [
        {"date": r[0], "type": r[1], "n": r[2]}
        for r in q(
            "SELECT e.date_start, e.type, count(*)"
            + base
            + day_where
            + " GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
    ]
    place_where = _and(where, "e.geonameid IS NOT NULL")
    counted = q(
        "SELECT e.geonameid, count(*) n" + base + place_where
        + " GROUP BY e.geonameid ORDER BY n DESC, e.geonameid LIMIT ?",
        [*params, top],
    ).fetchall()  # fmt: skip
    known = {}
    for geonameid, _ in counted:  # one stored place per id, found by its index
        row = q(
            "SELECT geonameid, name, country, admin1, lat, lon, feature FROM places"
            " WHERE geonameid = ? LIMIT 1",
            (geonameid,),
        ).fetchone()
        if row is not None:
            known[geonameid] = row
    per_place = [
        {"geonameid": g, "name": known[g][1], "country": known[g][2], "admin1": known[g][3],
         "lat": known[g][4], "lon": known[g][5], "feature": known[g][6], "n": n}
        for g, n in counted if g in known
    ]  # fmt: skip
    # Source -> target pairs: counted on event_actors alone (events joined only to
    # filter), their registry names looked up for the `top` kept.
    pair_from = (
        " FROM event_actors s JOIN event_actors t ON t.article_id = s.article_id"
        " AND t.event_id = s.event_id AND t.role = 'target'"
    )
    if where:  # the events, then the joins the filters need
        pair_from += (
            " JOIN events e ON e.article_id = s.article_id AND e.local_id = s.event_id"
            + base.removeprefix(" FROM events e")
        )
    pair_where = _and(where, "s.role = 'source'")
    counted_pairs = q(
        "SELECT s.registry_id, t.registry_id, count(*) n" + pair_from + pair_where
        + " GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?",
        [*params, top],
    ).fetchall()  # fmt: skip
    names = dict(q("SELECT id, name FROM actor_registry").fetchall()) if counted_pairs else {}
    pairs = [
        {"source_id": r[0], "source": names.get(r[0]), "target_id": r[1],
         "target": names.get(r[1]), "n": r[2]}
        for r in counted_pairs if r[0] in names and r[1] in names
    ]  # fmt: skip
    return {
        "events": total,
        "by_type": by_type,
        "by_quad_class": by_quad,
        "per_day": per_day,
        "per_period": per_period(db, base, where, params),
        "per_place": per_place,
        "actor_pairs": pairs,
        "figures_over_time": figures_over_time(
            db, since=f.since, until=f.until, country=f.country, search=f.search
        ),
    }


# The day a figure counts as of: its own date when it names a day, else its article's
# (a column since schema 3).
_FIGURE_DAY = "f.day"


def _figure_where(
    *,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    country: str | None = None,
    article: str | None = None,
    event: str | None = None,
    search: str | None = None,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append("f.kind = ?")
        params.append(kind)
    dated, days = overlap("f.day_start", "f.day_end", since, until)
    where += dated
    params += days
    if country:
        where.append(
            "EXISTS (SELECT 1 FROM places p WHERE p.article_id = f.article_id"
            " AND p.local_id = json_extract(f.data, '$.place') AND p.country = ?)"
        )
        params.append(country.upper())
    if article:
        where.append("f.article_id LIKE ?")
        params.append(id_prefix(article))
    if event:
        where.append("f.event_id = ?")
        params.append(event)
    if search and search.strip():
        rowids, found = fts_rowids(search)
        where.append(f"a.rowid IN {rowids}")
        params += found
    return (" WHERE " + " AND ".join(where) if where else ""), params


def figures_over_time(db: sqlite3.Connection, **filters: Any) -> list[dict[str, Any]]:
    """Per day and kind: the largest figure reported (tolls are restated, not added up)
    and how many reports gave one."""
    where, params = _figure_where(**filters)
    day_where = _and(where, f"{_FIGURE_DAY} IS NOT NULL")
    joined = " JOIN articles a ON a.id = f.article_id" if "a.rowid" in where else ""
    rows = db.execute(
        f"SELECT {_FIGURE_DAY} d, f.kind, max(f.value), count(*) FROM figures f"
        + joined
        + day_where
        + " GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    return [{"date": r[0], "kind": r[1], "max": r[2], "reports": r[3]} for r in rows]


def find_figures(
    db: sqlite3.Connection, *, limit: int = 50, offset: int = 0, **filters: Any
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of figures across articles, latest first, with their article."""
    where, params = _figure_where(**filters)
    base = " FROM figures f JOIN articles a ON a.id = f.article_id" + where
    days = order_terms("f.day_start, f.day_end", descending=True)
    order = f" ORDER BY {days}, f.value DESC, f.article_id, f.seq"
    extra = {"day": _FIGURE_DAY, "day_start": "f.day_start", "day_end": "f.day_end"}
    return _page(db, "f", extra, base + order, params, limit, offset)


def _page(
    db: sqlite3.Connection,
    alias: str,
    extra: dict[str, str],
    base: str,
    params: list[Any],
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of stored records (`alias`.data, with its article `a` joined in
    `base`, which ends with its ORDER BY), each with its article's id, date and title and
    the `extra` columns (key -> SQL)."""
    counted = base[: base.rindex(" ORDER BY")]
    total = int(db.execute("SELECT count(*)" + counted, params).fetchone()[0])
    columns = "".join(f", {sql}" for sql in extra.values())
    rows = db.execute(
        f"SELECT {alias}.article_id, {alias}.seq, {alias}.data, a.published, a.title{columns}"
        + base + " LIMIT ? OFFSET ?",
        [*params, max(0, limit), max(0, offset)],
    )  # fmt: skip
    keys = list(extra)
    return total, [
        {**json.loads(r[2]), "article": r[0], "seq": r[1], "published": r[3], "title": r[4],
         **dict(zip(keys, r[5:], strict=True))}
        for r in rows
    ]  # fmt: skip


def find_quotes(
    db: sqlite3.Connection,
    *,
    speaker: str | None = None,
    speaker_id: int | None = None,
    kind: str | None = None,
    article: str | None = None,
    search: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of quotes and claims across articles, newest article first, each
    with its speaker's registry id and name; `search` is a substring of the content."""
    where: list[str] = []
    params: list[Any] = []
    if speaker:
        where.append(
            "x.registry_id IN (SELECT id FROM actor_registry WHERE name LIKE ? ESCAPE '\\'"
            " OR aliases LIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(speaker), like_pattern(speaker)]
    if speaker_id is not None:
        where.append("x.registry_id = ?")
        params.append(speaker_id)
    if kind:
        where.append("q.kind = ?")
        params.append(kind)
    if article:
        where.append("q.article_id LIKE ?")
        params.append(id_prefix(article))
    if search:
        where.append("json_extract(q.data, '$.content.text') LIKE ? ESCAPE '\\'")
        params.append(like_pattern(search))
    dated, days = overlap("q.date_start", "q.date_end", since, until)
    where += dated
    params += days
    base = (
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN actors x ON x.article_id = q.article_id AND x.local_id = q.speaker_id"
        + (" WHERE " + " AND ".join(where) if where else "")
    )
    order = " ORDER BY a.published DESC, q.article_id, q.seq"
    extra = {"speaker_registry_id": "x.registry_id", "speaker_name": "x.name",
             "date_start": "q.date_start", "date_end": "q.date_end"}  # fmt: skip
    return _page(db, "q", extra, base + order, params, limit, offset)


def find_places(
    db: sqlite3.Connection,
    *,
    search: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of resolved places across articles (one row per GeoNames id),
    with how many articles name them and how many events happen there."""
    where = ["p.geonameid IS NOT NULL"]
    params: list[Any] = []
    if search:
        where.append("p.name LIKE ? ESCAPE '\\'")
        params.append(like_pattern(search))
    if country:
        where.append("p.country = ?")
        params.append(country.upper())
    if admin1:
        where.append("p.admin1 = ?")
        params.append(admin1)
    clause = " WHERE " + " AND ".join(where)
    total = int(
        db.execute("SELECT count(DISTINCT p.geonameid) FROM places p" + clause, params).fetchone()[
            0
        ]
    )
    rows = db.execute(
        "SELECT p.geonameid, min(p.name), min(p.feature), min(p.country), min(p.admin1),"
        " min(p.lat), min(p.lon), count(DISTINCT p.article_id) n,"
        " (SELECT count(*) FROM events e WHERE e.geonameid = p.geonameid)"
        " FROM places p" + clause + " GROUP BY p.geonameid ORDER BY n DESC, p.geonameid"
        " LIMIT ? OFFSET ?",
        [*params, max(0, limit), max(0, offset)],
    )
    keys = ("geonameid", "name", "feature", "country", "admin1", "lat", "lon", "articles", "events")
    return total, [dict(zip(keys, r, strict=True)) for r in rows]


def actor_quotes(db: sqlite3.Connection, registry_id: int, limit: int = 100) -> list[Any]:
    """Quotes whose speaker is this registry actor, newest first."""
    return find_quotes(db, speaker_id=registry_id, limit=limit)[1]
