"""/places: resolved places across articles, most reported first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from .params import Admin1, Country, Limit, Offset, Reader, Text, country_param, json_response

router = APIRouter(tags=["places"])


@router.get("/places", summary="Resolved places, most reported first")
def places(
    reader: Reader,
    q: Annotated[str | None, Query(max_length=120, description="name substring"), Text] = None,
    country: Country = None,
    admin1: Admin1 = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    total, items = reader.places(search=q, country=country_param(country, 2), admin1=admin1,
                                 limit=limit, offset=offset)  # fmt: skip
    return json_response({"total": total, "limit": limit, "offset": offset, "items": items})
