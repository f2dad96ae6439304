"""Readers on hostile input (issue 20): an oversized CSV field, blank-line and gzip
amplification, mixed encodings, junk language codes. Sizes are small; the record limit
is lowered through `ReadOptions.max_chars` (a CSV record may hold 4 x max_chars)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from eventscope.errors import E003, W003, W007, W018, InputError
from eventscope.model import Article, Rejected
from eventscope.sources import ReadOptions, read_paths
from eventscope.sources.decode import decode_bytes

from .conftest import REPORT, write

SMALL = ReadOptions(now=datetime(2026, 1, 1, tzinfo=UTC), max_chars=1000)  # records <= 4,000


def read(path: Path, opts: ReadOptions = SMALL) -> list[Article | Rejected]:
    return list(read_paths([str(path)], opts))


def calls_made(action: Callable[[], Any]) -> int:
    """Python and C function calls made by `action`: its work, free of the clock."""
    count = 0

    def count_call(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(count_call)
    try:
        action()
    finally:
        sys.setprofile(None)
    return count


# -- CSV: an oversized quoted field ------------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_csv_oversized_quoted_field_is_rejected_alone_and_reading_resyncs(
    tmp_path: Path,
) -> None:
    # A 6 KB field of 120 lines, one of which looks like a whole row; before, csv's field
    # limit stopped inside it and every line after became a row: the fake one stored,
    # 1-field rows rejected, and the real last row lost.
    inside = ["filler line inside one quoted field"] * 60
    inside += [f"{REPORT} INJECTED,2022-01-05"] + ["more filler in the same field"] * 60
    text = _csv([
        ["text", "date"],
        [f"{REPORT} First.", "2022-01-05"],
        ["\n".join(inside), "2022-01-05"],
        [f"{REPORT} Last.", "2022-01-06"],
    ])  # fmt: skip
    assert 4000 < len(text) < 12000
    items = read(write(tmp_path / "big.csv", text))

    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"], items
    first, big, last = items
    assert isinstance(first, Article) and first.text.endswith("First.")
    assert isinstance(last, Article) and last.text.endswith("Last.")
    assert last.input_ref.endswith(":124")  # line numbers stay true after the skip
    assert isinstance(big, Rejected) and big.code == W007
    assert big.reason == "record of lines 3-123 over 4,000 characters"
    assert not any("INJECTED" in i.text for i in items if isinstance(i, Article))


def test_csv_oversized_unquoted_line_costs_its_row(tmp_path: Path) -> None:
    text = f'text,date\n"{REPORT}",2022-01-05\n{"x" * 9000},2022-01-05\n"{REPORT} B",2022-01-05\n'
    items = read(write(tmp_path / "long.csv", text))
    assert [getattr(i, "code", "article") for i in items] == ["article", W007, "article"]
    assert items[1].input_ref.endswith(":3") and items[2].input_ref.endswith(":4")


def test_csv_record_under_the_limit_with_quotes_and_line_ends_is_kept(tmp_path: Path) -> None:
    body = f'{REPORT}\r\nHe said "yes",\rthen\n\n"no".'
    text = _csv([["text", "date"], [body, "2022-01-05"], [f"{REPORT} B", "2022-01-05"]])
    items = read(write(tmp_path / "ok.csv", text))
    assert all(isinstance(i, Article) for i in items) and len(items) == 2
    assert items[0].text == body.replace("\r\n", "\n").replace("\r", "\n")


# -- blank lines and compression ratio ---------------------------------------------------


def _with_blank_lines(fmt: str, blank: bytes) -> bytes:
    if fmt == "jsonl":
        first, last = ({"text": f"{REPORT} {n}", "date": "2022-01-05"} for n in ("A", "B"))
        return (json.dumps(first) + "\n").encode() + blank + (json.dumps(last) + "\n").encode()
    return (
        f'text,date\n"{REPORT} A",2022-01-05\n'.encode()
        + blank
        + f'"{REPORT} B",2022-01-05\n'.encode()
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("compress", [False, True])
def test_blank_line_runs_are_skipped_in_bulk(tmp_path: Path, fmt: str, compress: bool) -> None:
    # 200,000 blank lines (some with spaces or CR LF) cost one step per line before:
    # over 400,000 calls; in bulk, a few hundred.
    blank = (b"\n" * 900 + b"  \t\n" + b"\r\n" * 99) * 200
    data = _with_blank_lines(fmt, blank)
    path = write(tmp_path / f"blank.{fmt}{'.gz' if compress else ''}",
                 gzip.compress(data) if compress else data)  # fmt: skip
    items: list[Article | Rejected] = []
    calls = calls_made(lambda: items.extend(read(path, SMALL)))

    assert [i.text[-1] for i in items if isinstance(i, Article)] == ["A", "B"], items
    assert items[1].input_ref.endswith(f":{200_000 + (3 if fmt == 'csv' else 2)}")
    assert calls < 20_000, calls


def test_gzip_expanding_past_the_ratio_is_rejected_after_what_was_read(tmp_path: Path) -> None:
    # 20 MB of blank lines in 20 KB of gzip (1,000:1): the first record is kept, the rest
    # is one W018 rejection once the first 16 MB have expanded.
    data = _with_blank_lines("jsonl", b"\n" * 20_000_000)
    items = read(write(tmp_path / "bomb.jsonl.gz", gzip.compress(data)))
    assert isinstance(items[0], Article) and items[0].text.endswith("A")
    assert len(items) == 2 and isinstance(items[1], Rejected), items
    assert items[1].code == W018 and "over 200:1" in items[1].reason
    assert items[1].reason.endswith("after 1 records")


def test_gzip_of_ordinary_text_is_not_limited(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"{REPORT} {n}", "date": "2022-01-05"}) for n in range(20)]
    items = read(write(tmp_path / "ok.jsonl.gz", gzip.compress("\n".join(lines).encode())))
    assert len(items) == 20 and all(isinstance(i, Article) for i in items)


# -- mixed encodings ---------------------------------------------------------------------

CAFE = "Café au lait in Almaty, where protesters met on Wednesday."
PRIVET = "Привет Алматы"


def test_utf8_with_a_cp1251_paragraph_is_decoded_per_paragraph(tmp_path: Path) -> None:
    data = f"date 2022-01-05\n{CAFE}\n\n".encode() + PRIVET.encode("cp1251") + b"\n"
    assert decode_bytes(data) == (f"date 2022-01-05\n{CAFE}\n\n{PRIVET}\n", "utf-8+cp1251")
    [article] = read(write(tmp_path / "mixed.txt", data))
    assert isinstance(article, Article)
    assert article.text == f"{CAFE}\n\n{PRIVET}"  # was "CafĂŠ ... Ďđčâĺň Ŕëěŕňű"


@pytest.mark.parametrize(
    ("legacy", "encoding"),
    [("Καλημέρα κόσμε", "iso8859_7"), ("Déjà vu à Genève", "latin-1"), (PRIVET, "koi8_r")],
)
def test_legacy_paragraph_takes_the_first_plausible_code_page(legacy: str, encoding: str) -> None:
    text, _ = decode_bytes("Привет.\n\n".encode() + legacy.encode(encoding))
    assert text == f"Привет.\n\n{legacy}"


def test_utf8_with_an_undecidable_paragraph_is_rejected(tmp_path: Path) -> None:
    # A lone truncated sequence reads as "CafÃ", "CafГ", "CafΓ": no code page is safe.
    data = f"date 2022-01-05\n{CAFE}\n\n".encode() + b"Caf\xc3 au lait\n"
    [item] = read(write(tmp_path / "cut.txt", data))
    assert isinstance(item, Rejected) and item.code == W003
    assert "cannot be told" in item.reason


def test_csv_with_a_legacy_row_rejects_that_row_only(tmp_path: Path) -> None:
    data = (f'text,date\n"{CAFE}",2022-01-05\n\n'.encode()
            + f'"{PRIVET} {REPORT}",2022-01-05\n'.encode("cp1251", "replace")
            + f'"{REPORT} Café",2022-01-05\n'.encode())  # fmt: skip
    items = read(write(tmp_path / "mixed.csv", data))
    assert [getattr(i, "code", "article") for i in items] == ["article", W003, "article"]
    assert items[0].text == CAFE  # not decoded whole in a legacy code page


# -- language codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [("EN-us", "en"), ("ru_RU", "ru"), (" es-419 ", "es"), ("English", "english"), ("", None)],
)
def test_given_language_is_normalised(tmp_path: Path, given: str, stored: str | None) -> None:
    line = json.dumps({"text": REPORT, "date": "2022-01-05", "lang": given})
    [article] = read(write(tmp_path / "a.jsonl", line))
    assert isinstance(article, Article) and article.language == stored
    assert "language_given" not in article.meta


@pytest.mark.parametrize("given", ["../", "e\x00n\x07", "x" * 300, "1234", "en/../../etc"])
def test_invalid_language_is_dropped_for_detection(tmp_path: Path, given: str) -> None:
    line = json.dumps({"text": REPORT, "date": "2022-01-05", "language": given})
    [article] = read(write(tmp_path / "a.jsonl", line))
    assert isinstance(article, Article) and article.language is None
    assert article.meta["language_given"] == ascii(given)[1:-1][:40]


def test_invalid_language_option_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        ReadOptions(language="../")
    assert caught.value.code == E003
