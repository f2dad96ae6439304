"""The learned event review (extract/events_learned.py), its training (learn/events.py)
and the own-corpus task that scores it (evaluate/own_task.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eventscope.evaluate import own
from eventscope.evaluate.own_task import ArticleScore, Tally, body_of, metrics
from eventscope.evaluate.own_task import run as run_own
from eventscope.extract import events_learned
from eventscope.extract.events_learned import NONE, EventModel, decide, load_model, shipped
from eventscope.learn import events as learn
from eventscope.model import Article, ArticleRecords, Event, Evidence, Span

TEXT = (
    "date 2022-01-05\n\nPolice detain activist\n\n"
    "Police arrested Ana Ruiz on Tuesday. She had led a march in May. "
    "The city is quiet.\n"
)
ANNOTATION = {
    "style": "wire",
    "actors": [
        {"id": "a1", "name": "police", "type": "group", "country": "ESP", "mentions": ["Police@2"]},
        {
            "id": "a2",
            "name": "Ana Ruiz",
            "type": "person",
            "country": "ESP",
            "mentions": ["Ana Ruiz", "She"],
        },
    ],
    "events": [
        {
            "id": "e1",
            "type": "COERCE",
            "mode": "arrest",
            "trigger": "arrested",
            "source": ["a1"],
            "target": ["a2"],
            "date": "2022-01-04",
            "place": None,
            "modality": "factual",
        },
        {
            "id": "e2",
            "type": "PROTEST",
            "mode": "march",
            "trigger": "march",
            "source": ["a2"],
            "target": [],
            "date": "2021-05",
            "place": None,
            "modality": "factual",
        },
    ],
}


def _article() -> own.OwnArticle:
    return own.OwnArticle("s", "01", TEXT, None, ANNOTATION)


def _event(article: own.OwnArticle, ident: str, kind: str, word: str, **fields: object) -> Event:
    _shift, body = body_of(article)
    start = body.index(word)
    sentence_start = body.rfind(". ", 0, start) + 2 if ". " in body[:start] else 0
    sentence_end = body.index(".", start) + 1
    sentence = Span(sentence_start, sentence_end, body[sentence_start:sentence_end])
    trigger = Span(start, start + len(word), word)
    return Event(ident, kind, trigger, Evidence("test", 0.5, sentence), **fields)  # type: ignore[arg-type]


def _records(article: own.OwnArticle, events: list[Event]) -> ArticleRecords:
    _shift, body = body_of(article)
    from eventscope.model import Actor, Mention

    police = body.index("Police arrested")
    actor = Actor(
        "a9",
        "police",
        "group",
        (Mention(Span(police, police + 6, "Police"), Evidence("t", 1.0)),),
        "ESP",
    )
    return ArticleRecords(Article("x", body, None), actors=(actor,), events=tuple(events))


def test_events_match_by_type_and_trigger_sentence() -> None:
    article = _article()
    arrest = _event(article, "e1", "COERCE", "arrested", source=("a9",), date="2022-01-04",
                    date_precision="day")  # fmt: skip
    wrong = _event(article, "e2", "ASSAULT", "march")  # right sentence, wrong type
    quiet = _event(article, "e3", "PROTEST", "quiet")  # no gold event in its sentence
    scored = ArticleScore(article, _records(article, [arrest, wrong, quiet]))
    assert [(g["id"], e.id) for g, e in scored.event_pairs()] == [("e1", "e1")]
    assert {(g["id"], e.id) for g, e in scored.event_pairs(typed=False)} == {
        ("e1", "e1"), ("e2", "e2")}  # fmt: skip
    # for training: e2 stands for the gold PROTEST (its type was wrong); e3 for nothing
    assert scored.labels() == {"e1": ("COERCE", "arrest"), "e2": ("PROTEST", "march")}
    tally = Tally()
    scored.score(tally)
    m = metrics(tally, "x")
    assert m["x.event_precision"] == pytest.approx(1 / 3)
    assert m["x.event_recall"] == pytest.approx(1 / 2)
    assert m["x.detection_recall"] == pytest.approx(1.0)
    # the source is found (mapped by its mention), the target is not
    assert m["x.source_f1"] == pytest.approx(1.0)
    assert m["x.target_recall"] == pytest.approx(0.0)
    assert m["x.date_accuracy"] == pytest.approx(1.0)


def _model(weights: dict[str, list[float]], classes: tuple[str, ...]) -> EventModel:
    names = sorted(weights)
    matrix = np.array([weights[n] for n in names])
    return EventModel(classes, {n: i for i, n in enumerate(names)}, matrix,
                      np.zeros(len(classes)), 0, 0.5, True)  # fmt: skip


def test_the_review_drops_no_events_and_retypes_when_surer() -> None:
    classes = (NONE, "ASSAULT", "COERCE")
    model = _model({"lemma=fire": [3.0, 0.0, 0.0], "lemma=shoot": [0.0, 3.0, 0.0],
                    "child=dobj:masimov": [0.0, 0.0, 4.0]}, classes)  # fmt: skip
    vector = np.zeros(0)
    assert decide(model, ["lemma=fire"], vector, "ASSAULT") == NONE
    assert decide(model, ["lemma=shoot"], vector, "ASSAULT") == "ASSAULT"
    assert decide(model, ["lemma=shoot", "child=dobj:masimov"], vector, "ASSAULT") == "COERCE"
    assert decide(model, ["lemma=fire"], vector, "ASSAULT", threshold=1.01) == "ASSAULT"
    p = model.proba(["lemma=fire", "unknown"], vector)
    assert p.sum() == pytest.approx(1.0) and p.argmax() == 0


def test_a_model_survives_saving(tmp_path: Path) -> None:
    model = _model({"a": [1.0, -1.0], "b": [0.5, 0.25]}, (NONE, "PROTEST"))
    model.save(tmp_path / "m.npz", digest="abc")
    back = load_model(tmp_path / "m.npz")
    assert back.classes == model.classes and back.vocabulary == model.vocabulary
    assert back.threshold == 0.5 and back.rule_features
    assert np.allclose(back.proba(["a"], np.zeros(0)), model.proba(["a"], np.zeros(0)))


STORY = (
    "date 2023-03-0{day}\n\nUnrest in {city}\n\n"
    "Police arrested {name} in {city} on Monday. Hundreds of students protested outside the "
    "court on Tuesday. The mayor said the city was calm. A football coach was fired after "
    "the season.\n"
)


def _corpus(root: Path) -> None:
    stories = []
    for n, (city, name) in enumerate([("Lyon", "Paul Morel"), ("Turin", "Gianni Rossi"),
                                      ("Porto", "Rui Costa")], start=1):  # fmt: skip
        story = root / f"story-{n}"
        story.mkdir(parents=True)
        stories.append(story.name)
        (story / "01.txt").write_text(STORY.format(day=n, city=city, name=name))
        annotation = {
            "style": "wire",
            "actors": [
                {"id": "a1", "name": "police", "type": "group", "mentions": ["Police"]},
                {"id": "a2", "name": name, "type": "person", "mentions": [name]},
                {"id": "a3", "name": "students", "type": "group", "mentions": ["students"]},
            ],
            "events": [
                {
                    "id": "e1",
                    "type": "COERCE",
                    "mode": "arrest",
                    "trigger": "arrested",
                    "source": ["a1"],
                    "target": ["a2"],
                    "date": f"2023-03-0{n}",
                },
                {
                    "id": "e2",
                    "type": "PROTEST",
                    "mode": "demo",
                    "trigger": "protested",
                    "source": ["a3"],
                    "target": [],
                },
            ],
            "not_events": ["fired"],
        }
        import yaml

        (story / "01.yaml").write_text(yaml.safe_dump(annotation))
    (root / "splits.yaml").write_text(f"train: {stories}\ndev: []\ntest: []\n")


def test_training_writes_both_arms_and_is_deterministic(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    first = learn.train(tmp_path / "corpus", tmp_path / "a")
    again = learn.train(tmp_path / "corpus", tmp_path / "b")
    assert first["articles"] == 3 and first["gold_events"] == 6
    assert first["candidates"] >= 6 and first["labels"].get("COERCE") == 3
    for arm in ("combined", "learned"):
        a = load_model(tmp_path / "a" / f"events-{arm}.npz")
        b = load_model(tmp_path / "b" / f"events-{arm}.npz")
        assert a.vocabulary == b.vocabulary and np.array_equal(a.weights, b.weights)
        assert a.rule_features == (arm == "combined")
        if not a.rule_features:
            assert not any(n.startswith(learn.RULE_PREFIXES) for n in a.vocabulary)
    assert first == again


def test_the_own_task_scores_each_split(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    report = run_own(tmp_path, None, 5, None)
    assert report.counts == {"train_articles": 3, "train_events": 6}
    assert 0.0 < report.metrics["train.event_recall"] <= 1.0  # type: ignore[operator]
    assert all(name.startswith("train.") for name in report.metrics)


def test_the_rules_arm_turns_the_review_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    assert events_learned.arm() == "rules"
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "nonsense")
    assert events_learned.arm() == "combined"


@pytest.mark.skipif(shipped("combined") is None, reason="no shipped model (run `make model`)")
def test_the_shipped_models_were_trained_on_the_current_train_split() -> None:
    import numpy

    for arm in ("combined", "learned"):
        data = numpy.load(events_learned.MODELS / f"events-{arm}.npz")
        assert str(data["digest"]) == learn.digest(learn.train_articles()), (
            f"kb/learned/events-{arm}.npz is stale: run `make model`"
        )
