"""`eventscope copy SRC DST`: a whole store moved between backends (SQLite file <->
PostgreSQL), every table row for row, in one transaction of the destination.

Both schemas have the same tables and columns (`migrations_pg/`); rows are read in their
insertion order (rowid) and written in it, so the destination's own row ids keep the
order listings and `generation()` rely on. Registry, story, run and rejection ids are
copied as they are (a PostgreSQL destination's id sequences are moved past them). The
destination must be empty: copying into a store that holds articles would mix two
stores' registries.
"""

from __future__ import annotations

from typing import Any

from eventscope.errors import E007, StoreError

from .connection import dialect
from .sqlite import Store

# Parents before children (foreign keys).
TABLES = (
    "articles", "actor_registry", "actors", "places", "mentions", "dates", "events",
    "event_actors", "figures", "quotes", "rejected", "runs", "story_pending",
    "story_signatures", "stories", "story_articles", "story_keys", "resolved_events",
    "resolved_mentions", "figure_points", "claims",
)  # fmt: skip
_IDS = ("actor_registry", "rejected", "runs", "stories")  # tables with an id of their own
BATCH = 1000


def _columns(db: Any, table: str) -> list[str]:
    """The columns a row is copied by: the table's own, without PostgreSQL's generated
    rowid and search vector."""
    if dialect(db) == "postgresql":
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? AND is_generated = 'NEVER'"
            " AND NOT (is_identity = 'YES' AND identity_generation = 'ALWAYS')"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [r[0] for r in rows]
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def _order(db: Any, table: str) -> str:
    if table == "story_keys":
        return "key, story_id"  # no rowid in either store
    if dialect(db) == "postgresql" and "rowid" not in _all_columns(db, table):
        return "1, 2"  # the primary key: the first column, or the first two
    return "rowid"


def _all_columns(db: Any, table: str) -> set[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ?",
        (table,),
    )
    return {r[0] for r in rows}


def copy_store(src: Store, dst: Store) -> dict[str, int]:
    """Copy every row of `src` into the empty store `dst`; the rows copied per table."""
    if dst.stats()["articles"] or list(dst.runs(limit=1)):
        raise StoreError(E007, f"the destination {dst.path} is not empty",
                         hint="copy into a new file or an empty database")  # fmt: skip
    counts: dict[str, int] = {}
    with dst.transaction() as out:
        for table in TABLES:
            wanted = set(_columns(out, table))
            names = [c for c in _columns(src.db, table) if c in wanted]
            listed = ", ".join(names)
            marks = ", ".join("?" * len(names))
            rows = src.db.execute(f"SELECT {listed} FROM {table} ORDER BY {_order(src.db, table)}")
            insert = f"INSERT INTO {table} ({listed}) VALUES ({marks})"
            n = 0
            while batch := rows.fetchmany(BATCH):
                out.executemany(insert, [tuple(r) for r in batch])
                n += len(batch)
            counts[table] = n
        if dialect(out) == "postgresql":
            for table in _IDS:  # new rows of the destination get ids after the copied ones
                out.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
    return counts


__all__ = ["TABLES", "copy_store"]
