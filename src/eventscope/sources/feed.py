"""RSS and Atom feeds (feedparser): one article per entry, with the entry's date."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from eventscope.errors import W014
from eventscope.model import Rejected

from .base import Item, ReadOptions, build
from .html import fragment_to_text


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC)
    return None


def read_feed(data: bytes, input_ref: str, opts: ReadOptions) -> list[Item]:
    """Entries of an RSS/Atom document; the full content when given, else the summary."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        return [Rejected(input_ref, W014, f"feed has no entries{why}")]
    feed_title = (parsed.get("feed") or {}).get("title")
    items: list[Item] = []
    for index, entry in enumerate(entries):
        # The entry's position keeps references unique where feeds repeat ids or links.
        ref = f"{input_ref}#{index + 1}"
        contents = entry.get("content") or []
        body = max((c.get("value", "") for c in contents), key=len, default="")
        body = body or entry.get("summary") or ""
        published = _entry_date(entry)
        raw_date = entry.get("published") or entry.get("updated")
        items.append(
            build(
                ref,
                opts,
                fragment_to_text(body),
                published=published or raw_date,
                title=entry.get("title"),
                url=entry.get("link"),
                source=feed_title,
                author=entry.get("author"),
                meta={"entry_id": entry.get("id") or entry.get("link") or ""},
            )
        )
    return items
