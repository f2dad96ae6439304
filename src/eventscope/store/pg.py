"""The PostgreSQL store: the same records, reads and writes as the SQLite store, for
teams that share one database (`--db postgresql://user@host/db`, or `EVENTSCOPE_DB`).

The queries of `store/` are written once, in SQLite's dialect; `PgConnection` takes them
as they are and rewrites the few constructs the two dialects spell differently
(`translate`): `?` parameters, INSERT OR IGNORE / OR REPLACE (as ON CONFLICT), LIKE
(which is case-insensitive in SQLite: ILIKE), json_extract and json_each (jsonb
operators), julianday differences (dates), SQLite's planner hints (CROSS JOIN ... ON, a
unary + on a column), where ORDER BY puts NULLs (SQLite: first when ascending) and FTS5
MATCH (a generated tsvector with a GIN index).

Why a translator rather than a query builder: the store's SQL is plain and shared by
every reader, and one rewrite table, tested on both backends by the same tests, keeps the
two stores from drifting apart; SQLAlchemy Core would mean rewriting every query.

Concurrency: articles are inserted with ON CONFLICT DO NOTHING (two ingests of the same
files store each article once), the actor registry is an upsert on its unique key, and
the story stage takes a transaction-scoped advisory lock, so its read-modify-write of the
stories runs one process at a time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from eventscope.errors import E002, E007, StoreError

from .migrate import migrations

SCHEMES = ("postgresql://", "postgres://")
_STORY_LOCK = 0x65766E74  # the advisory lock of the story stage ("evnt")
_SCHEMA_LOCK = 0x65767363  # of schema creation and migration


def is_url(ref: object) -> bool:
    """Whether a store reference names a PostgreSQL database."""
    return isinstance(ref, str) and ref.startswith(SCHEMES)


def shown(url: str) -> str:
    """The URL without its password (for messages and `info`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PgRow(tuple[Any, ...]):
    """A row by index, by column name and as `dict(row)`, like sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@functools.cache
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    return type("PgRow", (PgRow,), {"_names": names, "__slots__": ()})


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    made = _row_class(names)
    return lambda values: made(values)


# -- translation ----------------------------------------------------------------------

_QUOTED = re.compile(r"('(?:[^']|'')*')")
_JSON_EXTRACT = re.compile(r"json_extract\(([\w.]+), '\$\.([\w.]+)'\)")
_JSON_EACH = re.compile(r"json_each\(([\w.]+), '\$\.(\w+)'\) (\w+)")
_JULIANDAY = re.compile(r"julianday\(([\w.]+)\) - julianday\(([\w.]+)\)")
_FTS = "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_FTS_PG = (
    "(SELECT rowid FROM articles WHERE fts @@ plainto_tsquery('eventscope', replace(?, '\"', ' ')))"
)
_UNARY_PLUS = re.compile(r"(^|[\s(])\+(\w+\.\w+)")  # SQLite's "use no index on this column"
_CROSS_ON = re.compile(r"\bCROSS JOIN (\w+(?: \w+)?) ON ")  # SQLite's join-order hint
_INSERT = re.compile(r"^\s*INSERT OR (IGNORE|REPLACE) INTO (\w+)", re.IGNORECASE)


_ORDER_END = re.compile(r"\s(LIMIT|OFFSET)\s", re.IGNORECASE)


def _nulls_as_sqlite(sql: str) -> str:
    """Every ORDER BY term with SQLite's place for NULLs: first when ascending, last when
    descending (PostgreSQL's default is the reverse). The schema's indexes hold NULLs
    first, so these orders still read them forward or backward."""
    out, at = [], 0
    while (start := sql.upper().find("ORDER BY ", at)) >= 0:
        begin = start + len("ORDER BY ")
        out.append(sql[at:begin])
        depth, k, terms, term_start = 0, begin, [], begin
        while k < len(sql):
            c = sql[k]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                terms.append(sql[term_start:k])
                term_start = k + 1
            elif depth == 0 and _ORDER_END.match(sql, k):
                break
            k += 1
        terms.append(sql[term_start:k])
        out.append(",".join(_nulls(t) for t in terms))
        at = k
    out.append(sql[at:])
    return "".join(out)


def _nulls(term: str) -> str:
    body = term.rstrip()
    tail = term[len(body) :]
    words = body.upper().split()
    if "NULLS" in words:
        return term
    return body + (" NULLS LAST" if words and words[-1] == "DESC" else " NULLS FIRST") + tail


def translate(sql: str, keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> str:
    """The store's SQLite-dialect statement in PostgreSQL's, with %s parameters. `keys`
    gives each table's (primary key columns, other columns) for INSERT OR REPLACE."""
    sql = sql.replace(_FTS, _FTS_PG)
    sql = _JSON_EXTRACT.sub(lambda m: f"(({m[1]})::jsonb #>> '{{{m[2].replace('.', ',')}}}')", sql)
    sql = _JSON_EACH.sub(
        lambda m: f"jsonb_array_elements_text(({m[1]})::jsonb -> '{m[2]}') {m[3]}(value)", sql
    )
    sql = _JULIANDAY.sub(lambda m: f"(({m[1]})::date - ({m[2]})::date)", sql)
    sql = _CROSS_ON.sub(r"JOIN \1 ON ", sql)
    sql = _UNARY_PLUS.sub(r"\1\2", sql)
    sql = _nulls_as_sqlite(sql)
    conflict = ""
    if found := _INSERT.match(sql):
        kind, table = found[1].upper(), found[2]
        sql = sql[: found.start()] + f"INSERT INTO {table}" + sql[found.end() :]
        if kind == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        else:
            key, rest = keys[table]
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)
            action = f"DO UPDATE SET {updates}" if rest else "DO NOTHING"
            conflict = f" ON CONFLICT ({', '.join(key)}) {action}"
    parts = _QUOTED.split(sql)
    for k in range(0, len(parts), 2):  # outside quoted literals
        part = parts[k].replace("%", "%%").replace("?", "%s")
        parts[k] = re.sub(r"\bLIKE\b", "ILIKE", part)
    for k in range(1, len(parts), 2):
        parts[k] = parts[k].replace("%", "%%")
    return "".join(parts).rstrip().rstrip(";") + conflict


class PgConnection:
    """A psycopg connection that runs the store's SQL (see `translate`), in autocommit
    mode with explicit BEGIN ... COMMIT like the SQLite store's connection."""

    dialect = "postgresql"

    def __init__(self, url: str, *, readonly: bool = False, timeout: float = 30.0) -> None:
        import psycopg

        self.url = url
        try:
            self.raw = psycopg.connect(url, autocommit=True, connect_timeout=int(timeout))
        except psycopg.Error as exc:
            raise StoreError(
                E002,
                f"cannot connect to {shown(url)}: {str(exc).strip()}",
                hint="is the server running, and does the database exist?",
            ) from exc
        self.raw.row_factory = _row_factory
        if readonly:
            self.raw.execute("SET default_transaction_read_only = on")
        self._keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None

    @property
    def keys(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each table's primary key and other columns (read from the catalogue once)."""
        if self._keys is None:
            self._keys = table_keys(self.raw)
        return self._keys

    def _sql(self, sql: str) -> str:
        return _translated(sql, self) if "INSERT OR REPLACE" in sql.upper() else _plain(sql)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(self._sql(sql), tuple(parameters))
        return cursor

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        cursor = self.raw.cursor()
        rows = [tuple(p) for p in parameters]
        if rows:
            cursor.executemany(self._sql(sql), rows)
        return cursor

    def close(self) -> None:
        self.raw.close()


@functools.lru_cache(maxsize=4096)
def _plain(sql: str) -> str:
    return translate(sql, {})


def _translated(sql: str, db: PgConnection) -> str:
    return translate(sql, db.keys)


def table_keys(raw: Any) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(primary key columns, other columns) of every table of the current schema."""
    rows = raw.execute(
        "SELECT c.table_name, c.column_name, c.is_generated, c.is_identity,"
        " k.column_name IS NOT NULL FROM information_schema.columns c"
        " LEFT JOIN (SELECT u.table_name, u.column_name FROM"
        " information_schema.table_constraints t JOIN information_schema.key_column_usage u"
        " ON u.constraint_name = t.constraint_name AND u.table_schema = t.table_schema"
        " WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = current_schema()) k"
        " ON k.table_name = c.table_name AND k.column_name = c.column_name"
        " WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position"
    ).fetchall()
    found: dict[str, tuple[list[str], list[str]]] = {}
    for table, column, generated, identity, is_key in rows:
        key, rest = found.setdefault(table, ([], []))
        if is_key:
            key.append(column)
        elif generated != "ALWAYS" and identity != "YES":
            rest.append(column)
    return {t: (tuple(k), tuple(r)) for t, (k, r) in found.items()}


# -- schema ---------------------------------------------------------------------------


def schema_version(db: PgConnection) -> int:
    exists = db.execute("SELECT to_regclass('eventscope_schema') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = db.execute("SELECT max(version) FROM eventscope_schema").fetchone()
    return int(row[0] or 0)


def migrate(db: PgConnection, *, readonly: bool) -> None:
    """Create the schema, or bring it to the latest version, under an advisory lock (two
    processes opening a new database at once: the second finds it made)."""
    known = migrations("migrations_pg")
    latest = known[-1][0]
    current = schema_version(db)
    where = shown(db.url)
    if current > latest:
        raise StoreError(E002, f"store {where} has schema version {current}, this eventscope"
                         f" knows {latest}", hint="upgrade eventscope")  # fmt: skip
    if current == latest:
        return
    if readonly:
        raise StoreError(
            E007,
            f"store {where} has schema version {current} and needs migrating to {latest}",
            hint="open it once with a writing command",
        )
    with transaction(db):
        db.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
        current = schema_version(db)
        if current == 0:
            _search_configuration(db)
            db.raw.execute(known[-1][1])  # the whole schema at once (a fresh database)
            db.execute("CREATE TABLE eventscope_schema (version INTEGER NOT NULL)")
            current = known[-1][0]
            db.execute("INSERT INTO eventscope_schema VALUES (?)", (current,))
        for version, sql in known:
            if version > current:  # later versions: one file each, applied in order
                db.raw.execute(sql)
                db.execute("INSERT INTO eventscope_schema VALUES (?)", (version,))
    db._keys = None


def _search_configuration(db: PgConnection) -> None:
    """The full-text configuration "eventscope": words as they are, lower case, accents
    folded ("almati" finds "Almatí", as SQLite's unicode61 tokenizer does) when the
    server has the unaccent extension (trusted: a database owner may add it)."""
    import psycopg

    made = db.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'eventscope'").fetchone()
    if made:
        return
    db.raw.execute("SAVEPOINT unaccent")
    try:
        db.raw.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        folded = True
    except psycopg.Error:
        db.raw.execute("ROLLBACK TO SAVEPOINT unaccent")
        folded = False
    db.raw.execute("CREATE TEXT SEARCH CONFIGURATION eventscope (COPY = simple)")
    if folded:
        db.raw.execute(
            "ALTER TEXT SEARCH CONFIGURATION eventscope"
            " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )


@contextmanager
def transaction(db: PgConnection) -> Iterator[PgConnection]:
    """BEGIN ... COMMIT, ROLLBACK on error; a database error becomes StoreError E007."""
    import psycopg

    try:
        db.raw.execute("BEGIN")
        try:
            yield db
        except BaseException:
            if db.in_transaction:
                db.raw.execute("ROLLBACK")
            raise
        db.raw.execute("COMMIT")
    except psycopg.Error as exc:
        raise StoreError(E007, f"cannot write to {shown(db.url)}: {str(exc).strip()}",
                         hint="check the server, its disk and your rights") from exc  # fmt: skip


def story_lock(db: PgConnection) -> None:
    """Take the story stage's lock until the end of the transaction."""
    db.execute("SELECT pg_advisory_xact_lock(?)", (_STORY_LOCK,))


__all__ = [
    "SCHEMES",
    "PgConnection",
    "PgRow",
    "is_url",
    "migrate",
    "schema_version",
    "shown",
    "story_lock",
    "transaction",
    "translate",
]
