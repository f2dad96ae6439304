"""Date resolvers: one per `resolve` name of kb/en/dates.yaml (`RESOLVERS`), each turning
a rule's match into a TimeML value, and day ranges ("5 to 7 January")."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from .dates_lexicon import Context, Groups, Resolved, Rule, lexicon
from .dates_tense import _pick, _unit_value, _week, _weekday


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
        offset = kb["deictic_days"][_norm(g["deictic"])]
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
    code, rel = kb["seasons"][_norm(g["season"])], _norm(g.get("rel"))
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
