"""One exception tree and the table of numbered errors (E) and rejection warnings (W).

An `E` code stops a command (bad option, unusable store). A `W` code rejects one input
and the run goes on; the reason is stored with the input reference. Codes are never
reused: add new ones at the end. This module imports nothing from eventscope.
"""

from __future__ import annotations

# Errors: the command cannot do what was asked.
E001 = "E001"  # path does not exist
E002 = "E002"  # store cannot be opened (not SQLite, newer schema, locked)
E003 = "E003"  # invalid option value (date, field mapping, format)
E004 = "E004"  # article or record not found
E005 = "E005"  # language model missing: the set-up did not install it
E006 = "E006"  # input of extract is not a single article
E007 = "E007"  # the store cannot be written (disk full, read-only file system)
E008 = "E008"  # no gold data of the task's format under the given path
E009 = "E009"  # the server would be reachable from other hosts without a token
E010 = "E010"  # a chosen stage reads records that no chosen stage writes
E011 = "E011"  # a read took longer than the time allowed (the HTTP API's query limit)

# Warnings: one input rejected, with the reason stored.
W001 = "W001"  # empty input or no article text
W002 = "W002"  # binary data, not text
W003 = "W003"  # text is not valid in any encoding tried (e.g. broken UTF-8)
W004 = "W004"  # no publication date and none given with --date
W005 = "W005"  # publication date cannot be parsed
W006 = "W006"  # publication date in the future or before 1900
W007 = "W007"  # article larger than the size limit
W008 = "W008"  # malformed record (JSON line, CSV row)
W009 = "W009"  # compressed file is corrupt or truncated
W010 = "W010"  # file cannot be read (permissions, I/O error)
W011 = "W011"  # not a regular file (device, socket, fifo)
W012 = "W012"  # directory loop (symbolic link back to an ancestor)
W013 = "W013"  # HTML page without main text
W014 = "W014"  # feed without entries
W015 = "W015"  # text too short to be an article
W016 = "W016"  # extraction failed on this article (a bug: please report it)
W017 = "W017"  # the reader failed on this input (a bug: please report it)
W018 = "W018"  # compressed input expands more than the ratio allowed (a bomb)
W019 = "W019"  # extraction took longer than the time allowed per article (--time-limit)

REASONS: dict[str, str] = {
    W001: "empty input or no article text",
    W002: "binary data, not text",
    W003: "invalid text encoding",
    W004: "no publication date",
    W005: "unparseable publication date",
    W006: "publication date out of range",
    W007: "article too large",
    W008: "malformed record",
    W009: "corrupt or truncated compressed file",
    W010: "unreadable file",
    W011: "not a regular file",
    W012: "directory loop",
    W013: "HTML without main text",
    W014: "feed without entries",
    W015: "text too short",
    W016: "extraction failed",
    W017: "reader failed",
    W018: "compression ratio over limit",
    W019: "extraction over its time limit",
}


class EventscopeError(Exception):
    """Base of every eventscope error: a code, what went wrong, and what to do."""

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(f"{code}: {message}" + (f"; {hint}" if hint else ""))


class InputError(EventscopeError):
    """An input path or option the user gave cannot be used."""


class StoreError(EventscopeError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(EventscopeError):
    """An id asked for is not in the store."""


class ModelError(EventscopeError):
    """A language model or resource is missing."""


class InputRejected(EventscopeError):
    """One input cannot be stored (a W code); readers turn it into a `Rejected` record."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code, reason)
        self.reason = reason
