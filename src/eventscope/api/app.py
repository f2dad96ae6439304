"""The FastAPI app: the read-only HTTP API over a store, its OpenAPI docs at /docs, and
the dashboard (static files and the front-end libraries installed at set-up).

Every parameter is validated (FastAPI + pydantic constraints); errors are RFC 9457
problem details (`application/problem+json`). Page sizes, request bodies and query time
are capped (`Limits`). The store is opened read-only, one SQLite connection per worker
thread, so ingestion can write (WAL) while the API reads. With a token, every request
must carry it: `Authorization: Bearer T`, or the cookie that `?token=T` sets once (for a
browser opening the dashboard).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventscope import __version__
from eventscope.explain import article_spans
from eventscope.kb.countries import country_index
from eventscope.model import word_count
from eventscope.store import Store
from eventscope.store.browse import event_stats, find_figures, find_places, find_quotes
from eventscope.store.events import (
    MODALITIES,
    SORTS,
    EventFilter,
    count_events,
    get_event,
    list_events,
)
from eventscope.store.registry import find_actors, get_actor

from .assets import ASSETS, STATIC, asset_path

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
COOKIE = "eventscope_token"
# The dashboard's policy: scripts only from this server (vega compiles its expressions
# with Function, hence 'unsafe-eval'; no inline script can run), no plugins, no framing.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none';"
    " frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI starts from an inline script of FastAPI's page.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


@dataclass(frozen=True)
class Limits:
    """Caps on what one request may ask for."""

    body_bytes: int = 16_384  # request bodies (the API takes none; headers are capped by uvicorn)
    query_seconds: float = 5.0  # SQLite work per request before it is interrupted
    check_every: int = 20_000  # SQLite VM steps between two looks at the clock
    stats_cache: int = 64  # /stats answers kept (0: none)


class _Connections:
    """One read-only connection per thread, with a per-request deadline."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.local = threading.local()

    def _open(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        db.row_factory = sqlite3.Row
        local = self.local

        def over_time() -> int:
            return int(time.monotonic() > getattr(local, "deadline", float("inf")))

        db.set_progress_handler(over_time, self.limits.check_every)
        return db

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        db = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = self._open()
        self.local.deadline = time.monotonic() + self.limits.query_seconds
        try:
            yield db
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise HTTPException(
                    503,
                    f"the query took longer than {self.limits.query_seconds:g} s; "
                    "narrow the filters",
                ) from exc
            raise
        finally:
            self.local.deadline = float("inf")


_GENERATION = "SELECT (SELECT max(rowid) FROM events), (SELECT max(rowid) FROM figures)"


def _json(data: Any) -> Response:
    """A JSON response serialised by orjson: FastAPI's own encoder takes 130 ms on the
    half-megabyte /stats of 100,000 events, orjson 1 ms."""
    return Response(orjson.dumps(data), media_type="application/json")


def _problem(status: int, title: str, detail: Any = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse({**body, **extra}, status_code=status, media_type=PROBLEM)


_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    422: "Invalid parameter",
    503: "Query too slow",
}


def _country_code(value: str | None, alpha: int) -> str | None:
    """An ISO code (alpha-2 or -3) or country name as the alpha-`alpha` code, or 422."""
    if not value:
        return None
    index = country_index()
    found = index.given(value)
    if found is None:
        raise HTTPException(422, f"unknown country {value!r}: give an ISO code or a name")
    return found.iso2 if alpha == 2 else found.iso3


def _split_ref(ref: str) -> tuple[str, str]:
    article, sep, local = ref.partition(":")
    if not sep or not article or not local:
        raise HTTPException(422, "an event ref is ARTICLE:EVENT, e.g. 3f9a2c41d0b7:e2")
    return article, local


def _article_id(db: sqlite3.Connection, prefix: str) -> str:
    rows = db.execute(
        "SELECT id FROM articles WHERE id = ? OR (length(?) >= 6 AND substr(id, 1, length(?)) = ?)"
        " LIMIT 2",
        (prefix, prefix, prefix, prefix.lower()),
    ).fetchall()
    if len(rows) != 1:
        raise HTTPException(404, f"{'no' if not rows else 'more than one'} article {prefix!r}")
    return str(rows[0][0])


# -- query parameters shared by /events, /stats and the exports -------------------------

Since = Annotated[date | None, Query(description="events on or after this day (YYYY-MM-DD)")]
Until = Annotated[date | None, Query(description="events on or before this day")]
Country = Annotated[
    str | None, Query(max_length=60, description="the event place's country: ISO code or name")
]
Admin1 = Annotated[str | None, Query(max_length=120, description="first-level region name")]
PlaceQ = Annotated[
    str | None, Query(max_length=120, description="place name (substring) or GeoNames id")
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
    str | None, Query(max_length=120, description="source or target: name or alias substring")
]
ActorId = Annotated[int | None, Query(ge=1, description="source or target: registry actor id")]
Role = Annotated[str | None, Query(pattern="^(source|target)$", description="narrows actor")]
ActorCountry = Annotated[
    str | None, Query(max_length=60, description="a source's or target's country")
]
Modality = Annotated[
    str | None,
    Query(
        pattern="^(factual|" + "|".join(MODALITIES) + ")$",
        description="factual (none) or one modality",
    ),
]
MinConf = Annotated[float, Query(ge=0, le=1, description="minimum confidence")]
ArticleQ = Annotated[str | None, Query(max_length=64, pattern="^[0-9a-fA-F]+$")]
Search = Annotated[
    str | None, Query(max_length=300, description="words that must all occur in the article")
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
) -> EventFilter:
    """The event filters of /events and /stats, as a FastAPI dependency."""
    if since and until and since > until:
        raise HTTPException(422, "since is after until")
    return EventFilter(
        type=type,
        mode=mode,
        quad_class=quad_class,
        since=since,
        until=until,
        country=_country_code(country, 2),
        admin1=admin1,
        place=place,
        actor=actor,
        actor_id=actor_id,
        role=role,
        actor_country=_country_code(actor_country, 3),
        modality=modality,
        min_confidence=min_confidence,
        article=article,
        search=q,
    )


Filters = Annotated[EventFilter, Depends(event_filter)]


def _check_token(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    if given.lower().startswith("bearer "):
        return secrets.compare_digest(given[7:].strip().encode(), token.encode())
    for candidate in (request.cookies.get(COOKIE), request.query_params.get("token")):
        if candidate and secrets.compare_digest(candidate.encode(), token.encode()):
            return True
    return False


def create_app(
    db_path: str | Path, *, token: str | None = None, limits: Limits | None = None
) -> FastAPI:
    """The app over the store at `db_path` (migrated once here, then read-only)."""
    path = Path(db_path)
    limits = limits or Limits()
    Store(path).close()  # creates or migrates it, so the read-only connections can open
    pool = _Connections(path, limits)
    # /stats answers by filter, kept while the store holds the same events and figures
    # (ingestion only appends rows, so their largest row ids tell a change).
    stats_cache: dict[tuple[EventFilter, int], tuple[tuple[Any, ...], bytes]] = {}
    stats_lock = threading.Lock()
    app = FastAPI(
        title="eventscope",
        version=__version__,
        description="Events, actors, places, figures and quotes extracted from news reports,"
        " each with the span of the article it comes from.",
        docs_url=None,
        redoc_url=None,
    )

    # -- middleware: body size, token, headers --------------------------------------------

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if (length and (not length.isdigit() or int(length) > limits.body_bytes)) or (
            "transfer-encoding" in request.headers
        ):
            return _problem(413, _TITLES[413], f"bodies are limited to {limits.body_bytes} bytes")
        if token and not _check_token(request, token):
            refused = _problem(
                401,
                _TITLES[401],
                "this server needs its token: send"
                " 'Authorization: Bearer TOKEN' or open /?token=TOKEN once",
            )
            refused.headers["WWW-Authenticate"] = 'Bearer realm="eventscope"'
            return refused
        response = await call_next(request)
        if token and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        docs = request.url.path == "/docs"
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), exc.detail)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s failed", request.url.path)
        return _problem(500, "Internal error", "the server failed on this request (logged)")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
                "in": (e.get("loc") or ("query",))[0],
                "message": e.get("msg"),
            }
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"parameter": None, "message": "invalid request"}
        return _problem(
            422, _TITLES[422], f"{first['parameter']}: {first['message']}", errors=errors
        )

    # -- API ----------------------------------------------------------------------------

    @app.get("/events", tags=["events"], summary="Events matching every filter, one page")
    def events(f: Filters, sort: Sort = "-date", limit: Limit = 50, offset: Offset = 0) -> Response:
        with pool.connection() as db:
            items = list_events(db, f, sort=sort, limit=limit, offset=offset)
            total = count_events(db, f)
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get(
        "/events/{ref}", tags=["events"], summary="One event with its evidence, figures and quotes"
    )
    def event(ref: Annotated[str, PathParam(max_length=80)]) -> Response:
        prefix, local = _split_ref(ref)
        with pool.connection() as db:
            found = get_event(db, _article_id(db, prefix), local)
        if found is None:
            raise HTTPException(404, f"no event {ref!r}")
        return _json(found)

    @app.get(
        "/stats",
        tags=["events"],
        summary="Events per day by type, per place, per actor pair; figures over time",
    )
    def stats(
        f: Filters,
        top: Annotated[int, Query(ge=1, le=1000, description="places and pairs kept")] = 200,
    ) -> Response:
        with pool.connection() as db:
            generation = tuple(db.execute(_GENERATION).fetchone())
            key = (f, top)
            with stats_lock:
                hit = stats_cache.get(key)
            if hit is not None and hit[0] == generation:
                return Response(hit[1], media_type="application/json")
            body = orjson.dumps(event_stats(db, f, top=top))
        if limits.stats_cache:
            with stats_lock:
                stats_cache[key] = (generation, body)
                while len(stats_cache) > limits.stats_cache:
                    stats_cache.pop(next(iter(stats_cache)))
        return Response(body, media_type="application/json")

    @app.get("/actors", tags=["actors"], summary="Actors of the registry, most reported first")
    def actors(
        q: Annotated[str | None, Query(max_length=120, description="name or alias")] = None,
        country: ActorCountry = None,
        sector: Annotated[str | None, Query(max_length=12, pattern="^[A-Z]+$")] = None,
        type: Annotated[str | None, Query(max_length=20, pattern="^[a-z_]+$")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        with pool.connection() as db:
            items = find_actors(
                db,
                search=q,
                country=_country_code(country, 3),
                sector=sector,
                type=type,
                limit=limit,
                offset=offset,
            )
        return _json({"limit": limit, "offset": offset, "items": items})

    @app.get(
        "/actors/{actor_id}",
        tags=["actors"],
        summary="One actor: aliases, events as source and as target, quotes",
    )
    def actor(
        actor_id: int,
        limit: Limit = 50,
    ) -> Response:
        with pool.connection() as db:
            found = get_actor(db, actor_id, limit=limit)
            if found is None:
                raise HTTPException(404, f"no actor {actor_id}")
            as_source = EventFilter(actor_id=actor_id, role="source")
            as_target = EventFilter(actor_id=actor_id, role="target")
            found["events_as_source"] = {
                "total": count_events(db, as_source),
                "items": list_events(db, as_source, limit=limit),
            }
            found["events_as_target"] = {
                "total": count_events(db, as_target),
                "items": list_events(db, as_target, limit=limit),
            }
            total, quotes = find_quotes(db, speaker_id=actor_id, limit=limit)
            found["quotes"] = {"total": total, "items": quotes}
        return _json(found)

    @app.get("/places", tags=["places"], summary="Resolved places, most reported first")
    def places(
        q: Annotated[str | None, Query(max_length=120, description="name substring")] = None,
        country: Country = None,
        admin1: Admin1 = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        with pool.connection() as db:
            total, items = find_places(
                db,
                search=q,
                country=_country_code(country, 2),
                admin1=admin1,
                limit=limit,
                offset=offset,
            )
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/articles", tags=["articles"], summary="Articles, newest first")
    def articles(
        q: Search = None,
        since: Since = None,
        until: Until = None,
        language: Annotated[str | None, Query(pattern="^[a-z]{2,3}$")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        with Store(path, readonly=True) as store:
            found = store.articles(
                search=q, since=since, until=until, language=language, limit=limit, offset=offset
            )
        items = [
            {**{k: v for k, v in a.to_dict().items() if k != "text"}, "words": word_count(a.text)}
            for a in found
        ]
        return _json({"limit": limit, "offset": offset, "items": items})

    @app.get(
        "/articles/{article_id}",
        tags=["articles"],
        summary="One article: its text, every record and every extracted span",
    )
    def article(
        article_id: Annotated[str, PathParam(max_length=64, pattern="^[0-9a-fA-F]+$")],
    ) -> Response:
        with pool.connection() as db:
            full = _article_id(db, article_id)
            registry = dict(
                db.execute(
                    "SELECT local_id, registry_id FROM actors WHERE article_id = ?", (full,)
                ).fetchall()
            )
        with Store(path, readonly=True) as store:
            records = store.records(full)
        for a in records["actors"]:
            a["registry_id"] = registry.get(a["id"])
        return _json({**records, "spans": article_spans(records)})

    @app.get("/figures", tags=["figures"], summary="Casualty, arrest and other figures")
    def figures(
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
        with pool.connection() as db:
            total, items = find_figures(
                db,
                kind=kind,
                since=since,
                until=until,
                country=_country_code(country, 2),
                article=article,
                event=event,
                search=q,
                limit=limit,
                offset=offset,
            )
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/quotes", tags=["quotes"], summary="Quotes and claims with resolved speakers")
    def quotes(
        speaker: ActorQ = None,
        speaker_id: ActorId = None,
        kind: Annotated[str | None, Query(pattern="^(direct|partial|indirect)$")] = None,
        article: ArticleQ = None,
        q: Annotated[str | None, Query(max_length=300, description="content substring")] = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        with pool.connection() as db:
            total, items = find_quotes(
                db,
                speaker=speaker,
                speaker_id=speaker_id,
                kind=kind,
                article=article,
                search=q,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            )
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/info", tags=["store"], summary="Counts of everything in the store")
    def info() -> Response:
        with Store(path, readonly=True) as store:
            found = store.stats()
        found.pop("path", None)  # the server's file system is not the client's business
        with pool.connection() as db:
            found["events_by_type"] = dict(
                db.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC")
            )
        return _json(found)

    # -- docs and dashboard ---------------------------------------------------------------

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="eventscope API",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(
        name: Annotated[str, PathParam(pattern=r"^[a-z0-9_-]+\.(js|css|svg)$")],
    ) -> FileResponse:
        file = STATIC / name
        if not file.is_file():
            raise HTTPException(404, f"no file {name}")
        return FileResponse(file)

    @app.get("/vendor/{package}/{name}", include_in_schema=False)
    def vendor(package: str, name: str) -> FileResponse:
        if (package, name) not in ASSETS:
            raise HTTPException(404, f"no asset {package}/{name}")
        file = asset_path(package, name)
        if file is None:
            raise HTTPException(
                404,
                "the dashboard's libraries are not installed: run `make setup` (npm ci in web/)",
            )
        return FileResponse(file, headers={"Cache-Control": "max-age=86400"})

    return app
