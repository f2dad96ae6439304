"""Actors: merged mentions, canonical names, coding from the KB and from titles."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from eventscope.extract import stages_for
from eventscope.extract.actors import strip_accents
from eventscope.model import Actor, ArticleRecords, Rejected
from eventscope.pipeline import extract_batch
from eventscope.sources import ReadOptions, read_paths
from eventscope.sources.base import make_article

from .test_entities import _KB, kb_file, with_kb  # noqa: F401 (fixtures: the test KB, in use)

STAGES = ("entities", "places", "actors")  # actors read the places (E010 without)


def actors(text: str, published: str = "2022-01-10") -> list[Actor]:
    article = make_article(
        text, input_ref="t", opts=ReadOptions(min_chars=1), published=published, language="en"
    )
    result = extract_batch([article], stages=stages_for(STAGES), kb=_KB["test"])[0]
    assert isinstance(result, ArticleRecords)
    return list(result.actors)


def named(found: list[Actor], name: str) -> Actor:
    matches = [a for a in found if a.name == name]
    assert len(matches) == 1, [(a.name, a.type) for a in found]
    return matches[0]


def test_title_name_and_surname_are_one_kb_person() -> None:
    found = actors("Russian President Vladimir Putin spoke on Monday. Putin said it was over.")
    putin = named(found, "Vladimir Putin")
    assert (putin.type, putin.country, putin.sector) == ("person", "RUS", "GOV")
    assert [m.span.text for m in putin.mentions] == ["Vladimir Putin", "Putin"]
    assert putin.mentions[0].role == "Russian President"
    assert putin.mentions[0].evidence.sentence is not None


def test_definite_title_joins_the_person_named_with_it() -> None:
    text = (
        "The Kyrgyz leader, Almazbek Turgunbaev, met the press. The Kyrgyz leader said "
        "that the border would stay open, and Turgunbaev left."
    )
    leader = named(actors(text), "Almazbek Turgunbaev")
    # The title in apposition is a mention too, so events on "the Kyrgyz leader" find him.
    assert [m.span.text for m in leader.mentions] == [
        "The Kyrgyz leader",
        "Almazbek Turgunbaev",
        "The Kyrgyz leader",
        "Turgunbaev",
    ]
    assert (leader.country, leader.sector) == ("KGZ", "GOV")


def test_definite_title_finds_the_office_holder_on_the_publication_date() -> None:
    text = "The Kazakh leader said on Tuesday that order had been restored."
    assert [a.name for a in actors(text, "2022-01-11")] == ["Kassym-Jomart Tokayev"]
    assert [a.name for a in actors(text, "2015-06-01")] == ["Nursultan Nazarbayev"]


def test_body_gives_its_country_and_sector_to_a_rank() -> None:
    text = (
        "A colonel of the National Security Committee (KNB), Arman Serikov, was arrested. "
        "The KNB did not comment."
    )
    found = actors(text)
    person = named(found, "Arman Serikov")
    assert (person.country, person.sector) == ("KAZ", "SPY")
    assert person.mentions[0].role == "colonel of the National Security Committee"
    knb = named(found, "National Security Committee")
    texts = sorted(m.span.text for m in knb.mentions)
    assert texts == ["KNB", "KNB", "the National Security Committee"]


def test_apposition_titles_code_people_not_in_the_kb() -> None:
    found = actors(
        "A Kyrgyz citizen, Aibek Toktogulov, a singer by profession, was detained. "
        "The Zhambyl region police chief, Yerlan Bekov, was dismissed by a Kazakh judge."
    )
    singer = named(found, "Aibek Toktogulov")
    assert (singer.country, singer.sector) == ("KGZ", "CVL")
    chief = named(found, "Yerlan Bekov")
    assert (chief.type, chief.sector) == ("person", "COP")


def test_bodies_coded_from_demonyms_and_body_nouns() -> None:
    found = actors(
        "The Kyrgyz Ministry of Mountain Roads said 12 people were held, according to "
        "the Russian agency Interfax and the Kyrgyz channel Aprel-24."
    )
    ministry = named(found, "Ministry of Mountain Roads")
    assert (ministry.type, ministry.country, ministry.sector) == ("organization", "KGZ", "GOV")
    assert (named(found, "Interfax").country, named(found, "Interfax").sector) == ("RUS", "JRN")
    assert named(found, "Aprel-24").sector == "JRN"


def test_groups_and_acting_countries() -> None:
    found = actors(
        "Protesters clashed with police in Almaty, the largest city of Kazakhstan. "
        "Russia sent troops to Kazakhstan, and Kazakh protesters blocked roads."
    )
    protesters = [a for a in found if a.name == "protesters"]
    assert protesters and all(a.type == "group" and a.sector == "OPP" for a in protesters)
    assert all(a.country == "KAZ" for a in protesters)  # named or by the article's country
    assert named(found, "police").sector == "COP"
    assert named(found, "Russia").type == "country"
    assert not [a for a in found if a.name == "Kazakhstan"]  # only a place here
    assert named(found, "troops").sector == "MIL"


def test_armed_groups_take_the_country_where_the_text_puts_them() -> None:
    found = actors(
        "Gunmen attacked a Catholic church in Owo on Sunday. Officials in Abuja and "
        "Washington condemned the attack. Militants in the region were blamed."
    )
    assert named(found, "gunmen").country == "NGA"  # Owo is in Nigeria
    men = [a for a in found if a.name.lower() == "militants"]
    assert men and all(a.country is None for a in men)  # "the region": no country said


def test_canonical_name_without_accents_keeps_the_text_in_aliases() -> None:
    # Names here are invented: not in the KB.
    found = actors("The mayor of Bishkek, Bakyt Zhoomártov, stayed away. Zhoomártov protested.")
    mayor = named(found, "Bakyt Zhoomartov")
    assert "Bakyt Zhoomártov" in mayor.aliases
    assert [m.span.text for m in mayor.mentions] == ["The mayor", "Bakyt Zhoomártov", "Zhoomártov"]
    assert mayor.sector == "GOV"
    assert strip_accents("Tokáyev") == "Tokayev"


def test_acronym_in_brackets_joins_the_body() -> None:
    found = actors("The Eurasian Transit Council (ETC) met in Minsk. ETC members agreed.")
    council = named(found, "Eurasian Transit Council")
    assert council.aliases == ("ETC",)
    assert len(council.mentions) == 3


def test_reference_article_checklist(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `must` actor of the team's checklist, and none of its `must_not` ones."""
    sample = shared / "samples" / "kazakhstan-2022-01-10.txt"
    [article] = [a for a in read_paths([str(sample)], ReadOptions()) if not isinstance(a, Rejected)]
    assert article.published == date(2022, 1, 10)
    [records] = extract_batch([article], stages=stages_for(STAGES))
    assert isinstance(records, ArticleRecords)
    out = tmp_path / "out.json"
    out.write_text(json.dumps(records.to_dict()), encoding="utf-8")
    expected = sample.with_suffix(".expected.yaml")
    checklist = shared / "tools" / "checklist.py"
    run = subprocess.run([sys.executable, str(checklist), str(expected), str(out), "actors"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "must_not hits 0" in run.stdout


def test_a_demonym_and_title_name_the_office_holder_not_a_longer_title() -> None:
    from eventscope.pipeline import extract

    text = (
        "The American president said on Monday that talks would go on. The German president agreed."
    )
    records = extract(text, published="2022-01-10")
    coded = {a.name: (a.country, a.sector) for a in records.actors}
    assert coded.get("Joe Biden") == ("USA", "GOV")
    assert coded.get("Frank-Walter Steinmeier") == ("DEU", "GOV")


def test_an_unknown_office_holder_titled_without_a_country_is_of_the_country_reported_on() -> None:
    # An invented name: not in the KB.
    found = actors("Fijian rebels said they would free Prime Minister Tomasi Vakaloa in Suva.")
    premier = named(found, "Tomasi Vakaloa")
    assert (premier.country, premier.sector) == ("FJI", "GOV")


def test_office_holders_before_2015_come_from_the_history_file() -> None:
    found = actors("Mubarak met the press in Cairo. Hosni Mubarak said talks would go on.",
                   published="1995-06-01")  # fmt: skip
    mubarak = named(found, "Hosni Mubarak")
    assert (mubarak.type, mubarak.country, mubarak.sector) == ("person", "EGY", "GOV")
    leader = actors("The Egyptian president said the talks would resume.", published="1995-06-01")
    assert "Hosni Mubarak" in {a.name for a in leader}
