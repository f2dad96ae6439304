"""eventscope: dated news reports in, a source-cited database of political events out.

>>> import eventscope
>>> records = eventscope.extract(text, published="2022-01-10")
>>> records.to_json()
>>> with eventscope.Store("events.db") as store:
...     eventscope.ingest(["reports/"], store)
...     store.articles(search="CSTO").to_pandas()
"""

from eventscope.errors import EventscopeError
from eventscope.model import (
    Actor,
    Article,
    ArticleRecords,
    DateExpr,
    Event,
    Evidence,
    Figure,
    Mention,
    Place,
    Quote,
    Rejected,
    Span,
)
from eventscope.pipeline import IngestSummary, extract, ingest
from eventscope.sources import ReadOptions, read_paths
from eventscope.store import Store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "ArticleRecords",
    "DateExpr",
    "Event",
    "EventscopeError",
    "Evidence",
    "Figure",
    "IngestSummary",
    "Mention",
    "Place",
    "Quote",
    "ReadOptions",
    "Rejected",
    "Span",
    "Store",
    "__version__",
    "extract",
    "ingest",
    "read_paths",
]
