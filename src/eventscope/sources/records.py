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
    encoding = "utf-8-sig" if encoding in ("utf-8", "ascii") else encoding
    whole = io.BufferedReader(_Prefixed(head, stream))
    # Bytes that do not decode become lone surrogates: the row holding them is rejected
    # (W003) by make_article, and the rows after it are still read.
    text = io.TextIOWrapper(whole, encoding=encoding, errors="surrogateescape", newline="")
    csv.field_size_limit(min(sys.maxsize, opts.max_chars * 4))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            yield Rejected(name, W008, "no header row")
            return
        columns = [c.strip() for c in header]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a NUL byte, an oversized field: skip that row only
                yield Rejected(f"{name}:{reader.line_num}", W008, f"CSV error: {exc}")
                continue
            ref = f"{name}:{reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                yield Rejected(ref, W008, f"{len(row)} fields, header has {len(columns)}")
                continue
            yield from_record(dict(zip(columns, row, strict=True)), ref, opts)
    except csv.Error as exc:
        yield Rejected(name, W008, f"CSV error in the header: {exc}")


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
