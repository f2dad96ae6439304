"""The embedded store: one SQLite file in WAL mode, migrated on open.

Writes go in batches, one transaction each: a process killed at any moment leaves every
batch either fully stored or absent, and a re-run stores what is missing. The same
article (same normalised text, hence the same id) is stored once.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from eventscope.errors import E002, E007, StoreError
from eventscope.model import JSON, Article, ArticleRecords, Rejected, cap_metadata, word_count

from .connection import Connection
from .intervals import event_days, figure_days, quote_record_days
from .migrate import connect_readonly, is_unwritable, migrate, unwritable_error, use_wal
from .registry import register_actor
from .sqlite_read import SqliteReader
from .stories import SqliteStorySession, add_pending

log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_alive(pid: int) -> bool:
    """Whether a process `pid` runs on this host (a pid reused since counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _dumps(value: Any) -> str:
    # orjson: compact UTF-8 JSON, about 8 times faster than json.dumps on our records
    return orjson.dumps(value).decode("utf-8")


def prepare_store(path: Path) -> None:
    """Create or migrate the store at `path`, so that read-only connections can open it
    (a server's); a store that cannot be written (read-only media) is left as it is
    when it is at the current schema version, and E007 says so when it is not."""
    try:
        Store(path).close()
    except StoreError as exc:
        if exc.code != E007 or not path.is_file():
            raise
        Store(path, readonly=True).close()


class Store(SqliteReader):
    """An eventscope store in one SQLite file: the writes here, the reads of
    `SqliteReader`. Use as a context manager or call close()."""

    path: Path

    def __init__(self, path: str | Path = "eventscope.db", *, readonly: bool = False) -> None:
        super().__init__(None, Path(path))
        if readonly and not self.path.exists():
            raise StoreError(E002, f"no store at {self.path}", hint="ingest something first")
        try:
            if readonly:
                db = connect_readonly(self.path)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db = db
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                use_wal(db)
                db.execute("PRAGMA synchronous = NORMAL")
            migrate(db, self.path, readonly=readonly)
        except (sqlite3.DatabaseError, OSError, StoreError) as exc:
            if self._db is not None:
                self._db.close()
            if isinstance(exc, StoreError):
                raise
            if isinstance(exc, OSError):  # the folder cannot be made
                raise StoreError(E007, f"cannot create store {self.path}: {exc}") from exc
            if not readonly and is_unwritable(exc):
                raise unwritable_error(self.path, exc) from exc
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

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
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
            if is_unwritable(exc):
                raise unwritable_error(self.path, exc) from exc
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

    def _insert_article(self, db: Connection, article: Article, now: str) -> bool:
        article = cap_metadata(article)  # ingestion cut it already; other writers may not
        cursor = db.execute(
            "INSERT OR IGNORE INTO articles (id, published, published_precision, language,"
            " title, source, url, author, input_ref, ingested_at, n_words, meta, text,"
            " truncated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                _dumps(list(article.truncated)),
            ),
        )
        return bool(cursor.rowcount == 1)

    def _insert_records(self, db: Connection, rec: ArticleRecords) -> None:
        aid = rec.article.id
        published = rec.article.published.isoformat() if rec.article.published else None
        registry: dict[str, int] = {}
        counted: set[str] = set()  # the registry keys this article has counted
        for actor in rec.actors:
            registry_id = registry[actor.id] = register_actor(db, actor, published, counted)
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
        db: Connection, aid: str, kind: str, local_id: str, mentions: Iterable[Any]
    ) -> None:
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(aid, kind, local_id, m.span.start, m.span.end, m.evidence.rule,
              m.evidence.confidence) for m in mentions],
        )  # fmt: skip

    @staticmethod
    def _insert_rejected(db: Connection, rejected: Iterable[Rejected], now: str) -> None:
        db.executemany(
            "INSERT INTO rejected (input_ref, code, reason, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (input_ref, code) DO UPDATE SET"
            " reason = excluded.reason, last_seen = excluded.last_seen, times = rejected.times + 1",
            [(r.input_ref, r.code, r.reason, now, now) for r in rejected],
        )

    def start_run(self, inputs: Sequence[str]) -> int:
        """Record the start of an ingest run, with its host and process; returns its id.

        Runs still 'running' whose process on this host is gone (killed, or stopped by a
        full disk before it could close its run) become 'interrupted' first; a run of a
        live process, or of another host, is left as it is.
        """
        host = socket.gethostname()
        with self.transaction() as db:
            running = db.execute(
                "SELECT id, pid FROM runs WHERE status = 'running' AND host = ? AND pid IS NOT"
                " NULL",
                (host,),
            ).fetchall()
            gone = [(run_id,) for run_id, pid in running if not _is_alive(pid)]
            db.executemany("UPDATE runs SET status = 'interrupted' WHERE id = ?", gone)
            row = db.execute(
                "INSERT INTO runs (started_at, status, inputs, host, pid)"
                " VALUES (?, 'running', ?, ?, ?) RETURNING id",
                (_now(), _dumps(list(inputs)), host, os.getpid()),
            ).fetchone()
        return int(row[0])

    def update_run(self, run_id: int, counts: JSON, *, status: str = "running") -> None:
        """Save a run's counts so far; `status` done or failed closes it."""
        finished = None if status == "running" else _now()
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET counts = ?, status = ?, finished_at = ? WHERE id = ?",
                (_dumps(counts), status, finished, run_id),
            )
