"""/events, /events/{ref} and /stats: events matching every filter, one event with its
evidence, and the dashboard's aggregates (kept per filter until the store grows)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventscope.errors import NotFoundError
from eventscope.query import events_page
from eventscope.store import EventFilter

from .articles import full_article_id
from .params import Filters, Limit, Offset, Reader, Sort, json_response

router = APIRouter(tags=["events"])


class StatsCache:
    """/stats answers by filter, kept while the store holds the same events and figures
    (`StoreReader.generation`); the oldest goes first beyond `size` answers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.answers: dict[tuple[EventFilter, int], tuple[tuple[Any, ...], bytes]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[EventFilter, int], generation: tuple[Any, ...]) -> bytes | None:
        with self.lock:
            hit = self.answers.get(key)
        return hit[1] if hit is not None and hit[0] == generation else None

    def put(self, key: tuple[EventFilter, int], generation: tuple[Any, ...], body: bytes) -> None:
        if not self.size:
            return
        with self.lock:
            self.answers[key] = (generation, body)
            while len(self.answers) > self.size:
                self.answers.pop(next(iter(self.answers)))


def _split_ref(ref: str) -> tuple[str, str]:
    article, sep, local = ref.partition(":")
    if not sep or not article or not local:
        raise HTTPException(422, "an event ref is ARTICLE:EVENT, e.g. 3f9a2c41d0b7:e2")
    return article, local


@router.get("/events", summary="Events matching every filter, one page")
def events(
    reader: Reader,
    f: Filters,
    sort: Sort = "-date",
    limit: Limit = 50,
    offset: Offset = 0,
    expand: Annotated[
        str | None, Query(pattern="^mentions$", description="mentions: each resolved event's")
    ] = None,
) -> Response:
    page = events_page(reader, f, sort=sort, limit=limit, offset=offset)
    if expand == "mentions" and f.resolved:
        for item in page["items"]:
            item["mention_rows"] = reader.mention_rows(item.get("mentions") or [])
    return json_response(page)


@router.get("/events/{ref}", summary="One event with its evidence, figures and quotes")
def event(reader: Reader, ref: Annotated[str, PathParam(max_length=80)]) -> Response:
    prefix, local = _split_ref(ref)
    full = full_article_id(reader, prefix)
    try:
        return json_response(reader.event(f"{full}:{local}"))
    except NotFoundError as exc:
        raise HTTPException(404, f"no event {ref!r}") from exc


@router.get(
    "/stats", summary="Events per day by type, per place, per actor pair; figures over time"
)
def stats(
    request: Request,
    reader: Reader,
    f: Filters,
    top: Annotated[int, Query(ge=1, le=1000, description="places and pairs kept")] = 200,
) -> Response:
    cache: StatsCache = request.app.state.stats_cache
    generation = reader.generation()
    key = (f, top)
    body = cache.get(key, generation)
    if body is None:
        body = orjson.dumps(reader.event_stats(f, top=top))
        cache.put(key, generation, body)
    return Response(body, media_type="application/json")
