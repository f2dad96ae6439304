"""What each exported field of the field's layouts (PLOVER, GDELT, ACLED) holds, and what
stays empty: printed by `eventscope export --mappings`, and in the README."""

from __future__ import annotations

# Documentation of every non-trivial mapping, by layout and field.
MAPPINGS: dict[str, dict[str, str]] = {
    "plover": {
        "id": "store ref ARTICLE:EVENT",
        "date": "event date (day, ISO week or month as coded; article date when none)",
        "source / target": "actorText = actor name, code = ISO alpha-3 country, sector = "
        "PLOVER/CAMEO sector code",
        "event / mode / context": "PLOVER 2021 type, mode and contexts",
        "eventText": "the trigger words",
        "eventLoc": "name, country (ISO alpha-2), admin1, lat, lon, geonameid of the place",
        "id / resolvedId / mentions": "the row's ref; the resolved event it is (or, for a "
        "mention row, belongs to); the ARTICLE:EVENT ids of its mentions",
        "numArticles / numSources": "how many articles and outlets report it",
        "dead / injured / size": "resolved event: its share of its story's latest killed toll, "
        "its latest injured / protesters figure; mention: the largest figure of its article "
        "linked to it (strings, as in PLOVER); empty when none",
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
        "NumMentions / NumSources / NumArticles": "the resolved event's mentions, outlets "
        "and articles (1 for a --mentions row)",
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
        "fatalities": "resolved event: its share of its story's latest killed toll (one "
        "event of the story holds it, so a story's rows add up to its toll, never to a sum "
        "over reports); mention: the largest killed figure linked to it; else 0",
        "tags": "the event's modality (e.g. reported; hypothetical)",
        "timestamp": "ingestion time, Unix seconds",
    },
}


def mappings_text() -> str:
    """MAPPINGS as text: one block per layout, one line per field."""
    blocks = []
    for layout, fields in MAPPINGS.items():
        lines = [f"{layout}:"] + [f"  {name}: {text}" for name, text in fields.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
