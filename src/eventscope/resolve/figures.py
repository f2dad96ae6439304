"""Figure timelines: every count a story's reports give, as series of points.

A point is one figure of one report: (kind, group, as-of day, value, qualifier, reporter,
article). The series of a story (and of each resolved event) is keyed by kind and
**group**: "26 armed attackers had been killed and 18 members of the security forces had
lost their lives" gives two killed points, groups "armed attackers" and "members of the
security forces", which stay parts of the killed total and are never summed into it.
A figure the extraction coded by the noun it counts ("attackers") is read here as the
kind its sentence's verb names (killed), with that noun as its group.

Each point gets a status:
- `other-incident`: it holds on a day well before the story began (the 2011 toll a 2022
  report recalls), or it counts a period rather than an incident ("One hundred people
  have been shot in the first 41 days of 2017", "at least 10 injured in 12 shootings"),
  so it is kept out of the story's series;
- `current`: the series' latest value (the newest as-of day; on that day a value first
  reported there wins over one repeated from earlier reports, then the most reports);
- `conflict`: another value on that same latest day;
- `superseded`: an earlier value the latest replaced (a corrected or raised toll).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from eventscope.model import JSON, json_number

# The kinds a series may have; anything else is a counted noun, read through its verb.
KINDS = ("killed", "injured", "shot", "arrested", "missing", "displaced", "evacuated",
         "troops", "protesters")  # fmt: skip
# "Seven people were shot, leaving one dead": a count of people shot holds the dead too,
# so it is its own kind ("shot"), not injured; a story that gives no injured total has
# shot - killed injured (`totals`). GVA injured through gold grouping: dev 0.680 -> 0.712,
# held-out 0.672 -> 0.687.
_SHOT = re.compile(r"\b(?:shot|gunfire|gunshot)\b", re.IGNORECASE)
_HURT = re.compile(r"\b(?:wound|injur|hurt)", re.IGNORECASE)
# A figure holding this many days before the story's first report is another incident's.
EARLIER_INCIDENT_DAYS = 30
_VERB_KINDS = (  # word stems in the sentence after the count, in the order they are tried
    ("killed", ("kill", "dead", "died", "die", "death", "liquidat", "slain", "murder",
                "lost their lives", "fatal")),
    ("injured", ("injur", "wound", "hurt", "hospital")),
    ("arrested", ("arrest", "detain", "detention", "custody", "apprehend", "jail")),
    ("missing", ("missing", "disappear")),
)  # fmt: skip
# A count over a period or over many incidents, not of this one. GVA dev, each incident's
# killed / injured read from its story (gold grouping): 0.823 / 0.677 -> 0.828 / 0.680
# (held-out 0.836 / 0.675 -> 0.840 / 0.672);
# "since ..." too gave 0.832 / 0.681 but would drop "225 killed since the protests began".
_PERIOD = re.compile(
    r"\b(?:so far this year|this year|last year|per year|each year|every year|annually"
    r"|in the first \d+ (?:days|weeks|months)|year[- ]to[- ]date|citywide|nationwide"
    r"|in \d+ (?:separate )?(?:shootings|incidents|attacks))\b",
    re.IGNORECASE,
)
_GROUP_END = re.compile(
    r"\b(?:had|have|has|were|was|are|is|been|who|that|which|and|or|in|on|at|by|after|"
    r"during|from|when|as|to)\b|[,;:.()\"“”]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Point:
    article_id: str
    seq: int
    published: str | None
    kind: str
    group: str
    value: float
    qualifier: str
    as_of: str | None
    reporter: str | None
    resolved_id: str | None
    span: str
    status: str = "current"

    def to_dict(self) -> JSON:
        value = json_number(self.value)
        return {
            "article_id": self.article_id, "seq": self.seq, "published": self.published,
            "kind": self.kind, "group": self.group, "value": value,
            "qualifier": self.qualifier, "as_of": self.as_of, "reporter": self.reporter,
            "resolved_id": self.resolved_id, "span": self.span, "status": self.status,
        }  # fmt: skip


def _after(figure: JSON) -> str:
    sentence = figure.get("sentence") or {}
    text, start = sentence.get("text") or "", sentence.get("start") or 0
    end = (figure.get("span") or {}).get("end", start)
    return text[max(0, end - start) :]


def kind_and_group(figure: JSON) -> tuple[str | None, str]:
    """The series kind and group of a figure (kind None: a count of nothing we track)."""
    kind, group = _kind_and_group(figure)
    sentence = (figure.get("sentence") or {}).get("text") or ""
    if kind == "injured" and _SHOT.search(sentence) and not _HURT.search(sentence):
        return "shot", group
    return kind, group


def _kind_and_group(figure: JSON) -> tuple[str | None, str]:
    kind = str(figure.get("kind"))
    after = _after(figure)
    words = " ".join(after.split()[:12]).lower()
    span = ((figure.get("span") or {}).get("text") or "").strip()
    if kind in KINDS and span and not _is_quantity(span):
        # "Karim Masimov" detained: one named person, a part of the arrested total
        return kind, "one person" if span.lower() in _PRONOUNS else span
    noun = _group_phrase(after)
    if kind in ("troops", "protesters"):  # counts of who was there: no subgroups
        return kind, ""
    if kind in KINDS:
        return kind, "" if not noun or noun.split()[-1] in _GENERIC else noun
    if not _counts_people(kind, noun):  # "911 calls", "2015 cases": not a toll's part
        return None, ""
    for name, stems in _VERB_KINDS:
        if any(stem in words for stem in stems):
            return name, noun or kind
    return None, ""


# Counted nouns that name people: only these become parts of a killed, injured or
# arrested total through their verb ("26 attackers had been killed").
_PEOPLE = frozenset(
    [
        "attackers",
        "militants",
        "criminals",
        "bandits",
        "members",
        "officers",
        "soldiers",
        "servicemen",
        "police",
        "policemen",
        "civilians",
        "children",
        "women",
        "men",
        "people",
        "residents",
        "protesters",
        "demonstrators",
        "fighters",
        "rebels",
        "insurgents",
        "terrorists",
        "gunmen",
        "suspects",
        "students",
        "workers",
        "journalists",
        "guards",
        "troops",
        "personnel",
        "citizens",
        "nationals",
        "migrants",
        "refugees",
        "prisoners",
        "inmates",
        "passengers",
        "pilgrims",
        "worshippers",
        "teenagers",
        "boys",
        "girls",
        "adults",
        "relatives",
    ]
)


def _counts_people(kind: str, noun: str) -> bool:
    words = {kind, *noun.split()}
    return bool(words & _PEOPLE)


def _group_phrase(after: str) -> str:
    """The noun phrase a count counts: the words after it up to a verb or a clause break."""
    phrase = _GROUP_END.split(after, maxsplit=1)[0].strip().lower().split()
    while phrase and phrase[0] in ("of", "the", "armed") and len(phrase) > 1:
        phrase = phrase[1:]  # "dozens of the attackers": the attackers
    stems = [s for _, kind_stems in _VERB_KINDS for s in kind_stems if " " not in s]
    for i, word in enumerate(phrase):
        if any(word.startswith(s) for s in stems):
            phrase = phrase[:i]
            break
    found = " ".join(phrase[:6])
    # "24 of ...", "103 of those": a part whose words name nothing
    return "unnamed part" if phrase and set(phrase) <= _NO_NOUN else found


_NO_NOUN = frozenset({"of", "those", "these", "them", "they", "it", "appears", "more", "each",
                      "whom", "which", "other", "such"})  # fmt: skip


_QUANTITY = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|dozens?|scores?|hundreds?|thousands?|millions?|several|number|handful|few|"
    r"many|some|all|both)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them"})


def _is_quantity(span: str) -> bool:
    """Whether a figure's span is a number ("7,939", "dozens"), not a person named."""
    return bool(_QUANTITY.search(span))


