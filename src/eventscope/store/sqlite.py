"""The embedded store: one SQLite file in WAL mode, migrated on open.

Writes go in batches, one transaction each: a process killed at any moment leaves every
batch either fully stored or absent, and a re-run stores what is missing. The same
article (same normalised text, hence the same id) is stored once.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from eventscope.errors import E002, E007, StoreError
from eventscope.model import JSON, Article, ArticleRecords, Rejected, word_count

from .intervals import backfill_intervals, event_days, figure_days, quote_record_days
from .registry import backfill, register_actor
from .sqlite_read import SqliteReader, readonly_uri
from .stories import SqliteStorySession, add_pending

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


class Store(SqliteReader):
    """An eventscope store in one SQLite file: the writes here, the reads of
    `SqliteReader`. Use as a context manager or call close()."""

    def __init__(self, path: str | Path = "eventscope.db", *, readonly: bool = False) -> None:
        super().__init__(None, Path(path))
        if readonly and not self.path.exists():
            raise StoreError(E002, f"no store at {self.path}", hint="ingest something first")
        try:
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            target = readonly_uri(self.path) if readonly else str(self.path)
            self._db = sqlite3.connect(target, uri=readonly, timeout=30, isolation_level=None)
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

    @contextmanager
    def story_session(self) -> Iterator[SqliteStorySession]:
        """The story stage's reads and writes, in one write transaction."""
        with self.transaction() as db:
            yield SqliteStorySession(db, self.records, self.actor_registry_ids)

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
                    add_pending(db, rec.article)
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
