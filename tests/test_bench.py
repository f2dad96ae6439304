"""The bench produces its report: both pipelines' throughput, the ratio, memory, steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventscope.bench import bench

from .conftest import REPORT, write


@pytest.mark.slow
def test_bench_reports_both_pipelines(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"{REPORT} Item {i}.", "date": "2022-01-05"}) for i in range(4)]
    lines.append(json.dumps({"text": REPORT, "date": "2022-01-05"}))
    lines.append(json.dumps({"text": REPORT, "date": "2022-01-06"}))  # a duplicate text
    corpus = write(tmp_path / "corpus.jsonl", "\n".join(lines) + "\n")
    report = bench(corpus, rounds=1, batch_size=2)
    assert report.to_dict()["rounds"] == 1
    assert report.articles == 5  # the duplicate text is counted once
    assert report.words > 5 * 30
    for side in (report.bare, report.full):
        assert side["words_per_s"] > 0 and side["articles_per_s"] > 0
        assert side["peak_rss_mb"] > 50 and side["load_seconds"] > 0
    assert report.ratio == pytest.approx(report.full["words_per_s"] / report.bare["words_per_s"])
    assert {"read", "language", "parse", "actors", "store"} <= set(report.stages)
    assert sum(report.stages.values()) == pytest.approx(1.0)
    assert set(report.loading) == {"model", "knowledge_base", "gazetteer", "first_use", "stories"}
    assert sum(report.loading.values()) == pytest.approx(report.full["load_seconds"])  # one round
    assert all(seconds > 0 for seconds in report.to_dict()["loading"].values())