# Heads that name no subgroup: "12 people were killed" counts the total.
_GENERIC = frozenset({"people", "persons", "person", "individuals", "others", "victims",
                      "protesters", "demonstrators", "participants", "rioters", "civilians",
                      "dead", "deaths", "casualties", "fatalities", "injured", "wounded",
                      "arrests", "detentions", "detainees", "lives", "killed", "died",
                      "injuries", "bodies", "total", "in", "of"})  # fmt: skip


def points_of(records: JSON, resolved: dict[str, str]) -> list[Point]:
    """The series points of one article's figures (`resolved`: mention id -> resolved id)."""
    article = records["article"]
    names = {a["id"]: a["name"] for a in records.get("actors") or ()}
    found = []
    for seq, figure in enumerate(records.get("figures") or ()):
        kind, group = kind_and_group(figure)
        if kind is None:
            continue
        # A count "as of January" holds by the report's day, not by January 31.
        as_of = min(filter(None, (figure.get("date_end"), article.get("published"))), default=None)
        event = figure.get("event")
        period = bool(_PERIOD.search((figure.get("sentence") or {}).get("text") or ""))
        found.append(Point(
            article_id=article["id"], seq=seq, published=article.get("published"),
            kind=kind, group=group, value=float(figure["value"]),
            qualifier=figure.get("qualifier") or "exact", as_of=as_of,
            reporter=names.get(figure.get("reported_by") or ""),
            resolved_id=resolved.get(f"{article['id']}:{event}") if event else None,
            span=(figure.get("span") or {}).get("text") or "",
            status="other-incident" if period else "current",
        ))  # fmt: skip
    return found


