"""/stories and /stories/{id}: the real happenings across reports, and one whole (its
resolved events on a timeline, figure series by reporter, reports, places, claims)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventscope.errors import NotFoundError
from eventscope.store.filters import MAX_ID

from .params import (
    Country,
    Limit,
    Offset,
    Reader,
    Search,
    Since,
    Until,
    country_param,
    json_response,
)

router = APIRouter(tags=["stories"])

StorySort = Annotated[
    str,
    Query(pattern="^[-+]?(articles|date|last|events)$",
          description="articles (reports), date (first report), last, events; '-' descending"),
]  # fmt: skip


@router.get("/stories", summary="Stories: one per real happening, with its reports")
def stories(
    reader: Reader,
    q: Search = None,
    since: Since = None,
    until: Until = None,
    country: Country = None,
    min_articles: Annotated[int, Query(ge=1, le=100_000, description="at least N reports")] = 1,
    sort: StorySort = "-articles",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    total, items = reader.stories(search=q, since=since, until=until,
                                  country=country_param(country, 2), min_articles=min_articles,
                                  sort=sort.lstrip("+"), limit=limit, offset=offset)  # fmt: skip
    return json_response({"total": total, "limit": limit, "offset": offset, "items": items})


@router.get("/stories/{story_id}", summary="One story: events, figure series, reports, claims")
def story(reader: Reader, story_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]) -> Response:
    try:
        return json_response(reader.story(story_id))
    except NotFoundError as exc:
        raise HTTPException(404, f"no story {story_id}") from exc
