"""Resolution of toponyms: each name's gazetteer candidates scored in context.

A candidate's score is its prior (feature and population), how its name matched, the
admin hierarchy beside the mention ("Paris, Texas"), a following admin word ("the
Zhambyl region"), its coherence with the other names of the article (a county or state
named elsewhere holds it) and, in the second pass, the article's country and region
focus taken from the first pass. The winner's rule and reason say which of these chose it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from eventscope.kb.gazetteer import Candidate, Gazetteer, GazPlace
from eventscope.kb.names import fold
from eventscope.kb.weights import weights

BROAD = ("A.PCL", "A.ADM1", "L.", "H.")
NAMESAKE_CITY = 50_000  # a city this big keeps its name against a same-named region
BIG_CITY = 1_000_000  # a city this big is named by its alternate (English) names too
CONTENDER_MARGIN = 2.0  # prior points within which a candidate may be meant unaided
NAMESAKE_PENALTY = 3.0  # features a bare mention may name without support
FUZZY_CUTOFF = 90.0
FUZZY_MIN_POPULATION = 5000  # fuzzy matching only among places this big: few names
MATCH_PENALTY = weights("place_matches")
_PRIOR = weights("place_priors")
_CONTEXT = weights("place_context")


@dataclass
class Found:
    """A recognised toponym over tokens [start, end) and the gazetteer entries it may be."""

    start: int
    end: int
    text: str
    rule: str
    confidence: float
    candidates: tuple[Candidate, ...]
    admin_word: bool = False  # followed by "region", "province", ...
    qualifier: Found | None = None  # "Texas" in "Paris, Texas"
    qualifies: Found | None = None  # and "Paris" for "Texas"

    @property
    def key(self) -> str:
        return fold(self.text)


@dataclass
class Focus:
    """How often the article points at each country and first-level region."""

    countries: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    admin1: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))

    def top_countries(self, n: int) -> list[str]:
        """The `n` countries pointed at most."""
        return sorted((c for c in self.countries if c), key=lambda c: -self.countries[c])[:n]

    def share(self, country: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries[country] / total if country and total else 0.0


def prior(place: GazPlace) -> float:
    """Feature and population: countries before regions before cities before counties."""
    feature = place.feature
    if feature.startswith("A.PCL"):
        base = _PRIOR["country"]
    elif feature == "A.ADM1" or feature.startswith(("L.", "H.")):
        base = _PRIOR["region"]
    elif feature == "P.PPLC":
        base = _PRIOR["capital"]
    elif feature == "A.ADM2":
        base = _PRIOR["county"]
    else:
        base = _PRIOR["other"]
    return base + _PRIOR["per_decade"] * math.log10(place.population + 1)


def match_penalty(candidate: Candidate) -> float:
    """How much less a candidate counts for the way its name matched: an alternate name
    of a city of a million or more is usually its English name (Mecca, Bombay), not an
    old or foreign one."""
    if candidate.match == "alternate" and candidate.place.population >= BIG_CITY:
        return 0.0
    return MATCH_PENALTY[candidate.match]


def contains(outer: GazPlace, inner: GazPlace) -> bool:
    """Whether `outer` (a country, region or county) holds `inner`."""
    if outer.country is None or outer.country != inner.country or outer == inner:
        return False
    if outer.feature.startswith("A.PCL"):
        return True
    if outer.feature == "A.ADM1":
        return outer.admin1 == inner.admin1 and inner.feature != "A.ADM1"
    return outer.feature == "A.ADM2" and inner.admin2 == outer.geonameid


@dataclass(frozen=True, slots=True)
class _Regions:
    """Where the candidates of one name lie, for the coherence of other names with it."""

    counties: frozenset[int]  # ADM2 candidates
    states: frozenset[tuple[str, str]]  # ADM1 candidates
    place_counties: frozenset[int]  # counties of city candidates
    place_states: frozenset[tuple[str, str]]  # first-level regions of city/ADM2 candidates
    countries: frozenset[str]  # countries of city/region candidates
    weight: float  # 1/sqrt(number of regions): an ambiguous name supports each less

    @classmethod
    def of(cls, candidates: Iterable[Candidate]) -> _Regions:
        places = [c.place for c in candidates]
        local = [p for p in places if not p.feature.startswith("A.PCL") and p.country]
        states = {(p.country or "", p.admin1 or "") for p in local}
        return cls(
            frozenset(p.geonameid for p in places if p.feature == "A.ADM2"),
            frozenset((p.country or "", p.admin1 or "") for p in places if p.feature == "A.ADM1"),
            frozenset(p.admin2 for p in local if p.admin2 and p.feature != "A.ADM2"),
            frozenset(
                k for p, k in zip(local, map(state_of, local), strict=True) if p.feature != "A.ADM1"
            ),
            frozenset(p.country for p in local if p.country),
            1 / math.sqrt(max(1, len(states))),
        )


def state_of(place: GazPlace) -> tuple[str, str]:
    return (place.country or "", place.admin1 or "")


def _coherence(place: GazPlace, others: Iterable[_Regions]) -> float:
    """Support from the other names of the article: a county or state named elsewhere
    holds this place, or places named elsewhere lie in it or beside it."""
    total = 0.0
    state, feature = state_of(place), place.feature
    for other in others:
        if place.admin2 and place.admin2 in other.counties:
            support = 2.0
        elif (
            feature not in ("A.ADM1",) and not feature.startswith("A.PCL") and state in other.states
        ) or (feature == "A.ADM2" and place.geonameid in other.place_counties):
            support = 1.5
        elif (feature == "A.ADM1" and state in other.place_states) or (
            feature.startswith("A.PCL") and place.country in other.countries
        ):
            support = 1.0
        elif not feature.startswith("A.PCL") and state in other.place_states:
            support = 0.5
        else:
            continue
        total += support * other.weight
    return min(total, 3.0)


def _score(
    candidate: Candidate, mentions: list[Found], focus: Focus | None, others: list[_Regions]
) -> tuple[float, list[str]]:
    """A candidate's score for a group of mentions of one name, and why."""
    place = candidate.place
    score = prior(place) + match_penalty(candidate)
    why: list[str] = []
    if any(
        m.qualifier and any(contains(q.place, place) for q in m.qualifier.candidates)
        for m in mentions
    ):
        score += _CONTEXT["qualified"]
        why.append("hierarchy")
    if any(
        m.qualifies and any(contains(place, q.place) for q in m.qualifies.candidates)
        for m in mentions
    ):
        score += _CONTEXT["qualifies"]
        why.append("hierarchy")
    if any(m.admin_word for m in mentions):
        is_admin = place.feature in ("A.ADM1", "A.ADM2")
        score += _CONTEXT["admin_word"] if is_admin else _CONTEXT["not_admin"]
        why.append("admin_word") if is_admin else None
    bonus = _coherence(place, others)
    if focus is not None:
        bonus += _CONTEXT["focus_country"] * focus.share(place.country)
        if focus.admin1[state_of(place)] and place.feature != "A.ADM1":
            bonus += _CONTEXT["focus_region"]
    if bonus > 0:
        score += bonus
        why.append("context")
    return score, why


