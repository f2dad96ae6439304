"""Storage: the embedded SQLite store (a server database comes with a later issue)."""

from .sqlite import ResultSet, Store, migrations

__all__ = ["ResultSet", "Store", "migrations"]
