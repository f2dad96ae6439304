"""Resolved events: within one story, the event mentions of all its reports that describe
the same real event become one record with every mention as evidence.

Two mentions are of one event when they are compatible on every field and agree on the
type: the same PLOVER type and mode, or one without a mode (or the same ACLED type with a
shared actor); overlapping date intervals (or one undated; up to `DATE_SLACK_DAYS` apart
when they share an actor); places in one country and never two different fine places
(unless the same act befalls the same named person: then the place is a disagreement); and
source actors that are not disjoint. Mentions of what happened (reported ones too) and of
what did not or not yet (negated, hypothetical, future, proposed) are not merged. Mentions
are taken in the story's order (first report first), each joining the first compatible
resolved event, which is named by its first mention (ARTICLE:EVENT).

Fused fields: the type by confidence-weighted vote; the narrowest date interval that
overlaps the most dated mentions; the most precise place that agrees; the source and target
actors by registry id with how many mentions name each. What the sources disagree on (type,
date, place, who did it) is kept in `disagreements`, with the articles and outlets behind
each value, never averaged away.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eventscope.model import JSON

# Modalities of events that did not (or not yet) happen; "reported" ones did, as told.
UNREAL = frozenset({"negated", "hypothetical", "future", "proposed"})
# Mentions naming the same actor may date one event up to this many days apart ("a day
# after the military detained her" dated by its report): a date disagreement, kept.
DATE_SLACK_DAYS = 2
# GeoNames feature codes from finest to coarsest: a place's rank is its precision.
_PLACE_RANK = {"P": 0, "S": 0, "L": 2, "T": 1, "H": 1, "A.ADM4": 1, "A.ADM3": 1, "A.ADM2": 2,
               "A.ADM1": 3, "A.PCLI": 4}  # fmt: skip


def place_rank(feature: str | None) -> int:
    """0 for a city or site, up to 4 for a country; 5 unknown."""
    if not feature:
        return 5
    return _PLACE_RANK.get(feature, _PLACE_RANK.get(feature.split(".")[0], 4))


@dataclass(slots=True)
class MentionView:
    """One event mention with what resolution reads of it."""

    article_id: str
    local_id: str
    source: str  # outlet, or the article id when unknown
    type: str
    acled_type: str | None
    confidence: float
    factual: bool
    date: str | None
    start: str | None
    end: str | None
    place: JSON | None
    sources: frozenset[int]
    targets: frozenset[int]
    record: JSON
    persons: frozenset[int] = frozenset()  # the registry ids of its actors who are persons

    @property
    def ref(self) -> str:
        return f"{self.article_id}:{self.local_id}"

    @property
    def place_rank(self) -> int:
        return place_rank((self.place or {}).get("feature"))


def mentions_of(records: JSON, registry: dict[str, int]) -> list[MentionView]:
    """The event mentions of one article's records, with registry ids for its actors."""
    article = records["article"]
    places = {p["id"]: p for p in records.get("places") or ()}
    people = {a["id"] for a in records.get("actors") or () if a.get("type") == "person"}
    found = []
    for event in records.get("events") or ():
        found.append(
            MentionView(
                article_id=article["id"],
                local_id=event["id"],
                source=article.get("source") or article["id"],
                type=event["type"],
                acled_type=event.get("acled_type"),
                confidence=float(event.get("confidence") or 0.0),
                factual=not set(event.get("modality") or ()) & UNREAL,
                date=event.get("date"),
                start=event.get("date_start"),
                end=event.get("date_end"),
                place=places.get(event.get("place") or ""),
                sources=frozenset(registry[a] for a in event.get("source") or () if a in registry),
                targets=frozenset(registry[a] for a in event.get("target") or () if a in registry),
                record=event,
                persons=frozenset(
                    registry[a]
                    for a in (*(event.get("source") or ()), *(event.get("target") or ()))
                    if a in registry and a in people
                ),
            )
        )
    return found


def _overlap(
    a_start: str | None, a_end: str | None, b_start: str | None, b_end: str | None
) -> bool:
    if not (a_start and a_end and b_start and b_end):
        return True
    return a_start <= b_end and b_start <= a_end


def _modes_agree(a: MentionView, b: MentionView) -> bool:
    """The same PLOVER mode (an arrest is not a curfew), or one of them has none."""
    mode_a, mode_b = a.record.get("mode"), b.record.get("mode")
    return not (mode_a and mode_b and mode_a != mode_b)


