"""Exports in every format from a real store: row counts, column layouts, mappings."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope.cli import app as cli
from eventscope.export import ACLED_COLUMNS, COLUMNS, GDELT_COLUMNS
from eventscope.store import open_store

from .conftest import BACKENDS
from .webstore import rules_store_on_backend


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample store on each backend."""
    return rules_store_on_backend(request, tmp_path_factory, "export")


def export(db: str, out: Path, fmt: str, *filters: str, resolved: bool = False) -> int:
    """Export through the CLI: each report's event mentions (or `resolved` events)."""
    mentions = [] if resolved else ["--mentions"]
    result = CliRunner().invoke(cli, ["export", str(out), "--format", fmt, "--db", str(db),
                                      *mentions, *filters])  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.output.split()[0].replace(",", ""))


def stored(db: str, sql: str = "SELECT count(*) FROM events") -> int:
    with open_store(db, readonly=True) as store:
        return int(store.db.execute(sql).fetchone()[0])


def test_csv_jsonl_and_parquet_hold_every_event(db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    n = stored(db)
    assert export(db, tmp_path / "e.csv", "csv") == n
    with open(tmp_path / "e.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == n and list(rows[0]) == list(COLUMNS)
    assert {r["ref"] for r in rows} == {r["ref"] for r in rows if ":" in r["ref"]}
    assert export(db, tmp_path / "e.jsonl", "jsonl") == n
    lines = (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == n and all(isinstance(r["source"], list) for r in records)
    assert export(db, tmp_path / "e.parquet", "parquet") == n
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n and table.column_names == list(COLUMNS)
    assert sorted(table.column("ref").to_pylist()) == sorted(r["ref"] for r in rows)


def test_filters_apply_to_exports(db: str, tmp_path: Path) -> None:
    protests = stored(db, "SELECT count(*) FROM events WHERE type = 'PROTEST'")
    assert export(db, tmp_path / "p.csv", "csv", "--type", "PROTEST") == protests > 0
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        assert {r["type"] for r in csv.DictReader(handle)} == {"PROTEST"}
    in_kz = stored(db, "SELECT count(*) FROM events WHERE country = 'KZ'")
    assert export(db, tmp_path / "k.csv", "csv", "--country", "Kazakhstan") == in_kz


def test_plover_records(db: str, tmp_path: Path) -> None:
    n = export(db, tmp_path / "e.plover", "plover")
    records = [json.loads(x) for x in (tmp_path / "e.plover").read_text("utf-8").splitlines()]
    assert len(records) == n == stored(db)
    for r in records:
        assert {"id", "date", "source", "target", "event", "mode", "eventText", "text"} <= set(r)
        for actor in r["source"] + r["target"]:
            assert set(actor) == {"actorText", "code", "sector"}
    linked = stored(db, "SELECT count(DISTINCT article_id || event_id) FROM figures"
                        " WHERE kind = 'killed' AND event_id IS NOT NULL")  # fmt: skip
    assert sum(1 for r in records if r["dead"]) == linked > 0
    assert all(r["dead"].isdigit() for r in records if r["dead"])


def test_gdelt_rows_have_the_61_columns(db: str, tmp_path: Path) -> None:
    assert len(GDELT_COLUMNS) == 61
    n = export(db, tmp_path / "e.gdelt", "gdelt")
    lines = (tmp_path / "e.gdelt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n == stored(db)
    for line in lines:
        row = dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True))
        assert len(row["Day"]) == 8 and row["Day"].isdigit()
        assert row["MonthYear"] == row["Day"][:6] and row["Year"] == row["Day"][:4]
        if row["EventCode"]:
            assert row["EventRootCode"] == row["EventCode"][:2]
        assert row["QuadClass"] in {"1", "2", "3", "4", ""}
        assert row["NumArticles"] == "1" and row["SOURCEURL"]
        if row["ActionGeo_Lat"]:
            assert -90 <= float(row["ActionGeo_Lat"]) <= 90 and row["ActionGeo_Type"]


def test_acled_columns_and_rows(db: str, tmp_path: Path) -> None:
    n = export(db, tmp_path / "e.acled", "acled")
    with open(tmp_path / "e.acled", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == ACLED_COLUMNS
        rows = [dict(zip(ACLED_COLUMNS, r, strict=True)) for r in reader]
    assert (
        len(rows)
        == n
        == stored(
            db, "SELECT count(*) FROM events WHERE json_extract(data, '$.acled_type') IS NOT NULL"
        )
    )
    assert n > 0
    for r in rows:
        assert r["event_type"] and r["disorder_type"] and r["time_precision"] in "123"
        assert r["fatalities"].isdigit() and r["event_date"][:4] == r["year"]
    assert any(int(r["fatalities"]) > 0 for r in rows)
    assert {r["disorder_type"] for r in rows} <= {"Political violence", "Demonstrations",
                                                  "Strategic developments"}  # fmt: skip


def test_bad_format_is_a_clear_error(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "x"), "--format", "xls",
                                      "--db", str(db)])  # fmt: skip
    assert result.exit_code == 1 and "E003" in result.output
    result = CliRunner().invoke(cli, ["export", "-", "--format", "parquet", "--db", str(db)])
    assert result.exit_code == 1 and "parquet" in result.output


def test_mappings_are_printed() -> None:
    from eventscope.export import MAPPINGS

    result = CliRunner().invoke(cli, ["export", "--mappings"])  # no OUT needed
    assert result.exit_code == 0, result.output
    for layout, fields in MAPPINGS.items():
        assert f"{layout}:" in result.stdout
        for name, text in fields.items():
            assert f"  {name}: {text}" in result.stdout
    assert "GlobalEventID" in result.stdout and "event_id_cnty" in result.stdout


def test_exports_give_one_row_per_resolved_event_by_default(db: str, tmp_path: Path) -> None:
    resolved = stored(db, "SELECT count(*) FROM resolved_events")
    mentions = stored(db)
    assert 0 < resolved < mentions
    assert export(db, tmp_path / "r.jsonl", "jsonl", resolved=True) == resolved
    rows = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert sum(r["n_mentions"] for r in rows) == mentions
    assert all(r["resolved_id"] == r["ref"] and r["story"] >= 1 for r in rows)
    # GDELT's NumMentions / NumSources / NumArticles are the resolved event's counts
    export(db, tmp_path / "r.gdelt", "gdelt", resolved=True)
    lines = [x.split("\t") for x in (tmp_path / "r.gdelt").read_text("utf-8").splitlines()]
    column = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    counts = sorted((int(x[column["NumMentions"]]), int(x[column["NumSources"]]),
                     int(x[column["NumArticles"]])) for x in lines)  # fmt: skip
    assert counts == sorted((r["n_mentions"], r["n_sources"], r["n_articles"]) for r in rows)
    assert any(m > 1 for m, _, _ in counts)
    # PLOVER records carry the resolved id and their mentions' ids
    export(db, tmp_path / "r.plover", "plover", resolved=True)
    plover = [json.loads(x) for x in (tmp_path / "r.plover").read_text("utf-8").splitlines()]
    assert all(p["resolvedId"] == p["id"] and p["id"] in p["mentions"] for p in plover)
    export(db, tmp_path / "m.plover", "plover")
    by_mention = [json.loads(x) for x in (tmp_path / "m.plover").read_text("utf-8").splitlines()]
    ids = {p["id"] for p in plover}
    assert all(p["resolvedId"] in ids for p in by_mention if p["resolvedId"])


def test_acled_fatalities_come_from_the_story_never_a_sum_over_reports(
    db: str, tmp_path: Path
) -> None:
    def fatalities(path: Path) -> float:
        with open(path, encoding="utf-8", newline="") as handle:
            return sum(float(r["fatalities"] or 0) for r in csv.DictReader(handle))

    export(db, tmp_path / "m.acled", "acled")
    export(db, tmp_path / "r.acled", "acled", resolved=True)
    with open_store(db, readonly=True) as store:
        tolls = [s["figures"].get("killed", 0) for s in store.stories(limit=10_000).items]
    # each story's rows add up to its latest toll, less than the sum over reports
    assert fatalities(tmp_path / "r.acled") == sum(tolls) < fatalities(tmp_path / "m.acled")
