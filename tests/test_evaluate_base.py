"""The evaluation framework's shared pieces: running the pipeline on gold texts."""

from __future__ import annotations

from pathlib import Path

from eventscope.evaluate import tasks
from eventscope.evaluate.base import PLACEHOLDER_DATE, find_files, gold_article, predict

TEXT = "Police detained dozens of protesters in Almaty on Wednesday, officials said."


def test_predict_keeps_every_key_and_keeps_gold_text_exact() -> None:
    found = dict(predict([("blank", " ", None), ("bad-date", TEXT, "someday"),
                          ("ok", "  " + TEXT + "\r\n", "2022-01-05")]))  # fmt: skip
    assert set(found) == {"blank", "bad-date", "ok"}
    assert found["blank"] is None  # an empty gold text has no prediction
    bad_date = found["bad-date"]
    assert bad_date is not None and bad_date.article.published == PLACEHOLDER_DATE
    ok = found["ok"]
    assert ok is not None and ok.article.text == "  " + TEXT + "\r\n"  # offsets stay true


def test_gold_article_uses_placeholder_for_refused_dates() -> None:
    assert gold_article(TEXT, key="k", published="1850-01-01").published == PLACEHOLDER_DATE


def test_find_files_prefers_the_task_folder(tmp_path: Path) -> None:
    (tmp_path / "case2021").mkdir()
    (tmp_path / "case2021" / "a.tsv").write_text("id\tEventSnippet\tSubType\n")
    (tmp_path / "other.tsv").write_text("x\n")
    assert find_files(tmp_path, "case2021", ("*.tsv",)) == [tmp_path / "case2021" / "a.tsv"]
    assert find_files(tmp_path / "other.tsv", "case2021", ("*.tsv",)) == [tmp_path / "other.tsv"]


def test_every_task_is_registered() -> None:
    assert list(tasks()) == [
        "events-plover", "events-cameo", "event-classes", "geoparse", "event-location",
        "dates", "quotes", "figures", "clustering", "entities", "own",
    ]  # fmt: skip


def test_an_empty_folder_gives_empty_reports(tmp_path: Path) -> None:
    for task in tasks().values():
        assert task.run(tmp_path, None, 0).counts == {}, task.name
