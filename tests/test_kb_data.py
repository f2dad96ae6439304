"""Schema and consistency of the shipped actor data: organizations.yaml, people.yaml and
people_history.yaml."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date
from importlib import resources
from typing import Any

import pytest
import yaml


def codes(text: str) -> set[str]:
    """A set of codes written as one space-separated string."""
    return set(text.split())


# Sector codes listed in kb/README.md (PLOVER/CAMEO).
SECTORS = codes(
    "GOV MIL COP SPY LEG JUD PTY OPP REB INS CVL JRN BUS EDU MED HRI NGO IGO REF LAB AGR "
    "REL CRM UAF ELI"
)
ISO3 = re.compile(r"^[A-Z]{3}$")

# States whose heads of state or government the brief asks for (G20, EU, CSTO/CIS,
# Central Asia, Middle East).
REQUIRED_STATES = codes(
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN MEX RUS SAU ZAF KOR TUR GBR USA "
    "AUT BEL BGR HRV CYP CZE DNK EST FIN GRC HUN IRL LVA LTU LUX MLT NLD POL PRT ROU SVK "
    "SVN ESP SWE ARM BLR KAZ KGZ TJK TKM UZB AZE MDA ARE QAT KWT BHR OMN IRN IRQ SYR ISR "
    "PSE JOR LBN EGY YEM"
)
# Titles of heads of state or government (acting and caretaker ones included).
HEAD_TITLE = re.compile(
    r"^(?:Acting |Caretaker |Interim )?(?:President|Prime Minister|Chancellor|King|Queen|"
    r"Emperor|Emir|Sultan|Supreme Leader|Taoiseach|Premier|Grand Duke|"
    r"Chairman of the (?:Cabinet of Ministers|Presidential Leadership Council)|"
    r"Vice President and Prime Minister)$"
)

Entry = dict[str, Any]


def _load(name: str) -> Any:
    # The C loader when PyYAML has it: organizations.yaml is large.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (resources.files("eventscope.kb") / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader)


@pytest.fixture(scope="module")
def organizations() -> list[Entry]:
    data = _load("organizations.yaml")
    assert isinstance(data, dict) and set(data) == {"organizations"}
    return list(data["organizations"])


@pytest.fixture(scope="module")
def people() -> list[Entry]:
    # people_history.yaml (1975-2014) is checked with people.yaml: one list, one schema.
    found: list[Entry] = []
    for name in ("people.yaml", "people_history.yaml"):
        data = _load(name)
        assert isinstance(data, dict) and set(data) == {"people"}, name
        found += list(data["people"])
    return found


def fold(name: str) -> str:
    """Case, accents, hyphens and dashes folded: how two spellings count as one name."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[-‐–—]", " ", name).split())


def names_of(entry: Entry) -> list[str]:
    return [entry["name"], *entry["aliases"]]


def shared_across_countries(entries: list[Entry]) -> dict[str, set[str | None]]:
    """Folded names used by entries of more than one country (None counts as one)."""
    countries: dict[str, set[str | None]] = defaultdict(set)
    for entry in entries:
        for name in names_of(entry):
            countries[fold(name)].add(entry["country"])
    return {name: found for name, found in countries.items() if len(found) > 1}


def check_names(entry: Entry) -> None:
    assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != ""
    assert isinstance(entry["aliases"], list), entry["name"]
    for alias in entry["aliases"]:
        # YAML turns bare yes/no/numbers into other types: every alias must stay a string.
        assert isinstance(alias, str) and alias.strip() == alias != "", (entry["name"], alias)


def test_sizes(organizations: list[Entry], people: list[Entry]) -> None:
    assert len(organizations) >= 400
    assert len(people) >= 300


