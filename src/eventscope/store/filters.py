"""The one event filter of every interface (CLI, Python `Store`, HTTP API, exports), and
the function that checks and normalises what a user gave for it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, fields
from datetime import date

from eventscope.errors import E003, InputError
from eventscope.kb.countries import country_index

MODALITIES = ("negated", "hypothetical", "future", "proposed", "reported")
ROLES = ("source", "target")
# The largest id SQLite stores (a signed 64-bit INTEGER): a larger one cannot even be
# looked up (sqlite3 raises OverflowError), so it is refused as a value, not searched.
MAX_ID = 2**63 - 1
# Text a user may search or filter by: no control character but tab and line breaks (a
# NUL ends an FTS5 query string early, so SQLite rejects the whole query).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
_TEXT_FIELDS = ("type", "mode", "country", "admin1", "place", "actor", "role", "actor_country",
                "modality", "article", "search")  # fmt: skip


@dataclass(frozen=True)
class EventFilter:
    """Which events: every field given must hold (None or empty means any).

    `type` and `mode` may list several values (comma-separated or a tuple); `country` is
    where the event happened (the place's country), `actor_country` a source's or
    target's country (both given as ISO alpha-2, alpha-3 or a name; `normalise_filter`
    turns them into the stored alpha-2 and alpha-3 codes); `place` matches the place's
    name (substring) or its GeoNames id; `actor` a source or target by name or alias
    substring (`role` narrows it), `actor_id` by registry id; `modality` is "factual"
    (none at all) or one of MODALITIES; `search` is words that must all occur in the
    article's title or text; dates are the events' own, inclusive. `resolved` asks for
    resolved events (one per real event across its reports, its fields fused) rather than
    each report's event mentions; the other fields filter those the same way.
    """

    type: tuple[str, ...] | str | None = None
    mode: tuple[str, ...] | str | None = None
    quad_class: int | None = None
    since: date | None = None
    until: date | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    actor: str | None = None
    actor_id: int | None = None
    role: str | None = None
    actor_country: str | None = None
    modality: str | None = None
    min_confidence: float = 0.0
    article: str | None = None
    search: str | None = None
    # Resolved events (one per real event, fused across its reports) instead of mentions.
    resolved: bool = False

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "", (), 0.0) for f in fields(self))


class FilterError(InputError):
    """A filter value that cannot be used; `field` names the filter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(E003, message)
        self.field = field


def text_problem(value: str) -> str | None:
    """What makes `value` unusable as a query's text, said of it ("holds ..."), or None:
    a control character, or a lone surrogate (bytes of a command-line argument that are
    not UTF-8: SQLite cannot bind it)."""
    if not re.fullmatch(TEXT_PATTERN, value):
        return "holds a control character (NUL and the like cannot be searched)"
    if any("\ud800" <= c <= "\udfff" for c in value):
        return "is not valid UTF-8"
    return None


def number_problem(value: int) -> str | None:
    """What makes `value` unusable as an id, count or offset in a query, said of it, or
    None: SQLite's integers are 64-bit (sqlite3 raises OverflowError beyond)."""
    if -MAX_ID - 1 <= value <= MAX_ID:
        return None
    return f"is beyond SQLite's 64-bit integers (at most {MAX_ID})"


def geonames_id(place: str | None) -> int | None:
    """The GeoNames id a `place` filter names (ASCII digits only), else None: a name."""
    return int(place) if place and place.isascii() and place.isdigit() else None


def country_code(value: str | None, *, alpha: int, field: str = "country") -> str | None:
    """A country given as ISO alpha-2, alpha-3 or name, as its alpha-`alpha` code
    (None for none); FilterError E003 for a country nobody knows."""
    if not value:
        return None
    found = country_index().given(value)
    if found is None:
        raise FilterError(field, f"unknown country {value!r}: give an ISO code or a name")
    return found.iso2 if alpha == 2 else found.iso3


def normalise_filter(f: EventFilter) -> EventFilter:
    """`f` checked, with its countries as the stored codes (place: alpha-2, actor:
    alpha-3); FilterError E003 names the first value that cannot be used."""
    for name in _TEXT_FIELDS:
        value = getattr(f, name)
        for item in (value,) if isinstance(value, str) else value or ():
            problem = text_problem(item)
            if problem:
                raise FilterError(name, f"the text {problem}")
    for name, number in (("actor_id", f.actor_id), ("place", geonames_id(f.place))):
        problem = None if number is None else number_problem(number)
        if problem:
            raise FilterError(name, f"{number} {problem}")
    if f.since and f.until and f.since > f.until:
        raise FilterError("since", "since is after until")
    if f.role not in (None, *ROLES):
        raise FilterError("role", f"role must be source or target, not {f.role!r}")
    if f.modality not in (None, "factual", *MODALITIES):
        raise FilterError("modality", f"modality must be factual or one of {', '.join(MODALITIES)}")
    return dataclasses.replace(
        f,
        country=country_code(f.country, alpha=2),
        actor_country=country_code(f.actor_country, alpha=3, field="actor_country"),
    )
