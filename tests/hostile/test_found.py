"""Defects the hostile inputs found, each pinned by a small test that failed before.

- A gzip member followed by garbage lost every record of the member (3 of 3: Python's
  GzipFile raises on the garbage and drops what its last read had expanded), and a
  gzip cut midway lost the records of the last read before the cut (30 of 221).
- A figure of 2^64 or more ("9999...9 people were killed", 5,000 digits, read as 1e100)
  became an int that orjson refuses: `TypeError: Integer exceeds 64-bit range` in the
  store's write, and the whole `eventscope ingest` run ended with a traceback, exit 1.
  Its story then failed to build on every later run, so every later ingest failed too.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from pathlib import Path

import orjson
import pytest

from eventscope.errors import W009
from eventscope.model import Article, Rejected, json_number
from eventscope.pipeline import ingest
from eventscope.resolve.figures import Point
from eventscope.sources import ReadOptions
from eventscope.sources.files import read_stream
from eventscope.store import Store

from ..conftest import REPORT, write

OPTS = ReadOptions(min_chars=10)


def _records(n: int) -> bytes:
    lines = (json.dumps({"text": f"{REPORT} {i}", "date": "2022-01-05"}) for i in range(n))
    return "".join(f"{line}\n" for line in lines).encode()


def _read(data: bytes) -> list[Article | Rejected]:
    return list(read_stream(io.BytesIO(data), "x.jsonl.gz", "x.jsonl.gz", OPTS))


@pytest.mark.parametrize("after", [b"garbage after the member", b"\x1f\x8b\x08 cut header"])
def test_records_of_a_gzip_member_before_trailing_garbage_are_kept(after: bytes) -> None:
    items = _read(gzip.compress(_records(3)) + after)
    assert [type(i).__name__ for i in items] == ["Article"] * 3 + ["Rejected"], items
    assert isinstance(items[-1], Rejected) and items[-1].code == W009
    assert items[-1].reason.startswith("corrupt or truncated gzip after 3 records")


def test_every_whole_line_of_a_cut_gzip_is_kept() -> None:
    data = gzip.compress(_records(300))
    cut = data[: len(data) * 3 // 5]
    whole_lines = zlib.decompressobj(31).decompress(cut).count(b"\n")
    items = _read(cut)
    assert len(items) == whole_lines + 1 and whole_lines > 100
    assert all(isinstance(i, Article) for i in items[:-1])
    assert isinstance(items[-1], Rejected) and items[-1].code == W009


def test_gzip_members_zero_padding_and_checks_still_hold() -> None:
    members = gzip.compress(_records(2)) + gzip.compress(_records(1)) + b"\0" * 512
    assert [type(i).__name__ for i in _read(members)] == ["Article"] * 3
    damaged = bytearray(gzip.compress(_records(2)))
    damaged[-6] ^= 0xFF  # the CRC
    assert [getattr(i, "code", "") for i in _read(bytes(damaged))][-1] == W009


@pytest.mark.parametrize("value", [1e100, 2.0**64, -(2.0**70), 1e308])
def test_counts_past_64_bits_stay_floats_in_json(value: float) -> None:
    assert json_number(value) == value and isinstance(json_number(value), float)
    assert json_number(7939.0) == 7939 and isinstance(json_number(7939.0), int)
    point = Point(article_id="a", seq=0, published="2022-01-05", kind="killed", group="k",
                  value=value, qualifier="exact", as_of=None, reporter=None, resolved_id=None,
                  span="s")  # fmt: skip
    orjson.dumps(point.to_dict())  # raised TypeError: Integer exceeds 64-bit range


@pytest.mark.slow
def test_an_article_with_a_5000_digit_toll_is_stored_and_the_next_run_works(
    tmp_path: Path, store: Store
) -> None:
    write(tmp_path / "a.txt", f"date 2022-01-05\nPolice said {'9' * 5000} people were "
                              f"killed in Almaty. {REPORT}")  # fmt: skip
    first = ingest([str(tmp_path / "a.txt")], store)
    assert (first.read, first.stored) == (1, 1)
    write(tmp_path / "b.txt", f"date 2022-01-06\nOn Thursday, {REPORT}")
    assert ingest([str(tmp_path / "b.txt")], store).stored == 1
