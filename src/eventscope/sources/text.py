"""Plain text: an optional `date YYYY-MM-DD` header, then the article."""

from __future__ import annotations

import re

from eventscope.errors import W005, InputRejected
from eventscope.model import Rejected

from .base import Item, ReadOptions, build

# The header may share its line with the text ("date 2022-01-10 During the ...") and may
# carry a time ("date: 2022-01-10T08:00").
_HEADER = re.compile(r"\A\s*date\s*:?\s+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)\b[ \t]*")
_HEADER_LIKE = re.compile(r"\A\s*date\s*:?\s+(\S+)", re.IGNORECASE)


def split_header(text: str) -> tuple[str | None, str]:
    """(date string or None, body). Raises InputRejected W005 on a malformed date header."""
    match = _HEADER.match(text)
    if match:
        return match.group(1), text[match.end() :]
    bad = _HEADER_LIKE.match(text)
    if bad and any(ch.isdigit() for ch in bad.group(1)):
        raise InputRejected(W005, f"date header {bad.group(1)[:30]!r} is not YYYY-MM-DD")
    return None, text


def guess_title(body: str) -> str | None:
    """The first line when it stands alone like a headline (short, then a blank line)."""
    head, sep, _rest = body.lstrip().partition("\n\n")
    if sep and "\n" not in head and 8 <= len(head) <= 200 and not head.endswith((".", ":")):
        return head.strip()
    return None


def read_text(text: str, input_ref: str, opts: ReadOptions) -> list[Item]:
    """One article from a text file; its date from the header or `opts.date`."""
    try:
        published, body = split_header(text)
    except InputRejected as exc:
        return [Rejected(input_ref, exc.code, exc.reason)]
    return [build(input_ref, opts, body, published=published, title=guess_title(body))]
