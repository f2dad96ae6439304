"""The places stage on sentences written here, against a small gazetteer written here, and
the reference article's checklist (places) against the shipped gazetteer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventscope.extract.places import find_places
from eventscope.kb.gazetteer import Gazetteer, write_index
from eventscope.model import Place
from eventscope.nlp.parse import english_components, load_nlp

from .test_gazetteer import DEMONYMS, RECORDS


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "gaz.sqlite"
    return Gazetteer(write_index(path, RECORDS, DEMONYMS).path)


def places_of(text: str, gazetteer: Gazetteer) -> list[Place]:
    nlp: Any = load_nlp("en", english_components(("ner", "tagger")))
    return find_places(nlp(text), gazetteer)


def named(places: list[Place]) -> dict[str, Place]:
    return {m.span.text: p for p in places for m in p.mentions}


def test_paris_texas_by_its_state(gazetteer: Gazetteer) -> None:
    found = named(places_of("The county fair opened in Paris, Texas, on Saturday.", gazetteer))
    assert found["Paris"].country == "US" and found["Paris"].admin1 == "Texas"
    assert found["Paris"].evidence and found["Paris"].evidence.rule == "places.resolve.hierarchy"
    assert found["Texas"].feature == "A.ADM1"


def test_paris_alone_is_the_capital(gazetteer: Gazetteer) -> None:
    found = named(places_of("Thousands of people marched in Paris on Thursday.", gazetteer))
    paris = found["Paris"]
    assert (paris.geonameid, paris.feature, paris.country) == (2988507, "P.PPLC", "FR")
    assert paris.reason and "Paris" in paris.reason


def test_transliterated_names(gazetteer: Gazetteer) -> None:
    text = (
        "Protesters were arrested in Almatí, and a colonel was found dead in Nursultán, "
        "the capital of Kazakhstan."
    )
    found = named(places_of(text, gazetteer))
    assert found["Almatí"].name == "Almaty" and found["Almatí"].lat == 43.25
    assert found["Nursultán"].geonameid == 1526273
    assert found["Kazakhstan"].feature == "A.PCLI"


def test_region_name_with_an_admin_word(gazetteer: Gazetteer) -> None:
    text = "In Kazakhstan, the Zhambil region police chief was found dead on Monday."
    found = named(places_of(text, gazetteer))
    assert found["Zhambil"].geonameid == 1524444 and found["Zhambil"].feature == "A.ADM1"


def test_demonyms_are_not_places(gazetteer: Gazetteer) -> None:
    text = "Kazakh police and American diplomats met in Almaty on Monday."
    places = places_of(text, gazetteer)
    assert [p.name for p in places] == ["Almaty"]
    assert all(m.span.text not in ("Kazakh", "American") for p in places for m in p.mentions)


def test_one_place_per_location_with_every_mention(gazetteer: Gazetteer) -> None:
    text = "Almaty was calm. Shops in Almaty reopened, and the U.S. embassy in Almaty stayed shut."
    places = places_of(text, gazetteer)
    almaty = [p for p in places if p.name == "Almaty"]
    assert len(almaty) == 1 and len(almaty[0].mentions) == 3
    assert [p.id for p in places] == [f"p{n}" for n in range(1, len(places) + 1)]
    spans = [(m.span.start, m.span.end, m.span.text) for m in almaty[0].mentions]
    assert all(text[start:end] == word for start, end, word in spans)
    assert all(m.evidence.sentence is not None for m in almaty[0].mentions)


def test_reference_article_places_checklist(shared: Path, tmp_path: Path) -> None:
    from eventscope import ReadOptions, read_paths
    from eventscope.model import ArticleRecords
    from eventscope.pipeline import extract_batch

    sample = shared / "samples" / "kazakhstan-2022-01-10.txt"
    expected = shared / "samples" / "kazakhstan-2022-01-10.expected.yaml"
    (records,) = extract_batch(list(read_paths([str(sample)], ReadOptions())))  # type: ignore[arg-type]
    assert isinstance(records, ArticleRecords)
    output = tmp_path / "out.json"
    output.write_text(json.dumps(records.to_dict(), ensure_ascii=False), encoding="utf-8")
    checklist = shared / "tools" / "checklist.py"
    done = subprocess.run(
        [sys.executable, str(checklist), str(expected), str(output), "places"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "places: must 7/7" in done.stdout
