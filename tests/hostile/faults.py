"""What the fault tests share: a small corpus in every input format (written at test
time, out of publication order, with rejections and a duplicate), the `eventscope ingest`
command they run, and a canonical dump of a store's records to compare two stores by.

The dump leaves out what differs between two runs of the same inputs by nature: run
ids and times (`ingested_at`, `first_seen`, the runs table), the number of times an input
was rejected (a re-run reads a rejected input again), and autoincrement ids (the registry's
and the stories'), which are replaced by what they stand for: a registry actor by its key,
a story by the sorted ids of its articles.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPORT, write
from tests.stories_corpus import write_corpus as write_stories

CITIES = ["Almaty", "Aktau", "Taraz", "Shymkent", "Aktobe", "Oral", "Zhanaozen", "Atyrau"]
OFFICIALS = ["Askar Mamin", "Nurlan Nogayev", "Erlan Karin", "Yerzhan Babakumarov"]


def _body(i: int) -> str:
    """A short report, different for each `i` (so each is its own article)."""
    city, official = CITIES[i % len(CITIES)], OFFICIALS[i % len(OFFICIALS)]
    return (
        f"Police in {city} detained {12 + i} protesters on Thursday after a rally against fuel "
        f"prices, the interior ministry said. At least {2 + i % 5} people were killed and "
        f"{20 + 3 * i} injured in clashes near the city administration, according to the "
        f'health ministry. "We will not allow disorder in {city}," regional governor {official} '
        f"told reporters. Protesters blocked the main road to {city} airport. {REPORT}"
    )


def _day(i: int) -> str:
    return f"2022-01-{2 + (i * 7) % 19:02d}"  # not in reading order: batches mix the days


def write_fault_corpus(folder: Path) -> Path:
    """About forty articles under `folder` in text, JSON Lines, CSV, HTML and RSS, with
    the story corpus's reports, three rejected inputs and one duplicate; returns it."""
    i = 0
    for _ in range(8):
        title = f"Unrest in {CITIES[i % len(CITIES)]}, report {i}"
        write(folder / "text" / f"{i:02d}.txt", f"date {_day(i)}\n{title}\n\n{_body(i)}\n")
        i += 1
    rows = ["date,title,source,text"]
    for _ in range(8):
        rows.append(f'{_day(i)},Report {i},Steppe Wire,"{_body(i).replace(chr(34), chr(34) * 2)}"')
        i += 1
    write(folder / "wire.csv", "\n".join(rows) + "\n")
    for _ in range(4):
        page = (
            f"<!DOCTYPE html><html lang='en'><head><title>Report {i} | Central Asia Today"
            f"</title><meta name='date' content='{_day(i)}'><meta name='author' "
            f"content='Saule Abenova'></head><body><nav>Home | World | Sport</nav><article>"
            f"<h1>Report {i}</h1><p>{_body(i)}</p></article><footer>(c) 2022</footer>"
            "</body></html>"
        )
        write(folder / "html" / f"page-{i:02d}.html", page)
        i += 1
    items = []
    for _ in range(5):
        items.append(
            f"<item><title>Report {i}</title><link>https://courier.example/{i}</link>"
            f"<pubDate>{_day(i)}T09:00:00Z</pubDate><description>{_body(i)}</description></item>"
        )
        i += 1
    feed = ("<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
            f"<title>Courier</title>{''.join(items)}</channel></rss>")  # fmt: skip
    write(folder / "feed.xml", feed)
    lines = []
    for _ in range(6):
        lines.append({"published": _day(i), "source": "Ak Zhayik", "text": _body(i)})
        i += 1
    lines.append({"published": _day(8), "text": _body(8)})  # the CSV's first report again
    lines.append({"published": "yesterday", "text": _body(i)})  # a relative date: rejected
    lines.append({"published": _day(i), "title": "no text at all"})  # rejected
    write(folder / "wire.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    write(folder / "text" / "zz-short.txt", "date 2022-01-05\nToo short.\n")  # rejected
    write_stories(folder / "stories")
    return folder


def ingest_command(corpus: Path, db: Path, *, batch_size: int = 2) -> list[str]:
    """`eventscope ingest` of `corpus` into `db`, its summary as JSON; small batches, so
    that a run has many commit points to be killed between (and inside)."""
    return [sys.executable, "-m", "eventscope", "ingest", str(corpus), "--db", str(db),
            "--batch-size", str(batch_size), "--json", "--time-limit", "0"]  # fmt: skip


# Columns standing for an autoincrement id, by table: what replaces them in the dump.
_REGISTRY_COLUMNS = {"actors": "registry_id", "event_actors": "registry_id",
                     "claims": "registry_id"}  # fmt: skip
_STORY_TABLES = ("story_keys", "resolved_events", "figure_points", "claims")
# Left out: run bookkeeping, times, and how often an input was read (see the docstring).
_SKIPPED = {"articles": {"ingested_at"}, "rejected": {"id", "first_seen", "last_seen", "times"},
            "stories": {"id"}, "actor_registry": {"id"}}  # fmt: skip
_NOT_RECORDS = {"runs", "sqlite_sequence"}


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
        " ORDER BY name"
    )
    return [name for (name,) in rows if name not in _NOT_RECORDS]


def canonical_dump(path: Path) -> dict[str, list[Any]]:
    """Every table holding records, as sorted rows of JSON text, with autoincrement ids
    replaced (registry actor -> key, story -> its articles) and run bookkeeping left out."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        keys = dict(db.execute("SELECT id, key FROM actor_registry"))
        members: dict[int, list[str]] = {}
        for article_id, story_id in db.execute("SELECT article_id, story_id FROM story_articles"):
            members.setdefault(story_id, []).append(article_id)
        story = {sid: sorted(ids) for sid, ids in members.items()}
        dump: dict[str, list[Any]] = {}
        for table in _tables(db):
            cursor = db.execute(f"SELECT * FROM {table}")  # names from the schema
            columns = [c[0] for c in cursor.description]
            rows = []
            for values in cursor:
                row = dict(zip(columns, values, strict=True))
                for name in _SKIPPED.get(table, ()):
                    row.pop(name)
                if _REGISTRY_COLUMNS.get(table) in row:
                    registry_column = _REGISTRY_COLUMNS[table]
                    row[registry_column] = keys.get(row[registry_column])
                if "story_id" in row:
                    row["story_id"] = story.get(row["story_id"])
                if table == "stories":
                    row["articles"] = story.get(values[0])
                if table == "actor_registry":  # aliases in the order they were seen
                    row["aliases"] = sorted(json.loads(row["aliases"]))
                rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
            dump[table] = sorted(rows)
        return dump
    finally:
        db.close()


def store_checks(path: Path) -> dict[str, Any]:
    """What must hold in any store, even one left by a killed run: SQLite's integrity
    check, foreign keys, and the full-text index against its articles."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        foreign = db.execute("PRAGMA foreign_key_check").fetchall()
        fts = db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        db.close()
    # The FTS5 index checked against its content table needs a writable connection.
    db = sqlite3.connect(path)
    try:
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        fts_ok = True
    except sqlite3.DatabaseError:
        fts_ok = False
    finally:
        db.close()
    return {"integrity": integrity, "foreign_keys": foreign, "fts_rows": fts,
            "articles": articles, "fts_ok": fts_ok}  # fmt: skip


def runs(path: Path) -> list[tuple[int, str, dict[str, Any]]]:
    """(id, status, counts) of each run of the store, in order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT id, status, counts FROM runs ORDER BY id").fetchall()
    finally:
        db.close()
    return [(run_id, status, json.loads(counts)) for run_id, status, counts in rows]