@dataclass(frozen=True, slots=True)
class Choice:
    place: GazPlace
    rule: str
    confidence: float
    reason: str


def _contenders(mentions: list[Found]) -> list[Candidate]:
    """The candidates of a name that may be meant without context: those whose prior is
    within `CONTENDER_MARGIN` of the best. Only they lend support to other names, so
    that the small Moscow, Vienna and Geneva of one US state do not pull each other there."""
    candidates = {c.place.geonameid: c for m in mentions for c in m.candidates}.values()
    if not candidates:
        return []
    scored = [(prior(c.place) + match_penalty(c), c) for c in candidates]
    best = max(value for value, _ in scored)
    return [c for value, c in scored if value >= best - CONTENDER_MARGIN]


def resolve_all(groups: dict[str, list[Found]], focus: Focus | None) -> dict[str, Choice | None]:
    """The choice for each name; without `focus`, from the names' coherence alone."""
    regions = {k: _Regions.of(_contenders(g)) for k, g in groups.items()}
    return {
        key: _resolve(mentions, focus, [r for k, r in regions.items() if k != key])
        for key, mentions in groups.items()
    }


def _resolve(mentions: list[Found], focus: Focus | None, others: list[_Regions]) -> Choice | None:
    """The best candidate of a group of mentions of one name, with the rule that chose it."""
    candidates = {c.place.geonameid: c for m in mentions for c in m.candidates}
    if not candidates:
        return None
    # A region named after its city (Almaty oblysy, Aktobe Region) is meant by the bare
    # name far less often than the city; "region" after the name is scored apart.
    cities = {
        c.place.country
        for c in candidates.values()
        if c.place.feature.startswith("P.") and c.place.population >= NAMESAKE_CITY
    }
    admin_word = any(m.admin_word for m in mentions)
    # And a town named after a country, a sea or region, or a first-level region of its
    # own country (China, Japan; Pacific, Missouri; California, Missouri) is meant far
    # less often than what it is named after, unless its region is named beside it.
    regions = {
        c.place.country
        for c in candidates.values()
        if c.place.feature == "A.ADM1" and c.match == "name"
    }
    named_after = any(
        c.match == "name" and c.place.feature.startswith(("A.PCL", "L.", "H."))
        for c in candidates.values()
    )

    def score(c: Candidate) -> tuple[float, list[str], Candidate]:
        value, why = _score(c, mentions, focus, others)
        if c.place.feature == "A.ADM1" and c.place.country in cities and not admin_word:
            value -= NAMESAKE_PENALTY
        if (
            c.place.feature.startswith("P.")
            and (c.place.country in regions or named_after)
            and c.place.population < NAMESAKE_CITY
            and "hierarchy" not in why
        ):
            value -= NAMESAKE_PENALTY
        return value, why, c

    scored = sorted((score(c) for c in candidates.values()), key=lambda item: -item[0])
    best_score, why, best = scored[0]
    margin = best_score - scored[1][0] if len(scored) > 1 else 4.0
    confidence = round(1 / (1 + math.exp(-margin)), 4)
    by_prior = max(candidates.values(), key=lambda c: prior(c.place) + match_penalty(c))
    place, text = best.place, mentions[0].text
    where = ", ".join(x for x in (place.admin1_name, place.country) if x and x != place.name)
    named = f"{place.name} ({place.feature}{', ' + where if where else ''})"
    if best.match in ("translit", "fuzzy"):
        rule, reason = best.match, f"'{text}' is a {best.match} spelling of {named}"
    elif len(scored) == 1:
        rule, reason = "only", f"{named} is the only place named '{text}'"
    elif "hierarchy" in why:
        rule, reason = "hierarchy", f"{named}: its region or country is named beside it"
    elif "admin_word" in why:
        rule, reason = "admin_word", f"{named}: '{text}' is followed by an admin word"
    elif best is not by_prior:
        rule = "context"
        other = f"{by_prior.place.name} ({by_prior.place.country})"
        where = place.admin1_name or place.country or "elsewhere"
        reason = f"{named} over {other}: the article's other places point to {where}"
    else:
        rule = "prior"
        reason = f"{named}: the largest or highest-level of {len(scored)} places named '{text}'"
    return Choice(place, f"places.resolve.{rule}", confidence, reason)


