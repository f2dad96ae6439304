"""Property-based fuzz of every reader (Hypothesis, seeded and bounded).

Arbitrary bytes and hostile-but-structured text go through `read_stream` in each format,
plain and gzip-compressed. Whatever comes in, a reader returns only `Article` and
`Rejected` records (never a traceback, never W016/W017, the code for its own bugs), one
per input or record read, within a time bound per example. For CSV the records are
checked against Python's own csv module, so that a skipped oversized record can never
put the reader out of step (issue 20, item 4).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from eventscope.errors import REASONS, W007, W008, W016, W017
from eventscope.model import Article, Rejected
from eventscope.sources import ReadOptions
from eventscope.sources.decode import looks_binary
from eventscope.sources.files import read_stream

from .conftest import REPORT

OPTS = ReadOptions(
    now=datetime(2026, 1, 1, tzinfo=UTC), date=date(2022, 1, 5), max_chars=100, min_chars=10
)
LIMIT = OPTS.max_chars * 4  # characters of one CSV record
SECONDS = 5.0  # per example; the slowest reader (HTML) takes well under a second
FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=timedelta(seconds=SECONDS),
    suppress_health_check=[HealthCheck.too_slow],
)

PIECES = [
    '"', '""', ",", "\t", "\n", "\r", "\r\n", "\n\n", " ", "\x00", "\x07", "\ufeff",
    "\u2028", "é", "Привет", "{", "}", "[", "]", ":", "<p>", "</p>", "<script>", "<rss>",
    "<item>", "<title>", "&amp;", "&#0;", "<!ENTITY x 'y'>", "\\u0000", "date 2022-01-05 ",
    "date 9999-99-99", "x" * 150, REPORT[:90], "2022-01-05", "text", "lang", "../",
]  # fmt: skip
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=60).map(
    "".join
)
hostile_bytes = st.one_of(
    st.binary(max_size=400),
    hostile_text.map(lambda t: t.encode("utf-8", "replace")),
    hostile_text.map(lambda t: t.encode("cp1251", "replace")),
    st.lists(st.one_of(st.binary(max_size=8), hostile_text.map(str.encode)), max_size=8).map(
        b"".join
    ),
)
value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), hostile_text,
    st.just(REPORT), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip
record = st.dictionaries(
    st.sampled_from(["text", "title", "date", "lang", "language", "url", "author", "extra"]),
    value,
    max_size=6,
)
# Records after a header; quoted runs of lines make records over the limit, often.
csv_text = st.lists(
    st.one_of(hostile_text, st.just('"' + "inside, a field\n" * 30 + '"')), max_size=8
).map(lambda records: "text,date\n" + "\n".join(records))
jsonl_bytes = st.lists(
    st.one_of(record.map(json.dumps), hostile_text, st.just(""), st.just("   ")), max_size=12
).map(lambda lines: "\n".join(lines).encode("utf-8", "replace"))


@pytest.fixture(scope="module", autouse=True)
def warm_up() -> None:
    """Import the readers' libraries before the clock runs (trafilatura takes seconds)."""
    for fmt in ("html", "feed", "text", "json"):
        read_all(b"<html><body><p>" + REPORT.encode() + b"</p></body></html>", fmt)


def read_all(data: bytes, fmt: str, *, compress: bool = False) -> list[Article | Rejected]:
    raw = gzip.compress(data, mtime=0) if compress else data
    started = time.perf_counter()
    items = list(read_stream(io.BytesIO(raw), "", "in", ReadOptions(**_opts(fmt))))
    assert time.perf_counter() - started < SECONDS
    for item in items:
        assert isinstance(item, Article | Rejected), item
        assert item.input_ref.startswith("in"), item
        if isinstance(item, Rejected):
            assert item.code in REASONS and item.code not in (W016, W017), item
            assert item.reason.strip()
        else:
            assert 0 < len(item.text) <= OPTS.max_chars
            item.text.encode("utf-8")  # storable: no lone surrogates
            assert item.language is None or re.fullmatch(r"[^\W\d_]{2,20}", item.language)
    return items


def _opts(fmt: str) -> dict[str, Any]:
    fields = ("now", "date", "max_chars", "min_chars")
    return {**{name: getattr(OPTS, name) for name in fields}, "format": fmt}


@FUZZ
@given(data=hostile_bytes, fmt=st.sampled_from(["text", "html", "feed"]), compress=st.booleans())
def test_whole_inputs_give_one_record_or_more(data: bytes, fmt: str, compress: bool) -> None:
    items = read_all(data, fmt, compress=compress)
    assert len(items) == 1 if fmt != "feed" else len(items) >= 1


@FUZZ
@given(data=st.one_of(hostile_bytes, record.map(lambda r: json.dumps([r, r]).encode())))
def test_json_gives_one_record_per_object(data: bytes) -> None:
    items = read_all(data, "json")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        document = None
    expected = len(document) if isinstance(document, list) else 1
    assert len(items) == expected


@FUZZ
@given(data=st.one_of(jsonl_bytes, hostile_bytes), compress=st.booleans())
def test_json_lines_give_one_record_per_line(data: bytes, compress: bool) -> None:
    items = read_all(data, "jsonl", compress=compress)
    lines = [n for n, line in enumerate(data.split(b"\n"), 1) if line.strip()]
    assert [int(i.input_ref.rsplit(":", 1)[1]) for i in items] == lines


@FUZZ
@given(data=hostile_bytes, fmt=st.sampled_from(["csv", "tsv"]), compress=st.booleans())
def test_csv_of_any_bytes_gives_records(data: bytes, fmt: str, compress: bool) -> None:
    read_all(data, fmt, compress=compress)


@FUZZ
@given(text=st.one_of(csv_text, hostile_text), delimiter=st.sampled_from([",", "\t"]))
def test_csv_records_match_the_csv_module(text: str, delimiter: str) -> None:
    """Each record comes out where csv puts it: a row, or W007 when it is over the limit."""
    data = text.encode("utf-8")
    assume(not looks_binary(data))
    items = read_all(data, "tsv" if delimiter == "\t" else "csv")
    got = [
        ("W007" if isinstance(i, Rejected) and i.code == W007 else "row", _line_of(i))
        for i in items
    ]
    expected = _reference(text.removeprefix("\ufeff"), delimiter)
    if expected is None:  # the header itself is over the limit
        assert len(items) == 1 and isinstance(items[0], Rejected) and items[0].code == W008
    else:
        assert got == expected


def _line_of(item: Article | Rejected) -> int:
    return int(item.input_ref.rsplit(":", 1)[1]) if ":" in item.input_ref else 0


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")
_BLANK_LINE = re.compile(r"[ \t]*(?:\r\n?|\n)?")


def _reference(text: str, delimiter: str) -> list[tuple[str, int]] | None:
    """(kind, last line) of every record after the header, by csv with no size limit."""
    lines = _LINE.findall(text)
    csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[str, int]] = []
    done = 0  # lines read before this record
    is_header = True
    for row in reader:
        own = lines[done : reader.line_num]
        done = reader.line_num
        if all(_BLANK_LINE.fullmatch(line) for line in own):
            continue  # white space only: skipped before csv sees it
        if sum(map(len, own)) > LIMIT:
            if is_header:
                return None
            out.append(("W007", reader.line_num))
        elif is_header:
            is_header = False
        elif any(cell.strip() for cell in row):
            out.append(("row", reader.line_num))
        is_header = False
    return [("row", 0)] if is_header else out  # no header row: one W008 for the input
