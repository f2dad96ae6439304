"""Property-based fuzz of `extract` (Hypothesis, seeded and bounded; issue 20).

Text made of news phrases and hostile pieces (quote marks of every style, brackets,
numbers, dates, line breaks, control characters, other scripts) goes through every
stage. Whatever the text, extraction returns records, never a stage failure (W016)
or a time-limit rejection (W019); every span points into the text it quotes, and
every id a record gives (an event's actors and place, a figure's event, a quote's
speaker) is one of the article's records.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventscope.model import ArticleRecords
from eventscope.pipeline import extract_stream
from eventscope.sources.base import ReadOptions, make_article

from .conftest import REPORT

PHRASES = [
    "Police arrested 12 protesters in Almaty on Monday.", "Tokayev said", "“", "”", '"', "«",
    "»", "‘", "’", "'", "(", ")", "[", "—", " — добавил он.", ", according to police,",
    "At least 164 people were killed", "two dozen", "1e308", "9" * 40, "-3 people died",
    "on January 6", "last Friday", "in 2007,", "0000-00-00", "\n", "\n\n", "\t", "\x00",
    "\u200b", "\ufeff", "Kassym-Jomart Tokayev", "the CSTO", "Russia and Belarus and",
    "who said that", "he added.", "PENCE:", "Almaty, Kazakhstan", ", ", ". ", "!", "?",
    "killed", "shot", "the rebels accused the army of terrorism", "Привет Алматы", "¿Qué?",
    "100%", "$5", "http://example.com/" + "a" * 120, "(" * 30, "he said " * 5,
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.text(max_size=6)), min_size=1, max_size=80
).map(" ".join)
FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
)


def _spans(value: Any) -> list[dict[str, Any]]:
    """Every {start, end, text} object in a records dict."""
    if isinstance(value, list):
        return [s for v in value for s in _spans(v)]
    if not isinstance(value, dict):
        return []
    own = [value] if {"start", "end", "text"} <= value.keys() else []
    return own + [s for v in value.values() for s in _spans(v)]


def _check(records: ArticleRecords) -> None:
    text = records.article.text
    data = records.to_dict()
    for span in _spans({k: v for k, v in data.items() if k != "article"}):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["text"], span
    actors = {a.id for a in records.actors}
    places = {p.id for p in records.places}
    events = {e.id for e in records.events}
    for event in records.events:
        assert set(event.source) | set(event.target) <= actors
        assert event.place is None or event.place in places
    for figure in records.figures:
        assert figure.event is None or figure.event in events
        assert figure.reported_by is None or figure.reported_by in actors
    for quote in records.quotes:
        assert quote.speaker is None or quote.speaker in actors
        assert set(quote.events) <= events


@FUZZ
@given(texts)
def test_extract_returns_consistent_records_for_any_text(body: str) -> None:
    article = make_article(
        f"{REPORT[:120]}\n\n{body}",
        input_ref="fuzz",
        opts=ReadOptions(min_chars=1),
        published="2022-01-10",
    )
    (result,) = extract_stream([article], time_limit=15)
    assert isinstance(result, ArticleRecords), result
    _check(result)
