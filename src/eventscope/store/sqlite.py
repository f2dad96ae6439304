"""The embedded store: one SQLite file in WAL mode, migrated on open.

Writes go in batches, one transaction each: a process killed at any moment leaves every
batch either fully stored or absent, and a re-run stores what is missing. The same
article (same normalised text, hence the same id) is stored once.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from eventscope.errors import E002, E004, E007, NotFoundError, StoreError
from eventscope.model import JSON, Article, ArticleRecords, Rejected, word_count

from .events import EventFilter, count_events, find_events, fts_query, get_event, list_events
from .intervals import backfill_intervals, event_days, figure_days, quote_record_days
from .registry import backfill, find_actors, get_actor, register_actor

log = logging.getLogger(__name__)


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped with the package, in order."""
    folder = resources.files("eventscope.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _backfill_registry(db: sqlite3.Connection) -> None:
    # inside version 2's transaction, so version 3 copies the ids it makes to event_actors
    log.info("registered %d stored actors", backfill(db))


def _backfill_intervals(db: sqlite3.Connection) -> None:
    log.info("dated %d stored quotes", backfill_intervals(db))


# Migrations whose rows need Python to fill: run inside the migration's transaction.
_BACKFILLS: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _backfill_registry,
    4: _backfill_intervals,
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    # orjson: compact UTF-8 JSON, about 8 times faster than json.dumps on our records
    return orjson.dumps(value).decode("utf-8")


_HEX_PREFIX = re.compile(r"[0-9a-f]{6,}")


class ResultSet(list[Any]):
    """A list of records that can be handed to pandas."""

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per record (dataclasses and dicts alike)."""
        import pandas as pd

        rows = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in self]
        return pd.DataFrame(rows)


class Store:
    """An eventscope store in one SQLite file. Use as a context manager or call close()."""

    def __init__(self, path: str | Path = "eventscope.db", *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(E002, f"no store at {self.path}", hint="ingest something first")
        try:
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # A URI for read-only opening: the path quoted, so "#", "?" and "%" in names
            # stay part of the file name.
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
            target = uri if readonly else str(self.path)
            self.db = sqlite3.connect(target, uri=readonly, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate(readonly=readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                E002, f"cannot open store {self.path}: {exc}", hint="is it an eventscope store?"
            ) from exc

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, *, readonly: bool) -> None:
        current = self.schema_version
        known = migrations()
        latest = known[-1][0] if known else 0
        if current > latest:
            raise StoreError(
                E002,
                f"store {self.path} has schema version {current}, this eventscope knows {latest}",
                hint="upgrade eventscope",
            )
        pending = [(v, sql) for v, sql in known if v > current]
        if pending and readonly:
            raise StoreError(E002, f"store {self.path} needs migration; open it read-write once")
        for version, sql in pending:
            # One transaction per migration: its SQL, the Python backfill it needs and
            # the version bump, so a process killed mid-way leaves the old version whole
            # (executescript commits what was pending before it, not after).
            self.db.executescript(f"BEGIN IMMEDIATE;\n{sql}")
            try:
                backfill_for = _BACKFILLS.get(version)
                if backfill_for is not None:
                    backfill_for(self.db)
                self.db.execute(f"PRAGMA user_version = {version}")
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            log.info("store %s migrated to schema version %d", self.path, version)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error).

        A failure of SQLite itself (disk full, locked by another writer for longer than
        the timeout) becomes StoreError E007.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:  # SQLite may have rolled back already
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(
                E007,
                f"cannot write to {self.path}: {exc}",
                hint="check free space and rights; another process may hold the store",
            ) from exc

    # -- writing -----------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def write_batch(
        self, records: Sequence[ArticleRecords], rejected: Sequence[Rejected] = ()
    ) -> int:
        """Store articles with their records, and rejections, in one transaction.

        Returns how many articles were new; an article already stored is left as it is.
        """
        stored = 0
        now = _now()
        with self.transaction() as db:
            for rec in records:
                if self._insert_article(db, rec.article, now):
                    self._insert_records(db, rec)
                    stored += 1
            self._insert_rejected(db, rejected, now)
        return stored

    def _insert_article(self, db: sqlite3.Connection, article: Article, now: str) -> bool:
        cursor = db.execute(
            "INSERT OR IGNORE INTO articles (id, published, published_precision, language,"
            " title, source, url, author, input_ref, ingested_at, n_words, meta, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.published.isoformat() if article.published else None,
                article.published_precision,
                article.language,
                article.title,
                article.source,
                article.url,
                article.author,
                article.input_ref,
                article.ingested_at.isoformat() if article.ingested_at else now,
                word_count(article.text),
                _dumps(article.meta),
                article.text,
            ),
        )
        return cursor.rowcount == 1

    def _insert_records(self, db: sqlite3.Connection, rec: ArticleRecords) -> None:
        aid = rec.article.id
        published = rec.article.published.isoformat() if rec.article.published else None
        registry: dict[str, int] = {}
        for actor in rec.actors:
            registry_id = registry[actor.id] = register_actor(db, actor, published)
            db.execute(
                "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, actor.id, actor.name, actor.type, actor.country, actor.sector,
                 _dumps(actor.to_dict()), registry_id),
            )  # fmt: skip
            self._insert_mentions(db, aid, "actor", actor.id, actor.mentions)
        for place in rec.places:
            db.execute(
                "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, place.id, place.name, place.geonameid, place.feature, place.country,
                 place.admin1, place.lat, place.lon, _dumps(place.to_dict())),
            )  # fmt: skip
            self._insert_mentions(db, aid, "place", place.id, place.mentions)
        for seq, expr in enumerate(rec.dates):
            db.execute(
                "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?)",
                (aid, seq, expr.span.start, expr.span.end, expr.value, expr.precision,
                 _dumps(expr.to_dict())),
            )  # fmt: skip
        by_id = {p.id: p for p in rec.places}
        for event in rec.events:
            where = by_id.get(event.place or "")
            db.execute(
                "INSERT INTO events (article_id, local_id, type, mode, cameo, date, place_id,"
                " confidence, rule, data, quad_class, factual, country, admin1, geonameid,"
                " date_start, date_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, event.id, event.type, event.mode, event.cameo, event.date, event.place,
                 event.evidence.confidence, event.evidence.rule, _dumps(event.to_dict()),
                 event.quad_class, int(not event.modality), where.country if where else None,
                 where.admin1 if where else None, where.geonameid if where else None,
                 *event_days(event.date)),
            )  # fmt: skip
            roles = [("source", a) for a in event.source] + [("target", a) for a in event.target]
            db.executemany(
                "INSERT INTO event_actors VALUES (?, ?, ?, ?, ?)",
                [(aid, event.id, role, actor_id, registry.get(actor_id))
                 for role, actor_id in roles],
            )  # fmt: skip
        for seq, f in enumerate(rec.figures):
            db.execute(
                "INSERT INTO figures (article_id, seq, kind, value, qualifier, as_of, event_id,"
                " data, day, day_start, day_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    aid,
                    seq,
                    f.kind,
                    f.value,
                    f.qualifier,
                    f.as_of,
                    f.event,
                    _dumps(f.to_dict()),
                    f.as_of if f.as_of and len(f.as_of) == 10 else published,
                    *figure_days(f.as_of, published),
                ),
            )
        for seq, q in enumerate(rec.quotes):
            db.execute(
                "INSERT INTO quotes (article_id, seq, speaker_id, kind, data, date_start,"
                " date_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (aid, seq, q.speaker, q.kind, _dumps(q.to_dict()), *quote_record_days(q, rec)),
            )

    @staticmethod
    def _insert_mentions(
        db: sqlite3.Connection, aid: str, kind: str, local_id: str, mentions: Iterable[Any]
    ) -> None:
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(aid, kind, local_id, m.span.start, m.span.end, m.evidence.rule,
              m.evidence.confidence) for m in mentions],
        )  # fmt: skip

    @staticmethod
    def _insert_rejected(db: sqlite3.Connection, rejected: Iterable[Rejected], now: str) -> None:
        db.executemany(
            "INSERT INTO rejected (input_ref, code, reason, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (input_ref, code) DO UPDATE SET"
            " reason = excluded.reason, last_seen = excluded.last_seen, times = times + 1",
            [(r.input_ref, r.code, r.reason, now, now) for r in rejected],
        )

    def start_run(self, inputs: Sequence[str]) -> int:
        """Record the start of an ingest run; returns its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, status, inputs) VALUES (?, 'running', ?)",
                (_now(), _dumps(list(inputs))),
            )
        return int(cursor.lastrowid or 0)

    def update_run(self, run_id: int, counts: JSON, *, status: str = "running") -> None:
        """Save a run's counts so far; `status` done or failed closes it."""
        finished = None if status == "running" else _now()
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET counts = ?, status = ?, finished_at = ? WHERE id = ?",
                (_dumps(counts), status, finished, run_id),
            )

    # -- reading -----------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        """One article by id (a unique prefix of at least 6 characters is enough)."""
        prefix = article_id.lower() if _HEX_PREFIX.fullmatch(article_id.lower()) else None
        rows = self.db.execute(
            "SELECT * FROM articles WHERE id = ? OR substr(id, 1, length(?)) = ? LIMIT 2",
            (article_id, prefix, prefix),
        ).fetchall()
        if len(rows) != 1:
            what = "no article" if not rows else "more than one article"
            raise NotFoundError(E004, f"{what} with id {article_id!r}", hint="see `articles`")
        return _article(rows[0])

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
        """Articles matching every filter given, newest first (best match first on search)."""
        where: list[str] = []
        params: list[Any] = []
        if search is not None and search.strip():
            query = fts_query(search)
            if not query:  # only quote marks: nothing can match
                return ResultSet()
            where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(query)
        for column, value in (("language", language), ("source", source)):
            if value:
                where.append(f"a.{column} = ?")
                params.append(value)
        if since:
            where.append("a.published >= ?")
            params.append(since.isoformat())
        if until:
            where.append("a.published <= ?")
            params.append(until.isoformat())
        sql = "SELECT a.* FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?"
        params += [max(0, limit), max(0, offset)]
        return ResultSet(_article(row) for row in self.db.execute(sql, params))

    def records(self, article_id: str) -> JSON:
        """One article's records in the JSON contract of `eventscope extract --json`."""
        article = self.article(article_id)
        aid = article.id

        def data(table: str, order: str) -> list[JSON]:
            rows = self.db.execute(
                f"SELECT data FROM {table} WHERE article_id = ? ORDER BY {order}", (aid,)
            )
            return [json.loads(r[0]) for r in rows]

        return {
            "article": article.to_dict(),
            "actors": data("actors", "rowid"),
            "places": data("places", "rowid"),
            "dates": data("dates", "seq"),
            "events": data("events", "rowid"),
            "figures": data("figures", "seq"),
            "quotes": data("quotes", "seq"),
        }

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

    def actor(self, registry_id: int) -> JSON:
        """One actor of the registry with its aliases and the articles that mention it."""
        found = get_actor(self.db, registry_id)
        if found is None:
            raise NotFoundError(E004, f"no actor with id {registry_id}", hint="see `actors`")
        return found

    def events(
        self,
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
    ) -> ResultSet:
        """Events across all articles matching every filter, latest first (see
        `store.events.find_events`)."""
        return ResultSet(
            find_events(
                self.db,
                type=type,
                mode=mode,
                since=since,
                until=until,
                actor=actor,
                role=role,
                country=country,
                factual=factual,
                min_confidence=min_confidence,
                article=article,
                limit=limit,
                offset=offset,
            )
        )

    def query_events(
        self, f: EventFilter | None = None, *, sort: str = "-date", limit: int = 50,
        offset: int = 0,
    ) -> ResultSet:  # fmt: skip
        """One page of the events matching an EventFilter (every filter of the HTTP API:
        place country, region, place, quad class, modality, actor, full-text search)."""
        return ResultSet(list_events(self.db, f or EventFilter(), sort=sort, limit=limit,
                                     offset=offset))  # fmt: skip

    def count_events(self, f: EventFilter | None = None) -> int:
        """How many events match an EventFilter."""
        return count_events(self.db, f or EventFilter())

    def event(self, ref: str) -> JSON:
        """One event by its ref (ARTICLE:EVENT, the article id or a unique prefix) with its
        evidence, the figures linked to it and the quotes about it."""
        prefix, _, local = ref.partition(":")
        found = get_event(self.db, self.article(prefix).id, local) if local else None
        if found is None:
            raise NotFoundError(E004, f"no event {ref!r}", hint="see `events` for refs")
        return found

    def rejected(self, *, code: str | None = None, limit: int = 1000) -> ResultSet:
        """Rejected inputs with their reasons, most recent first."""
        sql = "SELECT input_ref, code, reason, first_seen, last_seen, times FROM rejected"
        params: list[Any] = []
        if code:
            sql += " WHERE code = ?"
            params.append(code)
        sql += " ORDER BY last_seen DESC, id DESC LIMIT ?"
        params.append(limit)
        return ResultSet(dict(r) for r in self.db.execute(sql, params))

    def runs(self, *, limit: int = 20) -> ResultSet:
        """Ingest runs, most recent first, with their counts."""
        rows = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return ResultSet(
            {**dict(r), "inputs": json.loads(r["inputs"]), "counts": json.loads(r["counts"])}
            for r in rows
        )

    def stats(self) -> JSON:
        """Counts of everything in the store, by language and rejection code too."""
        one = self.db.execute
        counts = {
            table: int(one(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("articles", "actors", "actor_registry", "places", "dates", "events",
                          "figures", "quotes", "rejected")
        }  # fmt: skip
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


def _article(row: sqlite3.Row) -> Article:
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
    )
