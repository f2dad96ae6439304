"""The project's own sample corpus: every report in every format stored, none rejected."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from eventscope.pipeline import ingest
from eventscope.store import Store

from .conftest import SAMPLE_CORPUS


@pytest.mark.slow
def test_sample_corpus_ingests_cleanly(store: Store) -> None:
    summary = ingest([str(SAMPLE_CORPUS)], store)
    assert summary.rejected == 0, list(store.rejected())
    assert summary.duplicates == 0
    assert summary.stored >= 30
    found = store.articles(limit=1000)
    assert min(a.published for a in found if a.published) >= date(2022, 1, 2)
    assert max(a.published for a in found if a.published) <= date(2022, 1, 20)
    languages = Counter(a.language for a in found)
    assert languages["ru"] >= 3 and languages["en"] >= 27
    kinds = Counter(
        "jsonl" if ".jsonl:" in ref else "feed" if "feed.xml#" in ref else ref.rsplit(".", 1)[-1]
        for ref in (a.input_ref or "" for a in found)
    )
    assert {"txt", "jsonl", "html", "feed"} <= set(kinds), kinds
    assert all(a.title for a in found), [a.input_ref for a in found if not a.title]
