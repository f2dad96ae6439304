"""/actors and /actors/{id}: the registry, and one actor with its events and quotes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventscope.errors import NotFoundError
from eventscope.query import actor_page
from eventscope.store.filters import MAX_ID

from .params import ActorCountry, Limit, Offset, Reader, Text, country_param, json_response

router = APIRouter(tags=["actors"])


@router.get("/actors", summary="Actors of the registry, most reported first")
def actors(
    reader: Reader,
    q: Annotated[str | None, Query(max_length=120, description="name or alias"), Text] = None,
    country: ActorCountry = None,
    sector: Annotated[str | None, Query(max_length=12, pattern="^[A-Z]+$")] = None,
    type: Annotated[str | None, Query(max_length=20, pattern="^[a-z_]+$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    items = reader.actors(search=q, country=country_param(country, 3), sector=sector,
                          type=type, limit=limit, offset=offset)  # fmt: skip
    return json_response({"limit": limit, "offset": offset, "items": list(items)})


@router.get(
    "/actors/{actor_id}", summary="One actor: aliases, events as source and as target, quotes"
)
def actor(
    reader: Reader, actor_id: Annotated[int, PathParam(ge=1, le=MAX_ID)], limit: Limit = 50
) -> Response:
    try:
        return json_response(actor_page(reader, actor_id, limit=limit))
    except NotFoundError as exc:
        raise HTTPException(404, f"no actor {actor_id}") from exc
