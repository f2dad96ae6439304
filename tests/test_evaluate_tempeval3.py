"""The dates task: TimeML loading, span and value scoring, and the run on a small file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from eventscope.evaluate import tempeval3
from eventscope.evaluate.tempeval3 import DateSpan, TimeMLDoc, load_timeml, score

from .conftest import write

# An invented report in TimeML as TempEval-3 ships it.
TML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>test_0001</DOCID>
<DCT><TIMEX3 tid="t9" type="DATE" value="2021-03-04T09:30:00" temporalFunction="false" \
functionInDocument="CREATION_TIME">03/04/21</TIMEX3></DCT>
<TEXT>
The council <EVENT eid="e1" class="OCCURRENCE">met</EVENT> on <TIMEX3 tid="t1" type="DATE" \
value="2021-03-02">Tuesday</TIMEX3> for <TIMEX3 tid="t2" type="DURATION" value="PT3H">three \
hours</TIMEX3> &amp; will vote in <TIMEX3 tid="t3" type="DATE" value="2021-05">May</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t9" />
</TimeML>
"""
PLAIN = "\nThe council met on Tuesday for three hours & will vote in May.\n"


def doc() -> TimeMLDoc:
    tuesday, may = PLAIN.index("Tuesday"), PLAIN.index("May")
    hours = PLAIN.index("three hours")
    return TimeMLDoc(
        "d",
        PLAIN,
        "2021-03-04",
        (DateSpan(tuesday, tuesday + 7, "2021-03-02"), DateSpan(may, may + 3, "2021-05")),
        ((hours, hours + 11),),
    )


def test_load_timeml_strips_tags_and_keeps_offsets(tmp_path: Path) -> None:
    loaded = load_timeml(write(tmp_path / "test_0001.tml", TML))
    assert loaded == TimeMLDoc(
        "test_0001", PLAIN, doc().published, doc().dates, doc().other_timexes
    )
    assert [loaded.text[d.start : d.end] for d in loaded.dates] == ["Tuesday", "May"]


def test_score_gold_as_prediction_is_perfect_and_nothing_is_zero() -> None:
    gold = doc()
    perfect = score([gold], [list(gold.dates)])
    assert all(value == 1.0 for value in perfect.values())
    empty = score([gold], [[]])
    assert empty["value_accuracy_matched"] is None
    assert all(v == 0.0 for k, v in empty.items() if k != "value_accuracy_matched")


def test_score_mixed_case_by_hand() -> None:
    gold = doc()
    tuesday, may, hours = gold.dates[0], gold.dates[1], gold.other_timexes[0]
    predicted = [
        DateSpan(tuesday.start - 3, tuesday.end, "2021-03-02"),  # "on Tuesday": relaxed, right
        DateSpan(may.start, may.end, "2021-06"),  # exact span, wrong value
        DateSpan(1, 12, "2021"),  # "The council": a false date
        DateSpan(hours[0], hours[1], None),  # a duration: not counted
    ]
    result = score([gold], [predicted])
    # 3 counted predictions, 2 gold. strict: tp 1 -> P 1/3, R 1/2, F1 2*(1/6)/(5/6) = 0.4
    assert result["strict_precision"] == pytest.approx(1 / 3)
    assert result["strict_recall"] == pytest.approx(0.5)
    assert result["strict_f1"] == pytest.approx(0.4)
    # relaxed: tp 2 -> P 2/3, R 1, F1 2*(2/3)/(5/3) = 0.8
    assert result["relaxed_precision"] == pytest.approx(2 / 3)
    assert result["relaxed_f1"] == pytest.approx(0.8)
    # values: Tuesday right, May wrong -> 1/2 of matches, 1/2 of gold
    assert result["value_accuracy_matched"] == pytest.approx(0.5)
    assert result["value_accuracy_all"] == pytest.approx(0.5)


def test_values_compare_upper_cased() -> None:
    assert tempeval3.normalise_value(" 1989-q3") == tempeval3.normalise_value("1989-Q3")


def test_run_on_small_files(tmp_path: Path) -> None:
    write(tmp_path / "tempeval3" / "a" / "one.tml", TML)
    write(tmp_path / "tempeval3" / "two.tml.gz", gzip.compress(TML.encode()))
    write(tmp_path / "tempeval3" / "broken.tml", "<TimeML><TEXT>unclosed")
    report = tempeval3.TASK.run(tmp_path, None, 3)
    assert report.task == "dates"
    assert report.counts["documents"] == 2
    assert report.counts["gold_dates"] == 4
    assert report.counts["unreadable_files"] == 1
    assert report.counts["rejected"] == 0
    assert set(report.metrics) >= {"strict_f1", "relaxed_f1", "value_accuracy_all"}
    assert len(report.errors) <= 3
    for error in report.errors:
        assert set(error) == {"id", "text", "gold", "predicted"}
    single = tempeval3.TASK.run(tmp_path / "tempeval3" / "a" / "one.tml", None, 0)
    assert single.counts["documents"] == 1
    (tmp_path / "empty").mkdir()
    assert tempeval3.TASK.run(tmp_path / "empty", None, 0).counts == {}


def test_run_on_shared_data(shared: Path) -> None:
    report = tempeval3.TASK.run(shared / "eval", 3, 2)
    assert report.counts["documents"] == 3
    assert report.counts["gold_dates"] > 0
    assert len(report.errors) <= 2
