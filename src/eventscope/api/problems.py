"""Errors as RFC 9457 problem details (`application/problem+json`), for every error the
app answers: HTTP errors, invalid parameters, slow queries and crashes (logged, with
nothing of the inside in the answer)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventscope.store import QueryTimeout

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    421: "Misdirected request",
    422: "Invalid parameter",
    503: "Query too slow",
}


def problem(status: int, title: str, detail: Any = None, **extra: Any) -> JSONResponse:
    """A problem-details answer."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse({**body, **extra}, status_code=status, media_type=PROBLEM)


async def _http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, TITLES.get(exc.status_code, "Error"), exc.detail)


async def _too_slow(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QueryTimeout)
    return problem(503, TITLES[503], exc.message)


def crashed(request: Request) -> JSONResponse:
    """The answer to an exception nothing else handled (logged here, with its traceback)."""
    log.exception("request %s failed", request.url.path)
    return problem(500, "Internal error", "the server failed on this request (logged)")


async def _crashed(request: Request, exc: Exception) -> JSONResponse:
    return crashed(request)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
            "in": (e.get("loc") or ("query",))[0],
            "message": e.get("msg"),
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"parameter": None, "message": "invalid request"}
    return problem(422, TITLES[422], f"{first['parameter']}: {first['message']}", errors=errors)


def add_problem_handlers(app: FastAPI) -> None:
    """Answer every error of `app` with problem details."""
    app.add_exception_handler(StarletteHTTPException, _http_problem)
    app.add_exception_handler(QueryTimeout, _too_slow)
    app.add_exception_handler(Exception, _crashed)
    app.add_exception_handler(RequestValidationError, _invalid)
