"""The project's own annotated corpus (corpus/, docs/annotation.md) keeps its guidelines:
every span is in its text, every id, type and mode is known, and every story is in one
split."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.evaluate.own import ROOT, OwnArticle, load, problems, span_at, split_of, splits

ARTICLES = load()


def test_spans_name_their_occurrence() -> None:
    text = "He said no. Then he said yes."
    assert span_at(text, "said") == (3, 7)
    assert span_at(text, "said@2") == (20, 24)
    assert span_at(text, "said@3") is None
    assert span_at(text, "e-mail@x") is None
    assert span_at("write to a@b", "a@b") == (9, 12)


def test_a_broken_annotation_is_caught(tmp_path: Path) -> None:
    story = tmp_path / "s"
    story.mkdir()
    (story / "01.txt").write_text("date 2022-01-05\n\nTitle\n\nPolice arrested him.\n")
    (story / "01.yaml").write_text(
        "style: wire\nactors: [{id: a1, type: person, mentions: [Police]}]\n"
        "events: [{id: e1, type: COERCE, mode: jail, trigger: detained, source: [a2]}]\n"
    )
    (found,) = load(tmp_path)
    assert problems(found) == [
        "event e1 type/mode COERCE/jail",
        "event e1 trigger span not in the text: 'detained'",
        "event e1 names unknown actor 'a2'",
    ]


@pytest.mark.parametrize("article", ARTICLES, ids=[a.ref for a in ARTICLES])
def test_each_annotation_keeps_the_guidelines(article: OwnArticle) -> None:
    assert problems(article) == []


def test_every_story_is_in_the_split_its_name_hashes_to() -> None:
    stories = sorted({a.story for a in ARTICLES})
    chosen = splits(ROOT)
    named = [s for part in chosen.values() for s in part]
    assert sorted(named) == stories
    for part, members in chosen.items():
        assert all(split_of(story) == part for story in members), part
