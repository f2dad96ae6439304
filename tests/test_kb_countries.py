"""The country loader and its look-ups, on a file written here."""

from __future__ import annotations

from pathlib import Path

from eventscope.kb.countries import country_index

DATA = """
countries:
  - {iso2: KZ, iso3: KAZ, name: Kazakhstan, geonameid: 1522867, lat: 48.0, lon: 68.0,
     capital: Astana, aliases: [Republic of Kazakhstan], ru: [Казахстан], es: [Kazajistán],
     demonyms: [Kazakh, Kazakhstani, Kazakhs], ru_demonyms: [казахстанский]}
  - {iso2: US, iso3: USA, name: United States, geonameid: 6252001, lat: 39.76, lon: -98.5,
     abbreviations: [U.S., US, USA], demonyms: [American, Americans]}
"""


def test_lookups(tmp_path: Path) -> None:
    path = tmp_path / "countries.yaml"
    path.write_text(DATA, encoding="utf-8")
    index = country_index(path)
    kz = index.coded("KAZ")
    assert kz is not None and kz.iso2 == "KZ"
    assert index.named("kazajistán") is kz and index.named("Казахстан") is kz
    assert index.of_demonym("Kazakhs") is kz and index.of_demonym("KAZAKH") is kz
    assert index.named("U.S.") is index.coded("us")
    assert index.named("us") is None  # abbreviations are case-sensitive: "us" is a word
    assert index.of_demonym("Kazakhstan") is None
