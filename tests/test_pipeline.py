"""The pipeline and the Python API: extract one text, ingest into a store, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import eventscope
from eventscope.errors import InputError
from eventscope.nlp.lang import detect_language, normalise_language
from eventscope.nlp.parse import english_components
from eventscope.store import Store

from .conftest import REPORT, write


def test_extract_returns_records_with_spans_into_the_text() -> None:
    records = eventscope.extract(REPORT, published="2022-01-05", source="test")
    assert records.article.published == date(2022, 1, 5)
    assert records.article.language == "en"
    names = {a.name for a in records.actors}
    assert "Kassym-Jomart Tokayev" in names
    for actor in records.actors:
        for mention in actor.mentions:
            assert REPORT[mention.span.start : mention.span.end] == mention.span.text
            assert mention.evidence.rule and 0 < mention.evidence.confidence <= 1
            sentence = mention.evidence.sentence
            assert sentence and sentence.start <= mention.span.start < sentence.end
    data = json.loads(records.to_json())
    assert data["article"]["text"] == REPORT


def test_extract_refuses_unusable_input() -> None:
    with pytest.raises(InputError, match=r"E003.*no article text"):
        eventscope.extract("   ", published="2022-01-05")
    with pytest.raises(InputError, match="W005"):
        eventscope.extract(REPORT, published="not a date at all")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (REPORT, "en"),
        ("Президент Казахстана принял отставку правительства после протестов в Алматы.", "ru"),
        ("El presidente de Kazajistán aceptó la dimisión del gobierno tras las protestas.", "es"),
    ],
)
def test_language_detection(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_language_codes_are_normalised() -> None:
    assert [normalise_language(v) for v in ("EN", "en-US", "Russian", "", None)] == [
        "en",
        "en",
        "ru",
        None,
        None,
    ]


def test_only_needed_components_run() -> None:
    assert english_components(["ner"]) == ("ner", "senter", "tok2vec")
    assert "senter" not in english_components(["parser", "ner"])


def test_store_api_ingest_and_query(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", f"date 2022-01-05\n{REPORT}")
    ru = "date 2022-01-06\nВ Алматы продолжаются протесты, власти ввели режим ЧП в городе."
    write(tmp_path / "in" / "b.txt", ru)
    with eventscope.Store(tmp_path / "api.db") as store:
        summary = eventscope.ingest([str(tmp_path / "in")], store)
        assert (summary.read, summary.stored) == (2, 2)
        assert [a.language for a in store.articles()] == ["ru", "en"]
        (english,) = store.articles(search="Tokayev")
        assert store.records(english.id)["actors"]
        russian = store.articles(language="ru")[0]
        assert store.records(russian.id)["actors"] == []  # no Russian extractor yet
        assert len(store.articles().to_pandas()) == 2


def _corpus(path: Path, n: int) -> Path:
    cities = ["Almaty", "Aktau", "Taraz", "Shymkent", "Aktobe", "Oral", "Zhanaozen"]
    lines = []
    for i in range(n):
        city = cities[i % len(cities)]
        text = (
            f"Report {i}: police in {city} detained {10 + i} people on Thursday, the interior "
            f"ministry said. Protesters gathered near the city administration of {city}. {REPORT}"
        )
        lines.append(json.dumps({"text": text, "date": f"2022-01-{1 + i % 20:02d}"}))
    write(path, "\n".join(lines) + "\n")
    return path


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_completes_without_duplicates(tmp_path: Path) -> None:
    n = 240
    corpus = _corpus(tmp_path / "corpus.jsonl", n)
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "eventscope", "ingest", str(corpus), "--db", str(db),
           "--batch-size", "8", "--json"]  # fmt: skip
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < 24 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        runs = con.execute("SELECT status FROM runs").fetchall()
    assert 24 <= partial < n
    assert runs == [("running",)]  # the killed run is visible as unfinished

    rerun = subprocess.run(cmd, capture_output=True, text=True, check=True)
    summary = json.loads(rerun.stdout)
    assert summary["stored"] == n - partial
    assert summary["duplicates"] == partial
    assert summary["read"] == n

    # The resumed store holds exactly what one uninterrupted run stores.
    with Store(tmp_path / "clean.db") as clean:
        eventscope.ingest([str(corpus)], clean, batch_size=8)
        expected = clean.stats()
    with Store(db) as resumed:
        got = resumed.stats()
        mentions = resumed.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        clean_mentions = sqlite3.connect(tmp_path / "clean.db").execute(
            "SELECT count(*) FROM mentions"
        )
    assert mentions == clean_mentions.fetchone()[0]
    for key in ("articles", "actors", "words", "published_from", "published_to", "languages"):
        assert got[key] == expected[key], key


@pytest.mark.slow
def test_worker_processes_store_the_same_records(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 60)
    stats = []
    for n_process in (1, 2):
        with Store(tmp_path / f"np{n_process}.db") as store:
            eventscope.ingest([str(corpus)], store, batch_size=8, n_process=n_process)
            stats.append({k: v for k, v in store.stats().items() if k != "path"})
    assert stats[0] == stats[1]
    assert stats[0]["articles"] == 60


def test_stages_run_in_module_order_whatever_was_imported_first() -> None:
    import importlib

    from eventscope.extract import registry

    importlib.import_module("eventscope.extract.places")  # as a test or plugin might, early
    names = [s.name for s in registry.stages_for()]
    assert names[: len(registry.STAGE_MODULES)] == list(registry.STAGE_MODULES)


# A person the shipped KB does not know, coded only by the extra KB file below.
UNKNOWN = "date 2022-01-05\nAigerim Zhumabekova, the spokeswoman, spoke to reporters in Almaty."
EXTRA_KB = """people:
  - name: Aigerim Zhumabekova
    country: KAZ
    roles:
      - {title: Minister, sector: GOV, from: 2020-01-01, to: null}
