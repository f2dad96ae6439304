"""The guard in front of every request: the body size cap, the token, and the headers
that keep the dashboard's pages from running anything but this server's scripts.

With a token, every request must carry it: `Authorization: Bearer T`, or the cookie that
`?token=T` sets once (for a browser opening the dashboard)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from .problems import TITLES, problem

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


def _check_token(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    if given.lower().startswith("bearer "):
        return secrets.compare_digest(given[7:].strip().encode(), token.encode())
    for candidate in (request.cookies.get(COOKIE), request.query_params.get("token")):
        if candidate and secrets.compare_digest(candidate.encode(), token.encode()):
            return True
    return False


def add_guard(app: FastAPI, *, body_bytes: int, token: str | None) -> None:
    """Cap request bodies at `body_bytes`, require `token` (when given), set the headers."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if (length and (not length.isdigit() or int(length) > body_bytes)) or (
            "transfer-encoding" in request.headers
        ):
            return problem(413, TITLES[413], f"bodies are limited to {body_bytes} bytes")
        if token and not _check_token(request, token):
            refused = problem(
                401,
                TITLES[401],
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
