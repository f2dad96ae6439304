"""The places stage on sentences written here, against a small gazetteer written here, and
the reference article's checklist (places) against the shipped gazetteer."""

from __future__ import annotations

import dataclasses
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


def test_a_regions_adjective_names_the_region(gazetteer: Gazetteer) -> None:
    text = "Fighters from Central Asian countries and from the Middle East took part."
    assert named(places_of(text, gazetteer))["Central Asian"].name == "Central Asia"


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


def _town(gid: int, name: str, country: str, admin1: str, pop: int, lat: float, lon: float) -> Any:
    from eventscope.kb.gazetteer_sources import Record

    return Record(gid, name, "P.PPL", country, admin1, lat=lat, lon=lon, population=pop)


@pytest.fixture(scope="module")
def us_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """Names that are a country and a US state, towns that share names, a town that is
    also a surname and one that names a virus."""
    from eventscope.kb.gazetteer_sources import Record

    records = [
        Record(614540, "Georgia", "A.PCLI", "GE", lat=42.0, lon=43.5, population=3_731_000),
        Record(
            4197000,
            "Georgia",
            "A.ADM1",
            "US",
            "GA",
            "Georgia",
            lat=32.75,
            lon=-83.5,
            population=10_000_000,
        ),
        Record(
            5332921,
            "California",
            "A.ADM1",
            "US",
            "CA",
            "California",
            lat=37.25,
            lon=-119.75,
            population=39_000_000,
        ),
        Record(
            4512060,
            "Ohio",
            "A.ADM1",
            "US",
            "OH",
            "Ohio",
            lat=40.25,
            lon=-83.0,
            population=11_500_000,
        ),
        Record(611717, "Tbilisi", "P.PPLC", "GE", "TB", lat=41.69, lon=44.83, population=1_049_498),
        _town(4180439, "Atlanta", "US", "GA", 463_878, 33.75, -84.39),
        _town(4156404, "Gainesville", "US", "FL", 131_591, 29.65, -82.32),
        _town(4196586, "Gainesville", "US", "GA", 40_000, 34.30, -83.82),
        _town(4509177, "Columbus", "US", "OH", 850_106, 39.96, -83.0),
        _town(4379545, "California", "US", "MO", 4_396, 38.63, -92.57),
        Record(
            4398678,
            "Missouri",
            "A.ADM1",
            "US",
            "MO",
            "Missouri",
            lat=38.25,
            lon=-92.5,
            population=6_100_000,
        ),
        Record(
            104515,
            "Makkah",
            "P.PPLA",
            "SA",
            "14",
            lat=21.43,
            lon=39.83,
            population=1_578_722,
            names=("Mecca",),
        ),
        _town(5372253, "Mecca", "US", "CA", 8_577, 33.57, -116.08),
        _town(5327098, "Bell", "US", "CA", 35_477, 33.98, -118.19),
        Record(
            1167528,
            "Quetta",
            "P.PPLA",
            "PK",
            "02",
            lat=30.19,
            lon=67.01,
            population=733_675,
            names=("Shal",),
        ),
        Record(524901, "Moscow", "P.PPLC", "RU", "48", lat=55.75, lon=37.62, population=10_381_222),
        Record(2761369, "Vienna", "P.PPLC", "AT", "09", lat=48.21, lon=16.37, population=1_691_468),
        _town(2660646, "Geneva", "CH", "GE", 183_981, 46.2, 6.15),
        _town(5163946, "Moscow", "US", "OH", 185, 38.86, -84.23),
        _town(5174035, "Vienna", "US", "OH", 600, 41.24, -80.66),
        _town(5156016, "Geneva", "US", "OH", 6_051, 41.8, -80.95),
        Record(1814991, "China", "A.PCLI", "CN", lat=35.0, lon=105.0, population=1_411_778_724),
        Record(1861060, "Japan", "A.PCLI", "JP", lat=36.0, lon=138.0, population=126_529_100),
        _town(1864565, "China", "JP", "18", 5_976, 27.33, 128.57),
        Record(-9, "Pacific Ocean", "H.OCN", lat=0.0, lon=-160.0, names=("Pacific",)),
        _town(4402300, "Pacific", "US", "MO", 7_161, 38.48, -90.74),
        Record(2217362, "Western", "A.ADM1", "CM", "08", lat=5.5, lon=10.5, population=1_921_000),
        Record(2220864, "West", "A.ADM1", "CM", "09", lat=5.5, lon=10.4, population=1_900_000),
        _town(1520172, "Kazakh", "KZ", "16", 218_000, 54.87, 69.15),  # a name = a demonym
        Record(1522867, "Kazakhstan", "A.PCLI", "KZ", lat=48.0, lon=68.0, population=18_000_000),
        _town(4781530, "Reston", "US", "VA", 58_404, 38.97, -77.34),
    ]
    path = tmp_path_factory.mktemp("gaz-us") / "gaz.sqlite"
    return Gazetteer(write_index(path, records, {"kazakh": "KZ"}).path)


def test_georgia_is_the_state_or_the_country_by_the_other_places(us_gazetteer: Gazetteer) -> None:
    state = named(places_of("Storms hit Atlanta and much of Georgia on Monday.", us_gazetteer))
    assert (state["Georgia"].country, state["Georgia"].feature) == ("US", "A.ADM1")
    country = named(places_of("Georgia said troops left Tbilisi on Monday.", us_gazetteer))
    assert (country["Georgia"].country, country["Georgia"].feature) == ("GE", "A.PCLI")


