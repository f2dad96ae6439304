"""Exports of the store's events in the field's formats (`eventscope export`).

- csv, jsonl, parquet: eventscope's own flat event rows (COLUMNS); jsonl keeps lists and
  the evidence sentence as JSON.
- plover: the PLOVER JSON record layout (one JSON object per line), as in the PLOVER
  gold-standard records: id, date, source/target [{actorText, code, sector}], event,
  eventText, mode, context, eventLoc, dead, injured, size, text, language.
- gdelt: the 61 columns of the GDELT 2.0 event table, tab-separated, no header (as GDELT
  ships it); `GDELT_COLUMNS` names them.
- acled: ACLED's column layout (CSV with header), for the events that have an ACLED type.

What maps to what, and what stays empty, is in `MAPPINGS` (and the README). Events are
read in chunks from one query, so a store of any size exports in bounded memory.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from eventscope.errors import E003, InputError
from eventscope.kb.countries import country_index
from eventscope.kb.sectors import REBEL_SECTORS as _REBELS
from eventscope.kb.sectors import STATE_SECTORS as _STATE
from eventscope.store.events import EventFilter, iter_events

FORMATS = ("csv", "jsonl", "parquet", "plover", "gdelt", "acled")

COLUMNS = (
    "ref",
    "article",
    "id",
    "date",
    "date_precision",
    "date_start",  # the date's first and last day (ISO; Arrow date32 in Parquet)
    "date_end",
    "type",
    "mode",
    "cameo",
    "quad_class",
    "intensity",
    "source",
    "source_ids",
    "target",
    "target_ids",
    "place",
    "place_country",
    "admin1",
    "geonameid",
    "lat",
    "lon",
    "modality",
    "trigger",
    "acled_type",
    "acled_subtype",
    "confidence",
    "rule",
    "published",
    "title",
    "url",
    "sentence",
)

GDELT_COLUMNS = (
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(
        f"{a}{c}"
        for a in ("Actor1", "Actor2")
        for c in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(
        f"{g}_{c}"
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for c in (
            "Type",
            "FullName",
            "CountryCode",
            "ADM1Code",
            "ADM2Code",
            "Lat",
            "Long",
            "FeatureID",
        )
    ),
    "DATEADDED",
    "SOURCEURL",
)

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# Documentation of every non-trivial mapping (printed by `eventscope export --mappings`).
MAPPINGS: dict[str, dict[str, str]] = {
    "plover": {
        "id": "store ref ARTICLE:EVENT",
        "date": "event date (day, ISO week or month as coded; article date when none)",
        "source / target": "actorText = actor name, code = ISO alpha-3 country, sector = "
        "PLOVER/CAMEO sector code",
        "event / mode / context": "PLOVER 2021 type, mode and contexts",
        "eventText": "the trigger words",
        "eventLoc": "name, country (ISO alpha-2), admin1, lat, lon, geonameid of the place",
        "dead / injured / size": "largest killed / injured / protesters figure linked to the "
        "event (strings, as in PLOVER); empty when none",
        "text": "the evidence sentence",
        "publication / url / language": "the article's source, URL and language",
        "coder / version / dateCoded": "eventscope, its version, the ingestion date",
    },
    "gdelt": {
        "GlobalEventID": "the store's event row number (stable within one store)",
        "Day / MonthYear / Year / FractionDate": "event date: its day, else the first day of "
        "the ISO week, month or year it names, else the article's day",
        "ActorNCode": "ISO alpha-3 country + sector (CAMEO-style, e.g. KAZGOV)",
        "ActorNName / CountryCode / Type1Code": "name, ISO alpha-3, sector",
        "ActorN KnownGroup, Ethnic, Religion, Type2-3": "empty (not coded)",
        "IsRootEvent": "1 when the event is in the article's first sentence",
        "EventCode / BaseCode / RootCode": "CAMEO code of the trigger, its 3- and 2-digit root",
        "QuadClass / GoldsteinScale": "PLOVER quad class, PLOVER intensity (-10..10)",
        "NumMentions / NumSources / NumArticles": "1 (one row per article's event; "
        "cross-report resolution does not merge them yet)",
        "AvgTone": "empty (no tone model)",
        "Actor1Geo / Actor2Geo": "empty (actors are not geolocated)",
        "ActionGeo_Type": "1 country, 5 first-level region, 4 city or other place",
        "ActionGeo_CountryCode": "ISO 3166 alpha-2 (GDELT uses FIPS 10-4: they differ for "
        "some countries, e.g. Russia RU vs RS)",
        "ActionGeo_ADM1Code / ADM2Code": "empty (the store keeps region names, not codes)",
        "ActionGeo_FeatureID": "GeoNames id (GDELT uses GNS/GNIS ids)",
        "DATEADDED": "ingestion time, YYYYMMDDHHMMSS (UTC)",
        "SOURCEURL": "article URL, else its input reference",
    },
    "acled": {
        "event_id_cnty": "ISO alpha-3 of the place + the store's event row number",
        "event_date / year": "event date: its day, else the first day of the ISO week, month"
        " or year it names, else the article's day",
        "time_precision": "1 day (or the article's day), 2 week, 3 month or year",
        "disorder_type": "from the ACLED event type (Protests/Riots: Demonstrations; "
        "Strategic developments; else Political violence)",
        "event_type / sub_event_type": "eventscope's ACLED mapping of the PLOVER type/mode",
        "actor1 / assoc_actor_1": "first source / further sources (names)",
        "actor2 / assoc_actor_2": "first target / further targets",
        "inter1 / inter2": "from the actor's sector: 1 state forces (GOV, MIL, COP, JUD), "
        "2 rebels (REB, INS), 5 rioters / 6 protesters (sources of riots / protests), "
        "7 civilians (CVL), 8 other; 3 and 4 (militias) are not coded; empty when no actor",
        "interaction": "the two inter codes, smaller first (e.g. 17)",
        "civilian_targeting": "'Civilian targeting' when the target is civilian (CVL) in "
        "political violence, else empty",
        "iso": "empty (ACLED's numeric ISO code is not in the knowledge base)",
        "region / admin2 / admin3": "empty",
        "country / admin1 / location / latitude / longitude": "the event's place",
        "geo_precision": "1 populated place, 2 first-level region, 3 country",
        "source": "the article's source (outlet)",
        "source_scale": "empty",
        "notes": "the evidence sentence",
        "fatalities": "largest killed figure linked to the event, else 0",
        "tags": "the event's modality (e.g. reported; hypothetical)",
        "timestamp": "ingestion time, Unix seconds",
    },
}


def _figures_by_event(
    db: sqlite3.Connection, events: list[dict[str, Any]]
) -> dict[tuple[str, str], dict[str, float]]:
    """Largest figure of each kind linked to each of these events."""
    found: dict[tuple[str, str], dict[str, float]] = {}
    if not events:
        return found
    marks = ",".join("(?, ?)" for _ in events)
    rows = db.execute(
        "SELECT article_id, event_id, kind, max(value) FROM figures"
        f" WHERE (article_id, event_id) IN (VALUES {marks}) GROUP BY 1, 2, 3",
        [v for e in events for v in (e["article"], e["id"])],
    )
    for article, event, kind, value in rows:
        found.setdefault((article, event), {})[kind] = value
    return found


def _day(e: dict[str, Any]) -> tuple[date | None, int]:
    """The event's day and its precision (1 day, 2 week, 3 month or year): the first day of
    an ISO week, month or year it names, else its article's day (precision 1)."""
    value = e.get("date") or ""
    try:
        if len(value) == 10:
            return date.fromisoformat(value), 1
        if len(value) == 8 and value[4:6] == "-W":
            return date.fromisocalendar(int(value[:4]), int(value[6:]), 1), 2
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:]), 1), 3
        if len(value) == 4 and value.isdigit():
            return date(int(value), 1, 1), 3
    except ValueError:
        pass
    published = e.get("published")
    return (date.fromisoformat(published), 1) if published else (None, 1)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def plover_record(e: dict[str, Any], figures: dict[str, float], version: str) -> dict[str, Any]:
    def actors(role: str) -> list[dict[str, Any]]:
        return [
            {"actorText": name, "code": code[0], "sector": code[1]}
            for name, code in zip(e[role], e[f"{role}_codes"], strict=False)
        ]

    added = _stamp(e.get("ingested_at"))
    return {
        "id": e["ref"],
        "date": e["date"] or e["published"],
        "source": actors("source"),
        "target": actors("target"),
        "event": e["type"],
        "eventText": e["trigger"],
        "mode": e["mode"],
        "context": ", ".join(e.get("context") or []) or None,
        "eventLoc": {
            "name": e["place"],
            "country": e["place_country"],
            "admin1": e["admin1"],
            "lat": e["lat"],
            "lon": e["lon"],
            "geonameid": e["geonameid"],
        }
        if e["place"]
        else None,
        "dead": _number(figures.get("killed")) or None,
        "injured": _number(figures.get("injured")) or None,
        "size": _number(figures.get("protesters")) or None,
        "text": (e.get("sentence") or {}).get("text"),
        "language": None,
        "publication": e.get("outlet"),
        "url": e.get("url"),
        "coder": "eventscope",
        "version": version,
        "dateCoded": added.date().isoformat() if added else None,
        "modality": e["modality"],
    }


