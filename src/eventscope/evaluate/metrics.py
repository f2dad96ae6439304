"""Standard metrics, each a small pure function tested on hand-computed cases."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts; 0.0 where undefined (nothing predicted or gold)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def set_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> dict[str, float]:
    """P/R/F1 of two multisets of items (each gold item matches at most one prediction)."""
    g, p = Counter(gold), Counter(predicted)
    tp = sum((g & p).values())
    return prf(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def accuracy(pairs: Iterable[tuple[object, object]]) -> float:
    """Share of (gold, predicted) pairs that are equal; 0.0 for no pairs."""
    items = list(pairs)
    return sum(1 for g, p in items if g == p) / len(items) if items else 0.0


def macro_f1(pairs: Sequence[tuple[Hashable, Hashable]]) -> float:
    """Mean over gold labels of each label's F1 (predictions outside gold labels count as fp)."""
    labels = {g for g, _ in pairs}
    if not labels:
        return 0.0
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores.append(prf(tp, fp, fn)["f1"])
    return sum(scores) / len(scores)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the character ranges [start, end) share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def match_spans(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]], *, strict: bool
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) matches, exact or by overlap, greedy by
    largest overlap first so that each span is used once."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if (g == p) if strict else overlaps(g, p):
                shared = min(g[1], p[1]) - max(g[0], p[0])
                candidates.append((-shared, i, j))
    return sorted(greedy_pairs(candidates))


def greedy_pairs(candidates: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """(gold, predicted) index pairs from scored candidates (lowest score first), each
    index used once."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, i, j in sorted(candidates):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matches.append((i, j))
    return matches


Clustering = Mapping[Any, Hashable]  # item -> cluster id


def bcubed(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering: item -> cluster id, same items."""
    items = list(gold)
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    gold_members: dict[Hashable, set[Hashable]] = {}
    pred_members: dict[Hashable, set[Hashable]] = {}
    for item in items:
        gold_members.setdefault(gold[item], set()).add(item)
        pred_members.setdefault(predicted.get(item, ("singleton", item)), set()).add(item)
    precision = recall = 0.0
    for item in items:
        g = gold_members[gold[item]]
        p = pred_members[predicted.get(item, ("singleton", item))]
        shared = len(g & p)
        precision += shared / len(p)
        recall += shared / len(g)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """P/R/F1 over pairs of items put in the same cluster."""

    def pairs(assign: Clustering) -> set[frozenset[Hashable]]:
        members: dict[Hashable, list[Hashable]] = {}
        for item in gold:
            members.setdefault(assign.get(item, ("singleton", item)), []).append(item)
        out: set[frozenset[Hashable]] = set()
        for group in members.values():
            out.update(frozenset((a, b)) for k, a in enumerate(group) for b in group[k + 1 :])
        return out

    g, p = pairs(gold), pairs(predicted)
    tp = len(g & p)
    return prf(tp, len(p) - tp, len(g) - tp)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return 0.0
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