def test_a_country_that_is_also_a_region_does_not_set_the_focus(us_gazetteer: Gazetteer) -> None:
    from eventscope.extract.places import _ambiguous
    from eventscope.extract.places_resolve import Found

    def found(text: str) -> Found:
        return Found(0, 1, text, "test", 1.0, us_gazetteer.lookup(text))

    assert _ambiguous(found("Georgia"))  # GE, and a US state
    assert not _ambiguous(found("Tbilisi")) and not _ambiguous(found("Ohio"))


def test_a_pathogen_named_after_a_place_is_not_the_place(us_gazetteer: Gazetteer) -> None:
    text = "Farm workers in the Philippines tested positive for Reston ebolavirus last week."
    assert "Reston" not in named(places_of(text, us_gazetteer))


def test_a_demonym_inside_a_name_is_not_a_place(us_gazetteer: Gazetteer) -> None:
    text = "In Kazakhstan, the Kazakh Ministry of the Interior said 7,939 people were held."
    assert "Kazakh" not in named(places_of(text, us_gazetteer))


def test_a_direction_alone_is_no_place(us_gazetteer: Gazetteer) -> None:
    text = "Russia and the West met in Geneva; Moscow blamed Western interference in Georgia."
    found = named(places_of(text, us_gazetteer))
    assert "West" not in found and "Western" not in found


def test_a_news_outlet_named_after_a_region_is_not_the_region(gazetteer: Gazetteer) -> None:
    text = "Internet access was cut, and Central Asia Today's reporters in Almaty filed late."
    assert [p.name for p in places_of(text, gazetteer)] == ["Almaty"]


def test_a_word_of_another_language_is_not_a_foreign_citys_other_name(
    us_gazetteer: Gazetteer,
) -> None:
    text = 'In some places in Kazakhstan demonstrators chanted "Shal, ket!" — "Old man, go!"'

    assert "Shal" not in named(places_of(text, us_gazetteer))


def test_small_namesakes_do_not_pull_each_other(us_gazetteer: Gazetteer) -> None:
    text = "Talks in Geneva follow meetings in Moscow and Vienna, US officials said."
    found = named(places_of(text, us_gazetteer))
    assert [found[n].country for n in ("Geneva", "Moscow", "Vienna")] == ["CH", "RU", "AT"]


def test_a_country_in_a_list_is_no_town_of_the_next(us_gazetteer: Gazetteer) -> None:
    text = (
        "Japan and the WHO said many countries, among them China, Japan, and the United "
        "Kingdom, warned travellers. Japan closed ports."
    )
    assert named(places_of(text, us_gazetteer))["China"].country == "CN"


def test_a_town_named_after_an_ocean_yields_to_it(us_gazetteer: Gazetteer) -> None:
    text = "US Navy ships in Ohio ports and across the Pacific were put on alert on Monday."
    assert named(places_of(text, us_gazetteer))["Pacific"].feature == "H.OCN"


def test_a_surname_is_not_a_town(us_gazetteer: Gazetteer) -> None:
    text = (
        "California police said Tyrise M. Bell pulled a handgun. An officer shot Bell as the two "
        "struggled, and Bell died at a hospital."
    )
    assert "Bell" not in named(places_of(text, us_gazetteer))


def test_a_towns_institutions_make_its_name_a_place(us_gazetteer: Gazetteer) -> None:
    text = (
        "A Gainesville man was arrested on Friday, Gainesville Police said. The Gainesville "
        "City Council will meet Monday."
    )
    found = {m.span.start for p in places_of(text, us_gazetteer) for m in p.mentions}
    assert {text.index("Gainesville Police"), text.index("Gainesville City")} <= found


def test_an_all_capitals_dateline_inside_a_line(us_gazetteer: Gazetteer) -> None:
    text = "Governor's budget criticised. COLUMBUS, Ohio (AP) — The governor's plan was cut."
    found = named(places_of(text, us_gazetteer))
    assert found["COLUMBUS"].geonameid == 4509177 and found["Ohio"].feature == "A.ADM1"


def test_a_list_of_states_is_not_a_town_and_its_state(us_gazetteer: Gazetteer) -> None:
    # In a list no item is the region of the one before it: not California, Missouri.
    text = "The recall covers Ohio, California, Missouri and Georgia, the agency said."
    found = named(places_of(text, us_gazetteer))
    assert all(found[n].feature == "A.ADM1" for n in ("Ohio", "California", "Missouri"))
    found = named(places_of("A farmer from California, Missouri, was fined.", us_gazetteer))
    assert found["California"].geonameid == 4379545


def test_a_town_named_after_a_region_yields_to_it(us_gazetteer: Gazetteer) -> None:
    from eventscope.extract.places_resolve import Focus, Found, _Regions, _resolve

    mentions = [Found(0, 1, "California", "test", 1.0, us_gazetteer.lookup("California"))]
    focus = Focus()
    focus.countries["US"], focus.admin1[("US", "MO")] = 3.0, 2.0  # a Missouri story
    others = [_Regions.of(us_gazetteer.lookup("Missouri"))] * 3
    choice = _resolve(mentions, focus, others)
    assert choice is not None and choice.place.feature == "A.ADM1"


def test_big_cities_english_alternate_names_count_in_full(us_gazetteer: Gazetteer) -> None:
    from eventscope.extract.places_resolve import MATCH_PENALTY, match_penalty

    by_id = {c.place.geonameid: c for c in us_gazetteer.lookup("Mecca")}
    assert by_id[104515].match == "alternate" and match_penalty(by_id[104515]) == 0.0
    assert match_penalty(by_id[5372253]) == MATCH_PENALTY["name"]
    small = dataclasses.replace(by_id[5372253], match="alternate")
    assert match_penalty(small) == MATCH_PENALTY["alternate"] < 0
    found = named(places_of("Pilgrims gathered in Mecca on Friday.", us_gazetteer))
    assert found["Mecca"].country == "SA"
