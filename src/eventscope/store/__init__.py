"""Storage: the embedded SQLite store and the PostgreSQL store, behind the reader and
writer interfaces of `base.py`; `open_store` picks one by its reference (a file or a
`postgresql://` URL)."""

from .base import StoreBackend, StoreReader, StoreWriter
from .filters import EventFilter, normalise_filter
from .migrate import migrations
from .pg_store import PgReaderPool, PgStore, open_store
from .rows import Page, ResultSet
from .sqlite import Store, prepare_store
from .sqlite_pool import QueryTimeout, ReaderPool

__all__ = [
    "EventFilter",
    "Page",
    "PgReaderPool",
    "PgStore",
    "QueryTimeout",
    "ReaderPool",
    "ResultSet",
    "Store",
    "StoreBackend",
    "StoreReader",
    "StoreWriter",
    "migrations",
    "normalise_filter",
    "open_store",
    "prepare_store",
]
