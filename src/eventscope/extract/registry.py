"""Stages by name. A stage is a plain function `(ctx, records) -> records`: `ctx` is the
article's `ArticleContext` (its parse, the knowledge base, the shared token index), and
it returns `records` with what it found added.

Each stage declares the record kinds it reads and writes, the spaCy components it needs
and the languages it handles (as spaCy's `Language.component(requires=, assigns=)`). The
pipeline orders the chosen stages from the declarations and runs only the components they
need; a selection whose reads no chosen stage writes is refused (E010).

Record kinds: `entities` (the corrected `doc.ents`), `dates`, `places`, `actors`,
`events`, `figures`, `quotes`. A stage that reads and writes the same kind extends it
(events add the country actors their arguments name): it runs after the stages that write
the kind without reading it, and does not satisfy its own read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eventscope.errors import E003, E010, InputError
from eventscope.model import ArticleRecords

from .context import ArticleContext

StageFn = Callable[[ArticleContext, ArticleRecords], ArticleRecords]


@dataclass(frozen=True, slots=True)
class Stage:
    """A registered stage: its function and what it declares."""

    name: str
    fn: StageFn
    requires: tuple[str, ...]  # spaCy components (English)
    languages: tuple[str, ...]
    reads: tuple[str, ...] = ()  # record kinds
    writes: tuple[str, ...] = ()

    def produces(self, kind: str) -> bool:
        """Whether the stage writes `kind` from scratch (not only extends it)."""
        return kind in self.writes and kind not in self.reads


STAGES: dict[str, Stage] = {}


def register(
    name: str,
    *,
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    requires: Iterable[str] = (),
    languages: Iterable[str] = ("en",),
) -> Callable[[StageFn], StageFn]:
    """Decorator: register `fn` as the stage `name`, reading and writing these kinds."""

    def wrap(fn: StageFn) -> StageFn:
        STAGES[name] = Stage(
            name, fn, tuple(requires), tuple(languages), tuple(reads), tuple(writes)
        )
        return fn

    return wrap


# Modules whose import registers the shipped stages. Their order breaks ties between
# stages the declarations leave unordered (figures and quotes), so outputs stay stable.
STAGE_MODULES = ("entities", "dates", "places", "actors", "events", "figures", "quotes")


def stages_for(
    names: Iterable[str] | None = None, *, with_dependencies: bool = False
) -> list[Stage]:
    """The stages to run, all of them or those named, each after the stages whose
    records it reads. With `with_dependencies`, the stages that write what the named
    ones read are added; without, a selection missing them raises InputError (E010).

    >>> [s.name for s in stages_for(["events"], with_dependencies=True)]
    ['entities', 'dates', 'places', 'actors', 'events']
    """
    for module in STAGE_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    if names is None:
        chosen = list(STAGES.values())
    else:
        wanted = list(dict.fromkeys(names))
        unknown = [n for n in wanted if n not in STAGES]
        if unknown:
            raise InputError(E003, f"unknown stage(s) {unknown}", hint=f"known: {list(STAGES)}")
        chosen = [STAGES[n] for n in wanted]
    if with_dependencies:
        chosen = _with_writers(chosen)
    _check_reads(chosen)
    return _ordered(chosen)


def _writers(kind: str) -> list[Stage]:
    return [s for s in STAGES.values() if s.produces(kind)]


def _missing(stage: Stage, chosen: Iterable[Stage]) -> list[str]:
    """The kinds `stage` reads that no stage of `chosen` produces."""
    made = {kind for s in chosen for kind in s.writes if s.produces(kind)}
    return [kind for kind in stage.reads if kind not in made]


def _with_writers(chosen: list[Stage]) -> list[Stage]:
    """`chosen` plus, repeatedly, the registered stages that produce what one reads."""
    found = list(chosen)
    k = 0
    while k < len(found):
        for kind in _missing(found[k], found):
            found += [s for s in _writers(kind) if s not in found]
        k += 1
    return found


def _check_reads(chosen: list[Stage]) -> None:
    problems, extra = [], []
    for stage in chosen:
        missing = _missing(stage, chosen)
        if missing:
            problems.append(f"{stage.name!r} reads {', '.join(missing)}")
            extra += [w.name for kind in missing for w in _writers(kind)]
    if problems:
        add = list(dict.fromkeys(n for n in extra if n not in {s.name for s in chosen}))
        hint = f"add the stage(s) {', '.join(add)}" if add else "register a stage that writes them"
        raise InputError(
            E010,
            f"no chosen stage writes what a stage reads: {'; '.join(problems)}",
            hint=hint + " (or pass with_dependencies=True)",
        )


def _ordered(chosen: list[Stage]) -> list[Stage]:
    """Each stage after those producing what it reads; ties in the order of
    STAGE_MODULES, then of registration (not import order: a test or plugin importing a
    stage module early would otherwise move it)."""
    shipped = {f"{__package__}.{module}": k for k, module in enumerate(STAGE_MODULES)}
    registered = {name: k for k, name in enumerate(STAGES)}

    def rank(stage: Stage) -> tuple[int, int]:
        return (shipped.get(stage.fn.__module__, len(shipped)), registered[stage.name])

    after = {
        s.name: {w.name for w in chosen if w is not s and any(w.produces(k) for k in s.reads)}
        for s in chosen
    }
    done: list[Stage] = []
    pending = sorted(chosen, key=rank)
    while pending:
        ran = {s.name for s in done}
        ready = next((s for s in pending if after[s.name] <= ran), None)
        if ready is None:
            names = ", ".join(s.name for s in pending)
            raise InputError(E010, f"stages {names} read each other's records",
                             hint="one of them must not read what another writes")  # fmt: skip
        done.append(ready)
        pending.remove(ready)
    return done
