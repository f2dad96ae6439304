"""Opening a store file: its migrations, run race-free, and read-only connections that
also work on read-only media.

Two processes may open one new store at the same moment (two ingests started together):
each migration takes the write lock first and reads the schema version again inside it,
so the second waits for the first and then finds nothing left to do.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from eventscope.errors import E002, E007, StoreError

from .caps import backfill_caps
from .intervals import backfill_intervals
from .registry import backfill

log = logging.getLogger(__name__)


def migrations(folder_name: str = "migrations") -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped with the package, in order: SQLite's,
    or PostgreSQL's with `folder_name="migrations_pg"`."""
    folder = resources.files("eventscope.store") / folder_name
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


def _backfill_caps(db: sqlite3.Connection) -> None:
    log.info("capped the metadata of %d stored articles", backfill_caps(db))


# Migrations whose rows need Python to fill: run inside the migration's transaction.
_BACKFILLS: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _backfill_registry,
    4: _backfill_intervals,
    6: _backfill_caps,
}


def statements(script: str) -> Iterator[str]:
    """The statements of an SQL script one by one (a trigger with its body is one), so
    that they run inside a transaction already open: `executescript` would commit it."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending


def use_wal(db: sqlite3.Connection, *, seconds: float = 30.0) -> None:
    """Put the store in WAL mode. SQLite answers "locked" at once, without waiting, when
    another connection holds the new file meanwhile (it is making it WAL too): retried."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, path: Path, *, readonly: bool) -> None:
    """Bring the store on `db` to the latest schema version, one transaction per
    migration (its SQL, the Python backfill it needs and the version bump), so a
    process killed mid-way leaves the old version whole."""
    known = migrations()
    latest = known[-1][0] if known else 0
    current = _version(db)
    if current > latest:
        raise StoreError(
            E002,
            f"store {path} has schema version {current}, this eventscope knows {latest}",
            hint="upgrade eventscope",
        )
    if current < latest and readonly:
        raise StoreError(
            E007,
            f"store {path} has schema version {current} and needs migrating to {latest},"
            " which writes to it",
            hint="run a writing command (e.g. `eventscope resolve`) on it once; on read-only"
            " media, copy it to a writable folder first and run it there",
        )
    for version, sql in known:
        if version <= current:
            continue
        db.execute("BEGIN IMMEDIATE")  # the write lock first, then look again
        try:
            current = _version(db)
            if current < version:
                for statement in statements(sql):
                    db.execute(statement)
                backfill_for = _BACKFILLS.get(version)
                if backfill_for is not None:
                    backfill_for(db)
                db.execute(f"PRAGMA user_version = {version}")
                log.info("store %s migrated to schema version %d", path, version)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def readonly_uri(path: Path, *, immutable: bool = False) -> str:
    """A URI opening `path` read-only: the path quoted, so "#", "?" and "%" in names stay
    part of the file name; `immutable` for a file nothing can change (read-only media)."""
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def is_unwritable(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because the file or its folder cannot be written (or
    created): read-only media, rights, a read-only mount."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


def unwritable_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """E007 for a store that cannot be written, saying what still works: reading, when
    the store is at the current schema version; nothing, when it needs migrating."""
    latest = migrations()[-1][0]
    try:
        db = connect_readonly(path)
        current = _version(db)
        db.close()
    except (sqlite3.Error, StoreError):
        current = latest  # nothing to read there, or not a store: no migration to name
    if current < latest:
        return StoreError(
            E007,
            f"store {path} has schema version {current} and needs migrating to {latest},"
            f" but it cannot be written: {exc}",
            hint="copy it to a writable folder (or fix its rights) and run any eventscope"
            " command on it once",
        )
    return StoreError(
        E007,
        f"cannot write to store {path}: {exc} (the file or its folder is read-only)",
        hint="reading commands (info, events, export, serve) work on it as it is; to write,"
        " fix the rights or copy it to a writable folder",
    )


def connect_readonly(
    path: Path, *, check_same_thread: bool = True, timeout: float = 30.0
) -> sqlite3.Connection:
    """A read-only connection to the store at `path` (`timeout`: seconds a busy store is
    waited for).

    A store in WAL mode is read through its `-shm` index, which SQLite creates beside it;
    in a read-only folder it cannot, and the store is then opened as immutable (nothing
    can write there either) unless its `-wal` holds writes not yet merged, which an
    immutable reader would not see.
    """

    def connect(uri: str) -> sqlite3.Connection:
        db = sqlite3.connect(
            uri,
            uri=True,
            timeout=timeout,
            isolation_level=None,
            check_same_thread=check_same_thread,
        )
        db.execute("PRAGMA user_version").fetchone()  # opens the file and its index now
        return db

    try:
        return connect(readonly_uri(path))
    except sqlite3.OperationalError as exc:
        if not is_unwritable(exc) or not path.is_file():
            raise
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                E007,
                f"store {path} is on read-only media with writes not merged into it"
                f" ({wal.name}); it cannot be read there as it is",
                hint="open it once where it can be written (any eventscope command), then"
                " move it back",
            ) from exc
        log.info("store %s is on read-only media: opened as immutable", path)
        return connect(readonly_uri(path, immutable=True))
