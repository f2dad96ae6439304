"""The figures stage on sentences written here: values and qualifiers, what a number
counts, who reported it and when, the event it counts, single victims, and the numbers
that are not figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventscope.extract.figures import days_before
from eventscope.kb.figures import build_lexicon, figures_lexicon
from eventscope.kb.load import load_yaml
from eventscope.model import ArticleRecords, Figure
from eventscope.pipeline import extract

from .conftest import reference_checklist

PUBLISHED = date(2022, 1, 10)


def figures_of(text: str, published: date = PUBLISHED) -> tuple[ArticleRecords, list[Figure]]:
    records = extract(text, published=published)
    return records, list(records.figures)


def kinds(figures: list[Figure]) -> list[tuple[str, float, str]]:
    return [(f.kind, f.value, f.qualifier) for f in figures]


def actor_name(records: ArticleRecords, actor_id: str | None) -> str | None:
    return next((a.name for a in records.actors if a.id == actor_id), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 12 people were killed in the clashes.", ("killed", 12, "at_least")),
        ("Nearly 2,000 people were injured in the riots.", ("injured", 2000, "at_most")),
        ("About 300 protesters were detained in Minsk.", ("arrested", 300, "approximately")),
        ("The fighting has killed more than a hundred civilians.", ("killed", 100, "at_least")),
        ("Police arrested dozens of students in Tehran.", ("arrested", 24, "at_least")),
        ("Two dozen soldiers were wounded in the attack.", ("injured", 24, "exact")),
        ("The storm left twenty-one people dead.", ("killed", 21, "exact")),
        ("The floods displaced 1.5 million people in Pakistan.", ("displaced", 1_500_000, "exact")),
    ],
)
def test_value_qualifier_and_kind(text: str, expected: tuple[str, float, str]) -> None:
    _, figures = figures_of(text)
    assert expected in kinds(figures), kinds(figures)


def test_range_has_low_and_high() -> None:
    _, figures = figures_of("Between 20 and 30 people were killed in the shelling.")
    [figure] = [f for f in figures if f.kind == "killed"]
    assert (figure.qualifier, figure.low, figure.high, figure.value) == ("range", 20, 30, 20)
    assert figure.span.text == "Between 20 and 30"


def test_bounds_follow_the_qualifier() -> None:
    _, figures = figures_of("Nearly 2,000 people were injured and at least 40 were killed.")
    injured = next(f for f in figures if f.kind == "injured")
    killed = next(f for f in figures if f.kind == "killed")
    assert (injured.low, injured.high) == (None, 2000)
    assert (killed.low, killed.high) == (40, None)


def test_kind_words_after_numbers_in_a_list() -> None:
    _, figures = figures_of("The bombing left three dead and nine wounded in Kabul.")
    assert {("killed", 3, "exact"), ("injured", 9, "exact")} <= set(kinds(figures))


def test_measure_nouns_give_their_kind() -> None:
    _, figures = figures_of("The death toll from the earthquake rose to 2,400 on Tuesday.")
    assert ("killed", 2400, "exact") in kinds(figures)
    records, figures = figures_of(
        "The Kazakh Interior Ministry updated its figures of arrests, which amounts to 5,100."
    )
    arrested = next(f for f in figures if f.kind == "arrested")
    assert arrested.value == 5100
    assert actor_name(records, arrested.reported_by) is not None


def test_reporter_by_according_to_and_reporting_verb() -> None:
    records, figures = figures_of(
        "According to the United Nations, 45 civilians were killed in Aleppo last week."
    )
    killed = next(f for f in figures if f.kind == "killed")
    assert actor_name(records, killed.reported_by) == "United Nations"
    records, figures = figures_of("Reuters reported that 17 people died in the protests.")
    killed = next(f for f in figures if f.kind == "killed")
    assert actor_name(records, killed.reported_by) == "Reuters"
    assert killed.as_of == "2022-01-10"


def test_figure_links_to_the_event_it_counts() -> None:
    records, figures = figures_of("Security forces arrested 250 protesters in Almaty on Sunday.")
    arrested = next(f for f in figures if f.kind == "arrested")
    event = next(e for e in records.events if e.id == arrested.event)
    assert (event.type, event.mode) == ("COERCE", "arrest")
    place = next(p for p in records.places if p.id == arrested.place)
    assert place.name == "Almaty"


def test_troops_and_crowds() -> None:
    _, figures = figures_of(
        "Russia sent 3,000 troops to the border. Thousands of demonstrators marched in Tbilisi."
    )
    assert ("troops", 3000, "exact") in kinds(figures)
    assert ("protesters", 2000, "at_least") in kinds(figures)


def test_counts_of_other_people_and_acts_are_generic_not_casualties() -> None:
    _, figures = figures_of("Six lawyers read 40 pages. The police carried out 12 raids.")
    assert [f.kind for f in figures] == ["lawyers", "raids"]


@pytest.mark.parametrize(
    "text",
    [
        "A 23-year-old student was arrested, aged 23, on 12 March 2021.",
        "The government spent $40 million and 15% of the budget on the 2019 election.",
        "Call the police hotline at (209) 937-8377 with any information.",
        "The shooting happened in the 3200 block of Main Street at 11 p.m.",
        "He was shot 3 times and the gunman fired 12 rounds.",
    ],
)
def test_ages_dates_money_phones_and_measures_are_no_casualty_figures(text: str) -> None:
    _, figures = figures_of(text)
    numeric = [f for f in figures if f.evidence.rule != "figures.victim"]
    assert not numeric, kinds(numeric)


def test_single_victims_count_one() -> None:
    _, figures = figures_of("A 17-year-old boy was shot in Stockton on Monday afternoon.")
    assert kinds(figures) == [("injured", 1, "exact")]
    assert figures[0].evidence.rule == "figures.victim"


def test_shot_then_died_is_killed_not_injured() -> None:
    _, figures = figures_of(
        "A man was shot outside a bar on Friday night. He died at the hospital hours later."
    )
    assert {f.kind for f in figures} == {"killed"}


def test_coordinated_victims_are_tallied() -> None:
    _, figures = figures_of("Police said a 22-year-old man and a 16-year-old boy were shot.")
    tally = [f for f in figures if f.evidence.rule == "figures.tally"]
    assert [(f.kind, f.value) for f in tally] == [("injured", 2)]


def test_unreal_and_negated_harm_counts_no_one() -> None:
    _, figures = figures_of(
        "The gunman threatened to kill the clerk. The bullet came within inches of possibly "
        "killing the trooper. The driver was not injured."
    )
    assert not figures, kinds(figures)


def test_an_earlier_events_toll_holds_as_of_its_date() -> None:
    _, figures = figures_of("In 2007, 28 people were killed in the city in January alone.")
    killed = next(f for f in figures if f.kind == "killed")
    assert killed.as_of is not None and killed.as_of.startswith("2007")
    assert days_before(killed.as_of, PUBLISHED) > 30


def test_lexicon_rejects_unknown_qualifiers() -> None:
    data = dict(load_yaml("en/figures.yaml"))
    assert figures_lexicon().kind("killed").verbs
    with pytest.raises(ValueError, match="unknown qualifier"):
        build_lexicon({**data, "qualifiers": {"roughly": ["about"]}})


def test_figures_json_counts_are_integers() -> None:
    records, _ = figures_of("Police detained 40 protesters in Almaty.")
    out = records.to_dict()["figures"]
    assert out and isinstance(out[0]["value"], int)


REFERENCE_FIGURE_MUSTS = 3


def test_reference_article_figures_checklist(shared: Path, tmp_path: Path) -> None:
    _, found, out = reference_checklist(shared, tmp_path, "figures")
    assert found >= REFERENCE_FIGURE_MUSTS, out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officers found a man with a gunshot wound in the street.", [("injured", 1)]),
        ("They discovered a teenager suffering from a gunshot wound.", [("injured", 1)]),
        ("A woman had suffered a gunshot wound to the arm.", [("injured", 1)]),
        ("The gunman shot an 18-year-old man who died at the scene.", [("killed", 1)]),
        ("Police said two children were not hurt in the shooting.", []),
        ("Officers found no injuries at the scene.", []),
        ("When they arrived, officers found a man shot in the leg.", [("injured", 1)]),
        ("One man was taken to the hospital with serious injuries.", [("injured", 1)]),
    ],
)
def test_wounds_a_later_death_and_the_unhurt(text: str, expected: list[tuple[str, int]]) -> None:
    _, figures = figures_of(text)
    found = [(f.kind, f.value) for f in figures if f.kind in ("killed", "injured")]
    assert found == expected, kinds(figures)


def test_a_headline_subject_before_a_bare_participle_is_the_victim() -> None:
    _, figures = figures_of(
        "Man shot, killed on Detroit's west side\nPolice are investigating after a body "
        "was found near an abandoned home."
    )
    assert [(f.kind, f.value) for f in figures if f.kind in ("killed", "injured")] == [
        ("killed", 1)
    ]
    # a line with a full stop is a sentence: its subject shot, nobody was shot
    _, figures = figures_of("A gunman shot twice near the store.\nNobody else was there.")
    assert [f for f in figures if f.kind in ("killed", "injured")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plural noun counted as killed is a group of victims, whatever the noun
        ("Officials said 26 armed attackers had been killed.", [("killed", 26, "armed attackers")]),
        ("The strike killed at least 13 airmen.", [("killed", 13, "airmen")]),
        ("Eighteen members of the guard lost their lives.", [("killed", 18, "members")]),
        ("At least 12 people were killed in the clashes.", [("killed", 12, None)]),
    ],
)
def test_victims_counted_by_any_plural_noun_keep_it_as_their_group(
    text: str, expected: list[tuple[str, float, str | None]]
) -> None:
    _, figures = figures_of(text)
    assert [(f.kind, f.value, f.group) for f in figures] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The case recalls the 2007 shooting death of a local teacher.",  # a year
        "Three customers who weren't injured were interviewed by detectives.",  # negated
        "A 30-year-old man was charged in the family's deaths.",  # the accused
        "The linebacker recorded 55 tackles and three sacks last season.",  # sports
        "The delegation visited six countries in ten days.",  # things, not people or acts
    ],
)
def test_numbers_that_count_no_victims_are_no_figures(text: str) -> None:
    _, figures = figures_of(text)
    assert kinds(figures) == []


def test_years_do_not_hide_counts_of_people() -> None:
    _, figures = figures_of("Police said 1500 protesters marched through the city.")
    assert kinds(figures) == [("protesters", 1500, "exact")]
