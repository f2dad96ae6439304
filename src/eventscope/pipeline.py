"""Sources -> articles -> language -> one parse -> extraction stages -> resolvers -> store.

`extract_stream` is the one code path from articles to records; `extract` (one text, the
Python API), `extract_batch`, `ingest` (paths into a store), the scorecard and the bench
all go through it. Each article gets its own `ArticleContext` (parse, knowledge base,
shared token index), handed to every stage; the knowledge base is a value passed in
(`kb=`), never read from the environment. `ingest` runs the registered resolvers
(`resolve.batch`) on each batch before writing it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from eventscope.errors import E003, W016, W019, InputError
from eventscope.extract import Stage, stages_for
from eventscope.extract.budget import DEFAULT_SECONDS, Budget, OverBudget
from eventscope.extract.context import ArticleContext
from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import Article, ArticleRecords, Rejected, cap_metadata, word_count
from eventscope.nlp.lang import LANGUAGES, detect_language, normalise_language
from eventscope.nlp.parse import parse_stream
from eventscope.resolve.batch import RESOLVERS, resolve_batch
from eventscope.resolve.run import resolve as resolve_stories
from eventscope.sources import InputRejected, ReadOptions, read_paths
from eventscope.sources.base import make_article
from eventscope.sources.files import display_path
from eventscope.store import StoreBackend, StoreWriter

log = logging.getLogger(__name__)


def with_language(article: Article) -> Article:
    """The article with its language: the given one normalised, else detected."""
    given = normalise_language(article.language)
    found = given if given else detect_language(article.text)
    return article if found == article.language else dataclasses.replace(article, language=found)


def _required(stages: Sequence[Stage]) -> set[str]:
    return {component for stage in stages for component in stage.requires}


class Timings(dict[str, float]):
    """Seconds spent per pipeline step ("read", "language", "parse", each stage, "store").

    Steps that run upstream of the parser (reading, language detection) run while
    `nlp.pipe` pulls its input; `upstream` sums them so the parse time can exclude them.
    """

    upstream: float = 0.0

    def add(self, step: str, seconds: float, *, upstream: bool = False) -> None:
        self[step] = self.get(step, 0.0) + seconds
        if upstream:
            self.upstream += seconds

    def shares(self) -> dict[str, float]:
        """Each step's share of the total time."""
        total = sum(self.values())
        return {step: (t / total if total else 0.0) for step, t in self.items()}


def extract_stream(
    articles: Iterable[Article],
    *,
    stages: Sequence[Stage] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    timings: Timings | None = None,
    kb: KnowledgeBase | None = None,
    time_limit: float | None = DEFAULT_SECONDS,
) -> Iterator[ArticleRecords | Rejected]:
    """Records of each article, in order; an article whose extraction fails (W016) or
    takes more than `time_limit` seconds of stages (W019; None: no limit) is Rejected.

    `stages` run in the order given (`stages_for` orders and checks them; default all);
    `kb` is the knowledge base (default the shipped one). With `timings`, the time of
    each step is added to it (for `eventscope bench`).
    """
    chosen = stages_for() if stages is None else list(stages)
    knowledge = KnowledgeBase() if kb is None else kb
    clock = Timings() if timings is None else timings
    languages = _timed_languages(articles, clock)
    parsed_all = parse_stream(
        languages, components=_required(chosen), batch_size=batch_size, n_process=n_process
    )
    while True:
        # nlp.pipe pulls articles (reading, language detection) while it parses: the
        # upstream time spent inside this call is taken out of the parse time.
        started, upstream_before = time.perf_counter(), clock.upstream
        parsed = next(parsed_all, None)
        upstream = clock.upstream - upstream_before
        clock.add("parse", time.perf_counter() - started - upstream)
        if parsed is None:
            return
        article = parsed.article
        records = ArticleRecords(article)
        ctx = ArticleContext(parsed, knowledge)  # one per article: nothing leaks to the next
        ref = article.input_ref or article.id
        try:
            with Budget(time_limit) as budget:
                for stage in chosen:
                    if (article.language or "xx") in stage.languages:
                        started, budget.stage = time.perf_counter(), stage.name
                        records = stage.fn(ctx, records)
                        clock.add(stage.name, time.perf_counter() - started)
                        budget.check()
        except OverBudget as over:
            log.warning("%s: %s", ref, over)
            size = f"{len(article.text):,} characters"
            yield Rejected(ref, W019, f"{over} ({size}); a larger --time-limit may read it")
            continue
        except Exception as exc:  # one bad article must not stop a batch
            log.exception("extraction failed on %s", article.input_ref)
            yield Rejected(ref, W016, f"{type(exc).__name__}: {exc}")
            continue
        yield records


