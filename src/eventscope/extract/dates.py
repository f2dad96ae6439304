"""Dates: every date expression of an article, resolved against its publication date.

Candidates are the matches of the patterns in `kb/dates.yaml` (they also cover what spaCy
misses or splits: "on Saturday", "earlier this month", "the year-ago quarter", "5 to 7
January") and spaCy's DATE entities no pattern reads. Values follow TimeML: 2022-01-08,
2022-W01, 2022-01, 2022-Q1, 2021-WI, 2022, PRESENT_REF. A bare weekday or month goes to
the last or the coming one by the tense of the verb it hangs on; "a year earlier" in an
earnings report is the year-ago quarter. Durations ("three years") and sets ("annually")
are not dates and are not emitted.

Why our own normaliser: dateparser, measured on TimeBank's gold spans, gets half of the
values right. It ignores a leading "on", misses "earlier this month", returns nothing for
quarters, seasons and PRESENT_REF, and sends a bare weekday to the wrong week. It stays
as the last resort for spaCy entities that name a month, weekday or ordinal day but that
no pattern reads (it is slow, so its answers are cached).
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from eventscope.kb.load import load_yaml
from eventscope.model import ArticleRecords, DateExpr, Evidence, Span
from eventscope.nlp.parse import ParsedArticle

from .registry import register

Tense = str  # past | future | present | none
Groups = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A TimeML value with its precision (day, week, month, quarter, year, unknown)."""

    value: str
    precision: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of kb/dates.yaml with its resolver and parameters."""

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
    """kb/dates.yaml with lookup tables and compiled rules (cached; clear in tests)."""
    kb: dict[str, Any] = dict(load_yaml("dates.yaml"))
    kb["_refs"] = {" ".join(w.split()): v for v, ws in kb["references"].items() for w in ws}
    numbers, abbrev = kb["numbers"], kb["month_abbreviations"]
    month_full = _alternation(_names(kb["months"]["en"]), case=True)
    month_abbr = _alternation([f"{a.title()}." for a in abbrev] + _names(abbrev), case=True)
    ones = _alternation(w for w, n in numbers.items() if 1 <= n < 10 and w not in ("a", "an"))
    tens = _alternation(w for w, n in numbers.items() if n >= 20 and n % 10 == 0)
    teens = _alternation(w for w, n in numbers.items() if 10 <= n < 20)
    tail = f"(?:{teens}|{tens}(?:[- ]{ones})?)"
    fills = {
        "month": f"(?:{month_full}|{month_abbr}(?=\\.|\\s+\\d))",
        "month_full": month_full,
        "weekday": _alternation(_names(kb["weekdays"]["en"]), case=True),
        "day": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
        "year": r"(?:1[5-9]\d\d|20\d\d)(?!\d)",
        "year_words": f"(?:(?:nineteen|twenty)\\s+(?:hundred\\s+)?{tail}"
        f"|two\\s+thousand(?:\\s+(?:and\\s+)?(?:{ones}|{tail}))?)",
        "ordinal": _alternation(kb["ordinals"]),
        "number": _alternation(numbers),
        "vague": _alternation(kb["vague_numbers"]),
        "unit": _alternation(kb["units"]),
        "season": _alternation(kb["seasons"]["en"]),
        "decade_word": _alternation(kb["decade_words"]),
        "deictic": _alternation(kb["deictic_days"]["en"]),
        "part_of_day": _alternation(kb["part_of_day"]),
        "relative": _alternation(kb["relative"]),
        "reference": _alternation(w for ws in kb["references"].values() for w in ws),
    }
    kb["_months"] = {**kb["months"]["en"], **abbrev}
    tables = {**{t: kb[t]["en"] for t in ("weekdays", "seasons", "deictic_days")},
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
    kb["_weekdays"] = dict(kb["weekdays"]["en"])
    return kb


def clause_tense(doc: Any, start: int, end: int) -> Tense:
    """Tense of the verb that the date at characters [start, end) of a parsed doc hangs on.

    "said on Saturday" -> past; "will meet Tuesday", "is to resume Tuesday", "is meeting
    Tuesday" -> future; "meets Tuesday" -> present; a date that qualifies a noun
    ("Friday's vote", "a cutback in September") or follows "until" -> none.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return "none"
    cues = lexicon()["tense"]
    verb = span.root
    while verb.dep_ == "conj" and verb.head is not verb:  # "Thursday and Friday"
        verb = verb.head
    if verb.dep_ == "pobj":
        if verb.head.lower_ in cues["deadline_preps"]:
            return "none"  # "extended to Nov. 16": an end point, whatever the tense
        verb = verb.head
    verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return "none"
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    if words & set(cues["future_aux"]):  # "would have met" looks back
        return "past" if words & set(cues["perfect_aux"]) else "future"
    if words & set(cues["weak_aux"]):
        return "present"
    if any(c.tag_ == "TO" for c in aux) or verb.dep_ == "xcomp":
        if verb.head.lower_ in cues["future_heads"] or verb.head.tag_ == "VBG":
            return "future"  # "plans to meet", "is going to meet", "is to resume"
        verb, aux = verb.head, [c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]
    elif verb.tag_ == "VBG" and words & set(cues["progressive_aux"]):
        return "future"  # "is meeting Tuesday"
    tags = {verb.tag_, *(c.tag_ for c in aux)}
    perfect = {c.lower_ for c in aux} & set(cues["perfect_aux"])
    if "VBD" in tags or (verb.tag_ == "VBN" and (perfect or verb.dep_ == "acl")):
        return "past"  # "has said", "the year ended March 31"
    return "present" if tags & {"VBZ", "VBP", "MD"} else "none"


