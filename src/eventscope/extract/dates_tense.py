"""Tense of the clause a date hangs on (`clause_tense`), and the date arithmetic that
picks a date by it: units from a day, the last or the coming weekday or option."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .dates_lexicon import Resolved, Tense, lexicon


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
