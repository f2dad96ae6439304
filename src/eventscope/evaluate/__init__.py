"""The scorecard: every extraction task measured on gold data in its original format.

Each module below reads one family of gold formats and defines `TASK`; `tasks()` maps
task names to them in scorecard order. Tasks never use a special code path: they run
`pipeline.extract_stream` on the gold texts and score the records.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from eventscope.errors import E003, InputError
from eventscope.kb.knowledge import KnowledgeBase

from .base import Task, TaskReport

# Scorecard order; each module defines TASK.
_MODULES = (
    "plover_gsr",
    "petrarch",
    "case2021",
    "geoparsing",
    "event_location",
    "tempeval3",
    "polnear",
    "figures",
    "clustering",
    "entities",
    "own_task",
)


def tasks() -> dict[str, Task]:
    """Every task by name, in scorecard order."""
    found: dict[str, Task] = {}
    for module in _MODULES:
        task: Task = importlib.import_module(f"{__name__}.{module}").TASK
        found[task.name] = task
    return found


def run_task(
    name: str,
    path: Path,
    *,
    limit: int | None = None,
    errors: int = 0,
    kb: KnowledgeBase | None = None,
) -> TaskReport:
    """Score one task on the data under `path`, extracting with the knowledge base `kb`
    (default the shipped one: the scorecard's)."""
    known = tasks()
    if name not in known:
        raise InputError(E003, f"unknown task {name!r}", hint=f"use one of {[*known, 'all']}")
    return known[name].run(path, limit, errors, kb)


__all__ = ["Task", "TaskReport", "run_task", "tasks"]