# -- date arithmetic -----------------------------------------------------------------


def _week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _unit_value(day: date, unit: str, offset: int) -> Resolved | None:
    """The day, week, month, quarter, year, decade or century `offset` units from `day`;
    None outside years 1 to 9999 ("99999999 days ago")."""
    try:
        return _unit_value_in_range(day, unit, offset)
    except (OverflowError, ValueError):
        return None


def _unit_value_in_range(day: date, unit: str, offset: int) -> Resolved | None:
    months = day.year * 12 + day.month - 1 + offset * {"month": 1, "quarter": 3}.get(unit, 0)
    year, month = divmod(months, 12)
    if unit in ("month", "quarter") and not 0 < year <= 9999:
        return None
    if unit == "week":
        return Resolved(_week(day + timedelta(weeks=offset)), "week")
    if unit == "month":
        return Resolved(f"{year}-{month + 1:02d}", "month")
    if unit == "quarter":
        return Resolved(f"{year}-Q{month // 3 + 1}", "quarter")
    if unit in ("year", "decade", "century"):
        size = {"year": 1, "decade": 10, "century": 100}[unit]
        value = day.year // size + offset
        return Resolved(str(value), "year") if 0 < value * size <= 9999 else None
    return Resolved((day + timedelta(days=offset if unit == "day" else 0)).isoformat(), "day")


def _pick(options: list[date], dct: date, tense: Tense, horizon: int = 366) -> date:
    """The last option not after `dct` in the past tense, the first one not before it in
    the future tense (each within `horizon` days), else the nearest (the earlier on a tie)."""
    if tense == "past" and (past := [d for d in options if 0 <= (dct - d).days < horizon]):
        return max(past)
    if tense == "future" and (coming := [d for d in options if 0 <= (d - dct).days < horizon]):
        return min(coming)
    return min(options, key=lambda d: (abs((d - dct).days), d > dct))


def _weekday(dct: date, weekday: int, rel: str, tense: Tense) -> date:
    """ "last Friday", "this Tuesday", "Monday" (the last or the coming one by tense)."""
    back = (dct.weekday() - weekday) % 7 or 7  # days back to the last one before dct
    if rel in ("last", "this past", "the previous"):
        return dct - timedelta(days=back)
    if rel in ("next", "this coming", "the following"):
        return dct + timedelta(days=7 - back if back < 7 else 7)
    if back == 7:  # the publication day's own weekday is that very day
        return dct
    later_this_week = rel == "this" and tense == "none" and back > dct.weekday()
    if tense in ("future", "present") or later_this_week:
        return dct + timedelta(days=7 - back)
    return dct - timedelta(days=back)


def _cue_before(ctx: Context, start: int, cues: list[str]) -> bool:
    words = ctx.text[max(0, start - 15) : start].lower().replace("-", " ").split()
    return bool(words) and words[-1] in cues


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


# -- resolvers: (match groups, rule, context, span) -> value ------------------------


