"""One story's derived records, rebuilt from its member reports whenever one joins:
resolved events, figure points with their status, claims, and the story's summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from eventscope.model import JSON, json_number

from .claims import claims_of
from .events import fuse, group_mentions, mentions_of
from .figures import Point, latest_value, points_of, series, totals, with_status


@dataclass(frozen=True, slots=True)
class Member:
    """A story's report: its records and the registry id of each of its actors."""

    records: JSON
    registry: dict[str, int] = field(default_factory=dict)

    @property
    def article(self) -> JSON:
        found: JSON = self.records["article"]
        return found


@dataclass(slots=True)
class StoryBuild:
    story_id: int
    summary: JSON
    resolved: list[JSON]
    mentions: dict[str, str]  # "ARTICLE:EVENT" -> resolved id
    points: list[Point]
    claims: list[JSON]


def _order(m: Member) -> tuple[str, str]:
    return (m.article.get("published") or "", m.article["id"])


def build_story(story_id: int, members: Sequence[Member]) -> StoryBuild:
    """Resolve the events, figures and claims of one story's reports."""
    ordered = sorted(members, key=_order)
    mentions = [m for member in ordered for m in mentions_of(member.records, member.registry)]
    resolved = [fuse(g) | {"story": story_id} for g in group_mentions(mentions)]
    mention_map = {ref: r["id"] for r in resolved for ref in r["mentions"]}
    first_day = ordered[0].article.get("published") if ordered else None
    points = with_status([p for m in ordered for p in points_of(m.records, mention_map)], first_day)
    for r in resolved:
        own = [p for p in points if p.resolved_id == r["id"]]
        r["figures"], _ = totals(own)
    _attribute_fatalities(resolved, points)
    claims = [c for m in ordered for c in claims_of(m.records, mention_map, m.registry)]
    days = [str(m.article["published"]) for m in ordered if m.article.get("published")]
    countries = Counter(
        (r.get("place") or {}).get("country")
        for r in resolved
        if (r.get("place") or {}).get("country")
    )
    figures, derived = totals(points)
    summary = {
        "title": next((m.article.get("title") for m in ordered if m.article.get("title")), None)
        or _first_line(ordered),
        "first_day": min(days) if days else None,
        "last_day": max(days) if days else None,
        "n_articles": len(ordered),
        "n_sources": len({m.article.get("source") or m.article["id"] for m in ordered}),
        "n_events": len(resolved),
        "country": countries.most_common(1)[0][0] if countries else None,
        "figures": figures,
        "derived": derived,  # kinds computed from others (injured = shot - killed)
        "types": dict(Counter(r["type"] for r in resolved).most_common()),
        "places": _places(resolved),
        "series": series(points),
    }
    return StoryBuild(story_id, summary, resolved, mention_map, points, claims)


_VIOLENT = frozenset({"Battles", "Violence against civilians", "Explosions/Remote violence",
                      "Riots"})  # fmt: skip


def _attribute_fatalities(resolved: Sequence[JSON], points: Sequence[Point]) -> None:
    """`fatalities` of each resolved event, as an event table of one row per event needs
    them: the story's latest killed toll goes to the one event most of its current
    points are linked to (ties: the most reported, then the first), every other event of
    the story 0; so the rows of a story add up to its toll, never to a sum over reports."""
    toll = latest_value(points, "killed")
    for r in resolved:
        r["fatalities"] = 0
    if toll is None or not resolved:
        return
    votes = Counter(
        p.resolved_id for p in points if p.kind == "killed" and p.status == "current"
        and p.value == toll and p.resolved_id
    )  # fmt: skip
    # an event the toll is linked to; else the most reported violent one
    candidates = [r for r in resolved if votes.get(r["id"])] or [
        r for r in resolved if r.get("acled_type") in _VIOLENT
    ]
    ranked = sorted(
        candidates, key=lambda r: (-votes.get(r["id"], 0), -r["n_articles"], -r["n_mentions"])
    )
    if ranked:
        ranked[0]["fatalities"] = json_number(toll)


def _first_line(ordered: Sequence[Member]) -> str | None:
    for m in ordered:
        text = " ".join((m.article.get("text") or "").split())
        if text:
            return text[:120]
    return None


def _places(resolved: Sequence[JSON]) -> list[JSON]:
    seen: dict[object, JSON] = {}
    for r in resolved:
        place = r.get("place")
        if place and place.get("lat") is not None:
            key = place.get("geonameid") or place.get("name")
            entry = seen.setdefault(key, {
                "name": place.get("name"), "geonameid": place.get("geonameid"),
                "country": place.get("country"), "lat": place.get("lat"),
                "lon": place.get("lon"), "events": 0,
            })  # fmt: skip
            entry["events"] += 1
    return sorted(seen.values(), key=lambda p: -p["events"])


__all__ = ["Member", "StoryBuild", "build_story"]