def _ordinal(day: str | None) -> int | None:
    try:
        return date.fromisoformat(day[:10]).toordinal() if day else None
    except ValueError:
        return None


def with_status(points: Sequence[Point], first_day: str | None) -> list[Point]:
    """The points with their status in their story's series (see the module's doc)."""
    start = _ordinal(first_day)
    out: list[Point] = []
    series: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for p in points:
        day = _ordinal(p.as_of)
        early = start is not None and day is not None and day < start - EARLIER_INCIDENT_DAYS
        if p.status == "other-incident" or early:
            out.append(replace(p, status="other-incident"))
        else:
            series[(p.kind, p.group)].append(p)
    for members in series.values():
        out.extend(_series_status(members))
    return sorted(out, key=lambda p: (p.article_id, p.seq))


def _series_status(points: Sequence[Point]) -> list[Point]:
    latest_day = max((p.as_of or "") for p in points)
    first_seen: dict[float, str] = {}
    for p in sorted(points, key=lambda p: (p.published or "", p.article_id)):
        first_seen.setdefault(p.value, p.published or "")
    on_latest = [p for p in points if (p.as_of or "") == latest_day]
    counts: dict[float, set[str]] = defaultdict(set)
    for p in on_latest:
        counts[p.value].add(p.article_id)
    # New on the latest day beats repeated from before; then more reports; then larger.
    chosen = max(
        counts,
        key=lambda v: (first_seen[v] >= latest_day[:10], len(counts[v]), v),
    )
    out = []
    for p in points:
        if p.value == chosen:
            status = "current"
        elif (p.as_of or "") == latest_day:
            status = "conflict"
        else:
            status = "superseded"
        out.append(replace(p, status=status))
    return out


def _when(p: Point) -> tuple[str, str]:
    return (p.as_of or "", p.published or "")


def series(points: Iterable[Point]) -> list[JSON]:
    """Series summaries: each (kind, group) with its latest value, range and maximum, its
    points by reporter, and the conflicting values of its latest day."""
    grouped: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for p in points:
        if p.status != "other-incident":
            grouped[(p.kind, p.group)].append(p)
    out = []
    for (kind, group), members in sorted(grouped.items()):
        current = [p for p in members if p.status == "current"]
        # the newest, and of the points that newest a named reporter's
        latest = max(current, key=lambda p: (p.as_of or "", p.reporter is not None, p.value),
                     default=None)  # fmt: skip
        values = [p.value for p in members]
        out.append({
            "kind": kind, "group": group,
            "latest": latest.to_dict() if latest else None,
            "min": min(values), "max": max(values), "n_points": len(members),
            "n_articles": len({p.article_id for p in members}),
            "reporters": sorted({p.reporter or "" for p in members} - {""}),
            "according_to": sorted({p.reporter or "" for p in current} - {""}),
            "conflicts": [p.to_dict() for p in members if p.status == "conflict"],
            "points": [p.to_dict() for p in sorted(members, key=_when)],
        })  # fmt: skip
    return out


def totals(points: Iterable[Point]) -> tuple[dict[str, float], list[str]]:
    """Each kind's current total, and the kinds derived rather than reported: injured as
    shot - killed when no report gives an injured total."""
    points = list(points)
    found = {k: v for k in KINDS if (v := latest_value(points, k)) is not None}
    if "shot" in found and "injured" not in found:
        found["injured"] = max(0.0, found["shot"] - found.get("killed", 0.0))
        return found, ["injured"]
    return found, []


def latest_value(points: Iterable[Point], kind: str) -> float | None:
    """The current value of a kind's total (group ''), else of its largest group."""
    current = [p for p in points if p.kind == kind and p.status == "current"]
    totals = [p for p in current if not p.group]
    chosen = totals or current
    return max((p.value for p in chosen), default=None)


__all__ = ["KINDS", "Point", "kind_and_group", "latest_value", "points_of", "series", "totals",
           "with_status"]  # fmt: skip
