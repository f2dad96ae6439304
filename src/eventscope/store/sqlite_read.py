"""Reading the SQLite store: every read the CLI, the HTTP API, the exports, eval and bench
make, over one connection (see `StoreReader` in base.py for the contract)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from eventscope.errors import E004, NotFoundError
from eventscope.model import JSON, Article

from .browse import event_stats, find_figures, find_places, find_quotes
from .connection import Connection, Row
from .events import count_events, events_by_refs, get_event, iter_events, list_events
from .filters import EventFilter, normalise_filter
from .registry import find_actors, get_actor
from .resolved import count_resolved, iter_resolved, list_resolved, resolved_of
from .rows import EventRow, Page, ResultSet
from .stories_read import (
    find_stories,
    get_story,
    resolved_assignments,
    story_assignments,
    story_of,
)
from .where import Where, fts_rowids

_HEX_PREFIX = re.compile(r"[0-9a-f]{6,}")
_COUNTED = ("articles", "actors", "actor_registry", "places", "dates", "events", "figures",
            "quotes", "rejected", "stories", "resolved_events", "claims")  # fmt: skip


def _filter(f: EventFilter | None, fields: dict[str, Any]) -> EventFilter:
    """The filter given, or one made of keyword fields, normalised (countries as codes)."""
    if f is not None and fields:
        raise TypeError("give an EventFilter or filter fields, not both")
    return normalise_filter(f if f is not None else EventFilter(**fields))


class SqliteReader:
    """The reads of a store over a SQLite connection (`db`)."""

    def __init__(self, db: Connection | None, path: Path | str) -> None:
        self._db = db
        self.path = path

    @property
    def db(self) -> Connection:
        """The connection the reads run on."""
        assert self._db is not None, "no connection"
        return self._db

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- articles ------------------------------------------------------------------------

    def _article_rows(self, ref: str, columns: str) -> list[Row]:
        prefix = ref.lower() if _HEX_PREFIX.fullmatch(ref.lower()) else None
        return list(
            self.db.execute(
                f"SELECT {columns} FROM articles WHERE id = ? OR substr(id, 1, length(?)) = ?"
                " LIMIT 2",
                (ref, prefix, prefix),
            )
        )

    @staticmethod
    def _one(rows: list[Any], ref: str) -> Any:
        if len(rows) != 1:
            what = "no article" if not rows else "more than one article"
            raise NotFoundError(E004, f"{what} with id {ref!r}", hint="see `articles`")
        return rows[0]

    def article(self, article_id: str) -> Article:
        """One article by id (a unique prefix of at least 6 characters is enough)."""
        return _article(self._one(self._article_rows(article_id, "*"), article_id))

    def article_ids(self, ref: str) -> list[str]:
        """The ids of the articles this id or prefix (6+ characters) may mean: at most
        two (one is an answer, two an ambiguity)."""
        return [str(r[0]) for r in self._article_rows(ref, "id")]

    def article_id(self, ref: str) -> str:
        """The full id of the article of this id or unique prefix (6+ characters)."""
        return str(self._one(self.article_ids(ref), ref))

    def articles(
        self,
        *,
        search: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ResultSet:
        """Articles matching every filter given, newest first."""
        w = Where()
        if search is not None and search.strip():
            rowids, found = fts_rowids(search)
            w.add(f"a.rowid IN {rowids}", *found)
        w.equal("a.language", language)
        w.equal("a.source", source)
        if since:
            w.add("a.published >= ?", since.isoformat())
        if until:
            w.add("a.published <= ?", until.isoformat())
        sql = "SELECT a.* FROM articles a" + w.sql()
        sql += " ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?"
        rows = self.db.execute(sql, [*w.params, max(0, limit), max(0, offset)])
        return ResultSet(_article(row) for row in rows)

    def records(self, article_id: str) -> JSON:
        """One article's records in the JSON contract of `eventscope extract --json`."""
        article = self.article(article_id)
        aid = article.id

        def data(table: str, order: str) -> list[JSON]:
            rows = self.db.execute(
                f"SELECT data FROM {table} WHERE article_id = ? ORDER BY {order}", (aid,)
            )
            # orjson: the writer's own format (`sqlite._dumps`), several times faster
            return [orjson.loads(r[0]) for r in rows]

        return {
            "article": article.to_dict(),
            "actors": data("actors", "rowid"),
            "places": data("places", "rowid"),
            "dates": data("dates", "seq"),
            "events": data("events", "rowid"),
            "figures": data("figures", "seq"),
            "quotes": data("quotes", "seq"),
        }

    def actor_registry_ids(self, article_id: str) -> dict[str, int]:
        """The registry id of each of this article's actors (by the actor's local id)."""
        rows = self.db.execute(
            "SELECT local_id, registry_id FROM actors WHERE article_id = ?", (article_id,)
        )
        return dict(rows.fetchall())

    # -- actors --------------------------------------------------------------------------

    def actors(
        self,
        *,
        search: str | None = None,
        country: str | None = None,
        sector: str | None = None,
        type: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ResultSet:
        """Actors across all articles (the registry), most reported first."""
        found = find_actors(self.db, search=search, country=country, sector=sector,
                            type=type, limit=limit, offset=offset)  # fmt: skip
        return ResultSet(found)

    def actor(self, registry_id: int, *, limit: int | None = None) -> JSON:
        """One actor of the registry with its aliases and the articles that mention it
        (all, oldest first; or the latest `limit`, newest first)."""
        found = get_actor(self.db, registry_id, limit=limit)
        if found is None:
            raise NotFoundError(E004, f"no actor with id {registry_id}", hint="see `actors`")
        return found

    # -- events --------------------------------------------------------------------------

    def events(
        self,
        f: EventFilter | None = None,
        *,
        sort: str = "-date",
        limit: int = 50,
        offset: int = 0,
        **fields: Any,
    ) -> ResultSet:
        """One page of the events matching a filter (an EventFilter, or its fields as
        keywords: `store.events(type="PROTEST", country="KZ")`), in `sort` order."""
        chosen = _filter(f, fields)
        listing = list_resolved if chosen.resolved else list_events
        return ResultSet(listing(self.db, chosen, sort=sort, limit=limit, offset=offset))

    def count_events(self, f: EventFilter | None = None, **fields: Any) -> int:
        """How many events match a filter."""
        chosen = _filter(f, fields)
        return (count_resolved if chosen.resolved else count_events)(self.db, chosen)

    def iter_events(
        self, f: EventFilter | None = None, *, sort: str = "date", chunk: int = 1000
    ) -> Iterator[list[EventRow]]:
        """Every event matching `f`, in `sort` order, `chunk` events at a time."""
        chosen = _filter(f, {})
        walk = iter_resolved if chosen.resolved else iter_events
        return walk(self.db, chosen, sort=sort, chunk=chunk)

    def mention_rows(self, refs: Sequence[str]) -> list[EventRow]:
        """The event mentions of these full refs (a resolved event's `mentions`), in order."""
        return events_by_refs(self.db, refs)

    def event(self, ref: str) -> JSON:
        """One event by its ref (ARTICLE:EVENT, the article id or a unique prefix) with its
        evidence, the figures linked to it and the quotes about it."""
        prefix, _, local = ref.partition(":")
        article = self.article_id(prefix)
        found = get_event(self.db, article, local) if local else None
        if found is None:
            raise NotFoundError(E004, f"no event {ref!r}", hint="see `events` for refs")
        found["resolved"] = resolved_of(self.db, article, local)
        return found

    def event_figures(self, events: Sequence[EventRow]) -> dict[tuple[str, str], dict[str, float]]:
        """The largest figure of each kind linked to each of these events."""
        found: dict[tuple[str, str], dict[str, float]] = {}
        if not events:
            return found
        marks = ",".join("(?, ?)" for _ in events)
        rows = self.db.execute(
            "SELECT article_id, event_id, kind, max(value) FROM figures"
            f" WHERE (article_id, event_id) IN (VALUES {marks}) GROUP BY 1, 2, 3",
            [v for e in events for v in (e["article"], e["id"])],
        )
        for article, event, kind, value in rows:
            found.setdefault((article, event), {})[kind] = value
        return found

    def event_stats(self, f: EventFilter | None = None, *, top: int = 200) -> JSON:
        """Aggregates of the events matching `f` (see `store.browse.event_stats`)."""
        return event_stats(self.db, _filter(f, {}), top=top)

    def events_by_type(self) -> dict[str, int]:
        """How many events of each type, most first."""
        rows = self.db.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC, 1")
        return dict(rows.fetchall())

    def generation(self) -> tuple[Any, ...]:
        """What changes whenever events or figures are added (their largest row ids):
        ingestion only appends, so an unchanged generation means unchanged answers."""
        sql = "SELECT (SELECT max(rowid) FROM events), (SELECT max(rowid) FROM figures)"
        return tuple(self.db.execute(sql).fetchone())

    # -- places, figures, quotes ---------------------------------------------------------

    def places(
        self,
        *,
        search: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Resolved places (one per GeoNames id), most reported first."""
        return find_places(self.db, search=search, country=country, admin1=admin1,
                           limit=limit, offset=offset)  # fmt: skip

    def figures(self, **filters: Any) -> Page:
        """Figures across articles, latest first (see `store.browse.find_figures`)."""
        return find_figures(self.db, **filters)

    def quotes(self, **filters: Any) -> Page:
        """Quotes and claims, newest article first (see `store.browse.find_quotes`)."""
        return find_quotes(self.db, **filters)

    # -- the store itself ----------------------------------------------------------------

    def rejected(self, *, code: str | None = None, limit: int = 1000) -> ResultSet:
        """Rejected inputs with their reasons, most recent first."""
        w = Where()
        w.equal("code", code)
        sql = "SELECT input_ref, code, reason, first_seen, last_seen, times FROM rejected"
        sql += w.sql() + " ORDER BY last_seen DESC, id DESC LIMIT ?"
        return ResultSet(dict(r) for r in self.db.execute(sql, [*w.params, limit]))

    def runs(self, *, limit: int = 20) -> ResultSet:
        """Ingest runs, most recent first, with their counts."""
        rows = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return ResultSet(
            {**dict(r), "inputs": json.loads(r["inputs"]), "counts": json.loads(r["counts"])}
            for r in rows
        )

    # -- stories -------------------------------------------------------------------------

    def stories(self, **filters: Any) -> Page:
        """Stories (search, since, until, country, min_articles, sort, limit, offset)."""
        return find_stories(self.db, **filters)

    def story(self, story_id: int) -> JSON:
        """One story with its resolved events, figure series, reports and claims."""
        return get_story(self.db, story_id)

    def story_of(self, article_id: str) -> int | None:
        """The story of an article (id or unique prefix); None if not linked yet."""
        return story_of(self.db, self.article_id(article_id))

    def story_assignments(self) -> dict[str, int]:
        """The story of every linked article."""
        return story_assignments(self.db)

    def resolved_assignments(self) -> dict[tuple[str, str], str]:
        """The resolved event of every event mention, by (article id, event id)."""
        return resolved_assignments(self.db)

    def stats(self) -> JSON:
        """Counts of everything in the store, by language and rejection code too."""
        one = self.db.execute
        counts = {t: int(one(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _COUNTED}
        first, last, words = one(
            "SELECT min(published), max(published), coalesce(sum(n_words), 0) FROM articles"
        ).fetchone()
        languages = dict(
            one("SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY 1").fetchall()
        )
        by_code = dict(one("SELECT code, count(*) FROM rejected GROUP BY code").fetchall())
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            **counts,
            "words": int(words),
            "published_from": first,
            "published_to": last,
            "languages": languages,
            "rejected_by_code": by_code,
        }


def _article(row: Row) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_precision=row["published_precision"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        author=row["author"],
        language=row["language"],
        input_ref=row["input_ref"],
        ingested_at=datetime.fromisoformat(row["ingested_at"]),
        meta=json.loads(row["meta"]),
        truncated=tuple(json.loads(row["truncated"])),
    )
