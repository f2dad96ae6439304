"""Physical lines of a CSV text stream, fed to `csv.reader` one record at a time.

`csv.reader` pulls lines until a record is complete. Left alone it holds an oversized
quoted field whole, and after its own "field larger than field limit" error it goes on
from the middle of that field, so the field's lines come out as records. `CsvLines`
bounds the characters of one record instead: when a record grows past the limit, it
skips the rest of that record itself (following the quotes as the csv module does) and
raises `RecordTooLarge`; `csv.reader` starts afresh on every call, so the next call reads
the next real record. Runs of blank lines between records are skipped in bulk.
"""

from __future__ import annotations

import re
from typing import IO

_EOL = re.compile(r"\r\n?|\n")
# Lines holding only spaces or tabs make empty rows, which the reader skips anyway.
_SPACES = re.compile(r"[ \t\r\n]*")
_CHUNK = 1 << 20


class RecordTooLarge(Exception):
    """A record longer than the limit was skipped; `first` and `last` are its lines."""

    def __init__(self, first: int, last: int) -> None:
        super().__init__(f"lines {first}-{last}")
        self.first = first
        self.last = last


class CsvLines:
    """An iterator of lines (with their line ends) for `csv.reader`.

    Call `start_record()` before each `next(reader)`; `line` is the number of the last
    physical line read, the reference of the record just returned.
    """

    def __init__(self, text: IO[str], *, limit: int, delimiter: str) -> None:
        self._text = text
        self._limit = limit
        self._stop = re.compile(f"[{re.escape(delimiter)}\r\n]")
        self._delimiter = delimiter
        self._buf = ""
        self._pos = 0
        self._is_eof = False
        self._record_chars = 0
        self._record_first = 0
        self._is_continued = False  # csv asked for another line of the same record
        self._is_mid_line = False
        self.line = 0

    def start_record(self) -> None:
        self._record_chars = 0
        self._is_continued = False

    def __iter__(self) -> CsvLines:
        return self

    def __next__(self) -> str:
        if not self._is_continued:
            self._skip_blank_lines()
        room = self._limit - self._record_chars
        end = self._line_end(room)
        if end == self._pos:
            raise StopIteration
        if not self._is_continued:
            self._record_first = self.line + 1
        if end - self._pos > room:
            self._skip_record(is_quoted=self._is_continued)
            raise RecordTooLarge(self._record_first, self.line)
        line = self._buf[self._pos : end]
        self._pos = end
        self.line += 1
        self._record_chars += len(line)
        self._is_continued = True
        return line

    def _fill(self) -> bool:
        """Append one more chunk to the unread part of the buffer; False at the end."""
        if self._is_eof:
            return False
        chunk = self._text.read(_CHUNK)
        if not chunk:
            self._is_eof = True
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def _line_end(self, room: int) -> int:
        """Where the next line ends; beyond `pos + room` when the line is longer."""
        while True:
            found = _EOL.search(self._buf, self._pos)
            at_edge = found is not None and found.end() == len(self._buf)
            if found and not (at_edge and found.group() == "\r" and not self._is_eof):
                return found.end()
            if found is None and len(self._buf) - self._pos > room:
                return self._pos + room + 1
            if not self._fill():
                return found.end() if found else len(self._buf)

    def _consume(self, end: int) -> None:
        """Move past `end`, counting the line ends passed."""
        buf, pos = self._buf, self._pos
        if end == len(buf) and buf.endswith("\r") and not self._is_eof:
            end -= 1  # its "\n" may open the next chunk
        if end <= pos:
            return
        self.line += buf.count("\n", pos, end) + buf.count("\r", pos, end)
        self.line -= buf.count("\r\n", pos, end)
        self._is_mid_line = buf[end - 1] not in "\r\n"
        self._pos = end

    def _skip_blank_lines(self) -> None:
        """Consume the blank lines ahead: a run of white space up to its last line end."""
        while True:
            buf, pos = self._buf, self._pos
            spaces = _SPACES.match(buf, pos)
            end = spaces.end() if spaces else pos
            last_eol = max(buf.rfind("\n", pos, end), buf.rfind("\r", pos, end))
            if last_eol >= pos:
                self._consume(last_eol + 1)
            # White space up to the end of the buffer may go on in the next chunk.
            if end < len(buf) or len(buf) - self._pos > self._limit:
                return
            if not self._fill():
                self._consume(end)  # white space closes the input: no line
                return

    def _skip_record(self, *, is_quoted: bool) -> None:
        """Consume the rest of a record: inside a quoted field when `is_quoted`, else from
        its start. Quotes follow csv's default dialect: `""` inside quotes is one quote,
        and after a field's closing quote the field goes on unquoted to the delimiter."""
        state = "quoted" if is_quoted else "start"
        self._is_mid_line = False
        while self._pos < len(self._buf) or self._fill():
            buf, pos = self._buf, self._pos
            if state == "start":
                state = "quoted" if buf[pos] == '"' else "field"
                self._pos += 1 if state == "quoted" else 0
                self._is_mid_line = True
            elif state == "quoted":
                quote = buf.find('"', pos)
                if quote < 0 or (quote == len(buf) - 1 and not self._is_eof):
                    # No closing quote yet, or one whose next character is not read yet.
                    self._consume(len(buf) if quote < 0 else quote)
                    if not self._fill():
                        continue
                elif buf.startswith('""', quote):
                    self._consume(quote + 2)
                else:
                    self._consume(quote + 1)
                    state = "field"
            else:
                stop = self._stop.search(buf, pos)
                if stop is None:
                    self._consume(len(buf))
                    self._fill()
                elif stop.group() == self._delimiter:
                    self._consume(stop.end())
                    state = "start"
                elif stop.group() == "\r" and stop.end() == len(buf) and self._fill():
                    continue  # "\r" or "\r\n": read on to know
                else:
                    eol = _EOL.match(buf, stop.start())
                    self._consume(eol.end() if eol else stop.end())
                    return
        if self._is_mid_line:  # the input ends inside the record, without a line end
            self.line += 1
