"""The guard in front of every request: the body size cap, the token, and the headers
that keep the dashboard's pages from running anything but this server's scripts.

With a token, every request must carry it: `Authorization: Bearer T`, or the cookie that
`?token=T` sets once (for a browser opening the dashboard).

With `hosts`, a request whose Host header names another host is refused (421): a page of
evil.example whose name is re-pointed at 127.0.0.1 (DNS rebinding) would otherwise read
a token-less loopback server as its own origin."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from .problems import TITLES, crashed, problem

COOKIE = "eventscope_token"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
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


def host_name(header: str) -> str:
    """The host of a Host header, without its port or brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):  # [::1]:8000
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _secured(response: Response, path: str) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP if path == "/docs" else CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def add_guard(
    app: FastAPI, *, body_bytes: int, token: str | None, hosts: frozenset[str] | None = None
) -> None:
    """Answer only for `hosts` (when given), cap request bodies at `body_bytes`, require
    `token` (when given), and set the headers on every answer, refusals and crashes too
    (Starlette answers an unhandled exception outside every middleware: without them)."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if hosts is not None and host_name(request.headers.get("host", "")) not in hosts:
            detail = f"this server answers only for {', '.join(sorted(hosts))}"
            return _secured(problem(421, TITLES[421], detail), path)
        length = request.headers.get("content-length")
        if (length and (not length.isdigit() or int(length) > body_bytes)) or (
            "transfer-encoding" in request.headers
        ):
            refused = problem(413, TITLES[413], f"bodies are limited to {body_bytes} bytes")
            return _secured(refused, path)
        if token and not _check_token(request, token):
            refused = problem(
                401,
                TITLES[401],
                "this server needs its token: send"
                " 'Authorization: Bearer TOKEN' or open /?token=TOKEN once",
            )
            refused.headers["WWW-Authenticate"] = 'Bearer realm="eventscope"'
            return _secured(refused, path)
        head = request.method == "HEAD"
        if head:  # every GET route answers HEAD: the GET's status and headers, no body
            request.scope["method"] = "GET"
        try:
            response = await call_next(request)
        except Exception:  # answered here, inside the guard, so that it gets the headers too
            response = crashed(request)
        if head:
            if hasattr(response, "body_iterator"):  # call_next's (a crash's answer is whole)
                async for _ in response.body_iterator:
                    pass
            response = Response(status_code=response.status_code, headers=response.headers)
        if token and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return _secured(response, path)