"""


def test_the_knowledge_base_is_passed_not_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventscope.kb.knowledge import KnowledgeBase

    extra = write(tmp_path / "kb.yaml", EXTRA_KB)
    text = UNKNOWN.split("\n", 1)[1]
    monkeypatch.delenv("EVENTSCOPE_KB", raising=False)
    given = eventscope.extract(text, published="2022-01-05", kb=KnowledgeBase.of([extra]))
    coded = {a.name: (a.country, a.sector) for a in given.actors}
    assert coded["Aigerim Zhumabekova"] == ("KAZ", "GOV")
    monkeypatch.setenv("EVENTSCOPE_KB", str(extra))  # the library ignores it
    shipped = eventscope.extract(text, published="2022-01-05")
    assert {a.name: a.country for a in shipped.actors}.get("Aigerim Zhumabekova") != "KAZ"


def test_the_cli_passes_the_kb_of_its_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from eventscope.cli import app

    extra = write(tmp_path / "kb.yaml", EXTRA_KB)
    path = write(tmp_path / "a.txt", UNKNOWN)
    monkeypatch.setenv("EVENTSCOPE_KB", str(extra))
    result = CliRunner().invoke(app, ["extract", str(path), "--json"], catch_exceptions=False)
    coded = {a["name"]: (a["country"], a["sector"]) for a in json.loads(result.output)["actors"]}
    assert coded.get("Aigerim Zhumabekova") == ("KAZ", "GOV")


# Events, figures, quotes and the country actors they create: what a shared index holds.
SECOND = (
    "Russian troops arrived in Almaty on Thursday, the Kazakh interior ministry said. "
    "Police detained 40 protesters and two officers were killed. "
    '"We will restore order," Tokayev said. Aid was sent to Kyrgyzstan.'
)


def test_an_article_gives_the_same_records_alone_and_after_another() -> None:
    from eventscope.pipeline import extract_batch
    from eventscope.sources import ReadOptions
    from eventscope.sources.base import make_article

    def article(text: str, ref: str) -> eventscope.Article:
        opts = ReadOptions(min_chars=1)
        return make_article(text, input_ref=ref, opts=opts, published="2022-01-06")

    first, second = article(REPORT, "first"), article(SECOND, "second")
    alone = extract_batch([second])[0]
    after = extract_batch([first, second])[1]
    assert isinstance(alone, eventscope.ArticleRecords)
    assert isinstance(after, eventscope.ArticleRecords)
    assert alone.events and alone.figures and alone.quotes
    assert alone.actors[0].id == "a1"
    assert after.to_dict() == alone.to_dict()


def test_each_article_gets_its_own_context() -> None:
    from eventscope.extract import registry
    from eventscope.extract.context import ArticleContext
    from eventscope.pipeline import extract_batch
    from eventscope.sources import ReadOptions
    from eventscope.sources.base import make_article

    seen: list[tuple[ArticleContext, int]] = []

    def probe(ctx: ArticleContext, records: eventscope.ArticleRecords) -> eventscope.ArticleRecords:
        seen.append((ctx, len(ctx.index(records).actors.actors)))
        return records

    registry.register("context-probe", reads=("actors",))(probe)
    try:
        opts = ReadOptions(min_chars=1)
        texts = [REPORT, SECOND]
        articles = [make_article(t, input_ref=str(k), opts=opts, published="2022-01-06")
                    for k, t in enumerate(texts)]  # fmt: skip
        results = extract_batch(articles, stages=registry.stages_for())
    finally:
        del registry.STAGES["context-probe"]
    assert [ctx.parsed.article.id for ctx, _ in seen] == [a.id for a in articles]
    assert seen[0][0] is not seen[1][0]
    # each index holds its own article's actors (as found before events added any)
    for (_, indexed), result in zip(seen, results, strict=True):
        assert isinstance(result, eventscope.ArticleRecords)
        assert 0 < indexed <= len(result.actors)
