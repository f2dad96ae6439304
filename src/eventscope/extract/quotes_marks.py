"""Where the quotations of a text are, from its quote marks alone.

Written here rather than taken from a library: the field's quote extractors (e.g.
textacy's) pair only well-formed marks, while news text, and translated news above all,
is full of closing marks typed as opening ones (`coup, “said Tokáyev`), straight quotes,
guillemets and quotations that run over several paragraphs. Double marks alternate
open/close within a paragraph whatever their shape; « » pair as such; single marks ‘ ’
and ' count only where they cannot be apostrophes; a quotation still open at the end of
a paragraph runs on when the next paragraph opens with a mark (the English convention
for a quote of several paragraphs), else it ends there.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventscope.lang.en.lexicon import words

DOUBLE = frozenset('"“”„‟')
SINGLE = frozenset("‘’'‚‛")
GUILLEMETS = {"«": "»", "‹": "›"}
MARKS = DOUBLE | SINGLE | frozenset(GUILLEMETS) | frozenset(GUILLEMETS.values()) | {"`"}
_PAIRED_SINGLES = words("quotes", "paired_singles")  # two single marks for a double one


def _width(text: str, at: int) -> int:
    return 2 if text[at : at + 2] in _PAIRED_SINGLES else 1


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quoted stretch: `start`/`end` include its marks, `inner` is what they enclose."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True  # False: the paragraph ended before a closing mark

    def contains(self, start: int, end: int) -> bool:
        """Whether the characters [start, end) lie inside the quotation's marks."""
        return self.inner_start <= start and end <= self.inner_end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-") and (after.isalnum() or after in '“"…')


def _closes_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _in_paragraph(
    text: str, start: int, end: int, running: tuple[int, str] | None
) -> tuple[list[Quotation], tuple[int, str] | None]:
    """The quotations that close within a paragraph, and the (position, closing mark) of
    one still open at its end. `running` is a quotation open since an earlier paragraph."""
    found: list[Quotation] = []
    opened, closer = running if running is not None else (None, "")
    single: int | None = None
    i = start - 1
    while i + 1 < end:
        i += 1
        char = text[i]
        if char not in MARKS:
            continue
        width = 2 if text[i : i + 2] in _PAIRED_SINGLES else 1  # ''smart'' in some papers
        if opened is not None:
            if (closer and char == closer) or (not closer and (char in DOUBLE or width == 2)):
                found.append(Quotation(opened, i + width, opened + _width(text, opened), i))
                opened, single = None, None
                i += width - 1
            continue
        if char in GUILLEMETS or char in DOUBLE or width == 2:
            opened, closer, single = i, GUILLEMETS.get(char, ""), None
            i += width - 1
        elif char in SINGLE:
            if single is None and _opens_single(text, i):
                single = i
            elif single is not None and _closes_single(text, i):
                found.append(Quotation(single, i + 1, single + 1, i))
                single = None
    return found, (opened, closer) if opened is not None else None


def _unclosed(text: str, start: int, end: int) -> Quotation:
    return Quotation(start, end, start + _width(text, start), end, closed=False)


def quotations(text: str) -> list[Quotation]:
    """The quotations of a text in order (marks inside a quotation are its own)."""
    out: list[Quotation] = []
    running: tuple[int, str] | None = None  # open at the end of the last paragraph
    last_end = 0
    for start, end in _paragraphs(text):
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        if running is not None:
            if text[first] in DOUBLE or text[first] in GUILLEMETS or _width(text, first) == 2:
                first += _width(text, first)  # the mark that reopens a quotation running on
            else:
                out.append(_unclosed(text, running[0], last_end))
                running = None
        found, running = _in_paragraph(text, first, end, running)
        out.extend(found)
        last_end = end
    if running is not None:
        out.append(_unclosed(text, running[0], last_end))
    return out
