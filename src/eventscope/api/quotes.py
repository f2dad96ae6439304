"""/quotes: quotes and claims with their resolved speakers, newest article first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from .params import (
    ActorId,
    ActorQ,
    ArticleQ,
    Limit,
    Offset,
    Reader,
    Since,
    Text,
    Until,
    json_response,
)

router = APIRouter(tags=["quotes"])


@router.get("/quotes", summary="Quotes and claims with resolved speakers")
def quotes(
    reader: Reader,
    speaker: ActorQ = None,
    speaker_id: ActorId = None,
    kind: Annotated[str | None, Query(pattern="^(direct|partial|indirect)$")] = None,
    article: ArticleQ = None,
    q: Annotated[str | None, Query(max_length=300, description="content substring"), Text] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    total, items = reader.quotes(speaker=speaker, speaker_id=speaker_id, kind=kind,
                                 article=article, search=q, since=since, until=until,
                                 limit=limit, offset=offset)  # fmt: skip
    return json_response({"total": total, "limit": limit, "offset": offset, "items": items})
