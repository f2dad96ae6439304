"""The stage registry: declared reads and writes, the order made from them, refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventscope.errors import InputError
from eventscope.extract import registry
from eventscope.extract.context import ArticleContext
from eventscope.extract.registry import STAGES, register, stages_for
from eventscope.model import ArticleRecords


def unchanged(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    return records


@pytest.fixture
def test_stages() -> Iterator[None]:
    """Stages registered by a test are removed after it."""
    before = set(STAGES)
    yield
    for name in set(STAGES) - before:
        del STAGES[name]


def test_a_stage_without_what_it_reads_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        stages_for(["events"])
    error = caught.value
    assert error.code == "E010"
    assert "'events' reads entities, dates, places, actors" in error.message
    assert error.hint is not None
    assert "add the stage(s) entities, dates, places, actors" in error.hint


def test_with_dependencies_adds_the_stages_that_write_what_is_read() -> None:
    chosen = stages_for(["events"], with_dependencies=True)
    assert [s.name for s in chosen] == ["entities", "dates", "places", "actors", "events"]
    quotes = stages_for(["quotes"], with_dependencies=True)
    assert [s.name for s in quotes] == ["entities", "dates", "places", "actors", "events", "quotes"]


def test_a_stage_extending_a_kind_does_not_stand_in_for_its_writer() -> None:
    # events add country actors, but the actors stage writes them from scratch
    with pytest.raises(InputError, match=r"E010.*'figures' reads actors"):
        stages_for(["entities", "dates", "places", "events", "figures"])


def test_the_order_comes_from_the_declarations_not_the_selection() -> None:
    names = ["quotes", "figures", "events", "actors", "places", "dates", "entities"]
    assert [s.name for s in stages_for(names)] == list(registry.STAGE_MODULES)


def test_every_shipped_stage_declares_what_it_writes() -> None:
    chosen = stages_for()
    shipped = [s for s in chosen if s.name in registry.STAGE_MODULES]
    assert [s.name for s in shipped] == list(registry.STAGE_MODULES)
    assert {kind for s in shipped for kind in s.writes} == set(registry.STAGE_MODULES)
    assert [s.reads for s in shipped][:2] == [(), ("entities",)]


@pytest.mark.usefixtures("test_stages")
def test_a_reader_registered_first_runs_after_its_writer() -> None:
    register("t-summary", reads=("t-counts",), writes=("t-summary",))(unchanged)
    register("t-counts", writes=("t-counts",))(unchanged)
    assert [s.name for s in stages_for(["t-summary", "t-counts"])] == ["t-counts", "t-summary"]
    with pytest.raises(InputError, match=r"E010.*'t-summary' reads t-counts") as caught:
        stages_for(["t-summary"])
    assert caught.value.hint is not None and "t-counts" in caught.value.hint


@pytest.mark.usefixtures("test_stages")
def test_stages_reading_each_other_are_refused() -> None:
    register("t-egg", reads=("t-chicken",), writes=("t-egg",))(unchanged)
    register("t-chicken", reads=("t-egg",), writes=("t-chicken",))(unchanged)
    with pytest.raises(InputError, match=r"E010.*t-egg, t-chicken read each other"):
        stages_for(["t-egg", "t-chicken"])


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(InputError, match=r"E003.*unknown stage"):
        stages_for(["no-such-stage"])
