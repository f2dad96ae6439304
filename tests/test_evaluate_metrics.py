"""Metric functions on perfect, empty and hand-computed cases."""

from __future__ import annotations

import pytest

from eventscope.evaluate.metrics import (
    accuracy,
    bcubed,
    haversine_km,
    macro_f1,
    match_spans,
    mean,
    median,
    pairwise,
    prf,
    set_prf,
)


def test_prf_hand_computed() -> None:
    # tp 2, fp 1, fn 3: P = 2/3, R = 2/5, F1 = 2PR/(P+R) = (8/15)/(16/15) = 0.5
    assert prf(2, 1, 3) == pytest.approx({"precision": 2 / 3, "recall": 0.4, "f1": 0.5})
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_set_prf_perfect_empty_and_multiset() -> None:
    gold = ["RUS", "KAZ", "KAZ"]
    assert set_prf(gold, gold)["f1"] == 1.0
    assert set_prf(gold, [])["f1"] == 0.0
    # predicted KAZ once, USA once: tp 1 (one KAZ), fp 1, fn 2 -> P 0.5, R 1/3, F1 0.4
    assert set_prf(gold, ["KAZ", "USA"]) == pytest.approx(
        {"precision": 0.5, "recall": 1 / 3, "f1": 0.4}
    )


def test_accuracy_and_macro_f1() -> None:
    pairs = [("PROTEST", "PROTEST"), ("PROTEST", "ASSAULT"), ("ASSAULT", "ASSAULT")]
    assert accuracy(pairs) == pytest.approx(2 / 3)
    # PROTEST: tp1 fp0 fn1 -> F1 2/3; ASSAULT: tp1 fp1 fn0 -> F1 2/3; mean 2/3
    assert macro_f1(pairs) == pytest.approx(2 / 3)
    assert accuracy([]) == 0.0 and macro_f1([]) == 0.0
    assert macro_f1([(g, g) for g, _ in pairs]) == 1.0


def test_match_spans_strict_overlap_and_one_to_one() -> None:
    gold = [(0, 5), (10, 20)]
    assert match_spans(gold, gold, strict=True) == [(0, 0), (1, 1)]
    assert match_spans(gold, [(1, 5), (12, 30)], strict=True) == []
    assert match_spans(gold, [(1, 5), (12, 30)], strict=False) == [(0, 0), (1, 1)]
    # two predictions overlap one gold span: only the larger overlap is matched
    assert match_spans([(10, 20)], [(8, 12), (11, 19)], strict=False) == [(0, 1)]
    assert match_spans(gold, [], strict=False) == []


def test_bcubed_and_pairwise() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed(gold, gold)["f1"] == 1.0
    assert pairwise(gold, gold)["f1"] == 1.0
    singletons = {"a": "x", "b": "y", "c": "z"}
    # B-cubed: precision 1; recall (1/2 + 1/2 + 1) / 3 = 2/3; F1 = 0.8
    assert bcubed(gold, singletons) == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8})
    # pairwise: gold pairs {ab}; predicted none -> 0
    assert pairwise(gold, singletons)["f1"] == 0.0
    merged = {"a": 0, "b": 0, "c": 0}
    # pairwise: predicted {ab, ac, bc}, tp 1 -> P 1/3, R 1, F1 0.5
    assert pairwise(gold, merged) == pytest.approx({"precision": 1 / 3, "recall": 1.0, "f1": 0.5})
    assert bcubed({}, {})["f1"] == 0.0


def test_distances_and_averages() -> None:
    # Almaty to Astana is about 970 km
    assert haversine_km(43.25, 76.92, 51.17, 71.45) == pytest.approx(970, abs=15)
    assert haversine_km(10, 10, 10, 10) == 0.0
    assert mean([1, 2, 6]) == 3 and median([5, 1, 3]) == 3 and median([1, 2, 3, 10]) == 2.5
    assert mean([]) == 0.0 and median([]) == 0.0
