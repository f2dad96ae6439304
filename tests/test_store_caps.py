"""Bounded metadata and responses: title, url, source, author and extra fields are cut to
their limits (and named in `truncated`) wherever articles come from, stores made before
are cut by their migration, and a page of events repeats no unbounded text."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from eventscope.api import create_app
from eventscope.model import (
    FIELD_LIMITS,
    Article,
    ArticleRecords,
    Event,
    Evidence,
    Span,
    article_id,
    cap_metadata,
)
from eventscope.pipeline import ingest
from eventscope.store import EventFilter, Store, migrations
from eventscope.store.events import LISTED_SENTENCE_CHARS

BIG = "中" * 20_000  # three bytes each in UTF-8


def test_fields_over_their_limit_are_cut_and_named() -> None:
    text = "Police detained 40 people in Almaty."
    given = Article(article_id(text), text, date(2022, 1, 10), title=BIG, url="h" * 5000,
                    source="s", meta={f"k{i}": "v" * 900 for i in range(80)})  # fmt: skip
    cut = cap_metadata(given)
    assert len(cut.title or "") == FIELD_LIMITS["title"] and (cut.title or "").endswith("…")
    assert len(cut.url or "") == FIELD_LIMITS["url"] and cut.source == "s"
    assert len(cut.meta) == 50 and {len(v) for v in cut.meta.values()} == {500}
    assert cut.truncated == ("title", "url", "meta")
    assert cut.to_dict()["truncated"] == ["title", "url", "meta"]
    fine = Article(article_id(text), text, date(2022, 1, 10), title="Almaty")
    assert cap_metadata(fine) is fine


def test_an_ingested_article_with_huge_metadata_gives_small_pages(tmp_path: Path) -> None:
    sentences = [f"Police arrested {n} protesters in Almaty." for n in range(2, 32)]
    record = {
        "title": BIG,
        "url": "https://x.example/" + "a" * 50_000,
        "source": "w " * 2000,
        "author": "Ann " * 2000,
        "date": "2022-01-10",
        "text": " ".join(sentences),
    }
    (tmp_path / "big.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        summary = ingest([str(tmp_path / "big.json")], store)
        assert summary.stored == 1
        (article,) = store.articles()
        assert article.truncated == ("title", "url", "source", "author")
        assert [len(getattr(article, f) or "") for f in FIELD_LIMITS] == list(FIELD_LIMITS.values())
        n_events = store.count_events(resolved=False)
    assert n_events >= 20
    client = TestClient(create_app(tmp_path / "s.db"))
    page = client.get("/events", params={"resolved": "false", "limit": 300})
    assert page.status_code == 200 and len(page.json()["items"]) == n_events
    assert len(page.content) / n_events < 12_000  # was 60,000+ a row: the title alone
    assert client.get(f"/articles/{article.id}").json()["article"]["truncated"][0] == "title"


def test_a_version_5_store_has_its_metadata_and_story_titles_cut(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    db = sqlite3.connect(path)
    for version, sql in migrations()[:5]:
        db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.execute(
        "INSERT INTO articles (id, published, language, title, url, ingested_at, n_words, text)"
        " VALUES ('abcdef123456', '2022-01-11', 'en', ?, 'https://x.example/a', '2022-01-11',"
        " 1, 'x')",
        ("Almaty protest " * 2000,),
    )
    db.execute("INSERT INTO stories (title, data) VALUES (?, ?)", (BIG, json.dumps({"title": BIG})))
    db.commit()
    db.close()
    with Store(path) as store:
        article = store.article("abcdef123456")
        assert len(article.title or "") == FIELD_LIMITS["title"] and article.truncated == ("title",)
        assert article.url == "https://x.example/a"
        title, data = store.db.execute("SELECT title, data FROM stories").fetchone()
        assert len(title) == len(json.loads(data)["title"]) == FIELD_LIMITS["title"]
        assert store.articles(search="protest")  # the full-text index follows the cut title


def test_a_listed_event_carries_its_sentence_cut_around_the_trigger(store: Store) -> None:
    text = "word " * 3000 + "Police detained forty people " + "word " * 3000 + "."
    at = text.index("detained")
    event = Event("e1", "COERCE", Span.of(text, at, at + 8),
                  Evidence("test.rule", 0.9, Span.of(text, 0, len(text))))  # fmt: skip
    article = Article(article_id(text), text, date(2022, 1, 10), language="en")
    store.write_batch([ArticleRecords(article, events=(event,))])
    (row,) = store.events(resolved=False)
    sentence = row["sentence"]
    assert sentence["truncated"] and len(sentence["text"]) == LISTED_SENTENCE_CHARS
    assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    assert sentence["start"] < at < sentence["end"]
    whole = store.event(row["ref"])["evidence"]["sentence"]
    assert len(whole["text"]) == len(text)  # the event itself, and exports, give it whole
    (exported,) = next(store.iter_events(EventFilter(resolved=False)))
    assert len(exported["sentence"]["text"]) == len(text)
