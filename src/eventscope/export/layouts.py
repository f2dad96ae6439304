"""One event as a record or row of the field's layouts: PLOVER JSON, the GDELT 2.0 event
table, ACLED's columns (what maps to what: `mappings.MAPPINGS`). Each takes a listed
event (`store.rows.EventRow`) and the largest figures linked to it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from eventscope.kb.countries import country_index
from eventscope.kb.sectors import REBEL_SECTORS as _REBELS
from eventscope.kb.sectors import STATE_SECTORS as _STATE

Event = Mapping[str, Any]

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


def _day(e: Event) -> tuple[date | None, int]:
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


def plover_record(e: Event, figures: dict[str, float], version: str) -> dict[str, Any]:
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
        "resolvedId": e.get("resolved_id"),
        "mentions": e.get("mentions") or ([e["ref"]] if not e.get("resolved") else []),
        "numArticles": e.get("n_articles", 1),
        "numSources": e.get("n_sources", 1),
    }


def _geo_type(e: Event) -> str:
    feature = e.get("feature") or ""
    if not e.get("place"):
        return ""
    if feature.startswith("A.PCL"):
        return "1"
    if feature == "A.ADM1":
        return "5"
    return "4"


def gdelt_row(e: Event) -> list[str]:
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
        str(e.get("n_mentions", 1)),
        str(e.get("n_sources", 1)),
        str(e.get("n_articles", 1)),
        "",
        *([""] * 8),
        *([""] * 8),
        *geo,
        added.strftime("%Y%m%d%H%M%S") if added else "",
        e.get("url") or e["article"],
    ]


def _inter(role: str, e: Event) -> int | None:
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


def acled_row(e: Event, figures: dict[str, float]) -> list[str]:
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
