"""Dates as intervals: every TimeML value's first and last day, and events, figures and
quotes filtered (by overlap) and sorted (first day, then last) by them in the Python API,
the CLI, the HTTP API and the exports; a schema 3 store migrates with its rows dated."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventscope.api import create_app
from eventscope.cli import app as cli
from eventscope.model import (
    Article,
    ArticleRecords,
    DateExpr,
    Event,
    Evidence,
    Figure,
    Quote,
    Span,
    article_id,
)
from eventscope.store import EventFilter, Store, migrations
from eventscope.store.browse import find_figures, find_quotes
from eventscope.store.intervals import quote_days
from eventscope.timeml import date_interval

D = date


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2022-01-08", D(2022, 1, 8), D(2022, 1, 8)),
        ("2022-01-08T14:30", D(2022, 1, 8), D(2022, 1, 8)),
        ("2022-W01", D(2022, 1, 3), D(2022, 1, 9)),  # ISO: the week of the first Thursday
        ("2020-W53", D(2020, 12, 28), D(2021, 1, 3)),
        ("2015-W24-WE", D(2015, 6, 13), D(2015, 6, 14)),
        ("2022-01", D(2022, 1, 1), D(2022, 1, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2022-Q1", D(2022, 1, 1), D(2022, 3, 31)),
        ("2022-Q4", D(2022, 10, 1), D(2022, 12, 31)),
        ("2022-H2", D(2022, 7, 1), D(2022, 12, 31)),
        ("2015-SU", D(2015, 6, 1), D(2015, 8, 31)),
        ("2023-WI", D(2023, 12, 1), D(2024, 2, 29)),  # winter of its December
        ("2022", D(2022, 1, 1), D(2022, 12, 31)),
        ("199", D(1990, 1, 1), D(1999, 12, 31)),
        ("199X", D(1990, 1, 1), D(1999, 12, 31)),
        ("20", D(2000, 1, 1), D(2099, 12, 31)),
        ("19XX", D(1900, 1, 1), D(1999, 12, 31)),
    ],
)
def test_every_timeml_value_has_its_first_and_last_day(value: str, first: D, last: D) -> None:
    assert date_interval(value) == (first, last)


@pytest.mark.parametrize(
    "value", ["PRESENT_REF", "PAST_REF", "FUTURE_REF", "XXXX-01", "2021-W53", "2023-02-29",
              "2022-13", "", None],
)  # fmt: skip
def test_values_that_name_no_calendar_period_have_none(value: str | None) -> None:
    assert date_interval(value) is None


TEXT = (
    "Police detained protesters. Troops arrived. Prices rose. Strikes spread. "
    "Talks failed. Unrest continues. "
    'The minister said on Friday: "Order will be restored by March." '
    '"Order was restored on Friday," the mayor said.'
)
PUBLISHED = D(2022, 1, 20)
# (event id, TimeML date); the order the date sort must give, oldest first
DATED = [("e5", "2021-12-31"), ("e3", "2022-01"), ("e4", "2022"), ("e2", "2022-W01"),
         ("e1", "2022-01-08"), ("e6", "PRESENT_REF")]  # fmt: skip


def _span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span.of(text, start, start + len(words))


def records() -> ArticleRecords:
    article = Article(article_id(TEXT), TEXT, PUBLISHED, title="Dated", source="test")
    triggers = ["detained", "arrived", "rose", "spread", "failed", "continues"]
    events = tuple(
        Event(f"e{n}", "PROTEST", _span(TEXT, word), Evidence("test.event", 0.8),
              date=dict(DATED)[f"e{n}"], date_precision="day")
        for n, word in enumerate(triggers, start=1)
    )  # fmt: skip
    first = Span.of(TEXT, TEXT.index("The minister"), TEXT.index('"Order was'))
    second = Span.of(TEXT, first.end, len(TEXT))
    dates = (
        DateExpr(_span(TEXT, "on Friday"), "2022-01-14", "day", Evidence("test.date", 0.9)),
        DateExpr(_span(TEXT, "by March"), "2022-03", "month", Evidence("test.date", 0.9)),
        DateExpr(_span(TEXT, "on Friday", second.start), "2022-01-14", "day",
                 Evidence("test.date", 0.9)),
    )  # fmt: skip
    quotes = (
        Quote(_span(TEXT, "Order will be restored by March."), "direct",
              Evidence("test.quote", 0.9, first), cue=_span(TEXT, "said")),
        Quote(_span(TEXT, "Order was restored on Friday,"), "direct",
              Evidence("test.quote", 0.9, second), cue=_span(TEXT, "said", second.start)),
    )  # fmt: skip
    figures = (
        Figure("arrested", 40, _span(TEXT, "protesters"), Evidence("test.fig", 0.8),
               as_of="2022-W01"),
        Figure("killed", 3, _span(TEXT, "Troops"), Evidence("test.fig", 0.8)),
    )  # fmt: skip
    return ArticleRecords(article, dates=dates, events=events, figures=figures, quotes=quotes)


@pytest.fixture
def dated(store: Store) -> Store:
    store.write_batch([records()])
    return store


def ids(found: list[dict[str, object]]) -> list[object]:
    return [e["id"] for e in found]


def test_events_sort_by_first_day_then_the_narrower_period(dated: Store) -> None:
    order = [event for event, _ in DATED]
    assert ids(dated.events(sort="date")) == order
    # descending is the exact reverse, the undated event still last
    assert ids(dated.events(sort="-date")) == [*order[-2::-1], "e6"]
    assert ids(dated.events()) == [*order[-2::-1], "e6"]


def test_since_and_until_ask_whether_the_interval_overlaps(dated: Store) -> None:
    def between(since: D | None, until: D | None) -> list[object]:
        return ids(dated.events(EventFilter(since=since, until=until), sort="date"))

    assert between(D(2022, 1, 19), None) == ["e3", "e4"]  # not the week that ended on the 9th
    assert between(None, D(2021, 12, 31)) == ["e5"]
    assert between(D(2022, 1, 4), D(2022, 1, 5)) == ["e3", "e4", "e2"]  # inside the week
    assert between(D(2022, 1, 8), D(2022, 1, 8)) == ["e3", "e4", "e2", "e1"]
    assert between(D(2023, 1, 1), None) == []  # nor does a year end after it
    assert ids(dated.events(since=D(2022, 1, 19))) == ["e4", "e3"]
    by_id = {e["id"]: e for e in dated.events()}
    assert (by_id["e2"]["date_start"], by_id["e2"]["date_end"]) == ("2022-01-03", "2022-01-09")
    assert by_id["e6"]["date_start"] is None


def test_figures_and_quotes_carry_their_days(dated: Store) -> None:
    total, figures = find_figures(dated.db)
    assert total == 2
    days = {f["kind"]: (f["day_start"], f["day_end"], f["date_start"]) for f in figures}
    # as of a week: that week; no as-of: the article's day (and no date of its own)
    assert days == {"arrested": ("2022-01-03", "2022-01-09", "2022-01-03"),
                    "killed": ("2022-01-20", "2022-01-20", None)}  # fmt: skip
    assert [f["kind"] for f in find_figures(dated.db, since=D(2022, 1, 10))[1]] == ["killed"]
    _, quotes = find_quotes(dated.db)
    said = {q["content"]["text"][:9]: (q["date_start"], q["date_end"]) for q in quotes}
    # "said on Friday" dates the first; the second's Friday is inside the quoted words
    assert said == {"Order wil": ("2022-01-14", "2022-01-14"),
                    "Order was": ("2022-01-20", "2022-01-20")}  # fmt: skip
    assert find_quotes(dated.db, until=D(2022, 1, 14))[0] == 1


def test_a_quote_is_dated_by_its_sentence_up_to_publication() -> None:
    # "said this week" (Mon 17 to Sun 23), published on Thursday 20: said by the 20th
    week = [(10, 19, "2022-W03")]
    assert quote_days((30, 40), (5, 9), (0, 50), week, "2022-01-20") == ("2022-01-17", "2022-01-20")
    later = [(10, 19, "2022-02")]  # a period after publication is not when it was said
    assert quote_days((30, 40), (5, 9), (0, 50), later, "2022-01-20") == ("2022-01-20",) * 2
    elsewhere = [(60, 70, "2022-01-14")]  # another sentence's date
    assert quote_days((30, 40), (5, 9), (0, 50), elsewhere, "2022-01-20") == ("2022-01-20",) * 2
    assert quote_days((30, 40), None, None, [], None) == (None, None)


def test_cli_and_http_filter_and_sort_by_interval(dated: Store, tmp_path: Path) -> None:
    path = str(dated.path)
    result = CliRunner().invoke(
        cli, ["events", "--db", path, "--json", "--mentions", "--since", "2022-01-19"]
    )
    assert result.exit_code == 0, result.output
    assert ids(json.loads(result.output)) == ["e4", "e3"]
    client = TestClient(create_app(dated.path))
    page = client.get("/events?since=2022-01-19&sort=date&resolved=false").json()
    assert ids(page["items"]) == ["e3", "e4"] and page["total"] == 2
    everything = client.get("/events?sort=date&resolved=false").json()["items"]
    assert ids(everything) == [event for event, _ in DATED]
    stats = client.get("/stats?resolved=false").json()
    assert stats["per_day"] == [{"date": "2021-12-31", "type": "PROTEST", "n": 1},
                                {"date": "2022-01-08", "type": "PROTEST", "n": 1}]  # fmt: skip
    periods = [(p["date_start"], p["date_end"]) for p in stats["per_period"]]
    assert periods == [("2022-01-01", "2022-01-31"), ("2022-01-01", "2022-12-31"),
                       ("2022-01-03", "2022-01-09")]  # fmt: skip


def test_exports_give_the_interval_as_dates(dated: Store, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "e.parquet"
    result = CliRunner().invoke(cli, ["export", str(out), "--format", "parquet", "--db",
                                      str(dated.path), "--mentions"])  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("date_end").type == pa.date32()
    assert table.column("ref").to_pylist()[0].endswith(":e5")  # exports sort by interval
    rows = dict(zip(table.column("ref").to_pylist(), table.column("date_end").to_pylist(),
                    strict=True))  # fmt: skip
    assert sorted(rows.values(), key=str) == sorted(
        [D(2021, 12, 31), D(2022, 1, 31), D(2022, 12, 31), D(2022, 1, 9), D(2022, 1, 8), None],
        key=str,
    )
    csv_out = tmp_path / "e.csv"
    CliRunner().invoke(
        cli, ["export", str(csv_out), "--format", "csv", "--db", str(dated.path), "--mentions"]
    )
    assert "2022-01-03,2022-01-09" in csv_out.read_text(encoding="utf-8")


def test_a_version_3_store_is_migrated_with_its_dates_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    db = sqlite3.connect(path)
    for version, sql in migrations()[:3]:
        db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    rec = records()
    aid = rec.article.id
    db.execute(
        "INSERT INTO articles (id, published, language, ingested_at, n_words, text)"
        " VALUES (?, '2022-01-20', 'en', '2022-01-20T10:00:00+00:00', 30, ?)",
        (aid, TEXT),
    )
    for event in rec.events:
        data = {k: v for k, v in event.to_dict().items() if k not in ("date_start", "date_end")}
        db.execute(
            "INSERT INTO events (article_id, local_id, type, date, confidence, rule, data)"
            " VALUES (?, ?, 'PROTEST', ?, 0.8, 'test.event', ?)",
            (aid, event.id, event.date, json.dumps(data)),
        )
    for seq, f in enumerate(rec.figures):
        db.execute(
            "INSERT INTO figures (article_id, seq, kind, value, qualifier, as_of, data, day)"
            " VALUES (?, ?, ?, ?, 'exact', ?, '{}', '2022-01-20')",
            (aid, seq, f.kind, f.value, f.as_of),
        )
    for seq, q in enumerate(rec.quotes):
        db.execute("INSERT INTO quotes VALUES (?, ?, NULL, 'direct', ?)",
                   (aid, seq, json.dumps(q.to_dict())))  # fmt: skip
    for seq, d in enumerate(rec.dates):
        db.execute(
            "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, '{}')",
            (aid, seq, d.span.start, d.span.end, d.value, d.precision),
        )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == migrations()[-1][0] >= 4
        assert ids(store.events(sort="date")) == [event for event, _ in DATED]
        assert ids(store.events(EventFilter(since=D(2022, 1, 19)))) == ["e4", "e3"]
        events = store.records(aid)["events"]
        assert {e["id"]: e["date_end"] for e in events}["e2"] == "2022-01-09"
        days = store.db.execute("SELECT day_start, day_end, day FROM figures ORDER BY seq")
        assert [tuple(r) for r in days] == [("2022-01-03", "2022-01-09", "2022-01-20"),
                                            ("2022-01-20", "2022-01-20", "2022-01-20")]  # fmt: skip
        said = store.db.execute("SELECT date_start FROM quotes ORDER BY seq").fetchall()
        assert [r[0] for r in said] == ["2022-01-14", "2022-01-20"]


def test_a_migration_killed_in_its_backfill_leaves_the_old_version_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventscope.store import migrate as store_migrate

    path = tmp_path / "v3.db"
    db = sqlite3.connect(path)
    for version, sql in migrations()[:3]:
        db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.close()

    def killed(_: object) -> None:
        raise KeyboardInterrupt  # as a Ctrl-C or kill in the middle of the backfill

    monkeypatch.setitem(store_migrate._BACKFILLS, 4, killed)
    with pytest.raises(KeyboardInterrupt):
        Store(path)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 3
    columns = {r[1] for r in check.execute("PRAGMA table_info(events)")}
    assert "date_start" not in columns  # the migration's SQL was rolled back with it
    check.close()
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == migrations()[-1][0]
