"""events-plover: the GSR loader, the mapping from records, scoring and a run end to end."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventscope.evaluate import plover_gsr
from eventscope.evaluate.plover_gsr import Coding, load, predictions_from, score
from eventscope.model import Actor, Article, ArticleRecords, Event, Evidence, Figure, Place, Span

from .conftest import write

# Records in the GSR's format, written for these tests (invented countries and codes).
GSR: list[dict[str, Any]] = [
    {"id": "TEST-GSR-DOCUMENT-0001", "event": "DOCUMENT", "eventText": "a header record"},
    {
        "id": "TEST-GSR-DEMAND-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Freedonian opposition", "code": "FRD", "sector": "OPPkur"}],
        "target": [{"actorText": "Sylvanian government", "code": "SYL", "sector": "GOV"}],
        "event": "DEMAND",
        "eventText": "demanded",
        "context": "political",
        "mode": "",
        "text": "Freedonian opposition leaders demanded on Monday that the Sylvanian "
        "government release the detained mayor.",
        "textInfo": {"markup": "(SRC: Freedonian) leaders (EVT: demanded) ..."},
        "language": "en",
    },
    {
        "id": "TEST-GSR-FIGHT-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Freedonian army", "code": "FRD", "sector": "MIL"}],
        "target": "",
        "event": "FIGHT",
        "eventText": "shelled",
        "context": "military",
        "mode": "heavy-weapons",
        "eventLoc": {"name": "Port Marlow"},
        "dead": "4",
        "injured": "12",
        "text": "Freedonian army units shelled positions near Port Marlow on Tuesday, "
        "killing 4 fighters and wounding 12.",
        "language": "en",
    },
    {
        "id": "TEST-GSR-DISAPPROVE-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Sylvania", "code": "SYL"}],
        "event": "DISAPPROVE",
        "eventText": "criticised",
        "context": "economic",
        "text": "Sylvania's foreign ministry criticised the new border fees on Friday.",
        "language": "en",
    },
]


def write_gsr(path: Path) -> Path:
    return write(path, json.dumps(GSR, indent=1))


def test_load_skips_the_header_and_renames_legacy_types(tmp_path: Path) -> None:
    sentences = load(write_gsr(tmp_path / "gsr.json"))
    assert [s.id for s in sentences] == [
        "TEST-GSR-DEMAND-0001",
        "TEST-GSR-FIGHT-0001",
        "TEST-GSR-DISAPPROVE-0001",
    ]
    demand, fight, disapprove = sentences
    assert demand.label == "DEMAND" and demand.published == date(2000, 1, 1)
    assert demand.text.startswith("Freedonian opposition leaders demanded")
    assert demand.coding == Coding(
        type="REQUEST",
        source_countries=("FRD",),
        source_sectors=("OPP",),  # "OPPkur": the sector is its first three letters
        target_countries=("SYL",),
        target_sectors=("GOV",),
    )
    assert fight.coding == Coding(
        type="ASSAULT",
        mode="heavy-weapons",
        source_countries=("FRD",),
        source_sectors=("MIL",),
        dead=4.0,
        injured=12.0,
        places=("port marlow",),
    )
    # The map's mode stands in where the record gives none.
    assert disapprove.coding == Coding(type="ACCUSE", mode="disapprove", source_countries=("SYL",))


def test_load_reads_gzip(tmp_path: Path) -> None:
    path = write(tmp_path / "gsr.json.gz", gzip.compress(json.dumps(GSR).encode()))
    assert len(load(path)) == 3


def test_score_perfect_empty_and_hand_computed(tmp_path: Path) -> None:
    gold = [s.coding for s in load(write_gsr(tmp_path / "gsr.json"))]
    assert score(gold, gold) == {name: 1.0 for name in score(gold, gold)}
    assert set(score(gold, [Coding(type=None)] * 3).values()) == {0.0}

    predicted = [
        Coding(
            type="REQUEST",
            source_countries=("FRD",),
            source_sectors=("GOV",),
            target_countries=("SYL", "XXX"),
        ),
        Coding(
            type="PROTEST", mode="heavy-weapons", dead=4.0, injured=10.0, places=("port marlow",)
        ),
        Coding(type=None),
    ]
    found = score(gold, predicted)
    # types REQUEST/REQUEST, ASSAULT/PROTEST, ACCUSE/NONE: accuracy 1/3; per gold label
    # F1 REQUEST 1, ASSAULT 0, ACCUSE 0: macro 1/3.
    assert found["type_accuracy"] == pytest.approx(1 / 3)
    assert found["type_macro_f1"] == pytest.approx(1 / 3)
    # modes: heavy-weapons matched, disapprove missed: 1/2.
    assert found["mode_accuracy"] == 0.5
    # source countries: gold FRD, FRD, SYL; predicted FRD in the first sentence only:
    # tp 1, fp 0, fn 2: P 1, R 1/3, F1 = 2 * 1/3 / (4/3) = 0.5.
    assert found["source_country_f1"] == pytest.approx(0.5)
    # source sectors: gold OPP, MIL; predicted GOV: tp 0.
    assert found["source_sector_f1"] == 0.0
    # target countries: gold SYL; predicted SYL, XXX: P 1/2, R 1, F1 = 1 / 1.5 = 2/3.
    assert found["target_country_f1"] == pytest.approx(2 / 3)
    assert found["target_sector_f1"] == 0.0
    # dead 4 = 4; injured 12 != 10; Port Marlow found.
    assert found["dead_exact"] == 1.0
    assert found["injured_exact"] == 0.0
    assert found["location_match"] == 1.0


def test_score_without_gold_items_is_none() -> None:
    found = score([Coding(type="AGREE")], [Coding(type="AGREE", dead=3.0)])
    assert found["type_accuracy"] == 1.0
    assert found["mode_accuracy"] is None and found["dead_exact"] is None
    assert found["source_country_f1"] is None


def test_predictions_from_reads_the_most_confident_event() -> None:
    text = "Freedonian troops shelled Port Marlow, killing 4, officials in Sylvania said."
    records = ArticleRecords(
        Article(id="t1", text=text, published=date(2022, 1, 10)),
        actors=(
            Actor("a1", "Freedonian troops", "group", (), country="frd", sector="MILxyz"),
            Actor("a2", "Sylvania", "country", (), country="SYL"),
        ),
        places=(
            Place("p1", "Port Marlowe", (), lat=1.0, lon=2.0),  # gazetteer spelling
        ),
        events=(
            Event("e1", "CONSULT", Span.of(text, 0, 5), Evidence("test", 0.4)),
            Event(
                "e2",
                "ASSAULT",
                Span.of(text, 18, 25),
                Evidence("test", 0.9),
                mode="Heavy-Weapons",
                source=("a1",),
                target=("a2", "a9"),
                place="p1",
            ),
            Event("e3", "PROTEST", Span.of(text, 0, 5), Evidence("test", 0.9)),
        ),
        figures=(
            Figure("killed", 9.0, Span.of(text, 47, 48), Evidence("test", 0.95)),
            Figure("killed", 4.0, Span.of(text, 47, 48), Evidence("test", 0.5), event="e2"),
        ),
    )
    assert predictions_from(records) == Coding(
        type="ASSAULT",  # 0.9 ties with e3: the first wins
        mode="heavy-weapons",
        source_countries=("FRD",),
        source_sectors=("MIL",),
        target_countries=("SYL",),
        dead=4.0,  # the figure tied to the main event wins over a more confident one
        places=("port marlowe",),
    )
    assert predictions_from(None) == Coding(type=None)


def test_run_on_a_fixture(tmp_path: Path) -> None:
    write_gsr(tmp_path / "plover_gsr" / "gsr.json")
    write(tmp_path / "plover_gsr" / "notes.json", '{"comment": "not a GSR record"}')
    report = plover_gsr.TASK.run(tmp_path, None, 5)
    counts = report.counts
    assert counts["sentences"] == 3
    assert counts["renamed_types"] == 3
    assert (counts["with_mode"], counts["with_dead"], counts["with_location"]) == (2, 1, 1)
    assert 0 <= counts["with_prediction"] <= 3
    assert set(report.metrics) == set(score([Coding("AGREE")], [Coding("AGREE")]))
    assert len(report.errors) <= 5
    assert all(set(e) == {"id", "text", "gold", "predicted"} for e in report.errors)
    # A single file, with a limit.
    one = plover_gsr.TASK.run(tmp_path / "plover_gsr" / "gsr.json", 1, 0)
    assert one.counts["sentences"] == 1 and one.errors == []


def test_run_without_data_is_empty(tmp_path: Path) -> None:
    assert plover_gsr.TASK.run(tmp_path, None, 3).counts == {}


def test_run_on_shared_eval(shared: Path) -> None:
    if not (shared / "eval" / "plover_gsr").is_dir():
        pytest.skip("no plover_gsr folder in ../shared/eval")
    report = plover_gsr.TASK.run(shared / "eval", 4, 2)
    assert report.counts["sentences"] == 4
    assert report.metrics["type_accuracy"] is not None
