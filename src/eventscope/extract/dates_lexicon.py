"""Dates lexicon: kb/en/dates.yaml compiled into rules (`lexicon`), and the records the
resolvers share: a `Rule`, its `Resolved` value, the `Context` of one article."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventscope.lang import pack
from eventscope.lang.en.lexicon import words as en_words

Tense = str  # past | future | present | none
Groups = dict[str, Any]


_ONE = en_words("function_words", "indefinite_articles")  # "a", "an": no number word here


@dataclass(frozen=True, slots=True)
class Resolved:
    """A TimeML value with its precision (day, week, month, quarter, year, unknown)."""

    value: str
    precision: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of kb/en/dates.yaml with its resolver and parameters."""

    name: str
    regex: re.Pattern[str]
    resolve: str
    confidence: float
    offset: int | None = None
    unit: str | None = None
    veto: frozenset[str] = frozenset()  # spaCy labels that overrule a match ("1990 troops")
    needs: frozenset[str] = frozenset()  # words one of which a text must hold for the rule


@dataclass(slots=True)
class Context:
    """Resolving one article: its date, tenses, spaCy dates and the discourse anchors."""

    dct: date | None
    tense_at: Callable[[int, int], Tense]
    text: str
    date_entities: list[tuple[int, int]] = field(default_factory=list)
    quarter: tuple[int, int] | None = None  # the quarter an earnings report is about
    anchors: dict[str, date] = field(default_factory=dict)  # last day/week/month/year named


def _alternation(words: Iterable[Any], *, case: bool = False) -> str:
    """Regex alternation of words, longest first; `case` keeps them case-sensitive."""
    parts = sorted({str(w) for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
    return f"(?-i:{body})" if case else f"(?:{body})"


def _names(table: dict[str, int]) -> list[str]:
    """Title-case and upper-case forms (headlines) of lexicon names."""
    return [form for name in table for form in (name.title(), name.upper())]


@functools.cache
def lexicon() -> dict[str, Any]:
    """kb/en/dates.yaml with lookup tables and compiled rules (cached; clear in tests)."""
    kb: dict[str, Any] = dict(pack("en").lexicon("dates"))
    kb["_refs"] = {" ".join(w.split()): v for v, ws in kb["references"].items() for w in ws}
    numbers, abbrev = kb["numbers"], kb["month_abbreviations"]
    month_full = _alternation(_names(kb["months"]), case=True)
    month_abbr = _alternation([f"{a.title()}." for a in abbrev] + _names(abbrev), case=True)
    ones = _alternation(w for w, n in numbers.items() if 1 <= n < 10 and w not in _ONE)
    tens = _alternation(w for w, n in numbers.items() if n >= 20 and n % 10 == 0)
    teens = _alternation(w for w, n in numbers.items() if 10 <= n < 20)
    tail = f"(?:{teens}|{tens}(?:[- ]{ones})?)"
    fills = {
        "month": f"(?:{month_full}|{month_abbr}(?=\\.|\\s+\\d))",
        "month_full": month_full,
        "weekday": _alternation(_names(kb["weekdays"]), case=True),
        "day": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
        "year": r"(?:1[5-9]\d\d|20\d\d)(?!\d)",
        "year_words": f"(?:(?:nineteen|twenty)\\s+(?:hundred\\s+)?{tail}"
        f"|two\\s+thousand(?:\\s+(?:and\\s+)?(?:{ones}|{tail}))?)",
        "ordinal": _alternation(kb["ordinals"]),
        "number": _alternation(numbers),
        "vague": _alternation(kb["vague_numbers"]),
        "unit": _alternation(kb["units"]),
        "season": _alternation(kb["seasons"]),
        "decade_word": _alternation(kb["decade_words"]),
        "deictic": _alternation(kb["deictic_days"]),
        "part_of_day": _alternation(kb["part_of_day"]),
        "relative": _alternation(kb["relative"]),
        "reference": _alternation(w for ws in kb["references"].values() for w in ws),
    }
    kb["_months"] = {**kb["months"], **abbrev}
    tables = {**{t: kb[t] for t in ("weekdays", "seasons", "deictic_days")},
              "months": kb["_months"], "references": kb["_refs"],
              "part_of_day": kb["part_of_day"], "decade_words": kb["decade_words"]}  # fmt: skip

    def fill(m: re.Match[str]) -> str:
        return fills[m[1]]

    kb["_rules"] = [
        Rule(
            spec["name"],
            # every date starts a word, with one of a few characters: saying so first
            # lets the regex engine skip the other positions fast
            re.compile(
                "(?-i:(?=["
                + spec.get("starts", r"\w'")
                + r"]))(?<!\w)"
                + re.sub(r"\{(\w+)\}", fill, spec["pattern"]),
                re.I,
            ),
            spec["resolve"],
            float(spec["confidence"]),
            spec.get("offset"),
            spec.get("unit"),
            frozenset(spec.get("veto", ())),
            frozenset(
                str(key).split()[-1]
                for need in spec.get("needs", ())
                for key in (tables[need[1:-1]] if need.startswith("{") else [need])
            ),
        )
        for spec in kb["rules"]
    ]
    qualifiers = (re.escape(q) + ("" if q.endswith("-") else r"\s+") for q in kb["qualifiers"])
    kb["_qualifier"] = re.compile(rf"(?<![\w-])(?:{'|'.join(qualifiers)})$", re.I)
    kb["_not_dates"] = [re.compile(p, re.I) for p in kb["not_dates"]]
    kb["_dateish"] = re.compile(rf"{fills['month']}|{fills['weekday']}|\b\d\d?(?:st|nd|rd|th)\b")
    kb["_weekdays"] = dict(kb["weekdays"])
    return kb
