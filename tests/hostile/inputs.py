"""Every hostile input: the kinds the kinds_* modules register, and `build` to write
them (corpus.py says what an input expects and how big each scale makes it)."""

from . import kinds_bytes, kinds_files, kinds_markup, kinds_records, kinds_text
from .corpus import KINDS, PASSWD, SCALES, SECRET, Hostile, Outcome, Sizes, build

MODULES = (kinds_bytes, kinds_files, kinds_markup, kinds_records, kinds_text)  # registered
__all__ = ["KINDS", "MODULES", "PASSWD", "SCALES", "SECRET", "Hostile", "Outcome", "Sizes", "build"]
