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
from typing import IO, Any, cast

from eventscope.errors import W007, W009, W010, W011, W012, W017, W018, InputRejected
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
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib reads the gzip header and checks its CRC
# News text compresses 3 to 10 times, repetitive exports 20 to 50, one paragraph repeated
# about 250; deflate's ceiling, about 1,000, is reached by runs of one byte (blank lines,
# padding) that cost time and hold nothing. The first 16 MB (what an input read whole
# may hold) expand freely.
MAX_RATIO = 200
_RATIO_FREE = 16 << 20


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith(".gz")


def format_of(name: str, head: bytes) -> str:
    """The format by file suffix (case-insensitive, .gz ignored), else sniffed."""
    inner = name[:-3] if is_gzip_name(name) else name
    suffix = Path(inner).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if start.startswith(b"{"):
        # JSON Lines has a whole object on its first line; pretty-printed JSON does not.
        first_line = start.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") else "json"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        lowered = start[:512].lower()
        return "feed" if any(t in lowered for t in (b"<rss", b"<feed", b"<rdf:rdf")) else "html"
    return "text"


def whole_limit(opts: ReadOptions) -> int:
    """Bytes read at most from an input read whole: markup and multibyte text need room."""
    return max(opts.max_chars * 8, 16 << 20)


def display_path(path: Path | str) -> str:
    """A path as storable text: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_whole(data: bytes, fmt: str, ref: str, opts: ReadOptions) -> list[Item]:
    if len(data) > whole_limit(opts):
        return [Rejected(ref, W007, f"over {whole_limit(opts):,} bytes")]
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


def _peekable(raw: IO[bytes]) -> io.BufferedReader:
    if isinstance(raw, io.BufferedReader):
        return raw
    return io.BufferedReader(cast(io.RawIOBase, raw))


class _Inflated(io.RawIOBase):
    """Gzip data expanded member by member, raising InputRejected (W018) once it expands
    more than `MAX_RATIO` times the compressed bytes read so far (beyond the first 16 MB).

    What was expanded before a truncated end, a corrupt member or trailing garbage is
    returned first and the error (EOFError, zlib.error, BadGzipFile) raised on the next
    read, so the records before it are kept: Python's GzipFile raises at once and loses
    what its last read had expanded (all of a small file's records)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._input = b""  # compressed bytes read and not yet given to the inflater
        self._compressed = 0
        self._expanded = 0
        self._is_done = False

    def readable(self) -> bool:
        return True

    def _read(self) -> bytes:
        chunk = self._stream.read(io.DEFAULT_BUFFER_SIZE)
        self._compressed += len(chunk)
        return chunk

    def _next_member(self) -> None:
        """After a member's end: start the next one, or end at the end of the data (zero
        padding allowed, as gzip allows it); anything else is trailing garbage."""
        rest = self._inflater.unused_data.lstrip(b"\0")
        while len(rest) < 2:
            chunk = self._read()
            if not chunk:
                if rest:
                    break
                self._is_done = True
                return
            rest = (rest + chunk).lstrip(b"\0")
        if rest[:2] != _GZIP_MAGIC:
            raise gzip.BadGzipFile(f"Not a gzipped file ({rest[:2]!r})")
        self._inflater, self._input = zlib.decompressobj(_GZIP_WBITS), rest

    def readinto(self, buffer: Any) -> int:
        while not self._is_done:
            inflater = self._inflater
            if inflater.eof:
                self._next_member()
                continue
            source = inflater.unconsumed_tail or self._input or self._read()
            if not source:
                raise EOFError("Compressed file ended before the end-of-stream marker")
            self._input = b""
            data = inflater.decompress(source, len(buffer))
            if not data:
                continue
            buffer[: len(data)] = data
            self._expanded += len(data)
            if self._expanded > max(_RATIO_FREE, MAX_RATIO * self._compressed):
                raise InputRejected(
                    W018,
                    f"gzip expands over {MAX_RATIO}:1: {self._compressed:,} compressed "
                    f"bytes gave {self._expanded:,}; reading stopped",
                )
            return len(data)
        return 0


def read_stream(
    raw: IO[bytes], name: str, ref: str, opts: ReadOptions, *, expect_gzip: bool = False
) -> Iterator[Item]:
    """Articles of one opened input (a file or standard input), gzip detected by its
    magic bytes; JSON Lines and CSV are streamed, other formats read whole up to a limit.
    Never raises for bad input: a failure becomes a `Rejected` for what is left."""
    count = 0
    try:
        stream = _peekable(raw)
        if stream.peek(2)[:2] == _GZIP_MAGIC:
            stream = _peekable(cast(IO[bytes], _Inflated(stream)))
        elif expect_gzip:
            yield Rejected(ref, W009, "named .gz but not gzip data")
            return
        fmt = opts.format or format_of(name, stream.peek(4096)[:4096])
        if fmt == "jsonl":
            reader = read_jsonl(stream, ref, opts)
        elif fmt in ("csv", "tsv"):
            reader = read_csv(stream, ref, opts, delimiter="\t" if fmt == "tsv" else ",")
        else:
            reader = iter(_read_whole(stream.read(whole_limit(opts) + 1), fmt, ref, opts))
        for item in reader:
            count += 1
            yield item
    except InputRejected as exc:  # the rest of a compressed input expands too much
        after = f" after {count} records" if count else ""
        yield Rejected(ref, exc.code, f"{exc.reason}{after}")
    except (*_GZIP_ERRORS, OSError) as exc:
        after = f" after {count} records" if count else ""
        if isinstance(exc, _GZIP_ERRORS) or "gzip" in str(exc).lower():
            yield Rejected(ref, W009, f"corrupt or truncated gzip{after}: {exc}")
        else:
            yield Rejected(ref, W010, f"read error{after}: {exc.strerror or exc}")
    except Exception as exc:  # a reader bug must cost one input, never the whole run
        log.exception("reader failed on %s", ref)
        after = f" after {count} records" if count else ""
        yield Rejected(ref, W017, f"reader failed{after}: {type(exc).__name__}: {exc}")


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
    too_big = not is_gzip_name(path.name) and info.st_size > whole_limit(opts)
    if too_big and (opts.format or format_of(path.name, _head(path))) not in _STREAMED:
        # Too big to read whole: say so before reading it.
        yield Rejected(ref, W007, f"{info.st_size:,} bytes, over {whole_limit(opts):,}")
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, also when the generator is)
    except OSError as exc:
        yield Rejected(ref, W010, f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        yield from read_stream(handle, path.name, ref, opts, expect_gzip=is_gzip_name(path.name))


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(4096)
    except OSError:
        return b""


def walk(root: Path, opts: ReadOptions, ancestors: tuple[str, ...] = ()) -> Iterator[Item]:
    """Files under `root` in name order (a folder's contents where its name sorts),
    following links but never round a loop. Hidden names (a leading dot) are skipped."""
    real = os.path.realpath(root)
    if real in ancestors:
        yield Rejected(display_path(root), W012, f"links back to {real}")
        return
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield Rejected(display_path(root), W010, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows symbolic links
        except OSError:
            is_dir = False
        if is_dir:
            yield from walk(Path(entry.path), opts, (*ancestors, real))
        else:
            yield from read_file(Path(entry.path), opts)


def read_stdin(opts: ReadOptions, stream: IO[bytes] | None = None) -> Iterator[Item]:
    """Articles from standard input, streamed like a file; the format sniffed unless given."""
    if stream is None:
        if sys.stdin is None:
            yield Rejected("<stdin>", W010, "standard input is closed")
            return
        stream = sys.stdin.buffer
    yield from read_stream(stream, "", "<stdin>", opts)


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
