"""The dates stage: date expressions found and resolved against the publication date.

Sentences are written for these tests; 2022-01-10, the publication date of most of
them, is a Monday.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventscope.extract import STAGES, stages_for
from eventscope.extract.dates import find_dates
from eventscope.extract.dates_lexicon import lexicon
from eventscope.kb.load import load_yaml
from eventscope.model import Article
from eventscope.nlp.parse import english_components, load_nlp
from eventscope.pipeline import extract, extract_batch
from eventscope.sources import ReadOptions, read_paths

MONDAY = "2022-01-10"


def dates_of(text: str, published: str = MONDAY) -> dict[str, str | None]:
    """Span text -> value of every date expression found."""
    records = extract(text, published=published, stages=["dates"])
    return {d.span.text: d.value for d in records.dates}


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Police said on Saturday that 40 people were detained.", "Saturday", "2022-01-08"),
        ("The leaders met on Monday in a video call.", "Monday", "2022-01-10"),
        ("The cabinet will meet on Thursday to name a new premier.", "Thursday", "2022-01-13"),
        ("This Tuesday he will form a new government.", "This Tuesday", "2022-01-11"),
        ("The talks are resuming Wednesday in Geneva.", "Wednesday", "2022-01-12"),
        ("Troops are scheduled to leave Friday.", "Friday", "2022-01-14"),
        ("Protesters gathered again last Monday.", "last Monday", "2022-01-03"),
        ("Officials expect the talks to resume next Monday.", "next Monday", "2022-01-17"),
    ],
)
def test_weekdays_follow_the_tense_of_their_clause(text: str, span: str, value: str) -> None:
    assert dates_of(text)[span] == value


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The government was dismissed last week.", "last week", "2022-W01"),
        ("Parliament will vote next week.", "next week", "2022-W03"),
        ("Prices were freed earlier this month.", "earlier this month", "2022-01"),
        ("Fuel prices doubled on January 2.", "January 2", "2022-01-02"),
        ("The unrest peaked in mid-January.", "mid-January", "2022-01"),
        ("He was elected two years ago.", "two years ago", "2020"),
        ("The minister resigned hours later.", "hours later", "2022-01-10"),
        ("Yesterday the curfew was lifted.", "Yesterday", "2022-01-09"),
        ("Elections are due later this year.", "later this year", "2022"),
        ("The city grew fast in the 1990s.", "the 1990s", "199"),
        ("He left in 2019, after 30 years in power.", "2019", "2019"),
        ("A state of emergency is currently in force.", "currently", "PRESENT_REF"),
        ("Now the streets are calm.", "Now", "PRESENT_REF"),
        ("The group was recently banned.", "recently", "PAST_REF"),
        ("Troops will stay for the foreseeable future.", "the foreseeable future", "FUTURE_REF"),
        ("Exports fell in the past few months.", "the past few months", "PAST_REF"),
    ],
)
def test_relative_and_calendar_expressions(text: str, span: str, value: str) -> None:
    assert dates_of(text)[span] == value


def test_quarters_and_the_quarter_a_year_earlier() -> None:
    text = (
        "The company reported a third-quarter loss of $5 million. Sales in the quarter "
        "fell to $80 million from $95 million a year earlier. In the year-ago quarter it "
        "earned $2 million. It expects a fourth-quarter charge."
    )
    found = dates_of(text, published="2021-10-25")
    assert found["third-quarter"] == "2021-Q3"
    assert found["the quarter"] == "2021-Q3"
    assert found["a year earlier"] == "2020-Q3"
    assert found["the year-ago quarter"] == "2020-Q3"
    assert found["fourth-quarter"] == "2021-Q4"
    # Early in the year, a fourth quarter reported on is last year's.
    assert dates_of("Profit rose in the fourth quarter.", "2022-02-01")["the fourth quarter"] == (
        "2021-Q4"
    )


def test_seasons_and_halves() -> None:
    found = dates_of("This winter was mild, unlike last summer.")
    assert found["This winter"] == "2021-WI"  # January belongs to the winter of 2021
    assert found["last summer"] == "2021-SU"
    assert dates_of("Output rose in the first half of 2021.")["the first half of 2021"] == (
        "2021-H1"
    )


def test_ranges_give_one_date_per_end() -> None:
    records = extract("Schools closed from 5 to 7 January.", published=MONDAY, stages=["dates"])
    assert [(d.span.text, d.value) for d in records.dates] == [
        ("5", "2022-01-05"),
        ("7 January", "2022-01-07"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Officials may resign if the protests go on.",  # "may" the verb
        "The siege lasted three years.",  # a duration
        "Shots were fired in the 1700 block of Main Street.",  # an address
        "Dividends are paid quarterly.",  # a set
        "The suspect was shot in Spring, a town north of Houston.",  # a place
    ],
)
def test_words_that_are_not_dates(text: str) -> None:
    assert dates_of(text) == {}


def test_records_carry_precision_rule_and_sentence() -> None:
    records = extract("Clashes broke out on Saturday. Now it is calm.", published=MONDAY,
                      stages=["dates"])  # fmt: skip
    saturday, now = records.dates
    assert (saturday.precision, saturday.evidence.rule) == ("day", "dates.weekday")
    assert saturday.evidence.sentence is not None
    assert saturday.evidence.sentence.text == "Clashes broke out on Saturday."
    assert (now.value, now.precision) == ("PRESENT_REF", "unknown")
    assert 0 < now.evidence.confidence < saturday.evidence.confidence <= 1


def test_without_a_publication_date_only_absolute_dates_resolve() -> None:
    text = "The law of 12 March 2020 was changed on Saturday."
    nlp = load_nlp("en", english_components(STAGES["dates"].requires))
    found = find_dates(text, nlp(text), None)
    assert [(text[s:e], value.value) for s, e, value, *_ in found] == [
        ("12 March 2020", "2020-03-12")
    ]


# Date expressions of every kind, to check the shortcuts of the rule scan.
ALL_KINDS = (
    "On Saturday, May 5, 2001, Sunday 6 May, on 12 March 2020, 3/4/2019, 2021-06-30; "
    "January 2 and Jan. 3, the 5th of May, June 1998, May last year, last June, in March, "
    "from 5 to 7 January and February 2-4. Third-quarter profit, the fourth quarter of 2020, Q3 "
    "2021, the year-ago quarter, year-earlier sales, the 1988 period, the latest period, "
    "the first half of 2021, this past spring, the summer of nineteen ninety-four, the "
    "1990s, the '80s, the nineties, the 20th century, two years ago, a year earlier, "
    "hours later, that day, the following week, earlier in the year, year-end, last "
    "week, the coming year, the month, the full year, the past few months, this weekend, "
    "the day before yesterday, tonight, last night, this coming Friday, the year two "
    "thousand, mid-1996, March eighth, years ago, now, currently, the foreseeable future."
)


def test_rule_shortcuts_lose_no_match() -> None:
    """`starts` and `needs` in kb/en/dates.yaml only skip work: each match of a rule's plain
    pattern is still found, and holds one of the words the rule needs."""
    for rule in lexicon()["_rules"]:
        plain = re.compile(re.sub(r"^\(\?-i:\(\?=\[[^\]]*\]\)\)", "", rule.regex.pattern), re.I)
        assert plain.pattern != rule.regex.pattern
        expected = list(plain.finditer(ALL_KINDS))
        assert expected, f"{rule.name} matches none of ALL_KINDS: add an example"
        assert [m.span() for m in rule.regex.finditer(ALL_KINDS)] == [m.span() for m in expected]
        for m in expected:
            words = set(re.findall(r"[a-z]+\d?", m.group().lower()))
            assert not rule.needs or rule.needs & words, (rule.name, m.group())


def test_lexicon_has_three_languages() -> None:
    # English in the pack the stage reads; Russian and Spanish beside it in kb/<code>/.
    kb = {lang: load_yaml(f"{lang}/dates.yaml") for lang in ("en", "ru", "es")}
    assert kb["en"]["months"] == lexicon()["months"]
    for lang in ("en", "ru", "es"):
        for table in ("months", "weekdays", "seasons"):
            assert len(kb[lang][table]) >= 4, (lang, table)
    assert kb["ru"]["months"]["января"] == 1 and kb["es"]["weekdays"]["lunes"] == 0


def test_reference_article_checklist(shared: Path, tmp_path: Path) -> None:
    """The analyst checklist's `dates` items on the team's reference article."""
    sample = shared / "samples" / "kazakhstan-2022-01-10.txt"
    [article] = [a for a in read_paths([str(sample)], ReadOptions()) if isinstance(a, Article)]
    [records] = extract_batch([article], stages=stages_for(["dates"], with_dependencies=True))
    out = tmp_path / "out.json"
    out.write_text(records.to_json(), encoding="utf-8")  # type: ignore[union-attr]
    expected = sample.with_name("kazakhstan-2022-01-10.expected.yaml")
    checklist = shared / "tools" / "checklist.py"
    run = subprocess.run(
        [sys.executable, str(checklist), str(expected), str(out), "dates"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "should 2/2" in run.stdout, run.stdout


def test_out_of_range_dates_are_dropped_not_fatal() -> None:
    from eventscope.pipeline import extract

    text = ("The treaty was signed 99999999 days ago, historians said. Another was signed "
            "5000 years ago.")  # fmt: skip
    records = extract(text, published="2022-01-10")
    assert all(not d.value or d.value[:1] != "-" for d in records.dates)
    assert "99999999 days ago" not in {d.span.text for d in records.dates}
