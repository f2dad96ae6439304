"""Readers: every supported input format to `Article` or `Rejected` records."""

from eventscope.errors import InputRejected

from .base import DEFAULT_FIELDS, Item, ReadOptions, parse_published
from .files import FORMATS, format_of, read_file, read_paths, read_stdin

__all__ = [
    "DEFAULT_FIELDS",
    "FORMATS",
    "InputRejected",
    "Item",
    "ReadOptions",
    "format_of",
    "parse_published",
    "read_file",
    "read_paths",
    "read_stdin",
]
