"""Storage: the embedded SQLite store behind the reader and writer interfaces of
`base.py` (a server database can implement them later)."""

from .base import StoreBackend, StoreReader, StoreWriter
from .filters import EventFilter, normalise_filter
from .migrate import migrations
from .rows import Page, ResultSet
from .sqlite import Store, prepare_store
from .sqlite_pool import QueryTimeout, ReaderPool

__all__ = [
    "EventFilter",
    "Page",
    "QueryTimeout",
    "ReaderPool",
    "ResultSet",
    "Store",
    "StoreBackend",
    "StoreReader",
    "StoreWriter",
    "migrations",
    "normalise_filter",
    "prepare_store",
]
