"""What the pipeline hands every stage of one article beside its records.

`pipeline.extract_stream` makes one `ArticleContext` per article and passes it to each
stage in turn, so nothing found in one article can reach the next: the parse, the
knowledge base, and the token index (`events_build.Context`: actors, dates and places by
token) that the stages reading arguments from the parse (events, figures, quotes) build
once and share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords
from eventscope.nlp.parse import ParsedArticle

from .events_build import Context, build_context


@dataclass(slots=True)
class ArticleContext:
    """One article's parse and KB, and the token index built on first use."""

    parsed: ParsedArticle
    kb: KnowledgeBase = field(default_factory=KnowledgeBase)
    _index: Context | None = None

    def index(self, records: ArticleRecords) -> Context:
        """The token index of this article: built from `records` (the actors, dates and
        places found so far) by the first stage that asks, then shared, so the actors
        one stage creates in it are known to the next."""
        if self._index is None:
            self._index = build_context(self.parsed, records)
        return self._index


__all__ = ["ArticleContext"]
