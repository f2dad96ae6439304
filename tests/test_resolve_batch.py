"""Resolvers: steps across articles, run on each ingest batch before the store write."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from eventscope.errors import NotFoundError
from eventscope.model import ArticleRecords
from eventscope.pipeline import ingest
from eventscope.resolve.batch import RESOLVERS, register_resolver
from eventscope.store import Store, StoreReader

from .conftest import REPORT, write


@pytest.fixture
def no_resolvers() -> Iterator[None]:
    before = dict(RESOLVERS)
    yield
    RESOLVERS.clear()
    RESOLVERS.update(before)


@pytest.mark.usefixtures("no_resolvers")
def test_a_resolver_sees_each_batch_and_the_store_before_the_write(
    tmp_path: Path, store: Store
) -> None:
    write(tmp_path / "old" / "a.txt", f"date 2022-01-05\n{REPORT}")
    ingest([str(tmp_path / "old")], store)
    [old] = store.articles()
    write(tmp_path / "new" / "b.txt", f"date 2022-01-06\n{REPORT} Police detained 40 people.")
    write(tmp_path / "new" / "c.txt", f"date 2022-01-07\n{REPORT} Two officers were killed.")
    seen: list[list[str]] = []
    stored_before: list[bool] = []

    @register_resolver("test-drop-events")
    def drop_events(
        batch: Sequence[ArticleRecords], reader: StoreReader
    ) -> Sequence[ArticleRecords]:
        seen.append([r.article.published.isoformat() for r in batch if r.article.published])
        assert reader.article(old.id).published == old.published
        assert reader.records(old.id)["events"]  # a stored article's records, through the reader
        for records in batch:
            assert records.events  # what extraction found, not yet written
            try:
                reader.article(records.article.id)
                stored_before.append(True)
            except NotFoundError:
                stored_before.append(False)
        return [dataclasses.replace(r, events=()) for r in batch]

    summary = ingest([str(tmp_path / "new")], store, batch_size=1)
    assert summary.stored == 2
    assert sorted(seen) == [["2022-01-06"], ["2022-01-07"]]  # one call per batch
    assert stored_before == [False, False]
    new = [a for a in store.articles() if a.id != old.id]
    assert len(new) == 2
    assert all(store.records(a.id)["events"] == [] for a in new)  # what it returned is stored
    assert store.records(old.id)["events"]
