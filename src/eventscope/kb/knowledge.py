"""The knowledge base the stages read, as one value the pipeline passes to them.

`KnowledgeBase()` is the shipped KB; `KnowledgeBase.of(paths)` adds user files of the
same schemas (what `eventscope --kb FILE` passes), whose entries add to or replace shipped
ones. Each part is loaded on first use and cached per set of paths, so a KB made anew for
every call costs nothing after the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .actors import ActorKB, load_actor_kb


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The shipped knowledge base plus `extra` user files (people, organizations, titles)."""

    extra: tuple[Path, ...] = ()

    @classmethod
    def of(cls, paths: Iterable[str | Path] = ()) -> KnowledgeBase:
        """The KB with these extra files, in the order given (a later file wins)."""
        return cls(tuple(Path(p) for p in paths))

    @property
    def actors(self) -> ActorKB:
        """People, organizations, countries and titles (cached per tuple of paths)."""
        return load_actor_kb(self.extra)


__all__ = ["KnowledgeBase"]
