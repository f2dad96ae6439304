"""One actor across articles: the registry, its aliases, and the migration that adds it."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from eventscope.errors import NotFoundError
from eventscope.model import Actor, Article, ArticleRecords, Evidence, Mention, Span, article_id
from eventscope.store import Store, migrations


def _article(text: str, day: date, *names: str, country: str | None = "KAZ") -> ArticleRecords:
    article = Article(article_id(text), text, day, language="en")
    actors = []
    for number, name in enumerate(names, start=1):
        start = text.index(name)
        mention = Mention(Span.of(text, start, start + len(name)), Evidence("test", 0.9))
        actors.append(Actor(f"a{number}", name, "person", (mention,), country, "GOV"))
    return ArticleRecords(article, actors=tuple(actors))


FIRST = _article("Kassym-Jomart Tokayev met Putin.", date(2022, 1, 10), "Kassym-Jomart Tokayev")
SECOND = _article("Kasim-Zhomart Tokáyev spoke.", date(2022, 1, 7), "Kasim-Zhomart Tokáyev")
OTHER = _article("Sadyr Japarov stayed away.", date(2022, 1, 10), "Sadyr Japarov", country="KGZ")


def test_spellings_of_one_actor_are_one_registry_entry(store: Store) -> None:
    store.write_batch([FIRST, SECOND, OTHER])
    found = store.actors()
    assert [a["name"] for a in found] == ["Kassym-Jomart Tokayev", "Sadyr Japarov"]
    tokayev = found[0]
    assert tokayev["articles"] == 2 and tokayev["aliases"] == [
        "Kassym-Jomart Tokayev",
        "Kasim-Zhomart Tokáyev",
    ]
    assert (tokayev["first_published"], tokayev["last_published"]) == ("2022-01-07", "2022-01-10")
    detail = store.actor(tokayev["id"])
    assert [a["published"] for a in detail["in_articles"]] == ["2022-01-07", "2022-01-10"]
    assert [a["name"] for a in store.actors(search="zhomart")] == ["Kassym-Jomart Tokayev"]
    assert [a["name"] for a in store.actors(country="KGZ")] == ["Sadyr Japarov"]
    assert store.actors(search="%") == []  # LIKE wildcards in input are literal
    with pytest.raises(NotFoundError, match="E004"):
        store.actor(999)


def test_rewriting_an_article_does_not_count_twice(store: Store) -> None:
    store.write_batch([FIRST])
    store.write_batch([FIRST])
    assert store.actors()[0]["articles"] == 1


def test_a_version_1_store_is_migrated_and_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    version, sql = migrations()[0]
    db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    a = FIRST.article
    db.execute(
        "INSERT INTO articles (id, published, language, ingested_at, n_words, text)"
        " VALUES (?, '2022-01-10', 'en', 'now', 5, ?)",
        (a.id, a.text),
    )
    actor = FIRST.actors[0]
    db.execute(
        "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)",
        (a.id, actor.id, actor.name, "person", "KAZ", "GOV", json.dumps(actor.to_dict())),
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == migrations()[-1][0]
        (entry,) = store.actors()
        assert entry["name"] == "Kassym-Jomart Tokayev" and entry["articles"] == 1
        store.write_batch([SECOND])
        assert store.actors()[0]["articles"] == 2
