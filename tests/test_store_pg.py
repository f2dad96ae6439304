"""The PostgreSQL store beyond the tests both backends share (the `store` fixture): the
dialect translation, `eventscope copy` both ways, two ingests at once into one database,
the CLI with a URL, and a clear error when no server answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventscope.errors import StoreError
from eventscope.pipeline import ingest
from eventscope.resolve.run import resolve
from eventscope.store import PgStore, Store, open_store
from eventscope.store.copy import TABLES, copy_store
from eventscope.store.pg import translate

from .conftest import SAMPLE_CORPUS


def test_translation_of_the_sqlite_dialect() -> None:
    keys = {"claims": (("article_id", "quote_seq"), ("story_id", "data"))}
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE ?", {}) == (
        "SELECT * FROM t WHERE a = %s AND b ILIKE %s"
    )
    assert translate("INSERT OR IGNORE INTO t SELECT id, ? FROM u", {}) == (
        "INSERT INTO t SELECT id, %s FROM u ON CONFLICT DO NOTHING"
    )
    assert translate("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)", keys) == (
        "INSERT INTO claims VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, quote_seq)"
        " DO UPDATE SET story_id = EXCLUDED.story_id, data = EXCLUDED.data"
    )
    # a literal keeps its ? and its %; a LIKE pattern's % is doubled for psycopg
    assert translate("SELECT '?', '50%' WHERE x LIKE '%a'", {}) == (
        "SELECT '?', '50%%' WHERE x ILIKE '%%a'"
    )
    assert translate("SELECT json_extract(q.data, '$.content.text') FROM q", {}) == (
        "SELECT ((q.data)::jsonb #>> '{content,text}') FROM q"
    )
    # NULLs where SQLite puts them: first ascending, last descending, in subqueries too
    assert translate("SELECT a FROM t WHERE k IN (SELECT k FROM u ORDER BY f(x, y) LIMIT ?)"
                     " ORDER BY a DESC, b", {}) == (
        "SELECT a FROM t WHERE k IN (SELECT k FROM u ORDER BY f(x, y) NULLS FIRST LIMIT %s)"
        " ORDER BY a DESC NULLS LAST, b NULLS FIRST"
    )  # fmt: skip
    assert translate("SELECT 1 FROM p CROSS JOIN e ea ON ea.x = p.x WHERE +e.id IN (?)", {}) == (
        "SELECT 1 FROM p JOIN e ea ON ea.x = p.x WHERE e.id IN (%s)"
    )


@pytest.fixture(scope="module")
def sample_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested (with its stories) into a SQLite store."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    with Store(path) as store:
        ingest([str(SAMPLE_CORPUS)], store)
    return path


def _everything(store: Store) -> dict[str, Any]:
    """What a reader sees of a store, beyond its location."""
    stats = {k: v for k, v in store.stats().items() if k not in ("path",)}
    articles = sorted(a.id for a in store.articles(limit=10_000))
    return {
        "stats": stats,
        "records": {a: store.records(a) for a in articles},
        "events": list(store.events(limit=10_000)),
        "resolved": list(store.events(resolved=True, limit=10_000)),
        "actors": list(store.actors(limit=10_000)),
        "stories": store.stories(limit=1_000).items,
        "story": [store.story(s["id"]) for s in store.stories(limit=5).items],
        "stats_events": store.event_stats(),
        "figures": store.figures(limit=1_000).items,
        "quotes": store.quotes(limit=1_000).items,
        "places": store.places(limit=1_000).items,
        "search": [a.id for a in store.articles(search="Almaty protest")],
    }


def test_copy_to_postgresql_and_back_is_lossless(
    sample_sqlite: Path, pg_url: str, tmp_path: Path
) -> None:
    with Store(sample_sqlite, readonly=True) as source, PgStore(pg_url) as pg:
        counts = copy_store(source, pg)
        assert set(counts) == set(TABLES) and counts["events"] > 50
        expected = _everything(source)
        assert _everything(pg) == expected
        with Store(tmp_path / "back.db") as back:
            assert copy_store(pg, back) == counts
            assert _everything(back) == expected
        with pytest.raises(StoreError, match=r"E007.*not empty"):
            copy_store(source, pg)


def test_two_ingests_at_once_store_each_article_once(sample_sqlite: Path, pg_url: str) -> None:
    cmd = [sys.executable, "-m", "eventscope", "ingest", str(SAMPLE_CORPUS), "--db", pg_url,
           "--batch-size", "4", "--json"]  # fmt: skip
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    summaries = [json.loads(p.communicate(timeout=600)[0]) for p in runs]
    assert all(p.returncode == 0 for p in runs)
    assert sum(s["stored"] for s in summaries) == summaries[0]["read"]  # split, not doubled
    with open_store(pg_url, readonly=True) as pg, Store(sample_sqlite, readonly=True) as one:
        got, want = pg.stats(), one.stats()
        for table in ("articles", "events", "figures", "quotes", "actors", "actor_registry"):
            assert got[table] == want[table], table
        assert pg.story_assignments().keys() == one.story_assignments().keys()  # each once
        registry = sorted((a["name"], a["articles"]) for a in pg.actors(limit=10_000))
        assert registry == sorted((a["name"], a["articles"]) for a in one.actors(limit=10_000))
    # Which articles were linked first depends on how the two runs interleaved; linked
    # again in canonical order, the stories are those of one ingest.
    with PgStore(pg_url) as pg, Store(sample_sqlite, readonly=True) as one:
        resolve(pg, from_scratch=True)
        assert _partition(pg) == _partition(one)


def _partition(store: Store) -> set[frozenset[str]]:
    stories: dict[int, set[str]] = {}
    for article, story in store.story_assignments().items():
        stories.setdefault(story, set()).add(article)
    return {frozenset(members) for members in stories.values()}


def test_cli_reads_and_writes_a_postgresql_url(pg_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> Any:
        done = subprocess.run([sys.executable, "-m", "eventscope", *args, "--db", pg_url,
                               "--json"], capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    report = tmp_path / "a.txt"
    report.write_text("date 2022-01-05\nPolice detained 20 protesters in Almaty on Wednesday.")
    assert run("ingest", str(report))["stored"] == 1
    info = run("info")
    assert info["articles"] == 1 and info["path"].startswith("postgresql://")
    assert [e["type"] for e in run("events")] == ["COERCE"]
    assert not Path("postgresql:").exists()  # no folder named after the scheme


def test_no_server_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"E002.*cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:9/none")
    done = subprocess.run(
        [sys.executable, "-m", "eventscope", "info", "--db", "postgresql://nobody@127.0.0.1:9/x"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1 and "cannot connect" in done.stderr
    assert not list(tmp_path.iterdir())  # nothing made on disk
