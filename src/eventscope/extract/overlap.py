"""Whether a span overlaps any of many spans, in logarithmic time.

A stage that tested each match against every entity or every earlier match was
quadratic in the article's length (4,000 dated sentences: 3.7 s in one comprehension);
these keep the test to a bisection.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable


class Spans:
    """A fixed set of (start, end) spans, overlapping or not."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span shares a character with start..end."""
        n = bisect.bisect_left(self._starts, end)  # the spans starting before its end
        return bool(n) and self._reach[n - 1] > start


class DisjointSpans:
    """Spans that do not overlap one another, added one at a time."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span shares a character with start..end."""
        n = bisect.bisect_left(self._starts, end)
        return bool(n) and self._ends[n - 1] > start  # disjoint: ends rise with starts

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none of those added."""
        n = bisect.bisect_left(self._starts, start)
        self._starts.insert(n, start)
        self._ends.insert(n, end)
