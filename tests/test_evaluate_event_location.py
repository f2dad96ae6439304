"""event-location task: Prodigy records, choosing the event's place, scoring, the run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from eventscope.evaluate import event_location as task
from eventscope.evaluate.event_location import GoldRecord, Prediction
from eventscope.model import Article, ArticleRecords, Event, Evidence, Mention, Place, Span

from .conftest import write

# Invented sentences.
ONE = "Rebels shelled the town of Karsi near Belgrove on Tuesday."
TWO = "Troops entered Amberton and Pellis after a week of fighting."
NONE = "The ministry condemned the attack in a statement."


def span(text: str, phrase: str, label: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label}


def line(text: str, spans: list[dict[str, Any]], **extra: Any) -> str:
    record = {"text": text, "spans": spans, "meta": {"verb": ["x"]}, "answer": "accept"}
    return json.dumps({**record, **extra})


def jsonl() -> str:
    rows = [
        line(ONE, [span(ONE, "shelled", "VERB"), span(ONE, "Karsi", "LOCATION")], _id="one"),
        line(
            TWO,
            [
                span(TWO, "entered", "VERB"),
                span(TWO, "Amberton", "LOCATION"),
                span(TWO, "Pellis", "LOCATION"),
            ],
            _id="two",
        ),
        line(NONE, [span(NONE, "condemned", "VERB")], _id="none"),
        line(ONE, [span(ONE, "shelled", "VERB")], _id="rejected", answer="reject"),
        line(ONE, [], _id="no-verb"),
        "",
        "{not json",
    ]
    return "\n".join(rows) + "\n"


def test_loader_reads_prodigy_records(tmp_path: Path) -> None:
    path = write(tmp_path / "gold.jsonl.gz", gzip.compress(jsonl().encode()))
    records, skipped = task.load(path)
    assert [r.id for r in records] == ["one", "two", "none"]
    assert skipped == 3  # rejected answer, no VERB span, broken line
    one, two, none = records
    assert ONE[one.verb[0] : one.verb[1]] == "shelled"
    assert [ONE[s:e] for s, e in one.locations] == ["Karsi"]
    assert [TWO[s:e] for s, e in two.locations] == ["Amberton", "Pellis"]
    assert none.locations == () and none.verb_lemmas == ("x",)


GOLD = [
    GoldRecord("a", "x" * 40, (0, 5), ((10, 15),)),
    GoldRecord("b", "x" * 40, (0, 5), ((10, 15), (20, 25))),
    GoldRecord("c", "x" * 40, (0, 5), ((30, 35),)),
    GoldRecord("d", "x" * 40, (0, 5), ()),
]


def test_score_gold_as_prediction_is_perfect() -> None:
    predicted = [Prediction(g.locations[0], "p") if g.locations else None for g in GOLD]
    assert task.score(GOLD, predicted) == {"accuracy": 1.0}


def test_score_empty_prediction_is_zero() -> None:
    assert task.score(GOLD, [None] * len(GOLD)) == {"accuracy": 0.0}


def test_score_mixed_case() -> None:
    predicted = [
        Prediction((12, 14), "p"),  # inside the gold span: right
        Prediction((26, 30), "q"),  # next to (20, 25) but not overlapping: wrong
        None,  # no prediction: wrong
        Prediction((1, 2), "r"),  # no gold location: not in the accuracy
    ]
    # 1 right of the 3 records with a gold location
    assert task.score(GOLD, predicted)["accuracy"] == pytest.approx(1 / 3)


def records_for(text: str, *, mentions_at: list[int], trigger: str) -> ArticleRecords:
    """Records with one event at `trigger` in the first sentence, placed at "Karsi"
    mentioned at each of `mentions_at`."""
    article = Article(id="x", text=text, published=None)
    evidence = Evidence("test", 0.8, Span.of(text, 0, text.index(".") + 1))
    mentions = tuple(Mention(Span.of(text, s, s + 5), evidence) for s in mentions_at)
    start = text.index(trigger)
    event = Event("e1", "ASSAULT", Span.of(text, start, start + len(trigger)), evidence, place="p1")
    place = Place("p1", "Karsi", mentions)
    return ArticleRecords(article, places=(place,), events=(event,))


def test_prediction_is_the_mention_nearest_the_trigger() -> None:
    text = "Karsi saw rebels shell Karsi again."
    records = records_for(text, mentions_at=[0, 23], trigger="shell")
    # "shell" is 17-22: 12 characters after the first mention, 1 before the second
    found = task.predictions_from(records, (17, 22))
    assert found == Prediction((23, 28), "Karsi")
    assert task.predictions_from(records, (0, 5)) is None  # no event at that verb
    assert task.predictions_from(None, (17, 22)) is None


def test_prediction_prefers_mentions_in_the_event_sentence() -> None:
    text = "Karsi saw rebels attack. Karsi was calm."
    records = records_for(text, mentions_at=[0, 25], trigger="attack")
    # the next sentence's mention is nearer (gap 2) but outside the event's sentence
    assert task.predictions_from(records, (17, 23)) == Prediction((0, 5), "Karsi")


def test_run_on_fixture_counts(tmp_path: Path) -> None:
    write(tmp_path / "event_location" / "gold.jsonl", jsonl())
    report = task.TASK.run(tmp_path, None, 5)
    counts = report.counts
    assert counts["records"] == 3 and counts["records_skipped"] == 3
    assert counts["with_gold_location"] == 2 and counts["without_gold_location"] == 1
    assert counts["correct"] <= counts["with_prediction"] <= counts["with_event_at_verb"]
    assert 0.0 <= (report.metrics["accuracy"] or 0.0) <= 1.0
    assert len(report.errors) <= 5 and report.notes
    assert task.TASK.run(tmp_path, 2, 0).counts["records"] == 2
    assert task.TASK.run(tmp_path / "absent", None, 5).counts == {}


def test_run_on_shared_data(shared: Path) -> None:
    report = task.TASK.run(shared / "eval", 5, 2)
    if not report.counts:
        pytest.skip("no event_location data under ../shared/eval")
    assert report.counts["records"] == 5


def test_loader_reads_token_index_spans_through_the_tokens(tmp_path: Path) -> None:
    # Some records give a LOCATION's token indexes (token_end inclusive) in start/end.
    words = ONE.rstrip(".").split(" ")
    tokens, offset = [], 0
    for number, word in enumerate(words):
        tokens.append({"text": word, "start": offset, "end": offset + len(word), "id": number})
        offset += len(word) + 1
    karsi = words.index("Karsi")
    location = {"start": karsi, "end": karsi, "token_start": karsi, "token_end": karsi,
                "label": "LOCATION", "text": "Karsi"}  # fmt: skip
    row = line(ONE, [span(ONE, "shelled", "VERB"), location], tokens=tokens, _id="tok")
    path = write(tmp_path / "gold.jsonl", row + "\n")
    (record,), _ = task.load(path)
    start, end = record.locations[0]
    assert ONE[start:end] == "Karsi"