def _geo_type(e: dict[str, Any]) -> str:
    feature = e.get("feature") or ""
    if not e.get("place"):
        return ""
    if feature.startswith("A.PCL"):
        return "1"
    if feature == "A.ADM1":
        return "5"
    return "4"


def gdelt_row(e: dict[str, Any]) -> list[str]:
    day, _ = _day(e)
    cameo = e.get("cameo") or ""
    added = _stamp(e.get("ingested_at"))

    def actor(role: str) -> list[str]:
        if not e[role]:
            return [""] * 10
        country, sector = (e[f"{role}_codes"][0] + [None, None])[:2]
        code = (country or "") + (sector or "")
        return [code, e[role][0], country or "", "", "", "", "", sector or "", "", ""]

    fraction = ""
    if day:
        fraction = f"{day.year + (day.timetuple().tm_yday - 0.5) / 365.25:.4f}"
    sentence = e.get("sentence") or {}
    geo = [
        _geo_type(e),
        ", ".join(x for x in (e["place"], e["admin1"]) if x) if e["place"] else "",
        e["place_country"] or "",
        "",
        "",
        _number(e["lat"]),
        _number(e["lon"]),
        _number(e["geonameid"]),
    ]
    return [
        str(e["seq"]),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        fraction,
        *actor("source"),
        *actor("target"),
        "1" if sentence.get("start") == 0 else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        _number(e["quad_class"]),
        _number(e.get("intensity")),
        "1",
        "1",
        "1",
        "",
        *([""] * 8),
        *([""] * 8),
        *geo,
        added.strftime("%Y%m%d%H%M%S") if added else "",
        e.get("url") or e["article"],
    ]


