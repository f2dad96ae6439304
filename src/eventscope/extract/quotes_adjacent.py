"""Which quotation a cue verb and its speaker tag: the quotation right before them ("“...,”
he added"), with the one that goes on after them when the tag splits a sentence, or the
one they introduce ("X said: “...”"); quoted titles ("“Fox News Sunday”") are no speech."""

from __future__ import annotations

import bisect
from typing import Any

from eventscope.lang.en.lexicon import words

from .events_build import Context
from .quotes_marks import Quotation, quotations

TRIM = " \t\n,;:—–-"
_BETWEEN_AFTER = words("quotes", "introducing_words")  # "said: “", "said that “"
NEAR = 60  # characters between a cue's clause and its quotation, at most
_OPENS = words("quotes", "before_opening")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The characters start..end without the spaces and punctuation at their edges."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


class QuotationTags:
    """The quotations of an article's text, and which one a cue tags."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text: str = ctx.text
        self.quotations = quotations(self.text)
        # In text order and disjoint, so their starts and their ends are both sorted: the
        # quotations near a cue are found by bisection. Scanning them all for every cue
        # was quadratic in articles of many quotations (4,000 cues: 2.3 s).
        self._starts = [q.start for q in self.quotations]
        self._ends = [q.end for q in self.quotations]

    def overlapping(self, start: int, end: int) -> list[Quotation]:
        """The quotations that reach into start..end (touching counts)."""
        first = bisect.bisect_left(self._ends, start)
        return self.quotations[first : bisect.bisect_right(self._starts, end, lo=first)]

    def adjacent_quotations(self, cue: Any, speaker: Any | None) -> list[Quotation]:
        """The quotation the cue and its speaker directly follow ("“...,” said X"),
        with the one that goes on right after them when the tag splits a sentence ("“A,”
        she said, “b.”"); else the one they directly introduce ("X said: “...”")."""
        found = self._adjacent(cue, speaker)
        if found is None:
            return []
        if found.end > cue.idx:
            return [found]
        inner = self.text[found.inner_start : found.inner_end].rstrip()
        after = self._adjacent(cue, speaker, after_only=True)
        if (
            after is not None
            and inner[-1:] == ","
            and self.text[max(0, after.start - NEAR) : after.start].rstrip()[-1:] == ","
        ):
            return [found, after]
        return [found]

    def _adjacent(
        self, cue: Any, speaker: Any | None, *, after_only: bool = False
    ) -> Quotation | None:
        starts = [cue.idx] + ([speaker.left_edge.idx] if speaker is not None else [])
        clause_start = min(starts)
        ends = [cue.idx + len(cue.text)]
        if speaker is not None and speaker.i > cue.i:
            ends.append(speaker.right_edge.idx + len(speaker.right_edge.text))
        clause_end = max(ends)
        for q in self.overlapping(clause_start - NEAR, clause_end + NEAR):
            # (farther ones cannot be the cue's; nor are long slices of the text made)
            if after_only and q.end <= clause_start:
                continue
            if q.end <= clause_start and self._follows(q, clause_start) and not self._is_title(q):
                return q
            if q.start >= clause_end and self._introduces(cue, clause_end, q.start):
                return None if self._is_title(q) else q
        return None

    def _is_title(self, q: Quotation) -> bool:
        """A quoted title rather than words said: “The Steve Harvey Morning Show”,
        “A Change Is Gonna Come” (every longer word capitalised, no end punctuation)."""
        words = self.text[q.inner_start : q.inner_end].strip(" ,.").split()
        long = [w for w in words if len(w) > 3]
        if not long or self.text[q.inner_start : q.inner_end].rstrip()[-1:] in "?!":
            return False
        return all(w[:1].isupper() for w in long) and len(words) <= 8

    def _follows(self, q: Quotation, clause_start: int) -> bool:
        """Whether a cue clause starting at `clause_start` is the tag of the quotation
        just before it, in the same paragraph: not `“... soon.” The leader said that`, nor
        a title in a phrase (`On “Fox News Sunday,” Pence said`)."""
        between = self.text[q.end : clause_start]
        if "\n" in between or between.strip(TRIM):
            return False
        inner = self.text[q.inner_start : q.inner_end].rstrip()
        if inner[-1:] == "." and self.text[q.end : clause_start + 1].strip()[:1].isupper():
            return False
        before = self.text[max(0, q.start - NEAR) : q.start].rstrip()[-1:]
        return before in _OPENS or len(inner.split()) >= 4

    def _introduces(self, cue: Any, end: int, start: int) -> bool:
        """Whether the words between a cue and a quotation only introduce it: none, a
        few ending in ":", "," or "that", or the cue's own phrases ("told German magazine
        Der Spiegel “..."), with no verb and no other quote mark."""
        between = self.text[end:start]
        if len(between) > NEAR or "\n\n" in between or any(m in between for m in '“”"«»'):
            return False
        span = self.ctx.doc.char_span(end, start, alignment_mode="contract")
        tokens = list(span) if span is not None else []
        if any(t.pos_ == "VERB" for t in tokens):
            return False
        words = between.split()
        if not words or words[-1].lower() in _BETWEEN_AFTER or between.rstrip()[-1:] in ":,":
            return True
        return all(cue.left_edge.i <= t.i <= cue.right_edge.i for t in tokens)


def inside_clause(ctx: Context, clause: Any, quotation: Quotation) -> bool:
    """Whether a quotation is a few words inside the cue's content clause, which goes
    on beyond it (a term in quote marks, not the words said)."""
    start = ctx.tokens[clause.left_edge.i].idx
    last = ctx.tokens[clause.right_edge.i]
    end = last.idx + len(last.text)
    if not (start <= quotation.inner_start and quotation.inner_end <= end):
        return False
    outside = ctx.text[start : quotation.inner_start] + ctx.text[quotation.inner_end : end]
    return len(outside.split()) >= 2
