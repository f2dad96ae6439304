"""The SQLite store: migrations, idempotent writes, search, filters, pandas, WAL readers."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from eventscope.errors import NotFoundError, StoreError
from eventscope.model import (
    Actor,
    Article,
    ArticleRecords,
    Evidence,
    Mention,
    Rejected,
    Span,
    article_id,
)
from eventscope.store import Store, migrations


def make(text: str, day: date, *, language: str = "en", title: str | None = None) -> Article:
    return Article(article_id(text), text, day, title=title, language=language, source="test")


def with_actor(article: Article, name: str) -> ArticleRecords:
    start = article.text.index(name)
    span = Span.of(article.text, start, start + len(name))
    mention = Mention(span, Evidence("test.rule", 0.8))
    return ArticleRecords(article, actors=(Actor("a1", name, "person", (mention,)),))


A = make("Tokayev dismissed the government in Almatí on Wednesday.", date(2022, 1, 5))
B = make("CSTO troops began to leave Kazakhstan on Thursday.", date(2022, 1, 13))
C = make("В Алматы задержаны тысячи человек, сообщило МВД.", date(2022, 1, 10), language="ru")


def test_new_store_is_at_the_latest_schema(store: Store) -> None:
    assert store.schema_version == migrations()[-1][0] >= 1


def test_new_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as first:
        first.write_batch([ArticleRecords(A)])
    with Store(tmp_path / "s.db") as again:
        assert again.stats()["articles"] == 1
        assert again.schema_version == migrations()[-1][0]


def test_store_from_a_newer_eventscope_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 999").connection.close()
    with pytest.raises(StoreError, match=r"E002.*999"):
        Store(path)


def test_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="E002"):
        Store(path)


def test_readonly_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="E002"):
        Store(tmp_path / "missing.db", readonly=True)


def test_write_is_idempotent_and_keeps_records(store: Store) -> None:
    records = with_actor(A, "Tokayev")
    assert store.write_batch([records, ArticleRecords(B)]) == 2
    assert store.write_batch([records]) == 0
    stats = store.stats()
    assert (stats["articles"], stats["actors"]) == (2, 1)
    stored = store.records(A.id)
    assert stored["actors"][0]["mentions"][0]["text"] == "Tokayev"
    assert stored["article"]["text"] == A.text
    assert stored == {**records.to_dict(), "article": stored["article"]}


def test_rejections_are_counted_not_repeated(store: Store) -> None:
    bad = Rejected("x.txt", "W001", "no article text")
    store.write_batch([], [bad])
    store.write_batch([], [bad])
    (row,) = store.rejected()
    assert (row["input_ref"], row["code"], row["times"]) == ("x.txt", "W001", 2)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("almati", {A.id}),  # diacritics folded
        ("Almatí dismissed", {A.id}),  # all words required
        ("troops", {B.id}),
        ("Алматы", {C.id}),
        ('"unbalanced AND (', set()),  # FTS syntax in user input is just words
        ('"', set()),  # nothing but a quote mark finds nothing, not everything
        ("NEAR(tokayev csto) OR *", set()),
    ],
)
def test_full_text_search(store: Store, query: str, expected: set[str]) -> None:
    store.write_batch([ArticleRecords(A), ArticleRecords(B), ArticleRecords(C)])
    assert {a.id for a in store.articles(search=query)} == expected


def test_filters_order_and_pages(store: Store) -> None:
    store.write_batch([ArticleRecords(A), ArticleRecords(B), ArticleRecords(C)])
    assert [a.id for a in store.articles()] == [B.id, C.id, A.id]  # newest first
    assert [a.id for a in store.articles(language="ru")] == [C.id]
    assert [a.id for a in store.articles(since=date(2022, 1, 6))] == [B.id, C.id]
    assert [a.id for a in store.articles(until=date(2022, 1, 9))] == [A.id]
    assert [a.id for a in store.articles(limit=1, offset=1)] == [C.id]


@pytest.mark.parametrize("bad", ["zzzzzzzz", "%%%%%%", "______", "abc"])
def test_article_by_prefix(store: Store, bad: str) -> None:
    store.write_batch([ArticleRecords(A)])
    assert store.article(A.id[:8]).text == A.text
    with pytest.raises(NotFoundError, match="E004"):
        store.article(bad)


@pytest.mark.parametrize("name", ["we#ird.db", "q?x.db", "100%.db"])
def test_odd_file_names_open_read_only(tmp_path: Path, name: str) -> None:
    with Store(tmp_path / name) as writer:
        writer.write_batch([ArticleRecords(A)])
    with Store(tmp_path / name, readonly=True) as reader:
        assert reader.stats()["articles"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(name)) == []


def test_to_pandas(store: Store) -> None:
    store.write_batch([ArticleRecords(A), ArticleRecords(B)])
    frame = store.articles().to_pandas()
    assert list(frame["id"]) == [B.id, A.id]
    assert {"published", "language", "text", "title"} <= set(frame.columns)


def test_reader_sees_committed_data_while_a_writer_is_open(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with Store(path) as writer:
        writer.write_batch([ArticleRecords(A)])
        writer.db.execute("BEGIN IMMEDIATE")
        writer.db.execute(
            "INSERT INTO rejected (input_ref, code, reason, first_seen, last_seen)"
            " VALUES ('y', 'W001', 'r', 'now', 'now')"
        )
        with Store(path, readonly=True) as reader:
            assert reader.stats()["articles"] == 1
            assert reader.stats()["rejected"] == 0  # the open transaction is not visible
        writer.db.execute("ROLLBACK")
