"""Steps that look across articles: they run on each batch of extracted articles after
extraction and before the store writes it (the place for the cross-report resolution of
stories and events).

A resolver is a function `(batch, reader) -> batch`: it gets the batch's records and a
reader of what the store already holds (`store.base.StoreReader`), and returns the
records to write (the same articles, in the same order). It never reaches into the database itself.

>>> @register_resolver("same-story")
... def link_stories(batch, reader):
...     return batch
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from eventscope.model import ArticleRecords
from eventscope.store.base import StoreReader

Resolver = Callable[[Sequence[ArticleRecords], StoreReader], Sequence[ArticleRecords]]

RESOLVERS: dict[str, Resolver] = {}


def register_resolver(name: str) -> Callable[[Resolver], Resolver]:
    """Decorator: run `fn` on every batch of `pipeline.ingest` (in registration order)."""

    def wrap(fn: Resolver) -> Resolver:
        RESOLVERS[name] = fn
        return fn

    return wrap


def resolve_batch(batch: Sequence[ArticleRecords], reader: StoreReader) -> list[ArticleRecords]:
    """The batch after every registered resolver, one after another."""
    resolved = list(batch)
    for resolver in RESOLVERS.values():
        resolved = list(resolver(resolved, reader))
    return resolved


__all__ = ["RESOLVERS", "Resolver", "register_resolver", "resolve_batch"]
