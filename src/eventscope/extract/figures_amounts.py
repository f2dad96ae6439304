"""Number expressions of news text: "7,939", "nearly 2,000", "two dozen", "dozens",
"between 20 and 30", "more than a hundred", with the qualifier the words around them give
(exact, at least, at most, approximately, range) and the low/high bounds; and the
numbers that count nothing here (ages, dates, times, money, percentages, measures, ranks,
addresses, phone numbers, numbers inside names).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from text_to_num import text2num  # type: ignore[import-untyped]

from eventscope.kb.figures import FiguresLexicon
from eventscope.lang.en.grammar import NOT_COUNT_LABELS, NUMBERED_NAME_LABELS
from eventscope.lang.en.lexicon import words as en_words

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")
_NUMBER_WORDS = en_words("figures", "number_words")
_RANGE_WORDS = en_words("figures", "range_words")
_ONE = en_words("function_words", "indefinite_articles")  # "a hundred", "an estimated 300"


@dataclasses.dataclass(frozen=True, slots=True)
class Amount:
    """A number expression: its tokens [start, end), value, qualifier and bounds."""

    start: int
    end: int
    value: float
    qualifier: str
    low: float | None
    high: float | None
    last: int  # the token the expression hangs from (its last number word)


def _numeral(words: list[str], lexicon: FiguresLexicon) -> float | None:
    """The value of number words ("7,939", "1.5 million", "two dozen", "twenty-one").
    text2num reads spelled-out numbers but not digits with a multiplier or "dozen"."""
    if not words:
        return None
    *head, last = words
    if last in lexicon.multipliers and head:
        base = _numeral(head, lexicon)
        return None if base is None else base * lexicon.multipliers[last]
    if len(words) == 1 and _DIGITS.match(last):
        return float(last.replace(",", ""))
    if words == ["a"] or words == ["an"]:
        return 1.0
    try:
        return float(text2num(" ".join(words).replace(" - ", "-"), "en"))
    except ValueError:
        return None


def _is_number_word(token: Any, lexicon: FiguresLexicon) -> bool:
    lower = token.lower_
    return bool(
        _DIGITS.match(lower) or lower in _NUMBER_WORDS or lower in lexicon.multipliers
        or ("-" in lower and all(part in _NUMBER_WORDS for part in lower.split("-")))
    )  # fmt: skip


def could_start(lower: str, lexicon: FiguresLexicon) -> bool:
    """Whether a number expression may start with this word (a cheap test first)."""
    return bool(lower) and (
        lower[0].isdigit() or lower in _NUMBER_WORDS or lower in _ONE
        or lower in lexicon.vague_starts or lower.split("-")[0] in _NUMBER_WORDS
    )  # fmt: skip


def amount_at(
    tokens: Sequence[Any], lower: list[str], i: int, lexicon: FiguresLexicon
) -> Amount | None:
    """The number expression starting at token i (`lower`: the tokens' lower-case
    texts), with its qualifier, if any."""
    token = tokens[i]
    for words, (amount, qualifier) in lexicon.vague.items():
        if lower[i] == words[0] and tuple(lower[i : i + len(words)]) == words:
            return _qualified(tokens, i, i + len(words), amount, qualifier, lexicon)
    a_multiple = (
        token.lower_ in _ONE and i + 1 < len(tokens) and (lower[i + 1] in lexicon.multipliers)
    )  # "a hundred"
    if not a_multiple and (
        not _is_number_word(token, lexicon) or token.lower_ in lexicon.multipliers
    ):
        return None
    end = i + 1
    while end < len(tokens) and (
        _is_number_word(tokens[end], lexicon)
        or (lower[end] == "and" and end + 1 < len(tokens) and lower[end + 1] in _NUMBER_WORDS
        and lower[end - 1] in lexicon.multipliers)
        or (lower[end] == "-" and end + 1 < len(tokens) and lower[end + 1] in _NUMBER_WORDS
            and lower[end - 1] in _NUMBER_WORDS)  # "twenty - one" as spaCy splits it
    ):  # fmt: skip
        end += 1
    value = _numeral(lower[i:end], lexicon)
    if value is None:
        return None
    # A range: "between 20 and 30", "20 to 30", "20-30".
    if end + 1 < len(tokens) and (
        lower[end] in _RANGE_WORDS or (lower[end] == "and" and i > 0 and lower[i - 1] == "between")
    ):
        other = (
            amount_at(tokens, lower, end + 1, lexicon)
            if _is_number_word(tokens[end + 1], lexicon)
            else None
        )
        if other is not None and other.value > value:
            start = i - 1 if i > 0 and lower[i - 1] == "between" else i
            # The expression hangs from whichever number's head is outside it.
            inside = range(start, other.end)
            last = other.last if tokens[other.last].head.i not in inside else end - 1
            return Amount(start, other.end, value, "range", value, other.value, last)
    return _qualified(tokens, i, end, value, "exact", lexicon)


def _qualified(
    tokens: Sequence[Any],
    start: int,
    end: int,
    value: float,
    qualifier: str,
    lexicon: FiguresLexicon,
) -> Amount:
    """The amount with the qualifier its preceding words give ("at least", "nearly")."""
    lower = [t.lower_ for t in tokens[max(0, start - 4) : start]]
    for words, found in lexicon.qualifiers:
        if len(words) <= len(lower) and tuple(lower[len(lower) - len(words) :]) == words:
            start -= len(words)
            qualifier = found
            break
    else:
        after = [t.lower_ for t in tokens[end : end + 2]]
        if after == ["or", "more"]:
            qualifier = "at_least"
        elif after == ["or", "so"]:
            qualifier = "approximately"
    low = value if qualifier in ("exact", "at_least") else None
    high = value if qualifier in ("exact", "at_most") else None
    return Amount(start, end, value, qualifier, low, high, end - 1)


def _counts_a_noun(number: Any, lexicon: FiguresLexicon) -> bool:
    """A number the entity recogniser took for a date or time that plainly counts a
    common noun ("Between 20 and 30 people"), not a month, day or unit."""
    head = number.head
    while number.dep_ == "conj" and head.pos_ == "NUM":
        number, head = head, head.head
    return (number.dep_ == "nummod" and head.pos_ == "NOUN" and head.ent_type_ == ""
            and head.lower_ not in lexicon.not_after)  # fmt: skip


def _is_year(number: Any, amount: Amount) -> bool:
    """A year written as a number and not followed by a plural noun it counts: "the 2007
    shooting death", "since 1991" ("1500 protesters" is a count)."""
    text = number.text
    if amount.qualifier != "exact" or len(text) != 4 or not text.isdigit():
        return False
    if not 1800 <= int(text) <= 2100:
        return False
    head = number.head
    return not (number.dep_ == "nummod" and head.tag_ in ("NNS", "NNPS"))


def excluded(tokens: Sequence[Any], amount: Amount, lexicon: FiguresLexicon) -> bool:
    """Ages, dates, times, money, percentages, measures, ranks, addresses, names."""
    number = tokens[amount.last]
    if number.ent_type_ in NUMBERED_NAME_LABELS:
        return True
    if number.ent_type_ in NOT_COUNT_LABELS and not _counts_a_noun(number, lexicon):
        return True
    first = tokens[amount.start]
    before = tokens[first.i - 1].lower_ if first.i > 0 else ""
    after = tokens[amount.end].lower_ if amount.end < len(tokens) else ""
    if before in lexicon.not_before or after in lexicon.not_after:
        return True
    if after == "-" and amount.end + 1 < len(tokens):  # "17-year-old", "3-0"
        return True
    if _is_year(number, amount):
        return True
    # "(209) 937-8377", "Smith, 23," (an age after a name), "No. 5"
    if before in ("(", ")") or (number.text.startswith("0") and len(number.text) > 1):
        return True
    return (
        before == "," and after == "," and first.i > 1 and tokens[first.i - 2].ent_type_ == "PERSON"
    )