def _inter(role: str, e: dict[str, Any]) -> int | None:
    codes = e[f"{role}_codes"]
    if not codes:
        return None
    sector = codes[0][1] or ""
    if sector in _STATE:
        return 1
    if sector in _REBELS:
        return 2
    if role == "source" and e.get("acled_type") == "Riots":
        return 5
    if role == "source" and e.get("acled_type") == "Protests":
        return 6
    if sector == "CVL":
        return 7
    return 8


def acled_row(e: dict[str, Any], figures: dict[str, float]) -> list[str]:
    day, precision = _day(e)
    acled_type = e.get("acled_type") or ""
    disorder = (
        "Demonstrations"
        if acled_type in ("Protests", "Riots")
        else "Strategic developments"
        if acled_type == "Strategic developments"
        else "Political violence"
    )
    index = country_index()
    country = index.coded(e["place_country"]) if e["place_country"] else None
    inter1, inter2 = _inter("source", e), _inter("target", e)
    pair = sorted(i for i in (inter1, inter2) if i is not None)
    feature = e.get("feature") or ""
    geo = "3" if feature.startswith("A.PCL") else "2" if feature.startswith("A.ADM") else "1"
    civilian = (
        "Civilian targeting"
        if disorder == "Political violence" and any(c[1] == "CVL" for c in e["target_codes"])
        else ""
    )
    added = _stamp(e.get("ingested_at"))
    return [
        f"{country.iso3 if country else 'XXX'}{e['seq']}",
        day.isoformat() if day else "",
        str(day.year) if day else "",
        str(precision),
        disorder,
        acled_type,
        e.get("acled_subtype") or "",
        e["source"][0] if e["source"] else "",
        "; ".join(e["source"][1:]),
        _number(inter1),
        e["target"][0] if e["target"] else "",
        "; ".join(e["target"][1:]),
        _number(inter2),
        "".join(str(i) for i in pair) if len(pair) == 2 else (str(pair[0]) + "0" if pair else ""),
        civilian,
        "",
        "",
        country.name if country else "",
        e["admin1"] or "",
        "",
        "",
        e["place"] or "",
        _number(e["lat"]),
        _number(e["lon"]),
        geo if e["place"] else "",
        e.get("outlet") or "",
        "",
        (e.get("sentence") or {}).get("text", "").strip(),
        _number(figures.get("killed")) or "0",
        "; ".join(e["modality"]),
        str(int(added.timestamp())) if added else "",
    ]