def _near(a: MentionView, b: MentionView, slack: int) -> bool:
    """Overlapping dates, or (with `slack`) dates at most that many days apart."""
    if _overlap(a.start, a.end, b.start, b.end):
        return True
    if not slack or not (a.start and a.end and b.start and b.end):
        return False
    first, second = (a, b) if (a.end or "") < (b.start or "") else (b, a)
    return _days(first.end, second.start) <= slack


def _places_agree(a: JSON | None, b: JSON | None) -> bool:
    if a is None or b is None:
        return True
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    fine_a, fine_b = place_rank(a.get("feature")) <= 1, place_rank(b.get("feature")) <= 1
    if fine_a and fine_b and a.get("geonameid") != b.get("geonameid"):
        return False
    regional = place_rank(a.get("feature")) <= 3 and place_rank(b.get("feature")) <= 3
    return not (regional and a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"])


@dataclass(slots=True)
class Resolved:
    """A resolved event being built: its mentions so far."""

    mentions: list[MentionView] = field(default_factory=list)

    @property
    def anchor(self) -> MentionView:
        return self.mentions[0]

    def accepts(self, m: MentionView) -> bool:
        first = self.anchor
        if m.factual != first.factual:
            return False
        same_type = any(o.type == m.type and _modes_agree(o, m) for o in self.mentions)
        shared_actor = any((o.sources | o.targets) & (m.sources | m.targets) for o in self.mentions)
        related = same_type or (
            m.acled_type is not None
            and any(o.acled_type == m.acled_type for o in self.mentions)
            and shared_actor
        )
        if not related:
            return False
        slack = DATE_SLACK_DAYS if shared_actor else 0
        # The same act on the same named person (Masimov detained): the reports may differ
        # on where as on when; that is a disagreement to show, not another event.
        same_person = same_type and any(o.persons & m.persons for o in self.mentions)
        for o in self.mentions:
            if o.type == m.type and not _modes_agree(o, m):
                return False
            if not _near(o, m, slack):
                return False
            if not same_person and not _places_agree(o.place, m.place):
                return False
            if o.sources and m.sources and not (o.sources & m.sources) and not shared_actor:
                return False
        return True


def group_mentions(mentions: Sequence[MentionView]) -> list[Resolved]:
    """Mentions (in the story's order) grouped into resolved events: each joins the first
    group that accepts it; then two groups merge while one accepts all of the other's
    mentions (a mention read early may only fit once later ones tie it to a group)."""
    groups: list[Resolved] = []
    # the groups holding a mention of each type or ACLED type: only they can accept one
    holding: dict[str, list[int]] = {}
    for m in mentions:
        kinds = [m.type, *((f"acled:{m.acled_type}",) if m.acled_type else ())]
        candidates = sorted({i for k in kinds for i in holding.get(k, ())})
        index = next((i for i in candidates if groups[i].accepts(m)), None)
        if index is None:
            index = len(groups)
            groups.append(Resolved())
        groups[index].mentions.append(m)
        for k in kinds:
            if index not in (held := holding.setdefault(k, [])):
                held.append(index)
    order = {id(m): i for i, m in enumerate(mentions)}
    merged = True
    while merged:  # passes until none merges; each pass keeps going after a merge
        merged = False
        i = 0
        while i < len(groups):
            keep, j = groups[i], i + 1
            while j < len(groups):
                other = groups[j]
                if other.anchor.type == keep.anchor.type and _absorbs(keep, other, order):
                    del groups[j]
                    merged = True
                else:
                    j += 1
            i += 1
    return groups


def _absorbs(keep: Resolved, other: Resolved, order: dict[int, int]) -> bool:
    """Add `other`'s mentions to `keep` if it accepts every one of them."""
    trial = Resolved(list(keep.mentions))
    for m in other.mentions:
        if not trial.accepts(m):
            return False
        trial.mentions.append(m)
    keep.mentions = sorted(trial.mentions, key=lambda m: order[id(m)])
    return True


def _votes(values: dict[Any, list[MentionView]]) -> list[JSON]:
    """Each value with the mentions, articles and outlets behind it, most weight first."""
    rows = []
    for value, ms in values.items():
        rows.append({
            "value": value,
            "weight": round(sum(m.confidence for m in ms), 4),
            "mentions": len(ms),
            "articles": sorted({m.article_id for m in ms}),
            "sources": sorted({m.source for m in ms}),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (-r["weight"], str(r["value"])))


def _fused_date(ms: Sequence[MentionView]) -> tuple[MentionView | None, list[MentionView]]:
    """The mention of the narrowest date that overlaps most dated mentions, and the
    dated mentions that do not overlap it."""
    dated = [m for m in ms if m.start and m.end]
    if not dated:
        return None, []

    def support(m: MentionView) -> int:
        return sum(_overlap(m.start, m.end, o.start, o.end) for o in dated)

    # narrowest: the interval's end minus its start, as ISO text compares by days
    best = max(dated, key=lambda m: (support(m), -_days(m.start, m.end), m.confidence))
    return best, [m for m in dated if not _overlap(best.start, best.end, m.start, m.end)]


def _days(start: str | None, end: str | None) -> int:
    from datetime import date

    if not start or not end:
        return 1 << 20
    return (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days


def fuse(group: Resolved) -> JSON:
    """The resolved event's record: fused fields, counts, disagreements, mention ids."""
    ms = group.mentions
    types = _votes({t: [m for m in ms if m.type == t] for t in dict.fromkeys(m.type for m in ms)})
    fused_type = types[0]["value"]
    of_type = [m for m in ms if m.type == fused_type]
    dated, off_date = _fused_date(ms)
    placed = [m for m in ms if m.place]
    place_m = min(placed, key=lambda m: (m.place_rank, -m.confidence), default=None)
    disagreements: list[JSON] = []
    if len(types) > 1:
        disagreements.append({"field": "type", "values": types})
    if off_date:
        dates = defaultdict(list)
        for m in [dated, *off_date] if dated else off_date:
            dates[m.date].append(m)
        disagreements.append({"field": "date", "values": _votes(dict(dates))})
    fine = defaultdict(list)
    for m in placed:
        if m.place_rank <= 1:
            fine[(m.place or {}).get("name")].append(m)
    if len(fine) > 1:
        disagreements.append({"field": "place", "values": _votes(dict(fine))})
    actor_sets = {m.sources for m in ms if m.sources}
    if len(actor_sets) > 1 and not frozenset.intersection(*actor_sets):
        who = defaultdict(list)
        for m in ms:
            if m.sources:
                who[",".join(str(i) for i in sorted(m.sources))].append(m)
        disagreements.append({"field": "source", "values": _votes(dict(who))})
    per_article: dict[str, float] = {}
    for m in of_type:
        per_article[m.article_id] = max(per_article.get(m.article_id, 0.0), m.confidence)
    doubt = 1.0
    for c in per_article.values():
        doubt *= 1.0 - min(c, 0.99)
    agreement = sum(m.confidence for m in of_type) / (sum(m.confidence for m in ms) or 1.0)
    anchor = group.anchor
    typical = of_type[0].record  # its first mention of the fused type: trigger, sentence
    return {
        "id": anchor.ref,
        "story": None,
        "type": fused_type,
        "trigger": typical.get("trigger"),
        "sentence": typical.get("sentence"),
        "cameo": typical.get("cameo"),
        "intensity": typical.get("intensity"),
        # told as plain fact by one report at least: factual; else as its first mention
        "modality": []
        if any(not m.record.get("modality") for m in ms)
        else anchor.record.get("modality") or [],
        "context": typical.get("context") or [],
        "date_precision": dated.record.get("date_precision") if dated else "unknown",
        "mode": Counter(m.record.get("mode") for m in of_type).most_common(1)[0][0],
        "date": dated.date if dated else None,
        "date_start": dated.start if dated else None,
        "date_end": dated.end if dated else None,
        "date_from": dated.ref if dated else None,
        "place": place_m.place if place_m else None,
        "place_from": place_m.ref if place_m else None,
        "source": _actor_counts(ms, "sources"),
        "target": _actor_counts(ms, "targets"),
        "factual": any(not m.record.get("modality") for m in ms),
        "quad_class": anchor.record.get("quad_class"),
        "acled_type": Counter(m.acled_type for m in of_type).most_common(1)[0][0],
        "acled_subtype": next((m.record.get("acled_subtype") for m in of_type), None),
        "confidence": round((1.0 - doubt) * agreement, 4),
        "n_mentions": len(ms),
        "n_articles": len({m.article_id for m in ms}),
        "n_sources": len({m.source for m in ms}),
        "mentions": [m.ref for m in ms],
        "disagreements": disagreements,
    }


def _actor_counts(ms: Sequence[MentionView], side: str) -> list[JSON]:
    counts: Counter[int] = Counter()
    for m in ms:
        counts.update(getattr(m, side))
    return [{"registry_id": i, "mentions": n} for i, n in counts.most_common()]


__all__ = ["MentionView", "Resolved", "fuse", "group_mentions", "mentions_of", "place_rank"]