def _timed_languages(articles: Iterable[Article], clock: Timings) -> Iterator[Article]:
    for given in articles:
        started = time.perf_counter()
        article = cap_metadata(given)  # every reader's articles pass here (model.FIELD_LIMITS)
        if article is not given:
            log.info("%s: %s cut to their limits", given.input_ref, ", ".join(article.truncated))
        found = with_language(article)
        clock.add("language", time.perf_counter() - started, upstream=True)
        yield found


def extract_batch(
    articles: Sequence[Article],
    *,
    stages: Sequence[Stage] | None = None,
    kb: KnowledgeBase | None = None,
    time_limit: float | None = DEFAULT_SECONDS,
) -> list[ArticleRecords | Rejected]:
    """`extract_stream` over a list, as a list."""
    return list(extract_stream(articles, stages=stages, kb=kb, time_limit=time_limit))


def extract(
    text: str,
    *,
    published: date | str | None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    language: str | None = None,
    stages: Iterable[str] | None = None,
    kb: KnowledgeBase | None = None,
) -> ArticleRecords:
    """Every record of one article (or of the `stages` named and those they read from).
    Raises InputError (E003) if the text is not usable.

    >>> extract("Protesters marched in Almaty on Monday ...", published="2022-01-10")
    """
    opts = ReadOptions(min_chars=1)
    try:
        article = make_article(
            text,
            input_ref=source or "<text>",
            opts=opts,
            published=published,
            title=title,
            url=url,
            source=source,
            language=language,
        )
    except InputRejected as exc:
        raise InputError(E003, exc.reason, hint=f"rejection {exc.code}") from exc
    chosen = stages_for(stages, with_dependencies=True) if stages is not None else None
    result = extract_batch([article], stages=chosen, kb=kb)[0]
    if isinstance(result, Rejected):
        raise InputError(E003, result.reason, hint=f"rejection {result.code}")
    return result


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did: read = stored + duplicates + rejected."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_code: Counter[str] = field(default_factory=Counter)
    words: int = 0
    linked: int = 0  # articles the story stage placed in a story
    seconds: float = 0.0
    run_id: int | None = None
    db: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "rejected_by_code": dict(sorted(self.rejected_by_code.items())),
            "words": self.words,
            "linked": self.linked,
            "seconds": round(self.seconds, 3),
            "run_id": self.run_id,
            "db": self.db,
        }


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: Sequence[str],
    store: StoreBackend,
    *,
    opts: ReadOptions | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    stages: Iterable[str] | None = None,
    on_batch: Callable[[IngestSummary], None] | None = None,
    timings: Timings | None = None,
    kb: KnowledgeBase | None = None,
    stories: bool = True,
    time_limit: float | None = DEFAULT_SECONDS,
) -> IngestSummary:
    """Read every input under `paths`, extract (the `stages` named and those they read
    from; default all), resolve and store it, batch by batch, and link each stored batch
    into stories (`resolve.run`; `stories=False` leaves that to `eventscope resolve`).
    An article whose stages take over `time_limit` seconds is rejected (W019).

    Each batch is one transaction. Articles already in the store are counted as
    duplicates before any parsing, so a re-run after a crash only works on what is new;
    it first links what the crashed run stored but did not link, and cuts the rest into
    the same batches (of `batch_size` articles: rejections do not count), so that the
    story stage, which links batch after batch, gives the stories an uninterrupted run does.
    The registered resolvers see each batch before it is written, and the store through
    its reader.
    """
    if batch_size < 1 or n_process < 1:
        raise InputError(E003, f"batch size {batch_size}, processes {n_process}",
                         hint="use positive numbers")  # fmt: skip
    opts = opts or ReadOptions()
    chosen = stages_for(stages, with_dependencies=True)
    summary = IngestSummary(db=str(store.path))
    summary.run_id = store.start_run([display_path(p) for p in paths])  # storable text
    started = time.perf_counter()
    pending: list[Rejected] = []
    status = "failed"

    clock = Timings() if timings is None else timings

    def write(records: list[ArticleRecords]) -> None:
        if records and RESOLVERS:
            started_resolve = time.perf_counter()
            records = resolve_batch(records, store)
            clock.add("resolve", time.perf_counter() - started_resolve)
        started_write = time.perf_counter()
        stored = store.write_batch(records, pending)
        clock.add("store", time.perf_counter() - started_write)
        if stories:
            started_stories = time.perf_counter()
            summary.linked += resolve_stories(store, given=records).articles
            clock.add("stories", time.perf_counter() - started_stories)
        # Another process may have stored some of these meanwhile: duplicates too.
        summary.duplicates += len(records) - stored
        summary.stored += stored
        summary.words += sum(word_count(r.article.text) for r in records)
        summary.rejected += len(pending)
        summary.rejected_by_code.update(r.code for r in pending)
        for item in pending:
            log.warning("%s rejected %s: %s", item.code, item.input_ref, item.reason)
        pending.clear()
        summary.seconds = time.perf_counter() - started
        store.update_run(summary.run_id or 0, summary.to_dict())
        if on_batch:
            on_batch(summary)

    try:
        if stories:  # articles a crashed run stored but did not link: alone, as it would
            summary.linked += resolve_stories(store).articles
        items = _timed_reading(read_paths(list(paths), opts), clock)
        fresh = _fresh_articles(items, store, summary, pending, batch_size, flush=write)
        results = extract_stream(
            fresh,
            stages=chosen,
            batch_size=batch_size,
            n_process=n_process,
            timings=clock,
            kb=kb,
            time_limit=time_limit,
        )
        batch: list[ArticleRecords] = []
        for result in results:
            if isinstance(result, Rejected):
                pending.append(result)
            else:
                batch.append(result)
            # By articles alone: a re-run reads the stored articles' rejections again.
            if len(batch) >= batch_size or len(pending) >= batch_size:
                write(batch)
                batch = []
        write(batch)
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        store.update_run(summary.run_id, summary.to_dict(), status=status)
    return summary


