"""The story stage as the scorecard runs it: predicted records written to a temporary
store in ingest-sized batches and linked by `resolve.run.resolve` after each, exactly as
`eventscope ingest` does, then read back (each key's story, each story's figures).

A text stored twice is one article (the store's id is a hash of the text), so two gold
keys with the same text share a story, as they would in the product.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eventscope.model import ArticleRecords
from eventscope.resolve.run import resolve
from eventscope.store import Store

from .metrics import bcubed

BATCH = 64


@dataclass(frozen=True, slots=True)
class StoryRun:
    """Each key's story (keys without records: their own), and each story's latest figures."""

    clusters: dict[str, str]
    figures: dict[str, dict[str, float]]
    events: dict[tuple[str, str], str]  # (key, event id) -> resolved event id
    seconds: float
    from_scratch: dict[str, str] | None = None


def run_stories(
    records: Mapping[str, ArticleRecords | None],
    *,
    order: Sequence[str] | None = None,
    from_scratch: bool = False,
) -> StoryRun:
    """Ingest the records (in `order`, default the mapping's) batch by batch into a
    temporary store, linking after each batch; `from_scratch` also rebuilds them all
    once at the end (`eventscope resolve --from-scratch`) and returns that too."""
    keys = list(order if order is not None else records)
    seconds = 0.0
    with (
        tempfile.TemporaryDirectory(prefix="eventscope-eval-") as tmp,
        Store(Path(tmp) / "stories.db") as store,
    ):
        present = [r for k in keys if (r := records.get(k)) is not None]
        for i in range(0, len(present), BATCH):
            batch = present[i : i + BATCH]
            store.write_batch(batch)
            seconds += resolve(store, given=batch).seconds
        clusters = _clusters(records, store.story_assignments())
        figures = {
            f"s{s['id']}": {k: float(v) for k, v in s["figures"].items()}
            for s in store.stories(limit=1_000_000).items
        }
        resolved = store.resolved_assignments()
        events = {
            (key, e.id): resolved[(r.article.id, e.id)]
            for key, r in records.items()
            if r is not None
            for e in r.events
            if (r.article.id, e.id) in resolved
        }
        scratch = None
        if from_scratch:
            resolve(store, from_scratch=True)
            scratch = _clusters(records, store.story_assignments())
    return StoryRun(clusters, figures, events, seconds, scratch)


def _clusters(
    records: Mapping[str, ArticleRecords | None], assigned: Mapping[str, int]
) -> dict[str, str]:
    found = {}
    for key, r in records.items():
        story = assigned.get(r.article.id) if r is not None else None
        found[key] = f"s{story}" if story is not None else key
    return found


def agreement(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """B-cubed F1 of one clustering against another (1.0: the same clusters)."""
    return float(bcubed(a, b)["f1"] or 0.0)


__all__ = ["BATCH", "StoryRun", "agreement", "run_stories"]
