"""Stages by name. A stage is a plain function `(parsed, records) -> records`.

Each stage declares the spaCy components it needs and the languages it handles; the
pipeline runs only the components the chosen stages need, and each stage adds its
records to what earlier stages found (actors before events, events before figures).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eventscope.model import ArticleRecords
from eventscope.nlp.parse import ParsedArticle

StageFn = Callable[[ParsedArticle, ArticleRecords], ArticleRecords]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]  # spaCy components (English)
    languages: tuple[str, ...]


STAGES: dict[str, Stage] = {}


def register(
    name: str, *, requires: Iterable[str] = (), languages: Iterable[str] = ("en",)
) -> Callable[[StageFn], StageFn]:
    """Decorator: register `fn` as the stage `name` (order of registration is run order)."""

    def wrap(fn: StageFn) -> StageFn:
        STAGES[name] = Stage(name, fn, tuple(requires), tuple(languages))
        return fn

    return wrap


# Modules whose import registers their stages, in run order: a later stage reads what
# earlier ones found (actors use places; events use both).
STAGE_MODULES = ("entities", "dates", "places", "actors", "events", "figures", "quotes")


def stages_for(names: Iterable[str] | None = None) -> list[Stage]:
    """The stages to run, all of them or those named, in the order of STAGE_MODULES.

    Not in registration order: that is import order, and a caller that imports a stage
    module early (a test, a plugin) would otherwise run it before the stages it reads.
    Stages of other modules (registered by users or tests) run after, as registered.
    """
    for module in STAGE_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    rank = {f"{__package__}.{module}": k for k, module in enumerate(STAGE_MODULES)}
    ordered = sorted(STAGES.values(), key=lambda s: rank.get(s.fn.__module__, len(rank)))
    if names is None:
        return ordered
    wanted = list(names)
    unknown = [n for n in wanted if n not in STAGES]
    if unknown:
        from eventscope.errors import E003, InputError

        raise InputError(E003, f"unknown stage(s) {unknown}", hint=f"known: {list(STAGES)}")
    return [s for s in ordered if s.name in wanted]