def _timed_reading(items: Iterator[Article | Rejected], clock: Timings) -> Iterator[Any]:
    while True:
        started = time.perf_counter()
        item = next(items, None)
        clock.add("read", time.perf_counter() - started, upstream=True)
        if item is None:
            return
        yield item


def _fresh_articles(
    items: Iterable[Article | Rejected],
    store: StoreWriter,
    summary: IngestSummary,
    pending: list[Rejected],
    batch_size: int,
    *,
    flush: Callable[[list[ArticleRecords]], None],
) -> Iterator[Article]:
    """Articles not stored yet; rejections go to `pending` (flushed to the store when a
    batch of them builds up, so a run of bad inputs is saved too), duplicates counted."""
    seen: set[str] = set()
    for chunk in _batches(items, batch_size):
        summary.read += len(chunk)
        articles = []
        for item in chunk:
            if isinstance(item, Rejected):
                pending.append(item)
            else:
                articles.append(item)
        if len(pending) >= batch_size:
            flush([])
        already = store.existing_ids(a.id for a in articles)
        now = datetime.now(UTC)
        for article in articles:
            if article.id in already or article.id in seen:
                summary.duplicates += 1
                continue
            seen.add(article.id)
            yield dataclasses.replace(article, ingested_at=now)


__all__ = [
    "LANGUAGES",
    "IngestSummary",
    "Timings",
    "extract",
    "extract_batch",
    "extract_stream",
    "ingest",
    "with_language",
]
