"""eventscope bench-load: clients on /events and /stats while an ingest writes, on a tiny
store for a few seconds (`make load` runs 8 clients for 30 s)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope.bench_load import ROUTES, LoadReport, bench_load
from eventscope.cli import app
from eventscope.store import Store

from .conftest import REPORT, write


@pytest.mark.slow
def test_two_clients_for_three_seconds_during_an_ingest(tmp_path: Path) -> None:
    for i, city in enumerate(["Almaty", "Aktau", "Taraz"]):
        write(
            tmp_path / "corpus" / f"{i}.txt",
            f"date 2022-01-0{5 + i}\nPolice detained {10 + i} protesters in {city}. {REPORT}",
        )
    db = tmp_path / "s.db"
    Store(db).close()  # an empty store: the clients start once the ingest has written
    report = bench_load(db=db, clients=2, seconds=3, ingest=[tmp_path / "corpus"])
    assert report.errors == {} and report.error_samples == []
    assert 3 <= report.seconds < 10
    assert report.requests > 20 and report.throughput == round(report.requests / report.seconds, 1)
    assert report.latency_ms.keys() == {*ROUTES, "all"}
    overall = report.latency_ms["all"]
    assert overall["requests"] == report.requests
    assert 0 < overall["p50"] <= overall["p95"] <= overall["p99"] <= overall["max"]
    assert sum(r["requests"] for k, r in report.latency_ms.items() if k != "all") == report.requests
    # the ingest wrote before and during the window: copies of the corpus, new articles
    assert 0 < report.articles_before <= report.articles_after
    assert report.ingest_runs >= 1
    with Store(db, readonly=True) as store:
        assert store.stats()["articles"] >= report.articles_after


def test_the_command_exits_1_on_any_error(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = LoadReport(clients=1, seconds=1.0, requests=3, throughput=3.0,
                        latency_ms={"all": {"requests": 2, "p50": 1.0, "p95": 2.0, "p99": 2.0,
                                            "max": 2.0}},
                        errors={"503": 1}, error_samples=["/stats: 503 ..."])  # fmt: skip
    monkeypatch.setattr("eventscope.bench_load.bench_load", lambda **_: failed)
    shown = CliRunner().invoke(app, ["bench-load", "--clients", "1", "--seconds", "1", "--json"])
    assert shown.exit_code == 1
    assert json.loads(shown.stdout)["error_count"] == 1
    assert "1 errors under load (503: 1)" in shown.stderr
    passed = LoadReport(clients=1, seconds=1.0, requests=2, throughput=2.0,
                        latency_ms={"all": {"requests": 2, "p50": 1.0, "p95": 2.0, "p99": 2.0,
                                            "max": 2.0}})  # fmt: skip
    monkeypatch.setattr("eventscope.bench_load.bench_load", lambda **_: passed)
    shown = CliRunner().invoke(app, ["bench-load", "--seconds", "1"])
    assert shown.exit_code == 0, shown.output
    assert "2 requests, 2.0/s, 0 errors" in shown.stdout