def group(found: Iterable[Found]) -> dict[str, list[Found]]:
    groups: dict[str, list[Found]] = {}
    for f in found:
        groups.setdefault(f.key, []).append(f)
    return groups


def focus_of(choices: Iterable[tuple[Choice, int]], base: Focus) -> Focus:
    """The base focus plus the countries and regions of resolved places (weighted by
    their number of mentions; a country named counts fully, a place in it by half)."""
    focus = Focus(defaultdict(float, base.countries), defaultdict(float, base.admin1))
    for choice, count in choices:
        place = choice.place
        if not place.country:
            continue
        focus.countries[place.country] += count if place.feature.startswith("A.PCL") else count / 2
        if place.admin1 and not place.feature.startswith("A.PCL"):
            focus.admin1[(place.country, place.admin1)] += count
    return focus


def in_focus(place: GazPlace, focus: Focus, *, region: bool = False) -> bool:
    """Whether the article points at the place's first-level region (or, unless
    `region`, at its country)."""
    if (place.country or "", place.admin1 or "") in focus.admin1:
        return True
    return not region and focus.share(place.country) > 0


def fuzzy_candidates(gaz: Gazetteer, found: Found, focus: Focus) -> tuple[Candidate, ...]:
    """Close spellings among the larger places of the article's focus countries."""
    key = found.key
    hits = []
    for country in focus.top_countries(2):
        if len(key) < 5:
            continue
        names = gaz.names_in(country, min_population=FUZZY_MIN_POPULATION)
        best = process.extractOne(
            key, [n for n, _ in names], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            place = gaz.place(names[best[2]][1])
            if place is not None:
                hits.append(Candidate(place, "fuzzy"))
    return tuple(hits)
