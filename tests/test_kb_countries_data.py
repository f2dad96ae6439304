"""The shipped `kb/countries.yaml`: schema, uniqueness and a few known facts."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from eventscope.kb.countries import country_index
from eventscope.kb.load import load_yaml
from eventscope.kb.names import fold

LISTS = ("aliases", "abbreviations", "ru", "es", "demonyms", "ru_demonyms")
REQUIRED = ("iso2", "iso3", "name", *LISTS, "capital", "geonameid", "lat", "lon")


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data = load_yaml("countries.yaml")
    assert isinstance(data, dict)
    return list(data["countries"])


def _by_iso2(entries: list[dict[str, Any]], iso2: str) -> dict[str, Any]:
    return next(e for e in entries if e["iso2"] == iso2)


def _owners(entries: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, set[str]]:
    """Folded value -> the iso3 codes of the entries that list it under `keys`."""
    owners: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for key in keys:
            values = [e[key]] if key == "name" else e[key]
            for value in values:
                owners[fold(value)].add(e["iso3"])
    return owners


def test_every_geonames_country_is_there(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 240


def test_entries_follow_the_schema(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert set(REQUIRED) <= set(e), e.get("iso2")
        assert re.fullmatch(r"[A-Z]{2}", e["iso2"]) and re.fullmatch(r"[A-Z]{3}", e["iso3"])
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"]
        assert isinstance(e["geonameid"], int)
        assert e["capital"] is None or isinstance(e["capital"], str)
        for key in LISTS:
            assert isinstance(e[key], list), (e["iso2"], key)
            assert all(isinstance(v, str) and v.strip() for v in e[key]), (e["iso2"], key)


def test_codes_and_ids_are_unique(entries: list[dict[str, Any]]) -> None:
    for key in ("iso2", "iso3", "geonameid"):
        values = [e[key] for e in entries]
        assert len(values) == len(set(values)), key


def test_points_are_on_the_globe(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert isinstance(e["lat"], float) and isinstance(e["lon"], float), e["iso2"]
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180, e["iso2"]


def test_no_name_demonym_or_abbreviation_points_to_two_countries(
    entries: list[dict[str, Any]],
) -> None:
    # The loader keeps the first claimant, so a shared key would silently miscode the other.
    for keys in (("name", "aliases", "ru", "es"), ("demonyms", "ru_demonyms")):
        shared = {k: v for k, v in _owners(entries, keys).items() if len(v) > 1}
        assert not shared, shared
    abbreviations = [a for e in entries for a in e["abbreviations"]]
    assert len(abbreviations) == len(set(abbreviations))


def test_no_demonym_is_another_countrys_name(entries: list[dict[str, Any]]) -> None:
    names = _owners(entries, ("name", "aliases", "ru", "es"))
    for e in entries:
        for demonym in (*e["demonyms"], *e["ru_demonyms"]):
            assert names.get(fold(demonym), {e["iso3"]}) == {e["iso3"]}, demonym


@pytest.mark.parametrize(
    ("iso2", "lat", "lon"),
    [("RU", 60.0, 100.0), ("US", 39.76, -98.5), ("CN", 35.0, 105.0), ("KZ", 48.0, 68.0)],
)
def test_country_points_are_geonames_not_capitals(
    entries: list[dict[str, Any]], iso2: str, lat: float, lon: float
) -> None:
    e = _by_iso2(entries, iso2)
    assert abs(e["lat"] - lat) <= 1 and abs(e["lon"] - lon) <= 1


def test_known_facts(entries: list[dict[str, Any]]) -> None:
    kz = _by_iso2(entries, "KZ")
    assert kz["capital"] == "Astana" and kz["geonameid"] == 1522867
    assert "Kazakhs" in kz["demonyms"] and "Казахстан" in kz["ru"]
    assert [e["iso3"] for e in entries if "U.S." in e["abbreviations"]] == ["USA"]


def test_loader_reads_the_shipped_file() -> None:
    index = country_index()
    us, tr = index.named("U.S."), index.named("Türkiye")
    assert us is not None and us.iso3 == "USA"
    assert tr is not None and tr.iso3 == "TUR"
    kg = index.of_demonym("Kyrgyz")
    assert kg is not None and kg.iso3 == "KGZ"
