"""The dashboard in a real browser: Debian's Chromium driven by Playwright against
`eventscope serve`'s app on loopback. Each view is loaded, a filter applied, an event and
its article opened, and the content checked; screenshots go to test-artifacts/screens/.
An article full of HTML and script payloads must show as text and run nothing.

`make test` requires these tests (EVENTSCOPE_BROWSER_TESTS=required); run elsewhere
without Chromium they skip.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .webstore import HOSTILE_TITLE, build_store

CHROMIUM = Path(os.environ.get("EVENTSCOPE_CHROMIUM", "/usr/bin/chromium"))
SCREENS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screens"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

if not CHROMIUM.exists():
    if os.environ.get("EVENTSCOPE_BROWSER_TESTS") == "required":
        raise RuntimeError(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is absent", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from eventscope.api import create_app
    from eventscope.api.assets import missing_assets

    assert not missing_assets(), "run `make setup`: the dashboard's libraries are missing"
    db = build_store(tmp_path_factory.mktemp("browser"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))

    def only_here(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:  # no CDN, no tiles, nothing off this server
            outside.append(route.request.url)
            route.abort()

    pg.route("**/*", only_here)
    pg.problems, pg.outside, pg.base = problems, outside, server
    yield pg
    context.close()
    assert not outside, f"requests off the server: {outside}"
    assert not problems, problems


def open_view(pg: Any, hash_: str) -> None:
    pg.goto(pg.base + hash_)
    pg.wait_for_selector("#view[data-state=ready]")


def shot(pg: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENS / f"{name}.png"))


def test_events_table_filter_event_and_article(page: Any) -> None:
    open_view(page, "#/events")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 50
    assert (
        page.locator(".page-info")
        .inner_text()
        .endswith(page.locator("h2").inner_text().split("(")[1].rstrip(")"))
    )
    shot(page, "events")
    page.select_option("#filters select[name=type]", "PROTEST")
    page.fill("#filters input[name=country]", "Kazakhstan")
    page.click("#filters button[type=submit]")
    page.wait_for_function("location.hash.includes('type=PROTEST')")
    page.wait_for_selector("#view[data-state=ready]")
    types = page.locator("#events-table tbody tr td:nth-child(2) a").all_inner_texts()
    assert types and set(types) == {"PROTEST"}
    shot(page, "events-protest-kz")
    page.locator("#events-table tbody tr td:nth-child(2) a").first.click()
    page.wait_for_selector("#event-fields")
    assert page.locator("h2").inner_text().startswith("PROTEST")
    assert page.locator("#evidence mark.hl-event").count() == 1
    event_id = page.locator("h2 .muted").inner_text().split(":")[1]
    shot(page, "event")
    page.click("#event-fields a[href^='#/article/']")
    page.wait_for_selector("#article-text")
    for kind in ("event", "actor", "place", "date"):
        assert page.locator(f"#article-text .hl-{kind}").count() > 0, kind
    page.locator(f"#article-text .hl-event[data-ref={event_id}]").first.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible() and tip.inner_text().startswith("event: PROTEST")
    shot(page, "article")
    place = page.locator("#article-text a.hl-place").first
    assert place.get_attribute("href").startswith("#/events?place=")
    page.locator("#article-text a.hl-actor").first.click()
    page.wait_for_selector("#actor-name")
    assert page.locator("text=As source").count() == 1
    shot(page, "actor")


def test_timeline_map_and_network(page: Any) -> None:
    open_view(page, "#/timeline")
    page.wait_for_selector("#timeline-events svg")
    page.wait_for_selector("#timeline-figures svg")
    assert "Events per day by type" in page.locator("#timeline-events").inner_text()
    shot(page, "timeline")
    bars = page.locator("#timeline-events .mark-rect path")
    assert bars.count() > 20
    bars.nth(bars.count() // 2).click()  # a bar opens that day's events of that type
    page.wait_for_function("location.hash.includes('since=') && location.hash.includes('type=')")
    page.wait_for_selector("#view[data-state=ready]")
    days = set(page.locator("#events-table tbody tr td:first-child").all_inner_texts())
    # that day, and the weeks or months that hold it (the list is of overlapping dates)
    day = page.evaluate("new URLSearchParams(location.hash.split('?')[1]).get('since')")
    assert day in days and all(d == day or len(d) != len(day) for d in days), days
    kinds = page.locator("#events-table tbody tr td:nth-child(2) a").all_inner_texts()
    assert len(set(kinds)) == 1
    open_view(page, "#/map?country=KZ")
    circles = page.locator("#map circle")
    assert circles.count() >= 5
    assert page.locator("#map path.country").count() > 200
    assert page.locator("#map path.country.focus").count() >= 1  # Kazakhstan
    shot(page, "map-kz")
    circles.first.click()
    page.wait_for_function("location.hash.includes('place=')")
    page.wait_for_selector("#view[data-state=ready]")
    assert page.locator("#events-table tbody tr").count() > 0
    open_view(page, "#/network")
    page.wait_for_function(
        "window.eventscopeNetwork && window.eventscopeNetwork.nodes().length > 5"
    )
    shot(page, "network")
    names = page.evaluate("window.eventscopeNetwork.nodes().map(n => n.data('label'))")
    assert "Kassym-Jomart Tokayev" in names
    open_view(page, "#/figures")
    assert page.locator("#figures-table tbody tr").count() > 10
    shot(page, "figures")
    open_view(page, "#/quotes")
    assert page.locator("#quotes-table tbody tr").count() > 10
    shot(page, "quotes")


def test_api_docs_render_from_this_server(page: Any) -> None:
    page.goto(page.base + "docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/events" in paths and "/stats" in paths
    shot(page, "api-docs")


def test_hostile_article_shows_as_text_and_runs_nothing(page: Any) -> None:
    open_view(page, "#/articles?q=city hall witnesses")
    link = page.locator("#articles-table a", has_text="Police detain")
    assert link.count() == 1
    assert link.inner_text() == HOSTILE_TITLE  # the markup is shown, not parsed
    link.click()
    page.wait_for_selector("#article-text")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__xss = 'script'</script>" in text
    assert "onerror=\"window.__xss='img'\"" in text
    assert page.locator("#article-title").inner_text() == HOSTILE_TITLE
    injected = "#view script, #view img, #view iframe, #view svg, #view b, #view [onerror]"
    assert page.locator(injected).count() == 0
    for el in page.locator("#view a[href]").all():
        assert not el.get_attribute("href").lower().startswith("javascript:")
    page.locator("#article-text .hl").first.hover()
    shot(page, "hostile-article")
    open_view(page, "#/events?q=city hall witnesses")
    assert page.locator("#events-table tbody tr").count() > 0
    shot(page, "hostile-events")
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_stories_and_a_story_page_answer_how_many_according_to_whom(page: Any) -> None:
    open_view(page, "#/events")
    assert page.locator("#events-table[data-resolved='1']").count() == 1  # resolved by default
    reports = page.locator("#events-table td.reports").first.inner_text()
    assert "report" in reports and "outlet" in reports
    page.check("#filters input[name=mentions]")
    page.click("#filters button[type=submit]")
    page.wait_for_function("location.hash.includes('mentions=1')")
    page.wait_for_selector("#events-table[data-resolved='0']")
    assert page.locator("h2").inner_text().startswith("Event mentions")
    open_view(page, "#/stories")
    rows = page.locator("#stories-table tbody tr")
    assert rows.count() >= 1
    shot(page, "stories")
    rows.first.locator("a").first.click()
    page.wait_for_selector("#story-figures")
    page.wait_for_selector("#story-charts svg")
    killed = page.locator("#story-figures tr[data-kind=killed]")
    assert killed.count() == 1
    cells = killed.locator("td").all_inner_texts()
    assert cells[1].strip().isdigit() and cells[3] != "—"  # the latest toll, and who gave it
    assert page.locator("#story-charts .chart[data-kind=killed] svg").count() == 1
    assert page.locator("#story-timeline svg").count() == 1
    assert page.locator("#story-events tbody tr").count() > 5
    assert page.locator(".stance-accuses li").count() >= 1
    page.wait_for_selector("#story-map circle")
    assert page.locator("#story-reports li").count() >= 2
    shot(page, "story")
    page.locator("#story-events tbody tr a").first.click()
    page.wait_for_selector("#event-fields")
    assert "its story" in page.locator("#resolved-event").inner_text()
    shot(page, "resolved-event")
