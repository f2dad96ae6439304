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


def test_a_version_2_store_gets_the_event_filter_columns(tmp_path: Path) -> None:
    from eventscope.store.events import EventFilter

    path = tmp_path / "v2.db"
    db = sqlite3.connect(path)
    for version, sql in migrations()[:2]:
        db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.execute(
        "INSERT INTO articles (id, published, language, ingested_at, n_words, text)"
        " VALUES ('abcdef123456', '2022-01-06', 'en', '2022-01-06T10:00:00+00:00', 5,"
        " 'Police fired on protesters.')"
    )
    db.execute(
        "INSERT INTO actor_registry (id, key, name, type, country) VALUES"
        " (7, 'group:KAZ:police', 'police', 'group', 'KAZ')"
    )
    db.execute(
        "INSERT INTO actors VALUES ('abcdef123456', 'a1', 'police', 'group', 'KAZ', 'COP', '{}', 7)"
    )
    db.execute(
        "INSERT INTO places VALUES ('abcdef123456', 'p1', 'Almaty', 1526384, 'P.PPL', 'KZ',"
        " 'Almaty', 43.25, 76.91, '{}')"
    )
    event = {"quad_class": 4, "modality": ["reported"]}
    db.execute(
        "INSERT INTO events VALUES ('abcdef123456', 'e1', 'ASSAULT', 'firearms', '190',"
        " '2022-01-05', 'p1', 0.8, 'events.verb.fire', ?)",
        (json.dumps(event),),
    )
    db.execute("INSERT INTO event_actors VALUES ('abcdef123456', 'e1', 'source', 'a1')")
    db.execute(
        "INSERT INTO figures VALUES ('abcdef123456', 0, 'killed', 3, 'exact', NULL, 'e1', '{}')"
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == migrations()[-1][0] >= 3
        row = store.db.execute(
            "SELECT quad_class, factual, country, admin1, geonameid FROM events"
        ).fetchone()
        assert tuple(row) == (4, 0, "KZ", "Almaty", 1526384)
        assert store.db.execute("SELECT registry_id FROM event_actors").fetchone()[0] == 7
        assert store.db.execute("SELECT day FROM figures").fetchone()[0] == "2022-01-06"
        found = store.events(EventFilter(country="KZ", quad_class=4, actor_id=7,
                                         modality="reported"))  # fmt: skip
        assert [e["ref"] for e in found] == ["abcdef123456:e1"]
        assert len(store.event("abcdef123456:e1")["figures"]) == 1


BOTH = _article(
    "Kassym-Jomart Tokayev, or Kasim-Zhomart Tokáyev as some spell it, spoke.",
    date(2022, 1, 11),
    "Kassym-Jomart Tokayev",
    "Kasim-Zhomart Tokáyev",
)


def test_an_article_naming_one_actor_in_two_forms_counts_once(store: Store) -> None:
    store.write_batch([BOTH, SECOND])
    (tokayev,) = store.actors()
    assert (tokayev["articles"], tokayev["mentions"]) == (2, 3)
    assert len({a["article"] for a in store.actor(tokayev["id"])["in_articles"]}) == 2


def test_a_version_5_store_gets_its_article_counts_by_article(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    db = sqlite3.connect(path)
    for version, sql in migrations()[:5]:
        db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.execute(
        "INSERT INTO articles (id, published, language, ingested_at, n_words, text)"
        " VALUES ('abcdef123456', '2022-01-11', 'en', '2022-01-11T10:00:00+00:00', 9, 'x')"
    )
    # version 5 counted each of the article's two rows of entry 7
    db.execute("INSERT INTO actor_registry (id, key, name, articles) VALUES (7, 'k', 'T', 2)")
    for local in ("a1", "a2"):
        db.execute("INSERT INTO actors VALUES ('abcdef123456', ?, 'T', 'person', NULL, NULL,"
                   " '{}', 7)", (local,))  # fmt: skip
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.actors()[0]["articles"] == 1
