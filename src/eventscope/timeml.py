"""TimeML date values (2022-01-08, 2022-W01, 2022-Q1, 199X ...) as the first and last day
of the period they name: what the store sorts and filters dates by. Imports nothing from
eventscope."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

# TimeML calendar values: a year, a decade (199, 199X) or century (19, 19XX), and an
# optional part: month, day (a time after "T" stays on its day), ISO week (its weekend,
# its weekday), quarter, half or season.
_TIMEML = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d\d)(?:-(?P<day>\d\d)(?:T.*)?)?"
    r"|W(?P<week>\d\d)(?:-(?P<weekday>[1-7]|WE))?|Q(?P<quarter>[1-4])|H(?P<half>[12])"
    r"|(?P<season>SP|SU|FA|WI)))?"
    r"|(?P<decade>\d{3})X?|(?P<century>\d\d)(?:XX)?"
)
# Meteorological seasons of the northern hemisphere, as first month and months long;
# winter is the one of its December (2021-WI = December 2021 to February 2022).
_SEASONS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _months(year: int, first: int, count: int) -> tuple[date, date]:
    """From the first day of month `first` of `year` to the last day `count` months on."""
    after = year * 12 + first - 1 + count
    return date(year, first, 1), date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


@functools.lru_cache(maxsize=4096)
def date_interval(value: str | None) -> tuple[date, date] | None:
    """The first and last day of a TimeML date value; None when it names no calendar
    period (PRESENT_REF, PAST_REF, FUTURE_REF, XXXX-01, an impossible day or week).

    2022-01-08 -> 8..8 Jan; 2022-W01 -> Mon 3..Sun 9 Jan 2022 (ISO weeks);
    2022-W01-WE -> 8..9 Jan; 2022-Q1 -> 1 Jan..31 Mar; 2022-H2 -> 1 Jul..31 Dec;
    2021-WI -> 1 Dec 2021..28 Feb 2022; 199 or 199X -> 1990..1999; 20 or 20XX -> 2000..2099.
    """
    m = _TIMEML.fullmatch(value or "")
    if m is None:
        return None
    g = m.groupdict()
    try:
        if g["decade"] or g["century"]:
            size = 10 if g["decade"] else 100
            first = int(g["decade"] or g["century"]) * size
            return date(first, 1, 1), date(first + size - 1, 12, 31)
        year = int(g["year"])
        if g["day"]:
            day = date(year, int(g["month"]), int(g["day"]))
            return day, day
        if g["month"]:
            return _months(year, int(g["month"]), 1)
        if g["week"]:
            monday = date.fromisocalendar(year, int(g["week"]), 1)
            part = g["weekday"]
            if part == "WE":
                return monday + timedelta(days=5), monday + timedelta(days=6)
            if part:
                return (day := monday + timedelta(days=int(part) - 1)), day
            return monday, monday + timedelta(days=6)
        if g["quarter"]:
            return _months(year, 3 * int(g["quarter"]) - 2, 3)
        if g["half"]:
            return _months(year, 6 * int(g["half"]) - 5, 6)
        if g["season"]:
            return _months(year, _SEASONS[g["season"]], 3)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # 2022-02-30, week 53 of 2021, year 0
        return None


@functools.lru_cache(maxsize=1 << 16)
def iso_interval(value: str | None) -> tuple[str | None, str | None]:
    """`date_interval` as ISO day strings, (None, None) when there is none."""
    found = date_interval(value)
    return (found[0].isoformat(), found[1].isoformat()) if found else (None, None)
