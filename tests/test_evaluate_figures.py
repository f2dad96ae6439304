"""The figures task: GVDB and GVA loaders, the count rules, scoring, and a run on fixtures."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from eventscope.evaluate import figures
from eventscope.model import Article, ArticleRecords, Evidence, Figure, Span

from .conftest import write

HEADER = "Article id\tArticle url\tArticle title\tFull text\tJson\tWorker\n"
TEXT_A = 'Two men were shot dead on Elm Street on Friday, and a "third" man was wounded.'
TEXT_B = "A woman was hurt when a stray bullet hit her car in Millbrook on Sunday night."


def victims(*outcomes: list[str]) -> list[dict[str, Any]]:
    return [{"name": {"value": "", "startIndex": -1, "endIndex": -1}, "victim-was": o}
            for o in outcomes]  # fmt: skip


def annotation(day: str, *outcomes: list[str]) -> str:
    return json.dumps({"date-and-time": {"date": day}, "victim-section": victims(*outcomes)})


def write_gvdb(folder: Path) -> Path:
    """Article 7 has two workers who disagree on the dead (2 and 1); article 9 has one."""
    rows = [
        ["7", "http://example.org/a", "Elm Street", TEXT_A,
         annotation("2015-03-06", ["killed"], ["killed", "hospitalized"], ["injured"]), "W1"],
        ["9", "http://example.org/b", "Millbrook", TEXT_B,
         annotation("", ["hospitalized"], []), "W1"],
        ["7", "http://example.org/a", "Elm Street", TEXT_A,
         annotation("2015-03-07", ["killed"], ["injured", "hospitalized"]), "W2"],
    ]  # fmt: skip
    body = HEADER + "".join("\t".join(r) + "\n" for r in rows)
    return write(folder / "gvdb" / "dev.tsv.gz", gzip.compress(body.encode("utf-8")))


def jsonl_gz(records: list[dict[str, Any]]) -> bytes:
    return gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode("utf-8"))


def write_gva(folder: Path) -> None:
    """Incident 1 has two articles, incident 2 one, incident 3 (no record) one."""
    docs = [
        {"incident_id": "1", "doc_id": "d1", "title": "t", "dct": "2016-05-01", "uri": "u",
         "content": TEXT_A},
        {"incident_id": "1", "doc_id": "d2", "title": "t", "dct": "2016-05-02", "uri": "u",
         "content": "Police arrested a suspect on Monday in the Elm Street shooting."},
        {"incident_id": "2", "doc_id": "d3", "title": "t", "dct": "2016-06-01", "uri": "u",
         "content": ""},
        {"incident_id": "3", "doc_id": "d4", "title": "t", "dct": "2016-07-01", "uri": "u",
         "content": TEXT_B},
    ]  # fmt: skip
    incidents = [
        {"incident_uri": "1", "num_killed": 2, "num_injured": 1, "participants": [
            {"Status": " Killed", "Type": " Victim"}, {"Status": " Killed", "Type": " Victim"},
            {"Status": " Injured", "Type": " Victim"},
            {"Status": " Unharmed, Arrested", "Type": " Subject-Suspect"}]},
        {"incident_uri": "2", "num_killed": 0, "num_injured": 1, "participants": []},
    ]  # fmt: skip
    write(folder / "gva" / "violent_corpus_docs.jsonl.gz", jsonl_gz(docs))
    write(folder / "gva" / "gva_incidents.jsonl.gz", jsonl_gz(incidents))


def records_with(*figures_: tuple[str, float]) -> ArticleRecords:
    text = "one two three"
    article = Article(id="x", text=text, published=None)
    found = tuple(Figure(kind, value, Span.of(text, 0, 3), Evidence("test.rule", 0.9))
                  for kind, value in figures_)  # fmt: skip
    return ArticleRecords(article, figures=found)


def test_victim_counts_read_victim_was() -> None:
    # killed wins over hospitalized; hospitalized alone is injured; no outcome is neither
    found = figures.victim_counts(
        {"victim-section": victims(["killed", "hospitalized"], ["hospitalized"], [], ["injured"])}
    )
    assert found == {"killed": 1, "injured": 2}


def test_load_gvdb_groups_workers(tmp_path: Path) -> None:
    articles = figures.load_gvdb(write_gvdb(tmp_path))
    assert [a.article_id for a in articles] == ["7", "9"]
    first, second = articles
    assert first.workers == 2 and first.text == TEXT_A
    # workers say killed 2 and 1: the lower median is 1; both say injured 1
    assert first.gold == {"killed": 1, "injured": 1}
    assert first.published == "2015-03-06"
    assert second.gold == {"killed": 0, "injured": 1} and second.published is None


def test_load_gvdb_ignores_other_tsv(tmp_path: Path) -> None:
    other = write(tmp_path / "classes.tsv", "id\tEventSnippet\tSubType\n1\tsome text\tARREST\n")
    assert figures.load_gvdb(other) == []


def test_load_gvdb_skips_damaged_rows(tmp_path: Path) -> None:
    good = annotation("2015-01-02", ["killed"])
    body = HEADER + f"1\tu\tt\t{TEXT_A}\t{{not json\tW1\n2\tu\tt\t{TEXT_B}\t{good}\tW1\n3\tu\n"
    path = write(tmp_path / "gvdb.tsv", body)
    assert [(a.article_id, a.gold["killed"]) for a in figures.load_gvdb(path)] == [("2", 1)]


def test_load_gva(tmp_path: Path) -> None:
    write_gva(tmp_path)
    docs, incidents = figures.load_gva(sorted((tmp_path / "gva").iterdir()))
    assert [d.key for d in docs] == ["1/d1", "1/d2", "2/d3", "3/d4"]
    assert docs[0].dct == "2016-05-01" and docs[2].text == ""
    assert incidents == {"1": {"killed": 2, "injured": 1, "arrested": 1},
                         "2": {"killed": 0, "injured": 1}}  # fmt: skip


def test_predictions_take_largest_and_combine_takes_maximum() -> None:
    one = figures.predictions_from(records_with(("killed", 2), ("killed", 5), ("injured", 1)))
    other = figures.predictions_from(records_with(("killed", 3), ("missing", 9)))
    assert one == {"killed": 5, "injured": 1}
    assert other == {"killed": 3}
    assert figures.predictions_from(None) == {}
    assert figures.combine([one, other, {}]) == {"killed": 5, "injured": 1}


def test_score_perfect_empty_and_mixed() -> None:
    gold = [{"killed": 2, "injured": 1}, {"killed": 1, "injured": 3, "arrested": 2}]
    perfect = figures.score(gold, gold)
    assert perfect["killed_accuracy"] == perfect["injured_accuracy"] == 1.0
    assert perfect["arrested_accuracy"] == 1.0 and perfect["killed_mae"] == 0.0
    empty = figures.score(gold, [{}, {}])
    assert empty["killed_accuracy"] == empty["injured_accuracy"] == 0.0
    assert empty["arrested_accuracy"] == 0.0
    mixed = figures.score(gold, [{"killed": 2, "injured": 4}, {"killed": 0, "arrested": 2}])
    # killed: 2=2 right, 0!=1 wrong -> 1/2; errors 0 and 1 -> MAE 0.5
    assert mixed["killed_accuracy"] == 0.5 and mixed["killed_mae"] == 0.5
    # injured: 4!=1, missing reads 0 != 3 -> 0/2; errors 3 and 3 -> MAE 3.0
    assert mixed["injured_accuracy"] == 0.0 and mixed["injured_mae"] == 3.0
    # arrested: only the second item has gold: 2=2 -> 1/1
    assert mixed["arrested_accuracy"] == 1.0 and mixed["arrested_mae"] == 0.0
    assert "arrested_accuracy" not in figures.score([{"killed": 1}], [{}])


@pytest.mark.slow
def test_run_on_fixture(tmp_path: Path) -> None:
    write_gvdb(tmp_path)
    write_gva(tmp_path)
    report = figures.TASK.run(tmp_path, None, 2)
    # GVDB: 2 articles from 3 rows. GVA: incidents 1 and 2 (3 has no record), 3 articles;
    # the empty page of incident 2 is rejected by the reader.
    assert report.counts == {
        "gvdb_articles": 2, "gvdb_annotations": 3, "gvdb_with_figure": 2, "gvdb_rejected": 0,
        "gva_incidents": 2, "gva_articles": 3, "gva_incidents_with_figure": 1,
        "gva_rejected": 1,
    }  # fmt: skip
    # Article 7 reads killed 2 (its workers' lower median is 1), injured 1 ("a third man was
    # wounded"); article 9 injured 1 ("a woman was hurt"). Incident 1 combines killed 2,
    # injured 1 and the arrested suspect; incident 2 has only an empty page.
    m = report.metrics
    assert (m["gvdb_killed_accuracy"], m["gvdb_injured_accuracy"]) == (0.5, 1.0)
    assert (m["gvdb_floor_killed_accuracy"], m["gvdb_floor_injured_accuracy"]) == (0.5, 0.0)
    assert (m["gva_killed_accuracy"], m["gva_arrested_accuracy"]) == (1.0, 1.0)
    assert m["gva_injured_accuracy"] == 0.5
    assert {e["id"] for e in report.errors} == {"gvdb:7", "gva:2"}
    assert figures.TASK.run(tmp_path / "nothing-here", None, 2).counts == {}


@pytest.mark.slow
def test_run_on_shared_eval(shared: Path) -> None:
    report = figures.TASK.run(shared / "eval", 3, 1)
    if not report.counts:
        pytest.skip("no GVDB or GVA data under ../shared/eval")
    assert report.counts.get("gvdb_articles", 3) == 3
    assert report.counts.get("gva_incidents", 3) == 3
    assert len(report.errors) <= 1
