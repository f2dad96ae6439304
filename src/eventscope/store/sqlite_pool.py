"""Read-only access for a server: one SQLite connection per thread, opened once, and a
deadline per request after which SQLite interrupts the query (QueryTimeout), so that
ingestion can write (WAL) while the API reads and no request runs unbounded."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eventscope.errors import E011, StoreError

from .migrate import connect_readonly
from .sqlite_read import SqliteReader


class QueryTimeout(StoreError):
    """A read took longer than the time allowed; `seconds` is that time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(E011, f"the query took longer than {seconds:g} s; narrow the filters")
        self.seconds = seconds


class _ThreadReader(SqliteReader):
    """The reads of one request, on the connection of whichever thread runs them (a
    server may resolve a request's dependencies and run its handler in two threads)."""

    def __init__(self, pool: ReaderPool, deadline: float) -> None:
        super().__init__(None, pool.path)
        self.pool = pool
        self.deadline = deadline

    @property
    def db(self) -> sqlite3.Connection:
        return self.pool.connection(self.deadline)


class ReaderPool:
    """Readers of the store at `path`: `with pool.reading() as reader: ...`."""

    def __init__(self, path: Path, *, query_seconds: float = 5.0, check_every: int = 20_000):
        self.path = path
        self.query_seconds = query_seconds
        self.check_every = check_every  # SQLite VM steps between two looks at the clock
        self.local = threading.local()

    def _open(self) -> sqlite3.Connection:
        db = connect_readonly(self.path, check_same_thread=False, timeout=5.0)
        db.row_factory = sqlite3.Row
        local = self.local

        def over_time() -> int:
            return int(time.monotonic() > getattr(local, "deadline", float("inf")))

        db.set_progress_handler(over_time, self.check_every)
        return db

    def connection(self, deadline: float) -> sqlite3.Connection:
        """This thread's connection, its queries interrupted after `deadline`."""
        db: sqlite3.Connection | None = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = self._open()
        self.local.deadline = deadline
        return db

    @contextmanager
    def reading(self) -> Iterator[SqliteReader]:
        """A reader for one request; its queries raise QueryTimeout when together they
        take longer than `query_seconds`."""
        try:
            yield _ThreadReader(self, time.monotonic() + self.query_seconds)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(self.query_seconds) from exc
            raise
        finally:
            self.local.deadline = float("inf")