def test_organization_schema(organizations: list[Entry]) -> None:
    for org in organizations:
        assert {"name", "aliases", "type", "country", "sector"} <= set(org), org
        assert set(org) <= {"name", "aliases", "type", "country", "sector", "members"}, org
        check_names(org)
        assert org["type"] in ("organization", "group"), org["name"]
        assert org["country"] is None or ISO3.match(org["country"]), org["name"]
        assert org["sector"] in SECTORS, org["name"]
        for member in org.get("members") or []:
            assert ISO3.match(member), (org["name"], member)


def test_person_schema(people: list[Entry]) -> None:
    for person in people:
        assert set(person) == {"name", "aliases", "country", "roles"}, person
        check_names(person)
        assert ISO3.match(person["country"]), person["name"]
        assert person["roles"], person["name"]
        for role in person["roles"]:
            assert set(role) == {"title", "sector", "from", "to"}, (person["name"], role)
            assert isinstance(role["title"], str) and role["title"], person["name"]
            assert role["sector"] in SECTORS, (person["name"], role)
            # Unquoted ISO dates load as dates; anything else (a typo, a year) does not.
            assert type(role["from"]) is date, (person["name"], role)
            assert role["to"] is None or type(role["to"]) is date, (person["name"], role)
            assert role["to"] is None or role["from"] <= role["to"], (person["name"], role)


def test_no_duplicate_canonical_names(organizations: list[Entry], people: list[Entry]) -> None:
    for entries in (organizations, people):
        seen: set[str] = set()
        for entry in entries:
            assert fold(entry["name"]) not in seen, entry["name"]
            seen.add(fold(entry["name"]))


def test_no_name_shared_across_countries(organizations: list[Entry], people: list[Entry]) -> None:
    # An ambiguous acronym such as GKNB (Kyrgyzstan and Tajikistan) is only given qualified.
    assert shared_across_countries(organizations) == {}
    assert shared_across_countries(people) == {}


def test_shared_name_check_catches_a_clash() -> None:
    entries: list[Entry] = [
        {
            "name": "State Committee for National Security of Kyrgyzstan",
            "aliases": ["GKNB"],
            "country": "KGZ",
        },
        {
            "name": "State Committee for National Security of Tajikistan",
            "aliases": ["gknb"],
            "country": "TJK",
        },
        {"name": "Security Council", "aliases": [], "country": None},
        {"name": "Security  Council", "aliases": [], "country": None},
    ]
    assert shared_across_countries(entries) == {"gknb": {"KGZ", "TJK"}}


def test_a_surname_alone_is_not_an_alias(people: list[Entry]) -> None:
    for person in people:
        surname = fold(person["name"]).split()[-1]
        assert all(fold(alias) != surname for alias in person["aliases"]), person["name"]


def test_every_required_state_has_a_head_through_the_period(people: list[Entry]) -> None:
    days = [date(2015, 6, 30), date(2018, 6, 30), date(2021, 6, 30), date(2024, 6, 30)]
    for day in days:
        covered = {
            person["country"]
            for person in people
            for role in person["roles"]
            if HEAD_TITLE.match(role["title"])
            and role["from"] <= day
            and (role["to"] is None or day <= role["to"])
        }
        assert REQUIRED_STATES - covered == set(), day


def test_required_states_have_state_bodies(organizations: list[Entry]) -> None:
    sectors: dict[str, set[str]] = defaultdict(set)
    for org in organizations:
        if org["country"]:
            sectors[org["country"]].add(org["sector"])
    for state in REQUIRED_STATES:
        # Palestine has security forces but no army: MIL or COP.
        assert {"GOV", "LEG"} <= sectors[state] and {"MIL", "COP"} & sectors[state], state


def test_international_offices_are_covered(people: list[Entry]) -> None:
    titles = {role["title"] for person in people for role in person["roles"]}
    for office in (
        "Secretary-General of the United Nations",
        "Secretary General of NATO",
        "President of the European Council",
        "President of the European Commission",
        "President of the European Parliament",
        "High Representative of the Union for Foreign Affairs and Security Policy",
    ):
        assert office in titles
