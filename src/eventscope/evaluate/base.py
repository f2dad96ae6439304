"""What every evaluation task shares: its report, finding its files, running the pipeline.

A task reads gold data in its original format, runs the same pipeline users run
(`pipeline.extract_stream`) on the gold texts, and scores the records against the gold.
"""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from eventscope.errors import W004, W005, W006, InputRejected
from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import Article, ArticleRecords, Rejected
from eventscope.pipeline import extract_stream
from eventscope.sources import ReadOptions
from eventscope.sources.base import make_article

log = logging.getLogger(__name__)

# Gold texts are sentences and snippets as much as articles: no length floor, no
# future-date check (corpora use placeholder dates), and a fixed date when none is given.
EVAL_OPTIONS = ReadOptions(min_chars=1, max_chars=5_000_000)
PLACEHOLDER_DATE = date(2000, 1, 1)


@dataclass
class TaskReport:
    """Scores of one task on one data set, with counts, notes and examples of misses."""

    task: str
    data: str
    metrics: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def collect_errors(self, batches: Iterable[Iterable[dict[str, Any]]], limit: int) -> None:
        """Keep up to `limit` misses from per-document batches; a lazy `batches` is
        consumed only until the list is full."""
        for batch in batches:
            if len(self.errors) >= limit:
                break
            self.errors.extend(list(batch)[: limit - len(self.errors)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "data": self.data,
            "metrics": {k: (round(v, 4) if isinstance(v, float) else v)
                        for k, v in self.metrics.items()},
            "counts": self.counts,
            "notes": self.notes,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }  # fmt: skip


@dataclass(frozen=True)
class Task:
    """An evaluation task: its name, what it measures, and the function that scores it.

    `run(path, limit, errors, kb)` finds its data under `path` (see `find_files`), scores
    it with the knowledge base `kb` (None: the shipped one) and returns a report; with no
    data found it returns a report whose counts are empty.
    """

    name: str
    description: str
    run: Callable[[Path, int | None, int, KnowledgeBase | None], TaskReport]


def find_files(path: Path, folder: str, patterns: Sequence[str]) -> list[Path]:
    """Data files of one format: `path` itself if it is a file matching a pattern, else
    matches under `path/folder` when that folder exists, else under `path`."""
    if path.is_file():
        return [path] if any(path.match(p) for p in patterns) else []
    if not path.is_dir():
        return []
    base = path / folder if (path / folder).is_dir() else path
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in base.rglob(pattern) if p.is_file())
    return sorted(found)


def open_maybe_gz(path: Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing `.gz`."""
    stream = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    return cast(IO[bytes], stream)


def gold_article(text: str, *, key: str, published: date | str | None = None) -> Article:
    """An Article for a gold text, exactly as the text is (offsets must stay valid).

    Raises InputRejected for a text that cannot be an article (empty, too long).
    """
    try:
        article = make_article(
            text, input_ref=key, opts=EVAL_OPTIONS, published=published or PLACEHOLDER_DATE
        )
    except InputRejected as exc:
        if exc.code not in (W004, W005, W006):
            raise
        # A gold date the reader refuses (malformed, out of range) must not cost the text.
        article = make_article(text, input_ref=key, opts=EVAL_OPTIONS, published=PLACEHOLDER_DATE)
    if article.text != text:
        # Normalisation changed the text (CRLF, NFC, trailing spaces): keep the gold text
        # so that gold offsets stay true; the pipeline reads it as given.
        from dataclasses import replace

        article = replace(article, text=text)
    return article


def predict(
    items: Iterable[tuple[str, str, date | str | None]],
    *,
    batch_size: int = 32,
    kb: KnowledgeBase | None = None,
) -> Iterator[tuple[str, ArticleRecords | None]]:
    """Run the pipeline on (key, text, published) items with the knowledge base `kb`
    (default the shipped one); yields (key, records or None).

    None means the pipeline rejected the text (its reason is logged).
    """
    keyed: list[str] = []
    refused: list[str] = []

    def articles() -> Iterator[Article]:
        for key, text, published in items:
            try:
                article = gold_article(text, key=key, published=published)
            except InputRejected as exc:  # e.g. an empty gold text: no prediction
                log.info("gold text %s not usable: %s", key, exc)
                refused.append(key)
                continue
            keyed.append(key)
            yield article

    for index, result in enumerate(extract_stream(articles(), batch_size=batch_size, kb=kb)):
        while refused:
            yield refused.pop(0), None
        yield keyed[index], (None if isinstance(result, Rejected) else result)
    for key in refused:
        yield key, None


def timed(run: Callable[..., TaskReport]) -> Callable[..., TaskReport]:
    """Decorator: fill a task report's `seconds`."""

    def wrapper(*args: Any, **kwargs: Any) -> TaskReport:
        started = time.perf_counter()
        report = run(*args, **kwargs)
        report.seconds = time.perf_counter() - started
        return report

    return wrapper


def limited(items: Sequence[Any], limit: int | None) -> Sequence[Any]:
    """The first `limit` items, or all."""
    return items if limit is None else items[: max(0, limit)]
