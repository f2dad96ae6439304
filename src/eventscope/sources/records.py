"""JSON Lines, JSON arrays and CSV/TSV: one article per record, fields mapped by name."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from eventscope.errors import W003, W007, W008, InputRejected
from eventscope.model import Rejected

from .base import Item, ReadOptions, build
from .csvlines import CsvLines, RecordTooLarge
from .decode import decode_bytes


def _pick(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    return str(value)


def from_record(record: Mapping[str, Any], input_ref: str, opts: ReadOptions) -> Item:
    """One article from a mapping, fields found by `opts.names_for`."""
    text = _pick(record, opts.names_for("text"))
    if not isinstance(text, str):
        names = "/".join(opts.names_for("text"))
        reason = f"no text field ({names})" if text is None else "text field is not a string"
        return Rejected(input_ref, W008, reason)
    known = {
        n
        for key in ("text", "title", "date", "url", "language", "source", "author")
        for n in opts.names_for(key)
    }
    meta = {
        k: str(v)[:500]
        for k, v in record.items()
        if k not in known and isinstance(v, str | int | float) and not isinstance(v, bool)
    }
    return build(
        input_ref,
        opts,
        text,
        published=_pick(record, opts.names_for("date")),
        title=_as_text(_pick(record, opts.names_for("title"))),
        url=_as_text(_pick(record, opts.names_for("url"))),
        source=_as_text(_pick(record, opts.names_for("source"))),
        author=_as_text(_pick(record, opts.names_for("author"))),
        language=_as_text(_pick(record, opts.names_for("language"))),
        meta=meta,
    )


def read_jsonl(stream: IO[bytes], name: str, opts: ReadOptions) -> Iterator[Item]:
    """Each line one JSON object; a bad line is rejected alone and reading goes on."""
    limit = opts.max_chars * 4
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        ref = f"{name}:{number}"
        if len(raw) > limit and not raw.endswith(b"\n"):
            # Skip the rest of an oversized line without holding it in memory.
            while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
                pass
            yield Rejected(ref, W007, f"line longer than {limit:,} bytes")
            continue
        if not raw.strip():
            number += _skip_blank_lines(stream)
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(ref, W003, f"invalid UTF-8 at byte {exc.start} of the line")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(ref, W008, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:  # nesting or number too deep/large
            yield Rejected(ref, W008, f"invalid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield Rejected(ref, W008, f"a JSON {type(record).__name__}, not an object")
            continue
        yield from_record(record, ref, opts)


def _skip_blank_lines(stream: IO[bytes]) -> int:
    """Consume the blank lines ahead of a peekable stream in bulk; returns how many.

    One Python step per blank line made 20 M blank lines cost 8 s; this costs one step
    per buffer. White space after the last line end stays: it starts a record's line.
    """
    peek = getattr(stream, "peek", None)
    skipped = 0
    while peek is not None:
        ahead = peek(1 << 16)
        blank = len(ahead) - len(ahead.lstrip(b" \t\r\n"))
        cut = ahead.rfind(b"\n", 0, blank) + 1
        if not cut:
            break
        skipped += ahead.count(b"\n", 0, cut)
        stream.read(cut)
        if blank < len(ahead):
            break
    return skipped


def read_json(data: bytes, name: str, opts: ReadOptions) -> Iterator[Item]:
    """A JSON document: one object, or an array of objects."""
    try:
        text, _ = decode_bytes(data)
        document = json.loads(text)
    except InputRejected as exc:
        yield Rejected(name, exc.code, exc.reason)
        return
    except json.JSONDecodeError as exc:
        yield Rejected(name, W008, f"invalid JSON: {exc.msg} at line {exc.lineno}")
        return
    except (ValueError, RecursionError) as exc:
        yield Rejected(name, W008, f"invalid JSON: {exc}")
        return
    records = document if isinstance(document, list) else [document]
    for index, record in enumerate(records):
        ref = f"{name}#{index}" if isinstance(document, list) else name
        if isinstance(record, dict):
            yield from_record(record, ref, opts)
        else:
            yield Rejected(ref, W008, f"a JSON {type(record).__name__}, not an object")


def read_csv(stream: IO[bytes], name: str, opts: ReadOptions, *, delimiter: str) -> Iterator[Item]:
    """A header row, then one article per row; the encoding is detected from the start."""
    head = stream.read(65536)
    try:
        # The sample may end inside a multibyte character: cut back to a line end.
        cut = head if len(head) < 65536 else head[: head.rfind(b"\n") + 1] or head
        _, encoding = decode_bytes(cut)
    except InputRejected as exc:
        if exc.code != W003:
            yield Rejected(name, exc.code, exc.reason)
            return
        encoding = "utf-8"  # damaged UTF-8: the rows holding bad bytes are rejected alone
    # UTF-8 with legacy paragraphs ("utf-8+cp1251"): rows holding the legacy bytes are
    # rejected (W003) alone, as damaged ones are.
    encoding = encoding.split("+")[0]
    encoding = "utf-8-sig" if encoding in ("utf-8", "ascii") else encoding
    whole = io.BufferedReader(_Prefixed(head, stream))
    # Bytes that do not decode become lone surrogates: the row holding them is rejected
    # (W003) by make_article, and the rows after it are still read.
    text = io.TextIOWrapper(whole, encoding=encoding, errors="surrogateescape", newline="")
    limit = opts.max_chars * 4
    # CsvLines bounds a record's characters; csv's own field limit must never be reached,
    # since after it csv reads on from inside the field.
    csv.field_size_limit(min(sys.maxsize, limit + 1))
    lines = CsvLines(text, limit=limit, delimiter=delimiter)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, None)
    except (csv.Error, RecordTooLarge) as exc:
        yield Rejected(name, W008, f"CSV error in the header: {exc}")
        return
    if not header:
        yield Rejected(name, W008, "no header row")
        return
    columns = [c.strip() for c in header]
    while True:
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        except RecordTooLarge as big:
            reason = f"record of lines {big.first:,}-{big.last:,} over {limit:,} characters"
            yield Rejected(f"{name}:{big.last}", W007, reason)
            continue
        except csv.Error as exc:
            yield Rejected(f"{name}:{lines.line}", W008, f"CSV error: {exc}")
            continue
        ref = f"{name}:{lines.line}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield Rejected(ref, W008, f"{len(row)} fields, header has {len(columns)}")
            continue
        yield from_record(dict(zip(columns, row, strict=True)), ref, opts)


class _Prefixed(io.RawIOBase):
    """A raw stream that replays `head` before the rest of `stream`."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
