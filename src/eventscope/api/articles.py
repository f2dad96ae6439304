"""/articles and /articles/{id}: articles newest first, and one article with its text,
every record and every extracted span; each input_ref without the server's folders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventscope.query import article_page, article_summary
from eventscope.store import StoreReader

from .params import Limit, Offset, Reader, Search, Since, Until, json_response

router = APIRouter(tags=["articles"])


def full_article_id(reader: StoreReader, prefix: str) -> str:
    """The id of the one article of this id or prefix, or 404."""
    found = reader.article_ids(prefix)
    if len(found) != 1:
        raise HTTPException(404, f"{'no' if not found else 'more than one'} article {prefix!r}")
    return found[0]


@router.get("/articles", summary="Articles, newest first")
def articles(
    reader: Reader,
    q: Search = None,
    since: Since = None,
    until: Until = None,
    language: Annotated[str | None, Query(pattern="^[a-z]{2,3}$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    found = reader.articles(
        search=q, since=since, until=until, language=language, limit=limit, offset=offset
    )
    items = [article_summary(a, words=True, public=True) for a in found]
    return json_response({"limit": limit, "offset": offset, "items": items})


@router.get(
    "/articles/{article_id}", summary="One article: its text, every record and every extracted span"
)
def article(
    reader: Reader,
    article_id: Annotated[str, PathParam(max_length=64, pattern="^[0-9a-fA-F]+$")],
) -> Response:
    return json_response(article_page(reader, full_article_id(reader, article_id), public=True))
