"""/figures: casualty, arrest and other figures across articles, latest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from .params import (
    ArticleQ,
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

router = APIRouter(tags=["figures"])


@router.get("/figures", summary="Casualty, arrest and other figures")
def figures(
    reader: Reader,
    kind: Annotated[str | None, Query(max_length=30, pattern="^[a-z_]+$")] = None,
    since: Since = None,
    until: Until = None,
    country: Country = None,
    article: ArticleQ = None,
    event: Annotated[str | None, Query(max_length=20, pattern="^[a-z0-9]+$")] = None,
    q: Search = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    total, items = reader.figures(kind=kind, since=since, until=until,
                                  country=country_param(country, 2), article=article,
                                  event=event, search=q, limit=limit, offset=offset)  # fmt: skip
    return json_response({"total": total, "limit": limit, "offset": offset, "items": items})
