"""The gazetteer index: writing, look-ups, region points, on small records written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.kb.gazetteer import Gazetteer, default_path, write_index
from eventscope.kb.gazetteer_sources import Record, _admin_names, region_point

RECORDS = [
    Record(
        1522867,
        "Kazakhstan",
        "A.PCLI",
        "KZ",
        lat=48.0,
        lon=68.0,
        population=18_000_000,
        names=("Republic of Kazakhstan",),
    ),
    Record(
        6252001,
        "United States",
        "A.PCLI",
        "US",
        lat=39.76,
        lon=-98.5,
        population=327_000_000,
        abbreviations=(("U.S.", False), ("US", False)),
    ),
    Record(
        4736286,
        "Texas",
        "A.ADM1",
        "US",
        "TX",
        "Texas",
        lat=31.2,
        lon=-99.2,
        population=22_000_000,
        abbreviations=(("Tex.", False),),
    ),
    Record(
        1524444,
        "Zhambyl oblysy",
        "A.ADM1",
        "KZ",
        "17",
        "Zhambyl oblysy",
        lat=44.0,
        lon=72.2,
        population=560_000,
        names=("Zhambyl",),
    ),
    Record(
        1526384,
        "Almaty",
        "P.PPL",
        "KZ",
        "02",
        lat=43.25,
        lon=76.91,
        population=1_977_011,
        names=("Almati", "Alma-Ata"),
    ),
    Record(
        1526273,
        "Astana",
        "P.PPLC",
        "KZ",
        "05",
        lat=51.18,
        lon=71.45,
        population=1_544_142,
        names=("Nur-Sultan",),
    ),
    Record(
        4717560, "Paris", "P.PPL", "US", "TX", "Texas", lat=33.66, lon=-95.56, population=24_782
    ),
    Record(2988507, "Paris", "P.PPLC", "FR", "11", lat=48.85, lon=2.35, population=2_138_551),
    Record(-1, "Middle East", "L.RGN", lat=29.0, lon=43.0, names=("Mideast",)),
    Record(-2, "Central Asia", "L.RGN", lat=43.0, lon=66.0, names=("Central Asian",)),
]
DEMONYMS = {"kazakh": "KZ", "american": "US", "americans": "US"}


@pytest.fixture
def gazetteer(tmp_path: Path) -> Gazetteer:
    report = write_index(tmp_path / "gaz.sqlite", RECORDS, DEMONYMS)
    assert report.places == len(RECORDS) and report.bytes > 0
    return Gazetteer(report.path)


def test_lookup_folds_case_and_accents(gazetteer: Gazetteer) -> None:
    (found,) = gazetteer.lookup("ALMATÍ")
    assert found.place.name == "Almaty" and found.match == "alternate"
    assert {c.place.country for c in gazetteer.lookup("Paris")} == {"US", "FR"}
    assert all(c.match == "name" for c in gazetteer.lookup("paris"))
    assert gazetteer.lookup("Atlantis") == ()


def test_abbreviations_are_case_sensitive(gazetteer: Gazetteer) -> None:
    assert gazetteer.abbreviation("U.S.")[0].place.geonameid == 6252001
    assert gazetteer.abbreviation("Tex.")[0].place.feature == "A.ADM1"
    assert gazetteer.abbreviation("us") == ()


def test_transliteration_only_within_the_countries_asked(gazetteer: Gazetteer) -> None:
    assert [c.place.name for c in gazetteer.lookup_translit("Nursultán", ["KZ"])] == ["Astana"]
    assert [c.place.name for c in gazetteer.lookup_translit("Zhambil", ["KZ"])] == [
        "Zhambyl oblysy"
    ]
    assert gazetteer.lookup_translit("Nursultán", ["US"]) == ()
    assert gazetteer.lookup_translit("Nursultán", []) == ()


def test_demonyms_regions_and_ids(gazetteer: Gazetteer) -> None:
    assert gazetteer.demonym("Americans") == "US" and gazetteer.demonym("Texas") is None
    (region,) = gazetteer.lookup("Mideast")
    assert region.place.public_id is None and region.place.lat == 29.0
    assert gazetteer.admin1("US", "TX") == gazetteer.place(4736286)
    assert ("almaty", 1526384) in gazetteer.names_in("KZ", min_population=1_000_000)
    assert all(gid != 1524444 for _, gid in gazetteer.names_in("KZ", min_population=1_000_000))


def test_rebuild_replaces_the_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "gaz.sqlite"
    write_index(path, RECORDS[:2], {})
    write_index(path, RECORDS, DEMONYMS)
    assert Gazetteer(path).meta["places"] == str(len(RECORDS))
    assert [p.name for p in tmp_path.iterdir()] == ["gaz.sqlite"]  # no temp file left


def test_cache_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_CACHE", str(tmp_path))
    path = default_path()
    assert path.parent == tmp_path and path.name.startswith("gazetteer-v")


def test_region_point_is_the_middle_of_its_cities() -> None:
    points = [(30.0, -100.0, 1000), (32.0, -96.0, 5_000_000), (34.0, -98.0, 500)]
    assert region_point(points) == (32.0, -98.0)  # not pulled to the big city
    assert region_point([]) is None
    # A region across the antimeridian (Chukotka) is not put on the other side of Earth.
    lat, lon = region_point([(65.0, 178.0, 1000), (66.0, -178.0, 1000)]) or (0.0, 0.0)
    assert lat == 65.5 and abs(abs(lon) - 180.0) < 0.01


def test_admin_names_get_short_forms() -> None:
    words = {"oblysy", "province", "region"}
    assert "Zhambyl" in _admin_names("Zhambyl oblysy", [], words)
    assert "Dagestan" in _admin_names("Dagestan, Respublika", ["Дагестан"], words)
    assert "Дагестан" not in _admin_names("Dagestan, Respublika", ["Дагестан"], words)


def test_a_possessive_place_name_is_not_the_bare_surname() -> None:
    from eventscope.kb.gazetteer import name_key

    assert name_key("Smith's Parish") != name_key("Smith")
    assert name_key("Smith’s Parish") == name_key("Smiths Parish")
    assert name_key("Almatí") == name_key("almati")


def test_region_points_replace_derived_points(caplog: pytest.LogCaptureFixture) -> None:
    from eventscope.kb.gazetteer_sources import with_region_points

    points = [
        {"country": "KZ", "admin1": "Zhambyl", "lat": 44.5, "lon": 71.5},  # by another name
        {"country": "US", "admin1": "Ohio", "lat": 40.3, "lon": -82.8},  # not in the records
    ]
    found = {r.geonameid: r for r in with_region_points(RECORDS, points)}
    assert (found[1524444].lat, found[1524444].lon) == (44.5, 71.5)
    assert (found[4736286].lat, found[4736286].lon) == (31.2, -99.2)  # untouched
    assert "'Ohio' in US" in caplog.text


def test_stale_indexes_are_removed(tmp_path: Path) -> None:
    from eventscope.kb.gazetteer import _remove_stale

    current = tmp_path / "gazetteer-v3-aaaa.sqlite"
    for name in (current.name, "gazetteer-v2-bbbb.sqlite", "gazetteer-v3-cccc.sqlite", "x.db"):
        (tmp_path / name).write_bytes(b"")
    _remove_stale(current)
    assert sorted(p.name for p in tmp_path.iterdir()) == [current.name, "x.db"]
