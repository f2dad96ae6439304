"""The reads every interface shares (CLI, HTTP API, exports, the dashboard): each takes a
`StoreReader` and returns the rows the interface shows, so that the CLI and the API ask
the same question the same way and no interface writes a query of its own.

>>> with Store("events.db", readonly=True) as store:
...     page = events_page(store, event_filter(country="Kazakhstan", type="PROTEST"))
"""

from __future__ import annotations

from typing import Any

from eventscope.explain import article_spans
from eventscope.model import JSON, Article, word_count
from eventscope.store.base import StoreReader
from eventscope.store.filters import EventFilter, normalise_filter

__all__ = [
    "actor_page",
    "article_page",
    "article_summary",
    "event_filter",
    "events_page",
    "public_ref",
    "store_info",
]


def event_filter(**fields: Any) -> EventFilter:
    """The one event filter from a user's values (fields of EventFilter), checked and with
    its countries as codes: `country` where the event happened, `actor_country` a
    source's or target's, each as ISO alpha-2, alpha-3 or name. FilterError E003 names
    a value that cannot be used."""
    return normalise_filter(EventFilter(**fields))


def events_page(
    reader: StoreReader, f: EventFilter, *, sort: str = "-date", limit: int = 50, offset: int = 0
) -> JSON:
    """One page of the matching events and how many match in all."""
    items = reader.events(f, sort=sort, limit=limit, offset=offset)
    total = reader.count_events(f)
    return {"total": total, "limit": limit, "offset": offset, "items": list(items)}


def public_ref(input_ref: str | None) -> str | None:
    """Where an article was read, without the folders of the path: its file name and
    line or entry (/srv/in/feed.jsonl:12 -> feed.jsonl:12), as the HTTP API shows it;
    like `store_info`, which leaves out the store's path."""
    return input_ref.rsplit("/", 1)[-1] if input_ref else input_ref


def article_summary(article: Article, *, words: bool = False, public: bool = False) -> JSON:
    """An article's fields without its text (and its word count, when asked); `public`:
    its input_ref as `public_ref`."""
    found = {k: v for k, v in article.to_dict().items() if k != "text"}
    if public:
        found["input_ref"] = public_ref(article.input_ref)
    return {**found, "words": word_count(article.text)} if words else found


def article_page(reader: StoreReader, ref: str, *, public: bool = False) -> JSON:
    """One article by id or unique prefix: its records (each actor with its registry id),
    every extracted span, as the dashboard shows them, and its story; `public`: its
    input_ref as `public_ref`."""
    full = reader.article_id(ref)
    registry = reader.actor_registry_ids(full)
    records = reader.records(full)
    for a in records["actors"]:
        a["registry_id"] = registry.get(a["id"])
    if public:
        records["article"]["input_ref"] = public_ref(records["article"]["input_ref"])
    return {**records, "spans": article_spans(records), "story": reader.story_of(full)}


def actor_page(reader: StoreReader, registry_id: int, *, limit: int = 50) -> JSON:
    """One registry actor: aliases, the latest articles naming it, its (resolved) events as
    source and as target, and its quotes (each list the latest `limit`, with its total)."""
    found = reader.actor(registry_id, limit=limit)
    for role in ("source", "target"):
        f = EventFilter(actor_id=registry_id, role=role, resolved=True)
        found[f"events_as_{role}"] = {
            "total": reader.count_events(f),
            "items": list(reader.events(f, limit=limit)),
        }
    total, quotes = reader.quotes(speaker_id=registry_id, limit=limit)
    found["quotes"] = {"total": total, "items": quotes}
    return found


def store_info(reader: StoreReader) -> JSON:
    """Counts of everything in the store and of events by type (without the store's path:
    a server's file system is not its clients' business; see `public_ref`)."""
    found = reader.stats()
    found.pop("path", None)
    found["events_by_type"] = reader.events_by_type()
    return found