def _explicit_year(g: Groups, dct: date | None) -> int | None:
    """A year written in the match: digits, words ("nineteen ninety-six"), "next year"."""
    for key in ("year", "year2", "year3"):
        if g.get(key):
            return int(g[key])
    if g.get("yearwords"):
        numbers = lexicon()["numbers"]
        words = [w for w in re.split(r"[\s-]+", g["yearwords"].lower()) if w not in ("and",)]
        if words[:2] == ["two", "thousand"]:
            return 2000 + sum(int(numbers.get(w, 0)) for w in words[2:])
        rest = [w for w in words[1:] if w != "hundred"]
        return int(numbers[words[0]]) * 100 + sum(int(numbers.get(w, 0)) for w in rest)
    for key in ("yrel", "yrel3"):
        if g.get(key) and dct:
            return dct.year + {"last": -1, "next": 1}.get(_norm(g[key]), 0)
    return None


def _calendar(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    kb = lexicon()
    month = int(g["monthnum"]) if g.get("monthnum") else kb["_months"][_norm(g["month"]).strip(".")]
    day = kb["ordinals"].get(_norm(g["dayword"])) if g.get("dayword") else g.get("day")
    day = int(re.sub(r"\D", "", str(day))) if day else None
    year, rel = _explicit_year(g, ctx.dct), _norm(g.get("rel"))
    if day is None and not rel and year is None and _norm(g["month"]) in kb["ambiguous_months"]:
        by_spacy = any(s <= where[0] and where[1] <= e for s, e in ctx.date_entities)
        if not by_spacy and not _cue_before(ctx, where[0], kb["month_cues"]):
            return None  # "may" the verb, "march" the noun
    weekday = kb["_weekdays"].get(_norm(g.get("weekday")))
    return _calendar_value(ctx, where, month, day, year, rel, weekday)


def _calendar_value(
    ctx: Context,
    where: tuple[int, int],
    month: int,
    day: int | None,
    year: int | None,
    rel: str = "",
    weekday: int | None = None,
) -> Resolved | None:
    """A month, or a day of it, in the year written or else the year the context implies.

    "last June" is the latest June before this month; a day goes to the nearest such date
    (or the one on the weekday given); a month goes by tense: the last one in the past
    tense, the coming one in the future tense, else the nearest.
    """
    # Without a year, 29 February is only possible if the year chosen below is a leap year.
    if day is not None and day > calendar.monthrange(year or 2000, month)[1]:
        return None
    dct = ctx.dct
    if year is None and dct is not None:
        back, ahead = rel in ("last", "this past"), rel in ("next", "this coming")
        if back or ahead or rel == "this":
            year = dct.year - (back and month >= dct.month) + (ahead and month <= dct.month)
        else:
            options = [date(y, month, min(day or 1, calendar.monthrange(y, month)[1]))
                       for y in (dct.year - 1, dct.year, dct.year + 1)]  # fmt: skip
            if weekday is not None and (named := [o for o in options if o.weekday() == weekday]):
                options = named
            # a day without a year is rarely ten months away ("has set Nov. 10 as the deadline")
            horizon = 300 if day else 366
            year = _pick(
                options, dct if day else dct.replace(day=1), ctx.tense_at(*where), horizon
            ).year
    if year is None:
        return None
    if day is None:
        return Resolved(f"{year}-{month:02d}", "month")
    if day > calendar.monthrange(year, month)[1]:
        return None  # "February 29" in a year that has none
    return Resolved(f"{year}-{month:02d}-{day:02d}", "day")


def _range(m: re.Match[str], ctx: Context) -> list[tuple[int, int, Resolved]]:
    """ "5 to 7 January" -> 5 January and 7 January, each with its own span."""
    month = lexicon()["_months"][_norm(m["month"]).strip(".")]
    year = _explicit_year(m.groupdict(), ctx.dct)
    out = []
    for start, end, day in (
        (m.start(), m.end("day"), m["day"]),
        (m.start("day2"), m.end(), m["day2"]),
    ):
        value = _calendar_value(ctx, m.span(), month, int(re.sub(r"\D", "", day)), year)
        if value:
            out.append((start, end, value))
    return out


def _year(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    year = _explicit_year(g, ctx.dct)
    return Resolved(str(year), "year") if year and 1000 <= year <= 2199 else None


def _weekday_rule(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    if ctx.dct is None:
        return None
    rel = _norm(g.get("rel"))
    tense = ctx.tense_at(*where) if rel in ("", "this") else "none"
    # "the previous Friday", "the following Monday": next to the day last named
    base = ctx.anchors.get("day", ctx.dct) if rel.startswith("the ") else ctx.dct
    day = _weekday(base, lexicon()["_weekdays"][_norm(g["weekday"])], rel, tense)
    return Resolved(day.isoformat(), "day")


def _deictic(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    kb = lexicon()
    if g.get("pod"):  # "this morning", "last night"
        offset = kb["part_of_day_offsets"][_norm(g["pod"])]
    else:
        offset = kb["deictic_days"]["en"][_norm(g["deictic"])]
        offset += {"before": -1, "after": 1}.get(_norm(g.get("around")), 0)
    return _unit_value(ctx.dct, "day", offset) if ctx.dct else None


def _shift(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    """ "last week", "the coming year", "the weekend" (the last or the coming one)."""
    unit, rel, dct = rule.unit or _norm(g.get("unit")), _norm(g.get("rel")), ctx.dct
    if dct is None:
        return None
    if unit != "weekend":
        offset = rule.offset if rule.offset is not None else lexicon()["relative"].get(rel, 0)
        return _unit_value(dct, unit, offset)
    saturday = dct - timedelta(days=(dct.weekday() - 5) % 7)  # the last one, maybe today
    offset = lexicon()["relative"].get(rel, 0)
    if offset == 0 and dct.weekday() < 5 and ctx.tense_at(*where) in ("future", "present"):
        offset = 1  # "ahead of the weekend"
    elif offset < 0:
        offset = -(dct.weekday() >= 5)  # "last weekend" seen from a weekend is a week back
    return Resolved(_week(saturday + timedelta(weeks=offset)) + "-WE", "week")


def _quarter(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    number = int(g["qnum"]) if g.get("qnum") else lexicon()["ordinals"].get(_norm(g.get("ord")))
    year, dct = _explicit_year(g, ctx.dct), ctx.dct
    if not number or not 1 <= number <= 4:
        return None
    if year is None:
        if dct is None:
            return None
        # a quarter still to come this year is last year's, unless the clause looks ahead
        later = number > (dct.month - 1) // 3 + 1
        year = dct.year - (later and ctx.tense_at(*where) != "future")
    # The quarter a report is about has ended, by the calendar or by its own account
    # ("fourth quarter ended Aug. 26"); a quarter looked ahead to does not change it.
    ended = dct is not None and (year, 3 * number) < (dct.year, dct.month)
    if dct and 0 <= dct.year - year <= 1 and (ended or ctx.tense_at(*where) == "past"):
        ctx.quarter = (year, number)
    return Resolved(f"{year}-Q{number}", "quarter")


def _period(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    """The quarter an earnings report is about ("the latest period", "the quarter"), or
    that quarter a year before ("the year-ago quarter", "year-earlier profit")."""
    dct, anchor = ctx.dct, ctx.quarter
    if g.get("year"):  # "the 1988 period"
        year = int(g["year"])
        return (
            Resolved(f"{year}-Q{anchor[1]}", "quarter") if anchor else Resolved(str(year), "year")
        )
    if rule.offset:  # a year before
        given = lexicon()["ordinals"].get(_norm(g.get("ord") or g.get("ord2")))
        if anchor:
            return Resolved(f"{anchor[0] - 1}-Q{given or anchor[1]}", "quarter")
        return Resolved(str(dct.year - 1), "year") if dct else None
    if _norm(g.get("mod")) == "current" and dct:
        return _unit_value(dct, "quarter", 0)
    if anchor:
        return Resolved(f"{anchor[0]}-Q{anchor[1]}", "quarter")
    if dct is None or (_norm(g.get("kind")) != "quarter" and _norm(g.get("mod")) != "latest"):
        return None
    return _unit_value(dct, "quarter", 0 if _norm(g.get("det")) == "this" else -1)


def _half(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    year = _explicit_year(g, ctx.dct) or (ctx.dct.year if ctx.dct else None)
    return Resolved(f"{year}-H{1 if _norm(g['half']) == 'first' else 2}", "year") if year else None


def _season(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    kb = lexicon()
    code, rel = kb["seasons"]["en"][_norm(g["season"])], _norm(g.get("rel"))
    year = _explicit_year(g, ctx.dct)
    if year is None and not rel:
        before = ctx.text[max(0, where[0] - 15) : where[0]].split()
        if g["season"][0].isupper() and before and before[-1][-1] not in '.!?"“”':
            return None  # "in Spring" mid-sentence is Spring, Texas
        the = ctx.text[where[0] : where[1]].lower().startswith("the")
        if not the and not _cue_before(ctx, where[0], kb["season_cues"]):
            return None  # "spring" the noun, "fall" the verb
    if year is None and ctx.dct:
        order, month = ["SP", "SU", "FA", "WI"], ctx.dct.month
        # seasons counted from spring 0 AD; winter is the year of its December
        now = (ctx.dct.year - (month < 3)) * 4 + (3 if month in (12, 1, 2) else (month - 3) // 3)
        options = [(ctx.dct.year + k) * 4 + order.index(code) for k in (-2, -1, 0, 1)]
        past, coming = [o for o in options if o <= now], [o for o in options if o >= now]
        tense = ctx.tense_at(*where)
        if rel in ("last", "this past"):
            chosen = max(o for o in past if o < now)
        elif rel in ("next", "this coming"):
            chosen = min(o for o in coming if o > now)
        elif tense == "past" or (tense != "future" and now - max(past) <= min(coming) - now):
            chosen = max(past)
        else:
            chosen = min(coming)
        year = chosen // 4
    return Resolved(f"{year}-{code}", "quarter") if year else None


def _decade(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    if g.get("decade"):
        return Resolved(g["decade"][:3], "year")
    words = lexicon()["decade_words"]
    digit = int(g["decade2"][0]) if g.get("decade2") else words[_norm(g["decadeword"])]
    century = 20 if ctx.dct and 2000 + 10 * digit <= ctx.dct.year else 19
    return Resolved(f"{century}{digit}", "year")


def _century(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    return Resolved(str(int(g["cent"]) - 1), "year")


def _ago(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    kb, dct = lexicon(), ctx.dct
    unit, number = kb["units"].get(_norm(g["unit"]), "moment"), _norm(g.get("num"))
    sign = 1 if _norm(g["dir"]) in ("later", "from now", "hence") else -1
    if dct is None:
        return None
    if not number:  # "hours later": the day of the report; "years ago": some past time
        if unit in ("hour", "minute", "moment"):
            return _unit_value(dct, "day", 0)
        return Resolved("PAST_REF", "unknown") if sign < 0 else None
    if number in kb["vague_numbers"]:
        return Resolved("PAST_REF" if sign < 0 else "FUTURE_REF", "unknown")
    count = int(number) if number.isdigit() else int(kb["numbers"].get(number, 0))
    if unit == "year" and count == 1 and sign < 0 and ctx.quarter:
        # "profit rose from $5 million a year earlier": the same quarter a year before
        return Resolved(f"{ctx.quarter[0] - 1}-Q{ctx.quarter[1]}", "quarter")
    return _unit_value(dct, unit, sign * count)


def _anchor(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    """ "that year", "the following day": from the last date of that unit named."""
    unit, base = _norm(g["unit"]), ctx.anchors.get(_norm(g["unit"]))
    offset = {"following": 1, "": 0}.get(_norm(g.get("rel")), -1)
    return _unit_value(base, unit, offset) if base else None


def _reference(g: Groups, rule: Rule, ctx: Context, where: tuple[int, int]) -> Resolved | None:
    kb = lexicon()
    ahead = " ".join(ctx.text[where[0] : where[1] + 30].lower().split())
    if any(ahead.startswith(term) for term in kb["not_references"]):
        return None  # "current account"
    if g.get("vrel"):  # "the past few months", "the next several years"
        return Resolved(
            "PAST_REF" if _norm(g["vrel"]) in ("last", "past") else "FUTURE_REF", "unknown"
        )
    value = kb["_refs"].get(_norm(g["ref"]))
    return Resolved(value, "unknown") if value else None


Resolver = Callable[[Groups, Rule, Context, tuple[int, int]], Resolved | None]
RESOLVERS: dict[str, Resolver] = {
    "calendar": _calendar, "year": _year, "weekday": _weekday_rule, "deictic": _deictic,
    "shift": _shift, "quarter": _quarter, "period": _period, "half": _half,
    "season": _season, "decade": _decade, "century": _century, "ago": _ago,
    "anchor": _anchor, "reference": _reference,
}  # fmt: skip


# -- finding -------------------------------------------------------------------------

Found = tuple[int, int, Resolved, str, float]  # start, end, value, rule, confidence


def _remember(ctx: Context, value: Resolved) -> None:
    """Keep a calendar value as the anchor of "that day", "the following year"."""
    text, units = value.value, ("day", "week", "month", "year")
    try:
        if value.precision == "week":
            day = date.fromisocalendar(int(text[:4]), int(text[6:8]), 1)
        elif re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", text):
            day = date.fromisoformat((text + "-01-01")[:10])
        else:
            return
    except ValueError:
        return
    for unit in units[units.index(value.precision) if value.precision in units else 3 :]:
        ctx.anchors[unit] = day


def _matches(text: str, entities: list[tuple[int, int, str]]) -> list[tuple[Rule, re.Match[str]]]:
    """Non-overlapping rule matches: the longest first, then the earlier rule."""
    found = []
    words = set(re.findall(r"[a-z]+\d?", text.lower()))
    for priority, rule in enumerate(lexicon()["_rules"]):
        if rule.needs and rule.needs.isdisjoint(words):
            continue  # a cheap test first: regex scans are most of the stage's time
        vetoes = [(s, e) for s, e, label in entities if label in rule.veto]
        for m in rule.regex.finditer(text):
            if m.end() > m.start() and not any(s < m.end() and m.start() < e for s, e in vetoes):
                found.append((m.start() - m.end(), priority, m.start(), rule, m))
    found.sort(key=lambda f: f[:3])
    taken: list[tuple[Rule, re.Match[str]]] = []
    for *_, rule, m in found:
        if not any(m.start() < t.end() and t.start() < m.end() for _, t in taken):
            taken.append((rule, m))
    return sorted(taken, key=lambda t: t[1].start())


def find_dates(text: str, doc: Any, published: date | None) -> list[Found]:
    """Every date expression of a parsed text with its value, rule and confidence."""
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    ctx = Context(published, lambda s, e: clause_tense(doc, s, e), text)
    ctx.date_entities = [(s, e) for s, e, label in entities if label == "DATE"]
    qualifier = lexicon()["_qualifier"]
    out: list[Found] = []
    floor = 0
    for rule, m in _matches(text, entities):
        if rule.resolve == "range":
            out += [(s, e, v, rule.name, rule.confidence) for s, e, v in _range(m, ctx)]
        elif value := RESOLVERS[rule.resolve](m.groupdict(), rule, ctx, m.span()):
            start = m.start()
            # qualifiers join the span, not the value: "early", "mid-", "the end of"
            while found := qualifier.search(text, max(floor, start - 30), start):
                start = found.start()
            out.append((start, m.end(), value, rule.name, rule.confidence))
            _remember(ctx, value)
        floor = m.end()
    return sorted(out + _entity_dates(text, entities, out, ctx), key=lambda f: f[0])


_LEADING = re.compile(r"(?:on|in|at|by|of|since|from|until|till|through|during|for|to)\s+", re.I)


def _entity_dates(
    text: str, entities: list[tuple[int, int, str]], found: list[Found], ctx: Context
) -> list[Found]:
    """spaCy DATE entities no rule read, through dateparser when they look like dates."""
    kb, out = lexicon(), []
    for start, end, label in entities:
        if label != "DATE" or ctx.dct is None or any(s < end and start < e for s, e, *_ in found):
            continue
        if lead := _LEADING.match(text, start, end):
            start = lead.end()
        end -= 2 if text[start:end].endswith(("'s", "’s")) else 0
        phrase = text[start:end]
        if not kb["_dateish"].search(phrase) or any(p.search(phrase) for p in kb["_not_dates"]):
            continue
        prefer = "future" if ctx.tense_at(start, end) == "future" else "past"
        if value := _dateparser(phrase, ctx.dct, prefer):
            out.append((start, end, value, "dateparser", 0.5))
    return out


@functools.lru_cache(maxsize=4096)
def _dateparser(phrase: str, published: date, prefer: str) -> Resolved | None:
    """dateparser's reading of a phrase, at the precision it reports (cached: it is slow)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    day, period = data.date_obj.date(), data.period
    if period in ("year", "month"):
        return _unit_value(day, period, 0)
    return Resolved(_week(day), "week") if period == "week" else Resolved(day.isoformat(), "day")


@register("dates", requires=("ner", "parser", "tagger", "attribute_ruler"))
def extract_dates(parsed: ParsedArticle, records: ArticleRecords) -> ArticleRecords:
    """Date expressions of the article, resolved against its publication date."""
    text = parsed.article.text
    dates = tuple(
        DateExpr(
            Span.of(text, start, end),
            value.value,
            value.precision,
            Evidence(f"dates.{rule}", confidence, parsed.sentence_of(start)),
        )
        for start, end, value, rule, confidence in find_dates(
            text, parsed.doc, parsed.article.published
        )
    )
    return dataclasses.replace(records, dates=records.dates + dates)
