"""Every route of the app's OpenAPI document, fed by Schemathesis with values that fit the
schema and values that do not (derandomized, 40 per route), in-process against
the ASGI app over a small store: no answer is a 500, every refusal is RFC 9457 problem
details, every answer carries the security headers, and none shows the server's folders.

Then the same guarantees for what the schema does not list (the dashboard's files) and for
an unexpected exception inside a route."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, note, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from eventscope.api import create_app

from .webstore import REPO, build_store

# Enough per route to reach its refusals (about 25 s for all on the 2-core machine).
EXAMPLES = 40
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy")  # fmt: skip


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("schema"))


@pytest.fixture(scope="module")
def api_schema(store_path: Path) -> Any:
    # an explicit (empty) config: no schemathesis.toml found on the way changes the run
    config = SchemathesisConfig.from_dict({})
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(store_path), config=config)


def check_answer(status: int, headers: Any, body: bytes, folders: tuple[str, ...]) -> None:
    """What every answer of the API must be, whatever it was asked."""
    assert status < 500, body[:300]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in headers["content-security-policy"]
    if status >= 400:
        assert headers["content-type"].startswith("application/problem+json"), body[:300]
        problem = json.loads(body)
        assert problem["status"] == status and problem["title"] and problem["type"]
    text = body.decode("utf-8", "replace")
    assert not any(folder in text for folder in folders), "the server's folders are shown"


# (Schemathesis's own pytest decorator for a schema from a fixture fails on pytest 9:
# each operation's strategy is run by Hypothesis here instead.)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_route_answers_problem_details_with_the_headers(
    api_schema: Any, store_path: Path, mode: GenerationMode
) -> None:
    folders = (str(REPO), str(store_path.parent))  # where the articles were read from
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {o.path for o in operations} == set(api_schema.raw_schema["paths"])  # every route
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # /info takes nothing that could be wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers(case: Any) -> None:
            response = case.call()
            note(f"{case.method} {response.request.url}")
            headers = {name.lower(): values[-1] for name, values in response.headers.items()}
            check_answer(response.status_code, headers, response.content, folders)

        answers()


@pytest.fixture(scope="module")
def client(store_path: Path) -> TestClient:
    return TestClient(create_app(store_path), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "url",
    ["/static/" + "a" * 300 + ".js", "/static/%00.js", "/static/nothing.js", "/vendor/a/%00",
     "/vendor/vega/../../package.json", "/nowhere"],
)  # fmt: skip
def test_the_dashboards_files_refuse_as_problem_details(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (404, 422), url
    check_answer(response.status_code, response.headers, response.content, ())


def test_an_unexpected_exception_is_a_problem_with_the_headers(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventscope.store.sqlite_read import SqliteReader

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom /secret/path")

    monkeypatch.setattr(SqliteReader, "articles", broken)
    for client in (TestClient(create_app(store_path)), TestClient(create_app(store_path),
                   raise_server_exceptions=False)):  # fmt: skip
        response = client.get("/articles")
        assert response.status_code == 500  # answered, not raised into the client
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json() == {
            "type": "about:blank",
            "title": "Internal error",
            "status": 500,
            "detail": "the server failed on this request (logged)",
        }
        for name in SECURITY_HEADERS:
            assert response.headers[name], name
        assert "boom" not in response.text and "/secret" not in response.text
        head = client.head("/articles")
        assert head.status_code == 500 and head.content == b""
        assert head.headers["x-content-type-options"] == "nosniff"
