"""Read-side queries over the whole store for the HTTP API, the dashboard and the exports:
places, figures and quotes across articles, and the aggregates of `/stats` (events per
day by type, per place, per actor pair; figures over time). All values are bound
parameters; limits are the caller's (the API caps them)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .connection import Connection
from .events import EventFilter, event_joins, event_where, events_from
from .intervals import order_terms, per_period
from .rows import Page
from .where import Where, fts_rowids, id_prefix, like_pattern


def event_stats(db: Connection, f: EventFilter, *, top: int = 200) -> dict[str, Any]:
    """Aggregates of the events (resolved events with `f.resolved`) matching `f`: totals
    by type and quad class, events per
    day by type (events dated to one day), per longer period by type (a week, month, ...
    up to a year, by first and last day), per place, per source -> target actor pair
    (registry actors, `top` largest), and the figures of the same period and articles."""
    where = event_where(f, resolved=f.resolved)
    # resolved events carry the events' columns (their places as columns: no `p` join)
    base = (
        " FROM resolved_events e" + event_joins({j for j in where.joins if j == "a"})
        if f.resolved
        else events_from(where.joins)
    )
    q = db.execute
    params = where.params
    total = int(q("SELECT count(*)" + base + where.sql(), params).fetchone()[0])
    by_type = [
        {"type": r[0], "n": r[1]}
        for r in q(
            "SELECT e.type, count(*) n"
            + base
            + where.sql()
            + " GROUP BY e.type ORDER BY n DESC, e.type",
            params,
        )
    ]
    by_quad = [
        {"quad_class": r[0], "n": r[1]}
        for r in q(
            "SELECT e.quad_class, count(*) n" + base + where.sql() + " GROUP BY 1 ORDER BY 1",
            params,
        )
    ]
    day_where = where.also("e.date_start = e.date_end")  # longer periods: per_period
    per_day = [
        {"date": r[0], "type": r[1], "n": r[2]}
        for r in q(
            "SELECT e.date_start, e.type, count(*)" + base + day_where.sql()
            + " GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
    ]  # fmt: skip
    place_where = where.also("e.geonameid IS NOT NULL")
    counted = q(
        "SELECT e.geonameid, count(*) n" + base + place_where.sql()
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
    counting = "count(*)"
    if f.resolved:  # each resolved event once, whichever of its mentions name the pair
        pair_from += (
            " JOIN resolved_mentions rm ON rm.article_id = s.article_id"
            " AND rm.local_id = s.event_id JOIN resolved_events e ON e.id = rm.resolved_id"
            + event_joins({j for j in where.joins if j == "a"})
        )
        counting = "count(DISTINCT rm.resolved_id)"
    elif where:  # the events, then the joins the filters need
        pair_from += (
            " JOIN events e ON e.article_id = s.article_id AND e.local_id = s.event_id"
            + event_joins(where.joins)
        )
    pair_where = where.also("s.role = 'source'")
    counted_pairs = q(
        f"SELECT s.registry_id, t.registry_id, {counting} n" + pair_from + pair_where.sql()
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
        "per_period": per_period(db, base, where.sql(), params),
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
) -> Where:
    """Conditions on figures `f` (the search needs their articles `a` joined)."""
    w = Where()
    w.equal("f.kind", kind)
    w.overlaps("f.day_start", "f.day_end", since, until)
    if country:
        w.add(
            "EXISTS (SELECT 1 FROM places p WHERE p.article_id = f.article_id"
            " AND p.local_id = json_extract(f.data, '$.place') AND p.country = ?)",
            country.upper(),
        )
    if article:
        w.add("f.article_id LIKE ?", id_prefix(article))
    w.equal("f.event_id", event)
    if search and search.strip():
        rowids, found = fts_rowids(search)
        w.add(f"a.rowid IN {rowids}", *found, needs=("a",))
    return w


def figures_over_time(db: Connection, **filters: Any) -> list[dict[str, Any]]:
    """Per day and kind: the largest figure reported (tolls are restated, not added up)
    and how many reports gave one."""
    where = _figure_where(**filters).also(f"{_FIGURE_DAY} IS NOT NULL")
    joined = " JOIN articles a ON a.id = f.article_id" if "a" in where.joins else ""
    rows = db.execute(
        f"SELECT {_FIGURE_DAY} d, f.kind, max(f.value), count(*) FROM figures f"
        + joined
        + where.sql()
        + " GROUP BY 1, 2 ORDER BY 1, 2",
        where.params,
    )
    return [{"date": r[0], "kind": r[1], "max": r[2], "reports": r[3]} for r in rows]


def find_figures(db: Connection, *, limit: int = 50, offset: int = 0, **filters: Any) -> Page:
    """(total, one page) of figures across articles, latest first, with their article."""
    tables = " FROM figures f JOIN articles a ON a.id = f.article_id"
    days = order_terms("f.day_start, f.day_end", descending=True)
    order = f" ORDER BY {days}, f.value DESC, f.article_id, f.seq"
    extra = {"day": _FIGURE_DAY, "day_start": "f.day_start", "day_end": "f.day_end"}
    return _page(db, "f", extra, tables, _figure_where(**filters), order, limit, offset)


def _page(
    db: Connection,
    alias: str,
    extra: dict[str, str],
    tables: str,
    where: Where,
    order: str,
    limit: int,
    offset: int,
) -> Page:
    """(total, one page) of stored records (`alias`.data, with its article `a` joined in
    `tables`), in `order`, each with its article's id, date and title and the `extra`
    columns (key -> SQL)."""
    base = tables + where.sql()
    total = int(db.execute("SELECT count(*)" + base, where.params).fetchone()[0])
    columns = "".join(f", {sql}" for sql in extra.values())
    rows = db.execute(
        f"SELECT {alias}.article_id, {alias}.seq, {alias}.data, a.published, a.title{columns}"
        + base + order + " LIMIT ? OFFSET ?",
        [*where.params, max(0, limit), max(0, offset)],
    )  # fmt: skip
    keys = list(extra)
    return Page(total, [
        {**json.loads(r[2]), "article": r[0], "seq": r[1], "published": r[3], "title": r[4],
         **dict(zip(keys, r[5:], strict=True))}
        for r in rows
    ])  # fmt: skip


def find_quotes(
    db: Connection,
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
) -> Page:
    """(total, one page) of quotes and claims across articles, newest article first, each
    with its speaker's registry id and name; `search` is a substring of the content."""
    w = Where()
    if speaker:
        like = like_pattern(speaker)
        w.add(
            "x.registry_id IN (SELECT id FROM actor_registry WHERE name LIKE ? ESCAPE '\\'"
            " OR aliases LIKE ? ESCAPE '\\')",
            like, like,
        )  # fmt: skip
    w.equal("x.registry_id", speaker_id)
    w.equal("q.kind", kind)
    if article:
        w.add("q.article_id LIKE ?", id_prefix(article))
    w.like(["json_extract(q.data, '$.content.text')"], search)
    w.overlaps("q.date_start", "q.date_end", since, until)
    tables = (
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN actors x ON x.article_id = q.article_id AND x.local_id = q.speaker_id"
    )
    order = " ORDER BY a.published DESC, q.article_id, q.seq"
    extra = {"speaker_registry_id": "x.registry_id", "speaker_name": "x.name",
             "date_start": "q.date_start", "date_end": "q.date_end"}  # fmt: skip
    return _page(db, "q", extra, tables, w, order, limit, offset)


def find_places(
    db: Connection,
    *,
    search: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """(total, one page) of resolved places across articles (one row per GeoNames id),
    with how many articles name them and how many events happen there."""
    w = Where()
    w.add("p.geonameid IS NOT NULL")
    w.like(["p.name"], search)
    w.equal("p.country", country.upper() if country else None)
    w.equal("p.admin1", admin1)
    clause = w.sql()
    total = db.execute("SELECT count(DISTINCT p.geonameid) FROM places p" + clause, w.params)
    rows = db.execute(
        "SELECT p.geonameid, min(p.name), min(p.feature), min(p.country), min(p.admin1),"
        " min(p.lat), min(p.lon), count(DISTINCT p.article_id) n,"
        " (SELECT count(*) FROM events e WHERE e.geonameid = p.geonameid)"
        " FROM places p" + clause + " GROUP BY p.geonameid ORDER BY n DESC, p.geonameid"
        " LIMIT ? OFFSET ?",
        [*w.params, max(0, limit), max(0, offset)],
    )
    keys = ("geonameid", "name", "feature", "country", "admin1", "lat", "lon", "articles", "events")
    return Page(int(total.fetchone()[0]), [dict(zip(keys, r, strict=True)) for r in rows])
