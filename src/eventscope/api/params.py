"""What the routes share: the query parameters (validated by FastAPI and pydantic), the
event-filter dependency of /events and /stats, the store reader of each request, and
the JSON answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator

from eventscope.query import event_filter as make_filter
from eventscope.store import EventFilter, StoreReader
from eventscope.store.events import MODALITIES, SORTS
from eventscope.store.filters import MAX_ID, FilterError, country_code, text_problem


def _usable_text(value: str | None) -> str | None:
    problem = value and text_problem(value)
    if problem:
        raise ValueError(f"the text {problem}")  # pydantic's 422, as for any other value
    return value


# Every free-text parameter: no control characters (NUL broke FTS5 queries: a 500).
Text = AfterValidator(_usable_text)
Since = Annotated[date | None, Query(description="events on or after this day (YYYY-MM-DD)")]
Until = Annotated[date | None, Query(description="events on or before this day")]
Country = Annotated[
    str | None,
    Query(max_length=60, description="the event place's country: ISO code or name"),
    Text,
]
Admin1 = Annotated[str | None, Query(max_length=120, description="first-level region name"), Text]
PlaceQ = Annotated[
    str | None, Query(max_length=120, description="place name (substring) or GeoNames id"), Text
]
TypeQ = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=r"^[A-Za-z_, ]+$",
        description="PLOVER event type(s), comma-separated",
    ),
]
ModeQ = Annotated[
    str | None,
    Query(max_length=200, pattern=r"^[a-z_, -]+$", description="PLOVER mode(s), comma-separated"),
]
Quad = Annotated[int | None, Query(ge=1, le=4, description="quad class 1-4")]
ActorQ = Annotated[
    str | None, Query(max_length=120, description="source or target: name or alias substring"), Text
]
# Ids stay within SQLite's 64-bit integers (a larger one could not be looked up: a 500).
ActorId = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="source or target: registry actor id")
]
Role = Annotated[str | None, Query(pattern="^(source|target)$", description="narrows actor")]
ActorCountry = Annotated[
    str | None, Query(max_length=60, description="a source's or target's country"), Text
]
Modality = Annotated[
    str | None,
    Query(
        pattern="^(factual|" + "|".join(MODALITIES) + ")$",
        description="factual (none) or one modality",
    ),
]
Resolved = Annotated[
    bool,
    Query(
        description="true (the default): resolved events, one per real event across its "
        "reports; false: each report's event mentions"
    ),
]
MinConf = Annotated[float, Query(ge=0, le=1, description="minimum confidence")]
ArticleQ = Annotated[str | None, Query(max_length=64, pattern="^[0-9a-fA-F]+$")]
Search = Annotated[
    str | None, Query(max_length=300, description="words that must all occur in the article"), Text
]
Sort = Annotated[
    str,
    Query(
        pattern="^[-+]?(" + "|".join(SORTS) + ")$",
        description="sort key, '-' first for descending: " + ", ".join(SORTS),
    ),
]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
PAGE_SIZE = 500  # the most items one page may hold
Limit = Annotated[int, Query(ge=1, le=PAGE_SIZE, description=f"page size (at most {PAGE_SIZE})")]


def json_response(data: Any) -> Response:
    """A JSON response serialised by orjson: FastAPI's own encoder takes 130 ms on the
    half-megabyte /stats of 100,000 events, orjson 1 ms."""
    return Response(orjson.dumps(data), media_type="application/json")


def country_param(value: str | None, alpha: int) -> str | None:
    """An ISO code (alpha-2 or -3) or country name as the alpha-`alpha` code, or 422."""
    try:
        return country_code(value, alpha=alpha)
    except FilterError as exc:
        raise HTTPException(422, exc.message) from exc


def event_filter(
    since: Since = None,
    until: Until = None,
    country: Country = None,
    admin1: Admin1 = None,
    place: PlaceQ = None,
    type: TypeQ = None,
    mode: ModeQ = None,
    quad_class: Quad = None,
    actor: ActorQ = None,
    actor_id: ActorId = None,
    role: Role = None,
    actor_country: ActorCountry = None,
    modality: Modality = None,
    min_confidence: MinConf = 0.0,
    article: ArticleQ = None,
    q: Search = None,
    resolved: Annotated[
        bool,
        Query(
            description="resolved events (one per real event across its reports, the "
            "default) or false: each report's event mentions"
        ),
    ] = True,
) -> EventFilter:
    """The event filters of /events and /stats, as a FastAPI dependency."""
    try:
        return make_filter(type=type, mode=mode, quad_class=quad_class, since=since,
                           until=until, country=country, admin1=admin1, place=place,
                           actor=actor, actor_id=actor_id, role=role,
                           actor_country=actor_country, modality=modality,
                           min_confidence=min_confidence, article=article, search=q,
                           resolved=resolved)  # fmt: skip
    except FilterError as exc:
        raise HTTPException(422, f"{exc.field}: {exc.message}") from exc


def store_reader(request: Request) -> Iterator[StoreReader]:
    """The store reader of one request (read-only; its queries are interrupted after
    the app's query time, which answers 503)."""
    with request.app.state.readers.reading() as reader:
        yield reader


Filters = Annotated[EventFilter, Depends(event_filter)]
Reader = Annotated[StoreReader, Depends(store_reader)]
