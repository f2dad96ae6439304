"""`eventscope explain`: why an event was coded so, from the stored records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventscope.errors import NotFoundError
from eventscope.explain import article_spans, explain_event
from eventscope.store import Store

from .conftest import write
from .test_cli import run

TEXT = (
    "date 2022-01-10\n"
    "Kazakh police arrested dozens of protesters in Almaty on Saturday, the Interior "
    "Ministry said.\n"
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explain")
    db = folder / "e.db"
    assert run("ingest", str(write(folder / "a.txt", TEXT)), "--db", str(db)).exit_code == 0
    return db


def test_explain_names_trigger_rule_arguments_date_and_place(store_path: Path) -> None:
    with Store(store_path, readonly=True) as store:
        (article,) = store.articles()
        records = store.records(article.id)
    event = next(e for e in records["events"] if e["type"] == "COERCE")
    lines = explain_event(records, event["id"])
    text = "\n".join(lines)
    assert "COERCE (arrest)" in lines[0] and "trigger 'arrested'" in lines[1]
    assert "source: " in text and "none found" not in text.split("source: ")[1].split("\n")[0]
    assert "date: 2022-01-08 (a date expression of the event" in text
    assert "place: Almaty" in text
    with pytest.raises(NotFoundError, match="no event e99"):
        explain_event(records, "e99")


def test_explain_command(store_path: Path) -> None:
    with Store(store_path, readonly=True) as store:
        (article,) = store.articles()
        event = next(e for e in store.records(article.id)["events"] if e["type"] == "COERCE")
    result = run("explain", f"{article.id}:{event['id']}", "--db", str(store_path), "--json")
    assert result.exit_code == 0
    found = json.loads(result.output)
    assert found["event"]["id"] == event["id"] and found["explanation"]
    bad = run("explain", "no-colon", "--db", str(store_path))
    assert bad.exit_code != 0 and "ARTICLE_ID:EVENT_ID" in bad.output


def test_article_spans_explain_each_span() -> None:
    records = {
        "actors": [{"id": "a1", "name": "Kassym-Jomart Tokayev", "type": "person",
                    "country": "KAZ", "sector": "GOV",
                    "mentions": [{"start": 0, "end": 7, "rule": "entities.kb.person"}]}],
        "events": [{"id": "e1", "type": "COERCE", "mode": "arrest", "cameo": "173",
                    "date": "2022-01-08", "modality": [], "rule": "events.verb.detain",
                    "trigger": {"start": 8, "end": 16}}],
        "figures": [
            {"kind": "arrested", "value": 10000, "low": None, "high": 10000,
             "qualifier": "at_most", "reported_by": "a1", "span": {"start": 20, "end": 25}},
            {"kind": "killed", "value": 20, "low": 20, "high": 30, "qualifier": "range",
             "span": {"start": 30, "end": 40}},
        ],
        "quotes": [{"speaker": "a1", "kind": "direct", "content": {"start": 50, "end": 60},
                    "cue": {"start": 45, "end": 49}, "speaker_span": {"start": 41, "end": 44}}],
    }  # fmt: skip
    labels = {(s["kind"], s["start"]): s["label"] for s in article_spans(records)}
    assert labels[("actor", 0)] == "actor: Kassym-Jomart Tokayev, person, KAZ/GOV"
    assert labels[("event", 8)] == "event: COERCE, arrest, CAMEO 173, 2022-01-08"
    assert labels[("figure", 20)] == (
        "figure: arrested, 10000, at_most, according to Kassym-Jomart Tokayev"
    )
    assert labels[("figure", 30)] == "figure: killed, 20-30, range"
    assert labels[("quote", 50)] == "quote: direct, said by Kassym-Jomart Tokayev"
    assert labels[("cue", 45)] == "cue: of Kassym-Jomart Tokayev"
    starts = [s["start"] for s in article_spans(records)]
    assert starts == sorted(starts)
