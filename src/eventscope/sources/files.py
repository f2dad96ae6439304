"""Paths to articles: folders (recursive), .gz, standard input, and format detection.

Every input that is read comes out as an `Article` or a `Rejected` with its reason; no
bad input raises. A missing path given by the user is an error (E001) for the caller.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from eventscope.errors import W007, W009, W010, W011, W012, W017, InputRejected
from eventscope.model import Rejected

from .base import Item, ReadOptions
from .decode import decode_bytes
from .feed import read_feed
from .html import read_html
from .records import read_csv, read_json, read_jsonl
from .text import read_text

log = logging.getLogger(__name__)

FORMATS = ("text", "jsonl", "json", "csv", "tsv", "html", "feed")
_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}  # fmt: skip
_STREAMED = ("jsonl", "csv", "tsv")
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)


def format_of(name: str, head: bytes) -> str:
    """The format by file suffix, else sniffed from the first bytes."""
    suffix = Path(name.removesuffix(".gz")).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        return "feed" if any(t in start for t in (b"<rss", b"<feed", b"<rdf:rdf")) else "html"
    return "text"


def _whole_limit(opts: ReadOptions) -> int:
    """Bytes read at most from a file read whole: markup and multibyte text need room."""
    return max(opts.max_chars * 8, 1 << 20)


def _read_whole(data: bytes, fmt: str, ref: str, opts: ReadOptions) -> list[Item]:
    if len(data) > _whole_limit(opts):
        return [Rejected(ref, W007, f"over {_whole_limit(opts):,} bytes")]
    if fmt == "feed":
        return read_feed(data, ref, opts)
    if fmt == "json":
        return list(read_json(data, ref, opts))
    try:
        text, _encoding = decode_bytes(data)
    except InputRejected as exc:
        return [Rejected(ref, exc.code, exc.reason)]
    if fmt == "html":
        return read_html(text, ref, opts)
    return read_text(text, ref, opts)


def _read_stream(stream: IO[bytes], fmt: str, ref: str, opts: ReadOptions) -> Iterator[Item]:
    if fmt == "jsonl":
        return read_jsonl(stream, ref, opts)
    return read_csv(stream, ref, opts, delimiter="\t" if fmt == "tsv" else ",")


def display_path(path: Path | str) -> str:
    """A path as storable text: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_file(path: Path, opts: ReadOptions) -> Iterator[Item]:
    """Articles of one file (possibly .gz), any format; bad input becomes `Rejected`."""
    ref = display_path(path)
    try:
        info = path.stat()
    except OSError as exc:
        yield Rejected(ref, W010, f"cannot stat: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield Rejected(ref, W011, "not a regular file")
        return
    compressed = path.name.lower().endswith(".gz")
    if not compressed and info.st_size > _whole_limit(opts) and opts.format not in _STREAMED:
        guess = opts.format or format_of(path.name, b"")
        if guess not in _STREAMED:
            yield Rejected(ref, W007, f"{info.st_size:,} bytes, over {_whole_limit(opts):,}")
            return
    count = 0
    try:
        with gzip.open(path, "rb") if compressed else open(path, "rb") as raw:
            stream = cast(IO[bytes], raw)
            head = raw.peek(4096)[:4096]
            fmt = opts.format or format_of(path.name, head)
            if fmt in _STREAMED:
                for item in _read_stream(stream, fmt, ref, opts):
                    count += 1
                    yield item
                return
            data = stream.read(_whole_limit(opts) + 1)
        yield from _read_whole(data, fmt, ref, opts)
    except PermissionError as exc:
        yield Rejected(ref, W010, f"permission denied: {exc.strerror or exc}")
    except _GZIP_ERRORS as exc:
        if compressed and not isinstance(exc, PermissionError | FileNotFoundError):
            after = f" after {count} records" if count else ""
            yield Rejected(ref, W009, f"corrupt or truncated gzip{after}: {exc}")
        else:
            yield Rejected(ref, W010, f"read error: {exc}")
    except Exception as exc:  # a reader bug must cost one input, never the whole run
        log.exception("reader failed on %s", ref)
        after = f" after {count} records" if count else ""
        yield Rejected(ref, W017, f"reader failed{after}: {type(exc).__name__}: {exc}")


def walk(root: Path, opts: ReadOptions) -> Iterator[Item]:
    """Files under `root` in name order, following links but never round a loop.

    Hidden files and folders (names starting with a dot) are skipped inside folders.
    """
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, ancestors = stack.pop()
        real = os.path.realpath(folder)
        if real in ancestors:
            yield Rejected(display_path(folder), W012, f"links back to {real}")
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Rejected(display_path(folder), W010, f"cannot list folder: {exc.strerror or exc}")
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symbolic links
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(path)
            else:
                yield from read_file(path, opts)
        for sub in reversed(subfolders):
            stack.append((sub, (*ancestors, real)))


def read_stdin(opts: ReadOptions, stream: IO[bytes] | None = None) -> Iterator[Item]:
    """Articles from standard input; the format sniffed unless given."""
    stream = stream or sys.stdin.buffer
    data = stream.read(_whole_limit(opts) + 1)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except _GZIP_ERRORS as exc:
            yield Rejected("<stdin>", W009, f"corrupt or truncated gzip: {exc}")
            return
    fmt = opts.format or format_of("", data[:4096])
    try:
        if fmt in _STREAMED:
            yield from _read_stream(io.BytesIO(data), fmt, "<stdin>", opts)
        else:
            yield from _read_whole(data, fmt, "<stdin>", opts)
    except Exception as exc:  # as in read_file: one input lost at most
        log.exception("reader failed on standard input")
        yield Rejected("<stdin>", W017, f"reader failed: {type(exc).__name__}: {exc}")


def read_paths(paths: list[str], opts: ReadOptions) -> Iterator[Item]:
    """Every article in the given files, folders and "-" (standard input), in order.

    Paths must exist (the caller checks, E001); everything under them is read.
    """
    for name in paths:
        if name == "-":
            yield from read_stdin(opts)
            continue
        path = Path(name)
        if path.is_dir():
            yield from walk(path, opts)
        else:
            yield from read_file(path, opts)
