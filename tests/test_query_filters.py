"""One filter, one meaning: `country` is where the event happened and `actor_country` a
source's or target's, as ISO alpha-2, alpha-3 or name, in `eventscope events`, the
Python `Store`, the HTTP API's /events and `eventscope export` alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventscope.api import create_app
from eventscope.cli import app as cli
from eventscope.errors import EventscopeError
from eventscope.store import open_store

from .conftest import BACKENDS, on_backend
from .webstore import build_store

KAZAKHSTAN = ("KZ", "KAZ", "Kazakhstan", "kazakhstan")


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return on_backend(request, build_store(tmp_path_factory.mktemp("filters")))


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db))


def cli_refs(db: str, *options: str) -> set[str]:
    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--json", "--limit", "10000",
                                      "--mentions", *options])  # fmt: skip
    assert result.exit_code == 0, result.output
    return {e["ref"] for e in json.loads(result.stdout)}


def store_refs(db: str, **filters: str) -> set[str]:
    with open_store(db, readonly=True) as store:
        return {e["ref"] for e in store.events(limit=100_000, **filters)}


def api_refs(client: TestClient, query: str) -> set[str]:
    found: list[str] = []
    while True:
        response = client.get(f"/events?{query}&resolved=false&limit=500&offset={len(found)}")
        assert response.status_code == 200, response.text
        page = response.json()
        found += [e["ref"] for e in page["items"]]
        if len(found) >= page["total"]:
            return set(found)


def export_refs(db: str, out: Path, *options: str) -> set[str]:
    result = CliRunner().invoke(cli, ["export", str(out), "--format", "jsonl", "--db", str(db),
                                      "--mentions", *options])  # fmt: skip
    assert result.exit_code == 0, result.output
    return {json.loads(line)["ref"] for line in out.read_text("utf-8").splitlines()}


def test_country_is_the_event_place_everywhere(db: str, client: TestClient, tmp_path: Path) -> None:
    with open_store(db, readonly=True) as store:
        everything = store.events(limit=100_000)
    in_kz = {e["ref"] for e in everything if e["place_country"] == "KZ"}
    assert in_kz and len(in_kz) < len(everything)
    for given in KAZAKHSTAN:
        assert cli_refs(db, "--country", given) == in_kz, given
        assert store_refs(db, country=given) == in_kz, given
        assert api_refs(client, f"country={given}") == in_kz, given
        assert export_refs(db, tmp_path / "kz.jsonl", "--country", given) == in_kz, given


def test_actor_country_is_a_source_or_target_everywhere(
    db: str, client: TestClient, tmp_path: Path
) -> None:
    with open_store(db, readonly=True) as store:
        everything = store.events(limit=100_000)
    kazakh = {
        e["ref"]
        for e in everything
        if any(code[0] == "KAZ" for code in e["source_codes"] + e["target_codes"])
    }
    in_kz = {e["ref"] for e in everything if e["place_country"] == "KZ"}
    assert kazakh and kazakh != in_kz  # the two filters ask different questions
    for given in KAZAKHSTAN:
        assert cli_refs(db, "--actor-country", given) == kazakh, given
        assert store_refs(db, actor_country=given) == kazakh, given
        assert api_refs(client, f"actor_country={given}") == kazakh, given
        assert export_refs(db, tmp_path / "a.jsonl", "--actor-country", given) == kazakh, given
    both = cli_refs(db, "--country", "KZ", "--actor-country", "KAZ")
    assert both == kazakh & in_kz


def test_an_unknown_country_is_a_clear_error(db: str, client: TestClient) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--country", "Narnia"])
    assert result.exit_code == 1 and "E003" in result.output and "Narnia" in result.output
    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--actor-country", "XX"])
    assert result.exit_code == 1 and "--actor-country" in result.output
    assert client.get("/events?country=Narnia").status_code == 422
    with open_store(db, readonly=True) as store, pytest.raises(EventscopeError, match="E003"):
        store.events(country="Narnia")
