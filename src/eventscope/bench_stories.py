"""The story stage's cost as the store grows: a corpus ingested as consecutive runs into
one store (in publication order, as a feed would bring it), each run's ingest time and
the part of it the story stage took, and the last run again into an empty store.

The aim (issue 19): the stage at most 5% of ingest time, and its time per article flat
as the store grows, which the control run shows apart from what the articles themselves
cost: if the last run costs the same per article in the full store as in an empty one,
the store's size is not what it pays for.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventscope.errors import E003, E008, InputError
from eventscope.model import Article
from eventscope.pipeline import Timings, ingest
from eventscope.sources import ReadOptions, read_paths
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


def _write(articles: list[Article], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for a in articles:
            published = a.published.isoformat() if a.published else None
            record = {"text": a.text, "date": published, "title": a.title, "url": a.url,
                      "source": a.source, "language": a.language}  # fmt: skip
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


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
    opts = ReadOptions(min_chars=1, max_chars=10_000_000)
    read = [a for a in read_paths([str(corpus)], opts) if isinstance(a, Article)]
    articles = list({a.id: a for a in read}.values())
    articles.sort(key=lambda a: (a.published.isoformat() if a.published else "", a.id))
    articles = articles[:limit]
    if not articles:
        raise InputError(E008, f"no articles could be read from {corpus}")
    report = StoriesBenchReport(str(corpus), len(articles))
    size = -(-len(articles) // runs)
    with tempfile.TemporaryDirectory() as folder:
        parts = [
            _write(articles[i : i + size], Path(folder) / f"run{n}.jsonl")
            for n, i in enumerate(range(0, len(articles), size))
        ]
        with Store(Path(folder) / "grown.db") as store:
            report.runs = [_run(store, part) for part in parts]
        with Store(Path(folder) / "empty.db") as store:
            report.control = _run(store, parts[-1])
    return report


__all__ = ["StoriesBenchReport", "bench_stories"]
