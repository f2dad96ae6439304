from __future__ import annotations

import json
from datetime import date

from eventscope.model import (
    Actor,
    Article,
    ArticleRecords,
    Event,
    Evidence,
    Figure,
    Mention,
    Quote,
    Span,
    article_id,
)

TEXT = "Police detained 7,939 people, the ministry said on Monday."


def test_article_id_ignores_case_spacing_and_composition() -> None:
    assert article_id("Almaty  protests\n") == article_id("almaty protests")
    assert article_id("Almatí") == article_id("Almati\u0301")  # NFC vs decomposed
    assert article_id("Almaty protests") != article_id("Astana protests")


def test_span_of_takes_text_at_offsets() -> None:
    span = Span.of(TEXT, 16, 21)
    assert span == Span(16, 21, "7,939")


def test_records_json_contract_has_the_fixed_keys() -> None:
    article = Article(id=article_id(TEXT), text=TEXT, published=date(2022, 1, 10), language="en")
    sentence = Span.of(TEXT, 0, len(TEXT))
    ministry = Actor(
        "a1",
        "ministry",
        "organization",
        (Mention(Span.of(TEXT, 34, 42), Evidence("test", 0.5, sentence)),),
    )
    event = Event(
        "e1", "COERCE", Span.of(TEXT, 7, 15), Evidence("test", 0.9, sentence), mode="arrest"
    )
    figure = Figure("arrested", 7939, Span.of(TEXT, 16, 21), Evidence("test", 0.9), event="e1")
    quote = Quote(Span.of(TEXT, 0, 28), "indirect", Evidence("test", 0.7), speaker="a1")
    records = ArticleRecords(
        article, actors=(ministry,), events=(event,), figures=(figure,), quotes=(quote,)
    )
    data = json.loads(records.to_json())
    assert set(data) == {"article", "actors", "places", "dates", "events", "figures", "quotes"}
    assert {"id", "published", "language", "title", "text"} <= set(data["article"])
    assert {"id", "name", "type", "country", "sector", "aliases", "mentions"} <= set(
        data["actors"][0]
    )
    assert data["actors"][0]["mentions"][0]["text"] == "ministry"
    event_keys = {"id", "type", "mode", "context", "cameo", "source", "target", "date",
                  "date_precision", "place", "modality", "trigger", "sentence", "confidence",
                  "rule"}  # fmt: skip
    assert event_keys <= set(data["events"][0])
    assert data["events"][0]["trigger"] == {"start": 7, "end": 15, "text": "detained"}
    assert {"kind", "value", "qualifier", "reported_by", "as_of", "event", "span"} <= set(
        data["figures"][0]
    )
    assert {"speaker", "cue", "content", "kind", "addressee"} <= set(data["quotes"][0])
    assert data["article"]["published"] == "2022-01-10"
