"""Steps that look across articles: they run on each batch of extracted articles after
extraction and before the store writes it (the place for the cross-report resolution of
stories and events).

A resolver is a function `(batch, reader) -> batch`: it gets the batch's records and a
reader of what the store already holds, and returns the records to write (the same
articles, in the same order). It never reaches into the database itself.

>>> @register_resolver("same-story")
... def link_stories(batch, reader):
...     return batch
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventscope.model import Article, ArticleRecords


class StoredArticles(Protocol):
    """What a resolver may read of the store (a subset of the store's reader interface)."""

    def article(self, article_id: str) -> Article:
        """One stored article by id; raises NotFoundError when there is none."""
        ...

    def records(self, article_id: str) -> dict[str, Any]:
        """Every stored record of one article, as JSON."""
        ...


Resolver = Callable[[Sequence[ArticleRecords], StoredArticles], Sequence[ArticleRecords]]

RESOLVERS: dict[str, Resolver] = {}


def register_resolver(name: str) -> Callable[[Resolver], Resolver]:
    """Decorator: run `fn` on every batch of `pipeline.ingest` (in registration order)."""

    def wrap(fn: Resolver) -> Resolver:
        RESOLVERS[name] = fn
        return fn

    return wrap


def resolve_batch(batch: Sequence[ArticleRecords], reader: StoredArticles) -> list[ArticleRecords]:
    """The batch after every registered resolver, one after another."""
    resolved = list(batch)
    for resolver in RESOLVERS.values():
        resolved = list(resolver(resolved, reader))
    return resolved


__all__ = ["RESOLVERS", "Resolver", "StoredArticles", "register_resolver", "resolve_batch"]
