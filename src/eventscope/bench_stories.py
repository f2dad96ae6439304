"""The story stage's cost as the store grows: a corpus ingested as consecutive runs into
one store (in publication order, as a feed would bring it), each run's ingest time and
the part of it the story stage took, and the last run again into an empty store.

The aim (issue 19): the stage at most 5% of ingest time, and its time per article flat
as the store grows, which the control run shows apart from what the articles themselves
cost: if the last run costs the same per article in the full store as in an empty one,
the store's size is not what it pays for.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventscope.bench import read_corpus, write_corpus
from eventscope.errors import E003, InputError
from eventscope.pipeline import Timings, ingest
from eventscope.store import Store


@dataclass
class StoriesBenchReport:
    corpus: str
    articles: int
    runs: list[dict[str, Any]] = field(default_factory=list)
    control: dict[str, Any] = field(default_factory=dict)  # the last run, empty store

    def to_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "articles": self.articles, "runs": self.runs,
                "control": self.control}  # fmt: skip


def _run(store: Store, part: Path) -> dict[str, Any]:
    clock = Timings()
    started = time.perf_counter()
    summary = ingest([str(part)], store, timings=clock)
    total = time.perf_counter() - started
    stage = clock.get("stories", 0.0)
    n = max(1, summary.stored)
    return {
        "stored": summary.stored,
        "ingest_seconds": round(total, 3),
        "ms_per_article": round(1000 * total / n, 2),
        "stories_ms_per_article": round(1000 * stage / n, 2),
        "stories_share": round(stage / total, 4) if total else 0.0,
        "stories_in_store": int(store.stats().get("stories") or 0),
    }


def bench_stories(corpus: Path, *, runs: int = 4, limit: int | None = None) -> StoriesBenchReport:
    """Ingest `corpus` as `runs` consecutive runs into one store, then its last run into
    an empty store."""
    if runs < 1:
        raise InputError(E003, "runs must be positive")
    articles = read_corpus(corpus)
    articles.sort(key=lambda a: (a.published.isoformat() if a.published else "", a.id))
    articles = articles[:limit]
    report = StoriesBenchReport(str(corpus), len(articles))
    size = -(-len(articles) // runs)
    with tempfile.TemporaryDirectory() as folder:
        chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
        parts = [
            write_corpus(chunk, Path(folder) / f"run{n}.jsonl", [a.language for a in chunk],
                         metadata=True)
            for n, chunk in enumerate(chunks)
        ]  # fmt: skip
        with Store(Path(folder) / "grown.db") as store:
            report.runs = [_run(store, part) for part in parts]
        with Store(Path(folder) / "empty.db") as store:
            report.control = _run(store, parts[-1])
    return report


__all__ = ["StoriesBenchReport", "bench_stories"]
