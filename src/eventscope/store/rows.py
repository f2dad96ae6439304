"""The rows the store's read functions return, typed: what the CLI prints, the API sends
as JSON and the exports lay out. They are plain dicts at run time (JSON at the edge),
so their shape is the JSON contract; records of variable shape (figures, quotes) stay
`JSON`."""

from __future__ import annotations

from typing import Any, NamedTuple, NotRequired, TypedDict

from eventscope.model import JSON


class EventRow(TypedDict):
    """One listed event with its actors, place and article (`/events` items)."""

    ref: str
    article: str
    id: str
    type: str
    mode: str | None
    date: str | None
    date_precision: str | None
    date_start: str | None  # the date's first and last day (ISO)
    date_end: str | None
    source: list[str]
    target: list[str]
    source_ids: list[int | None]
    target_ids: list[int | None]
    source_codes: list[list[str | None]]
    target_codes: list[list[str | None]]
    place: str | None
    place_country: str | None
    admin1: str | None
    geonameid: int | None
    feature: str | None
    lat: float | None
    lon: float | None
    modality: list[str]
    trigger: str | None
    cameo: str | None
    quad_class: int | None
    intensity: float | None
    acled_type: str | None
    acled_subtype: str | None
    confidence: float
    rule: str
    published: str | None
    title: str | None
    url: str | None
    outlet: str | None
    ingested_at: str
    seq: int
    sentence: JSON | None
    context: list[str]
    resolved_id: str | None  # the resolved event of a mention (a resolved event: its own id)
    # A resolved event (`EventFilter(resolved=True)`): its story and its reports; `ref` is
    # then its id, the ref of its first mention. A mention row has `resolved_id` instead.
    resolved: NotRequired[bool]
    story: NotRequired[int]
    n_mentions: NotRequired[int]
    n_articles: NotRequired[int]
    n_sources: NotRequired[int]
    mentions: NotRequired[list[str]]
    figures: NotRequired[dict[str, float]]
    fatalities: NotRequired[float]  # its share of its story's killed toll (ACLED's count)
    disagreements: NotRequired[list[JSON]]


class ActorEntry(TypedDict):
    """One actor of the registry (`/actors` items)."""

    id: int
    key: str
    name: str
    type: str | None
    country: str | None
    sector: str | None
    aliases: list[str]
    articles: int
    mentions: int
    first_published: str | None
    last_published: str | None


class PlaceRow(TypedDict):
    """One resolved place across articles (`/places` items)."""

    geonameid: int
    name: str
    feature: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    articles: int
    events: int


class RejectedRow(TypedDict):
    input_ref: str
    code: str
    reason: str
    first_seen: str
    last_seen: str
    times: int


class Page(NamedTuple):
    """How many records match, and one page of them."""

    total: int
    items: list[Any]


class ResultSet(list[Any]):
    """A list of records that can be handed to pandas."""

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per record (dataclasses and dicts alike)."""
        import pandas as pd

        rows = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in self]
        return pd.DataFrame(rows)
