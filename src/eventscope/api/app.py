"""The FastAPI app: the read-only HTTP API over a store, its OpenAPI docs at /docs, and
the dashboard (static files and the front-end libraries installed at set-up).

One router module per resource (events, actors, places, articles, figures, quotes,
store_info, web), each thin over `eventscope.query` and the store reader of the request
(`params.Reader`). Every parameter is validated (FastAPI + pydantic constraints); errors
are RFC 9457 problem details (`problems.py`). Page sizes, request bodies and query time
are capped (`Limits`). The store is opened read-only, one SQLite connection per worker
thread, so ingestion can write (WAL) while the API reads; a token guards every request
when given (`security.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from eventscope import __version__
from eventscope.store import PgReaderPool, PgStore, ReaderPool, prepare_store
from eventscope.store.pg import is_url

from . import actors, articles, events, figures, places, quotes, store_info, stories, web
from .events import StatsCache
from .problems import add_problem_handlers
from .security import add_guard


@dataclass(frozen=True)
class Limits:
    """Caps on what one request may ask for."""

    body_bytes: int = 16_384  # request bodies (the API takes none; headers are capped by uvicorn)
    query_seconds: float = 5.0  # SQLite work per request before it is interrupted
    check_every: int = 20_000  # SQLite VM steps between two looks at the clock
    stats_cache: int = 64  # /stats answers kept (0: none)


def create_app(
    db_path: str | Path,
    *,
    token: str | None = None,
    limits: Limits | None = None,
    hosts: frozenset[str] | None = None,
) -> FastAPI:
    """The app over the store at `db_path` (migrated once here, then read-only); with
    `hosts`, it answers only requests whose Host header names one of them."""
    limits = limits or Limits()
    readers: ReaderPool | PgReaderPool
    if is_url(db_path):
        PgStore(str(db_path)).close()  # created or migrated, for the readers
        readers = PgReaderPool(str(db_path), query_seconds=limits.query_seconds)
    else:
        path = Path(db_path)
        prepare_store(path)  # created or migrated (unless on read-only media), for the readers
        readers = ReaderPool(
            path, query_seconds=limits.query_seconds, check_every=limits.check_every
        )
    app = FastAPI(
        title="eventscope",
        version=__version__,
        description="Events, actors, places, figures and quotes extracted from news reports,"
        " each with the span of the article it comes from.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.readers = readers
    app.state.stats_cache = StatsCache(limits.stats_cache)
    add_guard(app, body_bytes=limits.body_bytes, token=token, hosts=hosts)
    add_problem_handlers(app)
    for module in (events, stories, actors, places, articles, figures, quotes, store_info, web):
        app.include_router(module.router)
    return app
