"""`PgStore`: the store's reads and writes (those of `Store` and `SqliteReader`, the same
code) over a PostgreSQL database; what differs is opening, transactions, the schema
version and the story stage's lock (see `pg.py`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import pg
from .sqlite import Store
from .sqlite_pool import QueryTimeout
from .sqlite_read import SqliteReader
from .stories import SqliteStorySession


class PgStore(Store):
    """An eventscope store in a PostgreSQL database (`postgresql://...`), created or
    migrated on open. Use as a context manager or call close()."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self._db = None
        self.path = pg.shown(url)  # type: ignore[assignment]
        db = pg.PgConnection(url)
        try:
            pg.migrate(db, readonly=readonly)
            if readonly:
                db.execute("SET default_transaction_read_only = on")
        except BaseException:
            db.close()
            raise
        self._db = db

    @property
    def schema_version(self) -> int:
        return pg.schema_version(self.pg)

    @property
    def pg(self) -> pg.PgConnection:
        assert isinstance(self._db, pg.PgConnection), "no connection"
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction (BEGIN ... COMMIT, ROLLBACK on error)."""
        with pg.transaction(self.pg) as db:
            yield db

    @contextmanager
    def story_session(self) -> Iterator[SqliteStorySession]:
        """The story stage's reads and writes, in one transaction that holds the story
        lock: two ingests link their articles one after the other."""
        with self.transaction() as db:
            pg.story_lock(db)
            yield SqliteStorySession(db, self.records, self.actor_registry_ids)


def open_store(ref: str | Path, *, readonly: bool = False) -> Store:
    """The store a reference names: a PostgreSQL URL (`postgresql://...`) or a SQLite file."""
    if pg.is_url(ref):
        return PgStore(str(ref), readonly=readonly)
    return Store(Path(ref), readonly=readonly)


class _PgThreadReader(SqliteReader):
    """The reads of one request, on the connection of the thread that runs them."""

    def __init__(self, pool: PgReaderPool, deadline: float) -> None:
        super().__init__(None, pg.shown(pool.url))
        self.pool = pool
        self.deadline = deadline

    @property
    def db(self) -> Any:
        return self.pool.connection(self.deadline)

    @property
    def schema_version(self) -> int:
        return pg.schema_version(self.pool.connection(self.deadline))


class PgReaderPool:
    """Read-only readers of a PostgreSQL store for a server: one connection per thread,
    opened once, and the request's time left as each query's statement_timeout (the
    server cancels a query past it: QueryTimeout)."""

    def __init__(self, url: str, *, query_seconds: float = 5.0, **_: Any) -> None:
        self.url = url
        self.path = pg.shown(url)
        self.query_seconds = query_seconds
        self.local = threading.local()

    def connection(self, deadline: float) -> pg.PgConnection:
        db: pg.PgConnection | None = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = pg.PgConnection(self.url, readonly=True)
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0:  # the request's time is spent: no query more
            raise QueryTimeout(self.query_seconds)
        if getattr(self.local, "timeout", None) != left_ms:
            db.execute(f"SET statement_timeout = {left_ms}")
            self.local.timeout = left_ms
        return db

    @contextmanager
    def reading(self) -> Iterator[SqliteReader]:
        """A reader for one request; its queries raise QueryTimeout past `query_seconds`."""
        import psycopg

        try:
            yield _PgThreadReader(self, time.monotonic() + self.query_seconds)
        except psycopg.errors.QueryCanceled as exc:
            raise QueryTimeout(self.query_seconds) from exc


__all__ = ["PgReaderPool", "PgStore", "open_store"]
