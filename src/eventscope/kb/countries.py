"""Countries from `countries.yaml`: look-ups by name, alias, abbreviation, demonym, code."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .load import load_yaml
from .names import fold


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    capital: str | None = None
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()
    es: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    ru_demonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name of the country (not its demonyms or abbreviations)."""
        return (self.name, *self.aliases, *self.ru, *self.es)


@dataclass(frozen=True)
class CountryIndex:
    """Countries with folded-name indexes built once."""

    countries: tuple[Country, ...]
    by_name: dict[str, Country]
    by_abbreviation: dict[str, Country]  # exact, case-sensitive: "US", "U.S."
    by_demonym: dict[str, Country]
    by_code: dict[str, Country]

    def named(self, text: str) -> Country | None:
        """The country this name or abbreviation denotes ("Kazakhstan", "U.S.")."""
        return self.by_abbreviation.get(text.strip()) or self.by_name.get(fold(text))

    def of_demonym(self, text: str) -> Country | None:
        """The country of a demonym ("Kazakh", "Russians"), case-insensitive."""
        return self.by_demonym.get(fold(text))

    def coded(self, code: str) -> Country | None:
        """The country of an ISO alpha-2 or alpha-3 code."""
        return self.by_code.get(code.upper())

    def given(self, value: str) -> Country | None:
        """The country a user names: an ISO alpha-2 or alpha-3 code, or a name."""
        found = self.coded(value) if len(value.strip()) in (2, 3) else None
        return found or self.named(value)


def _country(entry: dict[str, Any]) -> Country:
    def many(key: str) -> tuple[str, ...]:
        return tuple(str(v) for v in entry.get(key) or ())

    return Country(
        iso2=str(entry["iso2"]),
        iso3=str(entry["iso3"]),
        name=str(entry["name"]),
        geonameid=entry.get("geonameid"),
        lat=entry.get("lat"),
        lon=entry.get("lon"),
        capital=entry.get("capital"),
        aliases=many("aliases"),
        abbreviations=many("abbreviations"),
        ru=many("ru"),
        es=many("es"),
        demonyms=many("demonyms"),
        ru_demonyms=many("ru_demonyms"),
    )


def build_index(entries: list[dict[str, Any]]) -> CountryIndex:
    """Indexes over country entries; an earlier entry keeps a name both claim."""
    countries = tuple(_country(e) for e in entries)
    by_name: dict[str, Country] = {}
    by_abbreviation: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    for c in countries:
        for name in c.names():
            by_name.setdefault(fold(name), c)
        for abbreviation in c.abbreviations:
            by_abbreviation.setdefault(abbreviation, c)
        for demonym in (*c.demonyms, *c.ru_demonyms):
            by_demonym.setdefault(fold(demonym), c)
        by_code[c.iso2] = by_code[c.iso3] = c
    return CountryIndex(countries, by_name, by_abbreviation, by_demonym, by_code)


@functools.cache
def country_index(path: Path | None = None) -> CountryIndex:
    """The shipped countries (or those of a YAML file of the same schema), indexed."""
    data = yaml.safe_load(path.read_text("utf-8")) if path else load_yaml("countries.yaml")
    return build_index(list(data["countries"]))
