"""Article texts: what once made a stage super-linear (issue 20, 1), other odd
texts, hostile dates and numbers, languages we do not extract."""

from __future__ import annotations

import json
from pathlib import Path

from ..conftest import REPORT, write
from .corpus import (
    Context,
    Hostile,
    Writer,
    dated,
    expect,
    kind,
    line,
    plain,
    rejected,
    stored,
    story,
)
from .texts import PATHOLOGICAL, prose

# -- issue 20 (1): texts that once made a stage super-linear -----------------------------


def _pathological(which: str) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        n = {"nested-said": ctx.size.said, "nested-clauses": ctx.size.clauses,
             "brackets": ctx.size.parens // 10}.get(which, ctx.size.units)  # fmt: skip
        opening = f"Protesters marched in Almaty on Monday ({path.name}).\n\n"
        write(path, dated(opening + PATHOLOGICAL[which](n), "2022-01-10"))
        return expect(stored())

    return writer


for _which in PATHOLOGICAL:
    kind(f"text-{_which}.txt")(_pathological(_which))


@kind("text-emoji-run.txt")
def _emoji(path: Path, ctx: Context) -> Hostile:
    # no spaces: about a token per emoji, three times the tokens of prose per character
    emoji = "\U0001f600\U0001f525\U0001f4a5" * (ctx.size.emoji // 3)
    write(path, dated(f"{story('emoji')} {emoji}"))
    # an article may hold a quarter of --max-chars (200,000) in words and signs: past
    # that it is too large (W007), as 190,000 emoji took 95 s and 3.4 GB to parse
    return expect(rejected("W007") if ctx.size.emoji > 50_000 else stored())


@kind("text-giant-word.txt")
def _giant_word(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("giant word") + " " + "a" * (ctx.size.chars * 3 // 4)))
    return expect(stored())


@kind("text-zalgo.txt")
def _zalgo(path: Path, ctx: Context) -> Hostile:
    marks = "\u0301\u0302\u0303\u0304\u0305\u0306" * 6
    write(path, dated(story("zalgo") + " " + f"Z{marks} " * (ctx.size.chars // 40)))
    return expect(stored())


@kind("text-full-stops.txt")
def _full_stops(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("full stops") + " " + "." * (ctx.size.chars // 2)))
    return expect(stored())


@kind("text-line-separators.txt")
def _separators(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("separators") + "\u2028\u2029" * (ctx.size.chars // 4) + REPORT))
    return expect(stored())


@kind("text-bidi-controls.txt")
def _bidi(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("bidi") + " \u202eecilop\u202c \u200b\u200d\u2066x\u2069" * 500))
    return expect(stored())


@kind("text-near-limit.txt")
def _near_limit(path: Path, ctx: Context) -> Hostile:
    write(path, dated("Report near the limit.\n\n" + prose(ctx.size.chars)))
    return expect(stored())


@kind("text-over-limit.txt")
def _over_limit(path: Path, ctx: Context) -> Hostile:
    write(path, dated(prose(200_500)))  # --max-chars is 200,000
    return expect(rejected("W007"))


# -- hostile dates -----------------------------------------------------------------------

_DATES: dict[str, tuple[object, str | None]] = {
    "zeros": ("0000-00-00", "W005"),
    "9999-12-31": ("9999-12-31", "W006"),
    "epoch-1e30": (1e30, "W005"),
    "month-13": ("2022-13-45", "W005"),
    "future": ("2099-01-01", "W006"),
    "negative-year": ("-0044-03-15", "W006"),  # read as the year 44: before 1900
    "nan": (float("nan"), "W005"),
    "infinity": (float("inf"), "W005"),
    "before-1900": ("1899-12-31", "W006"),
    "epoch-zero": (0, None),  # 1970-01-01
    "negative-epoch": (-1e10, "W006"),  # 1653
    "epoch-milliseconds": (1_641_340_800_000, "W005"),  # the year 53,980
    "year-10000": ("10000-01-01", "W005"),
    "february-30": ("2022-02-30", "W005"),
    "zone-25-hours": ("2022-01-05T10:00:00+25:00", "W005"),
    "leap-second": ("2016-12-31T23:59:60Z", "W005"),
    "object": ({"year": 2022}, "W005"),
    "boolean": (True, "W005"),
    "long-string": ("2022-01-05 " * 10_000, "W005"),
    "arabic-digits": ("٢٠٢٢-٠١-٠٥", None),
}


def _date(value: object, code: str | None) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, json.dumps({"text": story(path.name), "date": value}) + "\n")
        return expect(rejected(code) if code else stored())

    return writer


for _name, (_value, _code) in _DATES.items():
    kind(f"date-{_name}.jsonl")(_date(_value, _code))
kind("date-header-zeros.txt")(plain(lambda tag: dated(story(tag), "0000-00-00"), "W005"))
kind("date-header-9999.txt")(plain(lambda tag: dated(story(tag), "9999-12-31"), "W006"))


# -- hostile numbers in text: stored, and no figure is inf or NaN ------------------------

_NUMBERS = {
    "1e308": "Police said 1e308 people were killed in Almaty on Monday.",
    "1e309": "Police said 1e309 people were killed and 1e-400 were injured.",
    "400-digits": f"Police said {'9' * 401} people were killed in Almaty.",
    "5000-digits": f"Police said {'9' * 5000} people were killed in Almaty.",
    "digit-groups": f"Police said {','.join(['999'] * 2000)} people were killed.",
    "nan-infinity": "Police said NaN people were killed and Infinity were injured.",
    "negative": "Police said -5 people were killed and −12 were injured.",
    "number-words": "Police said nine hundred quadrillion trillion people were killed.",
    "powers": "The death toll rose to 10^400 and then to 1e30,000,000 on Monday.",
}
for _name, _text in _NUMBERS.items():
    kind(f"number-{_name}.txt")(plain(lambda tag, t=_text: dated(f"{t} {story(tag)}")))


# -- languages we do not extract, and language fields that are not languages --------------

_FOREIGN = {
    "german": "Die Polizei in Almaty hat am Montag zwölf Demonstranten festgenommen, teilte "
    "das Innenministerium mit. Präsident Tokajew sagte, die Ordnung sei wiederhergestellt.",
    "chinese": "周一，阿拉木图警方逮捕了十二名抗议者，内政部表示。"
    "托卡耶夫总统说，城市秩序已经恢复。俄罗斯军队于一月六日抵达哈萨克斯坦。",
    "arabic": "اعتقلت الشرطة في ألماتي يوم الاثنين اثني عشر متظاهرا، بحسب وزارة الداخلية. وقال "
    "الرئيس توكاييف إن النظام قد استعيد في المدينة.",
}
for _name, _text in _FOREIGN.items():
    kind(f"language-{_name}.txt")(plain(lambda tag, t=_text: dated(t)))


def _language_field(value: str) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, line(text=story(path.name), date="2022-01-05", language=value))
        return expect(stored())  # the field is dropped and the language detected

    return writer


kind("language-field-path.jsonl")(_language_field("../../etc"))
kind("language-field-controls.jsonl")(_language_field("e\x00n\x07\x1b[31m"))
kind("language-field-huge.jsonl")(_language_field("x" * 100_000))
