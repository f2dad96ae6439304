"""What the store's queries need of a database connection: `sqlite3.Connection` has it,
and so has the PostgreSQL connection of `pg.py`, which takes the same SQL. The queries of
`store/` are written once, in the SQLite dialect, against this."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

Row = Any  # sqlite3.Row or pg.PgRow: by index, by column name, and dict(row)


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...

    def close(self) -> None: ...


def dialect(db: Any) -> str:
    """ "postgresql" for the PostgreSQL connection, else "sqlite"."""
    return str(getattr(db, "dialect", "sqlite"))


__all__ = ["Connection", "Cursor", "Row", "dialect"]
