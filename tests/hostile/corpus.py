"""Hostile inputs of our own (issue 20's standing suite), written at test time: what
an input expects, the sizes of each scale, and the helpers the kinds_* modules use.

`build(root, scale, ...)` writes every kind of input of `KINDS` under `root`, one file or
folder each, named after the kind, and returns what a correct ingest reports for each:
how many articles are stored, how many are duplicates, and how many records are rejected
with which W code. Where two outcomes are both right (a detected code page or a
rejection; a root that reads any file) the input lists both and says why. Texts that
must never reach the store (an XXE target's contents, a row smuggled inside a CSV field,
an expanded entity) are listed with the input.

`scale` is "small" (seconds, for `make test`) or "full" (the issue's sizes: a 100 MB
CSV field, 200 M blank lines gzipped, 10,000 feed entries, 100,000 nested divs ...,
for `make stress`). Nothing here is committed as data: every byte is written on the spot.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..conftest import REPORT, write


@dataclass(frozen=True)
class Sizes:
    said: int  # 'He said "' repeated (issue: 2,000)
    clauses: int  # nested "(the minister said" clauses (issue: 8,000)
    parens: int  # "(" in a row (issue: 40,000)
    units: int  # units of the other pathological texts
    csv_field: int  # bytes of one quoted CSV field (issue: 100 MB)
    blank_gz: int  # blank lines gzipped (issue: 200 M)
    blank_plain: int  # blank lines in a plain JSON Lines file
    bomb: int  # bytes a gzip bomb expands to
    long_line: int  # bytes of one oversized JSON line
    divs: int  # nested HTML divs (issue: 100,000)
    entries: int  # feed entries (issue: 10,000)
    tiny: int  # tiny articles in one file
    files: int  # tiny files in one folder
    chars: int  # characters of an article near the size limit
    emoji: int  # emoji in a row without spaces (about one token each)
    seconds_per_input: float  # wall time one input may take, alone
    seconds_total: float  # wall time the whole corpus may take in one ingest
    max_rss_mb: int  # peak resident memory of an ingest process


SCALES = {
    "small": Sizes(
        said=500, clauses=300, parens=2_000, units=60, csv_field=1 << 20,
        blank_gz=20_000_000, blank_plain=2_000_000, bomb=64 << 20, long_line=1 << 20,
        divs=5_000, entries=300, tiny=100, files=200, chars=10_000, emoji=1_000,
        seconds_per_input=60, seconds_total=300, max_rss_mb=1_536,
    ),
    "full": Sizes(
        said=2_000, clauses=8_000, parens=40_000, units=2_000, csv_field=100 << 20,
        blank_gz=200_000_000, blank_plain=50_000_000, bomb=1 << 30, long_line=100 << 20,
        divs=100_000, entries=10_000, tiny=20_000, files=5_000, chars=199_000, emoji=190_000,
        seconds_per_input=600, seconds_total=7_200, max_rss_mb=2_560,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What ingesting one input gives: read = stored + duplicates + sum(rejected)."""

    stored: int = 0
    duplicates: int = 0
    rejected: Mapping[str, int] = field(default_factory=dict)  # W code -> records

    @property
    def read(self) -> int:
        return self.stored + self.duplicates + sum(self.rejected.values())

    def __str__(self) -> str:
        codes = ", ".join(f"{n} {code}" for code, n in sorted(self.rejected.items()))
        return f"stored {self.stored}, duplicates {self.duplicates}, rejected [{codes}]"


@dataclass(frozen=True)
class Hostile:
    name: str  # the file or folder under root, and the kind of input
    outcomes: tuple[Outcome, ...]  # the right outcomes: usually one
    why: str = ""  # why more than one outcome is right
    forbidden: tuple[str, ...] = ()  # text that must never reach the store


@dataclass(frozen=True)
class Context:
    root: Path
    size: Sizes
    secret: Path  # a file outside root that XXE inputs point at
    can_lock: bool  # whether mode 000 stops the ingest process reading (not for root)


MB = 1 << 20
SECRET = "XXE-SECRET-5f1c9a"  # the contents of Context.secret
PASSWD = "root:x:0:0"  # the first line of /etc/passwd
Writer = Callable[[Path, Context], Hostile]
KINDS: dict[str, Writer] = {}


def kind(name: str) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        assert name not in KINDS, name
        KINDS[name] = fn
        return fn

    return register


def build(root: Path, scale: str, *, secret: Path, can_lock: bool) -> list[Hostile]:
    """Write every input under `root` (in name order); what each must give."""
    ctx = Context(root, SCALES[scale], secret, can_lock)
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    return [replace(KINDS[name](root / name, ctx), name=name) for name in sorted(KINDS)]


# -- outcomes ----------------------------------------------------------------------------


def stored(n: int = 1, *, duplicates: int = 0, **rejected: int) -> Outcome:
    return Outcome(n, duplicates, rejected)


def rejected(code: str, n: int = 1) -> Outcome:
    return Outcome(0, 0, {code: n})


def expect(*outcomes: Outcome, why: str = "", forbidden: tuple[str, ...] = ()) -> Hostile:
    assert outcomes and (len(outcomes) == 1 or why), "say why more than one outcome is right"
    return Hostile("", outcomes, why, forbidden)


NOTHING = Outcome()  # an input holding no record at all


def plain(text_of: Callable[[str], str], code: str | None = None) -> Writer:
    """A text file of `text_of(name)`: stored, or rejected with `code`."""

    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, text_of(path.name))
        return expect(rejected(code) if code else stored())

    return writer


# -- text helpers ------------------------------------------------------------------------


def story(tag: str) -> str:
    """REPORT made unique by `tag`: no two inputs' articles are duplicates by chance."""
    return f"{REPORT} Report {tag}."


def dated(text: str, day: str = "2022-01-05") -> str:
    return f"date {day}\n{text}"


def line(**record: object) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def repeated(unit: bytes, total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """`total` bytes of `unit` repeated, a chunk at a time."""
    block = unit * max(1, chunk // len(unit))
    while total > 0:
        yield block[:total]
        total -= len(block)


def gzip_file(path: Path, parts: Iterator[bytes] | list[bytes]) -> None:
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for part in parts:
            handle.write(part)


def rss(items: str, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://wire.example/</link><description>d</description>{items}</channel></rss>"
    )


def item(body: str, title: str = "Protests", pub: str = "Wed, 05 Jan 2022 10:00:00 GMT") -> str:
    date = f"<pubDate>{pub}</pubDate>" if pub else ""
    return f"<item><title>{title}</title><description>{body}</description>{date}</item>"


def page(body: str, doctype: str = "<!DOCTYPE html>", head: str = "") -> str:
    return (
        f'{doctype}<html><head><title>Protests</title><meta property="article:published_time"'
        f' content="2022-01-05">{head}</head><body><article>{body}</article></body></html>'
    )


def paragraphs(tag: str) -> str:
    return f"<p>{story(tag)}</p><p>{REPORT} The ministry gave no figures.</p>"
