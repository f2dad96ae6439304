"""What a store does, apart from how: the reads every interface needs (CLI, HTTP API,
exports, eval, bench) and the writes of ingestion. The SQLite store implements both
(`store/sqlite.py`, `store/sqlite_read.py`); a server database can implement them too,
and nothing above `store/` needs to change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from eventscope.model import JSON, Article, ArticleRecords, Rejected
from eventscope.resolve.run import StoryStore

from .filters import EventFilter
from .rows import EventRow, Page, ResultSet


class StoreReader(Protocol):
    """Every read of the store. Filters are checked and normalised by the reader
    (`normalise_filter`); a missing id raises NotFoundError E004."""

    path: Path

    @property
    def schema_version(self) -> int: ...

    def article(self, article_id: str) -> Article:
        """One article by id or unique prefix (6+ characters)."""
        ...

    def article_ids(self, ref: str) -> list[str]:
        """The ids this id or prefix may mean: at most two (two is an ambiguity)."""
        ...

    def article_id(self, ref: str) -> str:
        """The full id of the article of this id or unique prefix."""
        ...

    def articles(
        self,
        *,
        search: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ResultSet:
        """Articles matching every filter, newest first."""
        ...

    def records(self, article_id: str) -> JSON:
        """One article's records in the JSON contract of `eventscope extract --json`."""
        ...

    def actor_registry_ids(self, article_id: str) -> dict[str, int]:
        """The registry id of each of the article's actors, by local id."""
        ...

    def actors(
        self,
        *,
        search: str | None = None,
        country: str | None = None,
        sector: str | None = None,
        type: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ResultSet:
        """Registry actors, most reported first."""
        ...

    def actor(self, registry_id: int, *, limit: int | None = None) -> JSON:
        """One registry actor with the articles that mention it."""
        ...

    def events(
        self,
        f: EventFilter | None = None,
        *,
        sort: str = "-date",
        limit: int = 50,
        offset: int = 0,
        **fields: Any,
    ) -> ResultSet:
        """One page of the events matching a filter, in `sort` order."""
        ...

    def count_events(self, f: EventFilter | None = None, **fields: Any) -> int:
        """How many events match a filter."""
        ...

    def iter_events(
        self, f: EventFilter | None = None, *, sort: str = "date", chunk: int = 1000
    ) -> Iterator[list[EventRow]]:
        """Every event matching `f`, a chunk at a time, in bounded memory."""
        ...

    def event(self, ref: str) -> JSON:
        """One event (ARTICLE:EVENT) with its evidence, figures and quotes, and the resolved
        event it belongs to."""
        ...

    def mention_rows(self, refs: Sequence[str]) -> list[EventRow]:
        """The event mentions of these full refs (a resolved event's `mentions`), in order."""
        ...

    def event_figures(self, events: Sequence[EventRow]) -> dict[tuple[str, str], dict[str, float]]:
        """The largest figure of each kind linked to each event, by (article, event)."""
        ...

    def event_stats(self, f: EventFilter | None = None, *, top: int = 200) -> JSON:
        """Aggregates of the matching events (the dashboard's /stats)."""
        ...

    def events_by_type(self) -> dict[str, int]:
        """How many events of each type, most first."""
        ...

    def generation(self) -> tuple[Any, ...]:
        """A value that changes whenever events or figures are added."""
        ...

    def places(
        self,
        *,
        search: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Resolved places, most reported first."""
        ...

    def figures(self, **filters: Any) -> Page:
        """Figures (kind, since, until, country, article, event, search), latest first."""
        ...

    def quotes(self, **filters: Any) -> Page:
        """Quotes (speaker, speaker_id, kind, article, search, since, until)."""
        ...

    def rejected(self, *, code: str | None = None, limit: int = 1000) -> ResultSet:
        """Rejected inputs with their reasons, most recent first."""
        ...

    def runs(self, *, limit: int = 20) -> ResultSet:
        """Ingest runs, most recent first."""
        ...

    def stories(self, **filters: Any) -> Page:
        """Stories (search, since, until, country, min_articles, sort, limit, offset)."""
        ...

    def story(self, story_id: int) -> JSON:
        """One story with its resolved events, figure series, reports and claims."""
        ...

    def story_of(self, article_id: str) -> int | None:
        """The story of an article; None if the story stage has not linked it yet."""
        ...

    def story_assignments(self) -> dict[str, int]:
        """The story of every linked article, by article id."""
        ...

    def resolved_assignments(self) -> dict[tuple[str, str], str]:
        """The resolved event of every event mention, by (article id, event id)."""
        ...

    def stats(self) -> JSON:
        """Counts of everything in the store."""
        ...


class StoreWriter(Protocol):
    """Every write of ingestion: batches of articles with their records, and runs."""

    path: Path

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored."""
        ...

    def write_batch(
        self, records: Sequence[ArticleRecords], rejected: Sequence[Rejected] = ()
    ) -> int:
        """Store articles with their records, and rejections, atomically; how many new."""
        ...

    def start_run(self, inputs: Sequence[str]) -> int:
        """Record the start of an ingest run; its id."""
        ...

    def update_run(self, run_id: int, counts: JSON, *, status: str = "running") -> None:
        """Save a run's counts; status done or failed closes it."""
        ...


class StoreBackend(StoreReader, StoreWriter, StoryStore, Protocol):
    """A store that reads and writes: what `pipeline.ingest` takes (its resolvers read
    what is stored before each batch is written)."""
