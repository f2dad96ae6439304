"""The HTTP API on a real store: filters, pagination, details, problem details, limits,
the token, and parameters that try to be SQL."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventscope.api import Limits, create_app
from eventscope.cli import app as cli
from eventscope.store import open_store

from .conftest import BACKENDS
from .webstore import REPO, rules_store_on_backend


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample store on each backend: a SQLite file, or its copy in PostgreSQL."""
    return rules_store_on_backend(request, tmp_path_factory, "api")


def count(db: str, table: str) -> int:
    with open_store(db, readonly=True) as store:
        return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db))


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    return response.json()


def all_events(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = get(client, f"/events?limit=100&offset={len(found)}&{query}")
        found += page["items"]
        if len(found) >= page["total"]:
            return found


def test_pages_cover_every_event_once(client: TestClient, db: str) -> None:
    for query, table in (("resolved=false", "events"), ("", "resolved_events")):
        events = all_events(client, query)
        stored = count(db, table)
        assert len(events) == stored > 100
        assert len({e["ref"] for e in events}) == stored
        dates = [(e["date_start"], e["date_end"]) for e in events if e["date_start"]]
        assert dates == sorted(dates, reverse=True)  # by interval: first day, then last


def test_events_are_resolved_by_default_with_their_reports_and_mentions(
    client: TestClient, db: str
) -> None:
    mentions = get(client, "/events?resolved=false&limit=1")["total"]
    page = get(client, "/events?limit=500&expand=mentions&sort=-date")
    assert 0 < page["total"] < mentions  # fewer real events than report mentions
    items = page["items"]
    assert (
        sum(e["n_mentions"] for e in items)
        == mentions
        == len({r["ref"] for e in items for r in e["mention_rows"]})
    )
    many = [e for e in items if e["n_articles"] > 1]
    assert many, "some event is reported by several articles"
    for e in many:
        assert e["resolved"] and e["story"] >= 1
        assert len(e["mentions"]) == e["n_mentions"] == len(e["mention_rows"])
        assert len({r["article"] for r in e["mention_rows"]}) == e["n_articles"]
        assert e["n_sources"] <= e["n_articles"]
        # named by its first mention, which is one of them
        assert e["ref"] in e["mentions"]
    one = get(client, f"/events/{many[0]['mentions'][-1]}")
    assert one["resolved"]["id"] == many[0]["ref"]


def test_filters_hold_for_every_item(client: TestClient) -> None:
    by_type = all_events(client, "type=PROTEST,ASSAULT")
    assert by_type and {e["type"] for e in by_type} <= {"PROTEST", "ASSAULT"}
    in_kz = get(client, "/events?country=KZ&limit=1")["total"]
    assert in_kz == get(client, "/events?country=Kazakhstan&limit=1")["total"] > 0
    kaz = all_events(client, "country=kaz")
    assert kaz and all(e["place_country"] == "KZ" for e in kaz)
    window = all_events(client, "since=2022-01-05&until=2022-01-06")
    # every event's interval overlaps the window
    assert window and all(e["date_start"] <= "2022-01-06" and e["date_end"] >= "2022-01-05"
                          for e in window)  # fmt: skip
    factual = all_events(client, "modality=factual")
    reported = all_events(client, "modality=reported")
    assert factual and reported
    assert all(not e["modality"] for e in factual)
    assert all("reported" in e["modality"] for e in reported)
    quad = all_events(client, "quad_class=4")
    assert quad and all(e["quad_class"] == 4 for e in quad)
    almaty = all_events(client, "place=Almaty")
    assert almaty and all("Almaty" in e["place"] for e in almaty)
    geonameid = almaty[0]["geonameid"]
    by_id = all_events(client, f"place={geonameid}")
    assert by_id and all(e["geonameid"] == geonameid for e in by_id)
    confident = all_events(client, "min_confidence=0.8")
    assert confident and all(e["confidence"] >= 0.8 for e in confident)


def test_actor_filters_and_actor_page(client: TestClient) -> None:
    [tokayev] = get(client, "/actors?q=Tokayev&type=person&limit=1")["items"]
    as_source = all_events(client, f"actor_id={tokayev['id']}&role=source")
    assert as_source and all(tokayev["id"] in e["source_ids"] for e in as_source)
    by_name = get(client, "/events?actor=Tokayev&role=source&limit=1")["total"]
    assert by_name >= len(as_source)
    page = get(client, f"/actors/{tokayev['id']}")
    assert page["events_as_source"]["total"] == len(as_source)
    as_target = page["events_as_target"]["items"]
    assert as_target and all(tokayev["id"] in e["target_ids"] for e in as_target)
    assert page["quotes"]["total"] > 0
    said = page["quotes"]["items"]
    assert said and all(q["speaker_registry_id"] == tokayev["id"] for q in said)
    assert "Tokayev" in " ".join(page["aliases"])
    get(client, "/actors/999999", 404)


def test_search_is_full_text_over_the_article(client: TestClient) -> None:
    found = all_events(client, "q=Masimov treason&resolved=false")
    assert found
    for ref in {e["article"] for e in found}:
        text = get(client, f"/articles/{ref}")["article"]["text"]
        assert "Masimov" in text and "treason" in text
    for e in all_events(client, "q=Masimov treason"):  # resolved: one of its reports
        texts = [get(client, f"/articles/{m.split(':')[0]}")["article"]["text"]
                 for m in e["mentions"]]  # fmt: skip
        assert any("Masimov" in t and "treason" in t for t in texts)
    assert get(client, "/events?q=zzzqqqxx&limit=1")["total"] == 0


def test_event_detail_cites_its_evidence(client: TestClient) -> None:
    [first] = get(client, "/events?type=ASSAULT&limit=1")["items"]
    event = get(client, f"/events/{first['ref']}")
    sentence, trigger = event["evidence"]["sentence"], event["evidence"]["trigger"]
    assert sentence["start"] <= trigger["start"] < trigger["end"] <= sentence["end"]
    start = trigger["start"] - sentence["start"]
    assert sentence["text"][start : start + len(trigger["text"])] == trigger["text"]
    assert event["evidence"]["rule"] and 0 < event["evidence"]["confidence"] <= 1
    linked = get(client, "/figures?limit=500")["items"]
    with_event = [f for f in linked if f["event"]]
    assert with_event
    f = with_event[0]
    detail = get(client, f"/events/{f['article'][:12]}:{f['event']}")
    assert any(x["span"] == f["span"] for x in detail["figures"])
    get(client, "/events/nocolon", 422)
    get(client, f"/events/{first['article']}:e9999", 404)


def test_article_spans_point_into_its_text(client: TestClient) -> None:
    [item] = get(client, "/articles?q=Zhanaozen&limit=1")["items"]
    assert item["words"] > 50 and "text" not in item
    article = get(client, f"/articles/{item['id'][:10]}")
    text = article["article"]["text"]
    kinds = Counter(s["kind"] for s in article["spans"])
    assert {"actor", "place", "date", "event"} <= set(kinds)
    for span in article["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text) and span["label"]
    for place in article["places"]:
        for m in place["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]


def test_stats_agree_with_the_listing(client: TestClient) -> None:
    stats = get(client, "/stats?country=KZ")
    assert stats["events"] == get(client, "/events?country=KZ&limit=1")["total"]
    assert sum(t["n"] for t in stats["by_type"]) == stats["events"]
    day_dated = [e for e in all_events(client, "country=KZ") if len(e["date"] or "") == 10]
    assert sum(d["n"] for d in stats["per_day"]) == len(day_dated)
    places = stats["per_place"]
    assert places and all(p["country"] == "KZ" and p["lat"] is not None for p in places)
    assert stats["actor_pairs"] and all(p["n"] >= 1 for p in stats["actor_pairs"])
    kinds = {f["kind"] for f in stats["figures_over_time"]}
    assert {"killed", "arrested"} <= kinds


@pytest.mark.parametrize(
    "query",
    [
        "since=2022-01-05", "until=2022-01-06", "country=KZ", "admin1=Almaty", "place=Almaty",
        "place=1526384", "type=PROTEST", "mode=arrest", "quad_class=4", "actor=Tokayev",
        "actor_id=1", "actor=Tokayev&role=target", "actor_country=RUS", "modality=factual",
        "modality=reported", "min_confidence=0.7", "q=Almaty", "article=0",
        "place=Almaty&q=troops&modality=reported&since=2022-01-01&type=COERCE,ASSAULT",
    ],
)  # fmt: skip
def test_every_filter_works_for_listing_and_stats(client: TestClient, query: str) -> None:
    listed = get(client, f"/events?limit=1&{query}")["total"]
    stats = get(client, f"/stats?{query}")
    assert stats["events"] == listed
    assert sum(t["n"] for t in stats["by_type"]) == listed
    assert sum(p["n"] for p in stats["actor_pairs"]) <= listed * 10


def test_stats_are_kept_until_the_store_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventscope.pipeline import ingest
    from eventscope.store import Store
    from eventscope.store.sqlite_read import SqliteReader

    from .webstore import TEXTS

    computed: list[object] = []
    real = SqliteReader.event_stats

    def counted(*args: Any, **kwargs: Any) -> Any:
        computed.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(SqliteReader, "event_stats", counted)
    first, second = sorted(TEXTS.glob("*.txt"))[:2]
    path = tmp_path / "growing.db"
    with Store(path) as store:
        ingest([str(first)], store)
    client = TestClient(create_app(path))
    before = client.get("/stats?country=KZ")
    assert client.get("/stats?country=KZ").content == before.content
    assert len(computed) == 1  # the second answer was kept
    client.get("/stats?country=KZ&type=PROTEST")
    assert len(computed) == 2  # another filter is another answer
    with Store(path) as store:  # another writer, as an ingest beside the server
        ingest([str(second)], store)
    after = client.get("/stats?country=KZ").json()
    assert len(computed) == 3
    assert after["events"] > before.json()["events"]
    assert after["events"] == client.get("/events?country=KZ&limit=1").json()["total"]
    uncached = TestClient(create_app(path, limits=Limits(stats_cache=0)))
    uncached.get("/stats")
    uncached.get("/stats")
    assert len(computed) == 5


def test_figures_quotes_and_places(client: TestClient) -> None:
    killed = get(client, "/figures?kind=killed&limit=100")
    assert killed["total"] > 0 and all(f["kind"] == "killed" for f in killed["items"])
    quotes = get(client, "/quotes?kind=direct&limit=100")
    assert quotes["total"] > 0 and all(q["kind"] == "direct" for q in quotes["items"])
    said = get(client, "/quotes?speaker=Tokayev&limit=100")["items"]
    assert said and all("Tokayev" in (q["speaker_name"] or "") for q in said)
    places = get(client, "/places?country=KZ&limit=100")
    assert places["total"] > 3 and all(p["country"] == "KZ" for p in places["items"])
    assert any(p["name"] == "Almaty" for p in places["items"])


@pytest.mark.parametrize(
    "url",
    [
        "/events?limit=501",
        "/events?limit=0",
        "/events?offset=-1",
        "/events?since=2022-13-01",
        "/events?since=2022-01-09&until=2022-01-01",
        "/events?quad_class=7",
        "/events?modality=maybe",
        "/events?sort=password",
        "/events?type=PROTEST;DROP",
        "/events?country=Atlantis",
        "/events?min_confidence=2",
        "/events?article=xyz%27--",
        "/figures?kind=Killed%20OR%201=1",
        # each of these was a 500 without the security headers (issue 20, item 6)
        "/events?q=%00",
        "/articles?q=%00",
        "/figures?q=%00",
        "/stats?q=%00",
        "/stories?q=a%00b",
        "/events?actor=%01",
        "/events?place=12345678901234567890",
        "/events?actor_id=9223372036854775808",
        "/actors/9223372036854775808",
        "/quotes?speaker_id=9223372036854775808",
        "/stories/9223372036854775808",
        "/static/" + "a" * 300 + ".js",
    ],
)
def test_invalid_parameters_are_problem_details(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["status"] == 422 and body["title"] and body["detail"]


def test_odd_but_valid_values_are_answered(client: TestClient) -> None:
    every = get(client, "/events?limit=1")["total"]
    for url in ("/events?until=9999-12-31", "/events?since=0001-01-01", "/stats?until=9999-12-31"):
        body = get(client, url)
        assert body.get("total", body.get("events")) == every, url
    assert get(client, "/events?place=%C2%B2")["total"] == 0  # a name no place has, not an id
    assert get(client, "/events?place=9223372036854775807")["total"] == 0  # the largest id


def test_input_refs_show_no_folder_of_the_server(client: TestClient) -> None:
    """/info leaves out the store's path; /articles leaves out the input files' folders."""
    items = get(client, "/articles?limit=500")["items"]
    refs = [a["input_ref"] for a in items]
    assert refs and not any("/" in r for r in refs), refs
    assert "2022-01-02-zhanaozen-gas-price-protest.txt" in refs  # the file's name stays
    assert any(r.startswith("hostile.jsonl:") for r in refs)  # and its line
    page = get(client, f"/articles/{items[0]['id']}")
    assert page["article"]["input_ref"] == refs[0]
    assert str(REPO) not in client.get("/articles?limit=500").text


def test_sql_in_free_text_is_only_text(client: TestClient, db: str) -> None:
    before = get(client, "/events?limit=1")["total"]
    for value in ("'; DROP TABLE events; --", '" OR 1=1 --', "%", "_", "\\", "NEAR(a b)"):
        for field in ("q", "actor", "place", "admin1"):
            body = get(client, f"/events?{field}={value}&limit=1")
            assert body["total"] <= before
    assert get(client, "/events?actor=%25&limit=1")["total"] == 0  # % is literal
    assert get(client, "/events?limit=1")["total"] == before
    stored = count(db, "resolved_events")
    assert stored == before


def test_unknown_routes_and_methods_are_problem_details(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    response = client.post("/events", content=b"{}")
    assert response.status_code == 405
    assert client.get("/vendor/vega/../../package.json").status_code == 404


def test_a_failure_inside_is_a_problem_detail_too(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventscope.store.sqlite_read import SqliteReader

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(SqliteReader, "event_stats", broken)
    response = TestClient(create_app(db), raise_server_exceptions=False).get("/stats")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "boom" not in response.text  # nothing of the inside leaks


def test_body_size_is_capped(db: str) -> None:
    small = TestClient(create_app(db, limits=Limits(body_bytes=100)))
    response = small.request("GET", "/events", content=b"x" * 1000)
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_slow_queries_are_interrupted(db: str) -> None:
    hurried = TestClient(create_app(db, limits=Limits(query_seconds=0.0, check_every=100)))
    response = hurried.get("/stats")
    assert response.status_code == 503
    assert "narrow the filters" in response.json()["detail"]


def test_token_guards_every_request(db: str) -> None:
    guarded = TestClient(create_app(db, token="s3cret"))
    for url in ("/events", "/", "/docs", "/openapi.json", "/vendor/vega/vega.min.js"):
        response = guarded.get(url)
        assert response.status_code == 401, url
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert guarded.get("/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/events", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    opened = guarded.get("/?token=s3cret")  # a browser opening the dashboard once
    assert opened.status_code == 200 and "eventscope_token" in opened.headers["set-cookie"]
    assert guarded.get("/events").status_code == 200  # the cookie now carries it


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<main" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    assert page.headers["x-content-type-options"] == "nosniff"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    spec = get(client, "/openapi.json")
    assert {
        "/events",
        "/events/{ref}",
        "/actors",
        "/actors/{actor_id}",
        "/places",
        "/articles/{article_id}",
        "/figures",
        "/quotes",
        "/stats",
    } <= set(spec["paths"])


def test_serve_refuses_other_addresses_without_a_token(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "E009" in result.output and "token" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "E002" in missing.output


def test_stories_list_the_happenings_with_their_reports(client: TestClient, db: str) -> None:
    page = get(client, "/stories?limit=500")
    stored = count(db, "articles")
    assert 1 <= page["total"] < stored  # reports of one happening share a story
    items = page["items"]
    assert sum(s["n_articles"] for s in items) == stored  # every article in one story
    sizes = [s["n_articles"] for s in items]
    assert sizes == sorted(sizes, reverse=True)
    assert get(client, "/stories?min_articles=2")["total"] == sum(1 for n in sizes if n >= 2)
    oldest = get(client, "/stories?sort=date&limit=1")["items"][0]
    assert oldest["first_day"] == min(s["first_day"] for s in items if s["first_day"])
    found = get(client, "/stories?q=Masimov")["items"]
    assert found and all(s["n_articles"] >= 1 for s in found)
    get(client, "/stories?sort=title", 422)
    get(client, "/stories/999999", 404)


def test_a_story_answers_how_many_according_to_whom(client: TestClient) -> None:
    biggest = get(client, "/stories?limit=1")["items"][0]
    story = get(client, f"/stories/{biggest['id']}")
    assert story["n_articles"] == len(story["reports"]) >= 2
    assert {r["id"] for r in story["reports"]} >= {
        m.split(":")[0] for e in story["events"] for m in e["mentions"]
    }
    killed = [s for s in story["series"] if s["kind"] == "killed" and s["group"] == ""]
    assert killed, "the story has a killed total series"
    [total] = killed
    latest = total["latest"]
    # the latest toll is the largest, and it is not a sum over reports
    assert latest["value"] == story["figures"]["killed"] == total["max"]
    assert latest["value"] < sum(p["value"] for p in total["points"])
    assert any(p["status"] == "superseded" for p in total["points"])  # earlier tolls
    assert total["reporters"], "who gave the figures"
    dates = [e["date_start"] for e in story["events"] if e["date_start"]]
    assert dates == sorted(dates)  # a timeline
    assert story["claims"] and {c["stance"] for c in story["claims"]} >= {"accuses"}
    assert story["places"] and all(p["lat"] is not None for p in story["places"])


def test_only_the_served_host_names_are_answered(db: str) -> None:
    """DNS rebinding: a page of evil.example re-pointed at 127.0.0.1 must not read it."""
    from eventscope.api.security import LOOPBACK_HOSTS
    from eventscope.cli.serve import served_hosts

    hosts = served_hosts("127.0.0.1", None, [])
    assert hosts == LOOPBACK_HOSTS
    server = TestClient(create_app(db, hosts=hosts), base_url="http://127.0.0.1:8000")
    for name in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"):
        assert server.get("/info", headers={"host": name}).status_code == 200, name
    for name in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
        refused = server.get("/info", headers={"host": name})
        assert refused.status_code == 421, name
        assert refused.json()["status"] == 421
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in refused.headers["content-security-policy"]
    # --allowed-host adds names; a token alone lets any name through (it guards the store)
    assert "events.lan" in (served_hosts("127.0.0.1", None, ["Events.LAN:8000"]) or set())
    assert served_hosts("0.0.0.0", "s3cret", []) is None
    assert served_hosts("0.0.0.0", "s3cret", ["events.lan"]) == LOOPBACK_HOSTS | {"events.lan"}


def test_refusals_carry_the_security_headers(db: str) -> None:
    unauthorised = TestClient(create_app(db, token="s3cret")).get("/events")
    small = TestClient(create_app(db, limits=Limits(body_bytes=10)))
    too_large = small.request("GET", "/events", content=b"x" * 100)
    for response, status in ((unauthorised, 401), (too_large, 413)):
        assert response.status_code == status
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in response.headers["content-security-policy"]


def test_head_answers_as_get_without_a_body(client: TestClient) -> None:
    for url in ("/events?limit=2", "/info", "/"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["x-content-type-options"] == "nosniff"
    for missing in ("/stories/999999", "/events/nothing-here"):  # refusals keep their status
        assert client.head(missing).status_code == client.get(missing).status_code >= 400