def _flat(e: dict[str, Any]) -> dict[str, Any]:
    row = {k: e.get(k) for k in COLUMNS}
    row["sentence"] = (e.get("sentence") or {}).get("text")
    return row


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


def export_events(
    db: sqlite3.Connection,
    fmt: str,
    out: Path | IO[str],
    f: EventFilter | None = None,
    *,
    version: str = "",
    chunk: int = 2000,
) -> int:
    """Write the events matching `f` to `out` in format `fmt`; returns how many."""
    if fmt not in FORMATS:
        raise InputError(E003, f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    f = f or EventFilter()
    chunks = iter_events(db, f, sort="date", chunk=chunk)
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise InputError(E003, "parquet needs a file path, not a stream")
        return _parquet(chunks, out)
    if isinstance(out, Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return _text(db, fmt, chunks, handle, version)
    return _text(db, fmt, chunks, out, version)


def _text(
    db: sqlite3.Connection,
    fmt: str,
    chunks: Iterator[list[dict[str, Any]]],
    handle: IO[str],
    version: str,
) -> int:
    n = 0
    writer: Any = None
    if fmt in ("csv", "acled"):
        writer = csv.writer(handle)
        writer.writerow(COLUMNS if fmt == "csv" else ACLED_COLUMNS)
    elif fmt == "gdelt":
        writer = csv.writer(
            handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
    write: Callable[[dict[str, Any], dict[str, float]], None]
    if fmt == "csv":

        def write(e: dict[str, Any], _: dict[str, float]) -> None:
            writer.writerow([_csv_value(v) for v in _flat(e).values()])
    elif fmt == "jsonl":

        def write(e: dict[str, Any], _: dict[str, float]) -> None:
            handle.write(json.dumps(_flat(e), ensure_ascii=False) + "\n")
    elif fmt == "plover":

        def write(e: dict[str, Any], figures: dict[str, float]) -> None:
            record = plover_record(e, figures, version)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "gdelt":

        def write(e: dict[str, Any], _: dict[str, float]) -> None:
            writer.writerow([v.replace("\t", " ").replace("\n", " ") for v in gdelt_row(e)])
    else:

        def write(e: dict[str, Any], figures: dict[str, float]) -> None:
            if e.get("acled_type"):
                writer.writerow(acled_row(e, figures))

    for events in chunks:
        linked = _figures_by_event(db, events) if fmt in ("plover", "acled") else {}
        for e in events:
            if fmt == "acled" and not e.get("acled_type"):
                continue
            write(e, linked.get((e["article"], e["id"]), {}))
            n += 1
    return n


def _parquet(chunks: Iterator[list[dict[str, Any]]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    lists = {"source", "source_ids", "target", "target_ids", "modality"}
    numbers = {
        "quad_class": pa.int8(),
        "intensity": pa.float64(),
        "geonameid": pa.int64(),
        "lat": pa.float64(),
        "lon": pa.float64(),
        "confidence": pa.float64(),
        "date_start": pa.date32(),
        "date_end": pa.date32(),
    }
    schema = pa.schema(
        [
            (
                c,
                pa.list_(pa.int64() if c.endswith("_ids") else pa.string())
                if c in lists
                else numbers.get(c, pa.string()),
            )
            for c in COLUMNS
        ]
    )
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for events in chunks:
            rows = [_flat(e) for e in events]
            for row in rows:  # Arrow takes days as dates, not as ISO text
                for key in ("date_start", "date_end"):
                    row[key] = date.fromisoformat(row[key]) if row[key] else None
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
