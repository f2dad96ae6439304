"""The story stage's run: every stored article not in a story yet is linked (in canonical
order: published day, then id), and each story that changed is rebuilt (resolved events,
figure series, claims), chunk by chunk, one write transaction per chunk.

It runs after each ingest batch is stored and as `eventscope resolve`; a run killed
mid-way leaves every chunk either done or not begun, and the next run takes up the
articles still without a story. `from_scratch` drops every story first and links all
stored articles again (signatures recomputed from the stored records), which gives the
same stories whatever order the articles were ingested in.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from eventscope.model import JSON, ArticleRecords

from .signature import Signature, signature_of
from .stories import Linker, StoryIndex
from .story import Member, StoryBuild, build_story

CHUNK = 500


class StorySession(Protocol):
    """What the stage reads and writes inside one transaction (`store/stories.py`)."""

    @property
    def index(self) -> StoryIndex: ...

    def unresolved_ids(self, limit: int) -> list[str]: ...
    def signatures(self, ids: Sequence[str]) -> dict[str, Signature]: ...
    def records(self, article_id: str) -> JSON: ...
    def save_signatures(self, sigs: Sequence[Signature]) -> None: ...
    def save_links(self, linker: Linker) -> None: ...
    def members(self, story_id: int, known: Mapping[str, JSON] | None = None) -> list[Member]:
        """A story's reports with their records (`known`: some already in hand)."""
        ...

    def save_build(self, build: StoryBuild) -> None: ...
    def clear(self) -> None: ...


class StoryStore(Protocol):
    """A store the story stage can run on."""

    def story_session(self) -> AbstractContextManager[StorySession]: ...


@dataclass(slots=True)
class ResolveSummary:
    articles: int = 0
    joined: int = 0
    started: int = 0
    stories_rebuilt: int = 0
    seconds: float = 0.0
    link_seconds: float = 0.0  # signatures, candidates and linking
    build_seconds: float = 0.0  # rebuilding the stories that changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "joined": self.joined,
            "started": self.started,
            "stories_rebuilt": self.stories_rebuilt,
            "seconds": round(self.seconds, 3),
            "link_seconds": round(self.link_seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
        }


def resolve(
    store: StoryStore,
    *,
    given: Sequence[ArticleRecords] = (),
    from_scratch: bool = False,
    chunk: int = CHUNK,
) -> ResolveSummary:
    """Link every article without a story and rebuild the stories that changed.

    `given`: records just extracted (their signatures are computed from them instead of
    being read back from the store).
    """
    started = time.perf_counter()
    summary = ResolveSummary()
    fresh = {r.article.id: r for r in given}
    if from_scratch:
        with store.story_session() as session:
            session.clear()
    while True:
        with store.story_session() as session:
            ids = session.unresolved_ids(chunk)
            if not ids:
                break
            linking = time.perf_counter()
            known = {} if from_scratch else session.signatures(ids)
            in_hand = {aid: fresh[aid].to_dict() for aid in ids if aid in fresh}
            sigs = []
            for aid in ids:
                sig = known.get(aid)
                if sig is None:
                    sig = signature_of(in_hand[aid] if aid in in_hand else session.records(aid))
                sigs.append(sig)
            session.save_signatures([s for s in sigs if s.article_id not in known])
            linker = Linker(session.index)
            for link in linker.link_all(sigs):
                summary.articles += 1
                if link.score is None:
                    summary.started += 1
                else:
                    summary.joined += 1
            session.save_links(linker)
            building = time.perf_counter()
            summary.link_seconds += building - linking
            for story_id in sorted(linker.touched):
                session.save_build(build_story(story_id, session.members(story_id, in_hand)))
                summary.stories_rebuilt += 1
            summary.build_seconds += time.perf_counter() - building
        if len(ids) < chunk:
            break
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["ResolveSummary", "StorySession", "StoryStore", "resolve"]
